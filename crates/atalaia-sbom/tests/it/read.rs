//! Readers: atalaia's own documents read back to the inventory they were written from, real
//! Trivy and Syft documents from the shared corpus read into inventories (which are then
//! written again and validated), and malformed input rejected with errors.

use std::collections::BTreeSet;

use atalaia_sbom::{cyclonedx, spdx, Decoded, SbomError};
use atalaia_types::{ArtifactKind, Inventory, OsFamily};

use crate::{fixture, validate};

/// One line per package with everything both formats carry, in a stable order. Aggregated
/// applications have no file of their own, so a package's place is its own file path, else its
/// application's. Licenses are compared as one `AND`-joined list without empty entries: SPDX
/// cannot tell `["Apache-2.0 AND MIT"]` from `["Apache-2.0", "MIT"]`, and empty texts are dropped.
fn summary(inv: &Inventory) -> Vec<String> {
    let ids: BTreeSet<&str> = inv.packages().map(|p| p.id.as_str()).collect();
    let mut rows = Vec::new();
    let groups = inv
        .os_packages
        .iter()
        .flat_map(|db| db.packages.iter().map(|p| ("os".to_owned(), p)))
        .chain(inv.applications.iter().flat_map(|a| {
            a.packages.iter().map(move |p| {
                let place = if p.file_path.is_empty() {
                    &a.file_path
                } else {
                    &p.file_path
                };
                (format!("{}:{place}", a.app_type), p)
            })
        }));
    for (group, p) in groups {
        let licenses: Vec<&str> = p
            .licenses
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        let deps: Vec<&str> = p
            .depends_on
            .iter()
            .map(String::as_str)
            .filter(|d| ids.contains(d))
            .collect();
        rows.push(format!(
            "{group} | {} | {} {} | {}:{}-{} {} | src {} {}:{}-{} | {} | {} | {:?} {:?} | {} | deps {deps:?}",
            p.purl,
            p.id,
            p.name,
            p.epoch,
            p.version,
            p.release,
            p.arch,
            p.src_name,
            p.src_epoch,
            p.src_version,
            p.src_release,
            licenses.join(" AND "),
            p.maintainer,
            p.layer.digest,
            p.layer.diff_id,
            p.digest,
        ));
    }
    rows.sort();
    rows
}

fn roundtrip(
    read: impl Fn(&[u8]) -> Result<Decoded, SbomError>,
    write: impl Fn(&Inventory, &mut Vec<u8>),
) {
    for inv in [fixture::small(), fixture::large()] {
        let mut out = Vec::new();
        write(&inv, &mut out);
        let back = read(&out).unwrap();
        assert_eq!(back.name, "example.com/team/app:1.0");
        assert_eq!(
            back.inventory
                .os
                .as_ref()
                .map(|o| (o.family, o.version.as_str())),
            Some((OsFamily::Debian, "12.8"))
        );
        let (got, want) = (summary(&back.inventory), summary(&inv));
        let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
        let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing: {missing:#?}\nextra: {extra:#?}"
        );
        assert_eq!(got.len(), want.len());
        assert!(
            back.inventory.warnings.is_empty(),
            "{:?}",
            back.inventory.warnings
        );
        let meta = fixture::metadata();
        assert_eq!(back.meta.image_id, meta.image_id);
        assert_eq!(back.meta.diff_ids, meta.diff_ids);
        assert_eq!(back.meta.repo_tags, meta.repo_tags);
        assert_eq!(back.meta.repo_digests, meta.repo_digests);
        assert_eq!(back.meta.size, meta.size);
    }
}

#[test]
fn cyclonedx_reads_back_what_it_wrote() {
    roundtrip(
        |b| cyclonedx::read(b, "test.cdx.json"),
        |inv, out| {
            cyclonedx::write(
                "example.com/team/app:1.0",
                ArtifactKind::ContainerImage,
                &fixture::metadata(),
                inv,
                &fixture::options(),
                out,
            )
            .unwrap();
        },
    );
}

#[test]
fn spdx_reads_back_what_it_wrote() {
    roundtrip(
        |b| spdx::read(b, "test.spdx.json"),
        |inv, out| {
            spdx::write(
                "example.com/team/app:1.0",
                ArtifactKind::ContainerImage,
                &fixture::metadata(),
                inv,
                &fixture::options(),
                out,
            )
            .unwrap();
        },
    );
}

