//! The same image as docker-archive, as OCI layout and with zstd layers gives the same
//! inventory. Layer blob digests legitimately differ with the compression (docker-archive layers
//! are uncompressed, oci-zstd recompressed), so they are blanked; diff IDs must be equal.

use atalaia_types::Inventory;

use crate::common::{scan, scan_ref, Scanned};

fn normalised(s: &Scanned) -> String {
    let mut inv: Inventory = s.inventory.clone();
    for db in &mut inv.os_packages {
        for p in &mut db.packages {
            p.layer.digest = None;
        }
    }
    for app in &mut inv.applications {
        for p in &mut app.packages {
            p.layer.digest = None;
        }
    }
    for w in &mut inv.warnings {
        w.layer = None;
    }
    serde_json::to_string_pretty(&inv).unwrap()
}

fn assert_same(a: &Scanned, b: &Scanned, what: &str) {
    let diff_ids = |s: &Scanned| {
        s.image
            .layers
            .iter()
            .map(|l| l.info.diff_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(diff_ids(a), diff_ids(b), "{what}: diff IDs");
    assert!(
        a.inventory.packages().next().is_some(),
        "{what}: empty inventory"
    );
    assert!(
        a.inventory.packages().all(|p| p.layer.diff_id.is_some()),
        "{what}: a package without a layer"
    );
    assert_eq!(normalised(a), normalised(b), "{what}: inventories differ");
}

#[test]
fn docker_archive_equals_oci_layout() {
    let corpus = atalaia_test::corpus_dir();
    for name in ["alpine-3.20.3", "distroless-like", "tricky-layers"] {
        let archive = scan(
            &corpus
                .join(format!("docker-archive/{name}.tar"))
                .display()
                .to_string(),
        );
        assert_same(&archive, &scan_ref(name), name);
    }
}

#[test]
fn zstd_layers_equal_gzip_layers() {
    let zstd = scan(&format!(
        "{}:distroless-like-zstd",
        atalaia_test::corpus_dir().join("oci-zstd").display()
    ));
    let gzip = scan_ref("distroless-like");
    assert_ne!(
        zstd.image.layers[0].info.digest, gzip.image.layers[0].info.digest,
        "the blobs do differ"
    );
    assert_same(&zstd, &gzip, "distroless-like-zstd");
}