#[test]
fn reads_trivy_and_syft_documents_from_the_corpus() {
    let peers = atalaia_test::corpus_dir().join("peers");
    let mut paths: Vec<_> = std::fs::read_dir(&peers)
        .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", peers.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".cdx.json"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 20,
        "expected the peers' CycloneDX documents in `{}`",
        peers.display()
    );

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let decoded = cyclonedx::read(&bytes, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let libraries = doc["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["type"] == "library" && c.get("purl").is_some())
            .count();
        let read = decoded.inventory.packages().count();
        // Every library with a purl is read, or explained by a warning (purl types atalaia does not know).
        assert_eq!(
            read + decoded.inventory.warnings.len(),
            libraries,
            "{name}: {:?}",
            decoded.inventory.warnings
        );
        assert!(read > 0, "{name}");
        if name.starts_with("debian-bookworm-minbase.trivy") {
            let inv = &decoded.inventory;
            assert_eq!(
                inv.os.as_ref().map(|o| (o.family, o.version.as_str())),
                Some((OsFamily::Debian, "12.15"))
            );
            let bsdutils = inv
                .packages()
                .find(|p| p.name == "bsdutils")
                .expect("bsdutils");
            assert_eq!(
                (
                    bsdutils.epoch,
                    bsdutils.version.as_str(),
                    bsdutils.release.as_str(),
                    bsdutils.src_name.as_str()
                ),
                (1, "2.38.1", "5+deb12u3", "util-linux")
            );
            assert_eq!(bsdutils.id, "bsdutils@1:2.38.1-5+deb12u3");
            assert!(bsdutils.layer.diff_id.is_some());
            let adduser = inv
                .packages()
                .find(|p| p.name == "adduser")
                .expect("adduser");
            assert!(
                adduser.depends_on.iter().any(|d| d.starts_with("passwd@")),
                "{:?}",
                adduser.depends_on
            );
            assert!(decoded.meta.image_id.is_some());
        }
        if name.starts_with("python-app.trivy") {
            let py = decoded
                .inventory
                .applications
                .iter()
                .find(|a| a.app_type == "python-pkg")
                .expect("python-pkg");
            assert!(py
                .packages
                .iter()
                .all(|p| p.file_path.ends_with("METADATA")));
        }
        if name.starts_with("rust-app.trivy") {
            let types: BTreeSet<&str> = decoded
                .inventory
                .applications
                .iter()
                .map(|a| a.app_type.as_str())
                .collect();
            assert!(
                types.contains("cargo") && types.contains("rustbinary"),
                "{types:?}"
            );
        }
        // Whatever we read, we can write as valid documents.
        files.extend(validate::write_both(
            dir.path(),
            &name,
            ArtifactKind::ContainerImage,
            &decoded.meta,
            &decoded.inventory,
        ));
    }
    validate::run_validators(&files);
}

#[test]
fn rejects_malformed_documents() {
    for (bytes, what) in [
        (&b""[..], "empty"),
        (b"{", "truncated"),
        (b"[]", "not an object"),
        (b"{\"bomFormat\": \"SPDX\"}", "wrong format"),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
            "unknown version",
        ),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": 7}",
            "wrong type",
        ),
    ] {
        let err = cyclonedx::read(bytes, "bad.cdx.json").expect_err(what);
        assert!(err.to_string().contains("bad.cdx.json"), "{what}: {err}");
    }
    for (bytes, what) in [
        (&b""[..], "empty"),
        (b"{\"spdxVersion\": \"SPDX-3.0\"}", "unknown version"),
        (
            b"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": {}}",
            "wrong type",
        ),
    ] {
        let err = spdx::read(bytes, "bad.spdx.json").expect_err(what);
        assert!(err.to_string().contains("bad.spdx.json"), "{what}: {err}");
    }
}

#[test]
fn bad_components_become_warnings() {
    let doc = br#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
      "metadata": {"component": {"type": "container", "name": "x", "bom-ref": "root"}},
      "components": [
        {"type": "library", "name": "nopurl", "bom-ref": "a"},
        {"type": "library", "name": "badpurl", "purl": "pkg:", "bom-ref": "b"},
        {"type": "library", "name": "unknown", "purl": "pkg:bitbucket/x/y@1", "bom-ref": "c"},
        {"type": "library", "name": "ok", "purl": "pkg:npm/ok@1.0.0", "bom-ref": "d"},
        {"type": "operating-system", "name": "plan9", "version": "4"}
      ]}"#;
    let d = cyclonedx::read(doc, "w.cdx.json").unwrap();
    assert_eq!(
        d.inventory
            .packages()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["ok"]
    );
    assert_eq!(d.inventory.applications[0].app_type, "node-pkg");
    assert!(d.inventory.os.is_none());
    assert_eq!(d.inventory.warnings.len(), 4, "{:?}", d.inventory.warnings);
}

/// Truncations and byte flips of real documents: the readers return a value or an error,
/// never panic, and whatever they read can be written again.
#[test]
fn damaged_documents_never_panic() {
    let peers = atalaia_test::corpus_dir().join("peers");
    let cdx = std::fs::read(peers.join("node-app.trivy.cdx.json"))
        .expect("node-app.trivy.cdx.json in the corpus");
    let mut spdx_doc = Vec::new();
    spdx::write(
        "x",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &fixture::small(),
        &fixture::options(),
        &mut spdx_doc,
    )
    .unwrap();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for doc in [&cdx, &spdx_doc] {
        let step = (doc.len() / 200).max(1);
        let mut cases: Vec<Vec<u8>> = (0..doc.len())
            .step_by(step)
            .map(|n| doc[..n].to_vec())
            .collect();
        for _ in 0..200 {
            let mut d = doc.clone();
            for _ in 0..4 {
                let i = (next() as usize) % d.len();
                d[i] = b"{}[]\":,0a-@ \\"[(next() as usize) % 13];
            }
            cases.push(d);
        }
        for case in cases {
            for decoded in [cyclonedx::read(&case, "c"), spdx::read(&case, "s")]
                .into_iter()
                .flatten()
            {
                let mut out = Vec::new();
                cyclonedx::write(
                    &decoded.name,
                    ArtifactKind::Cyclonedx,
                    &decoded.meta,
                    &decoded.inventory,
                    &fixture::options(),
                    &mut out,
                )
                .unwrap();
                spdx::write(
                    &decoded.name,
                    ArtifactKind::Spdx,
                    &decoded.meta,
                    &decoded.inventory,
                    &fixture::options(),
                    &mut out,
                )
                .unwrap();
            }
        }
    }
}
