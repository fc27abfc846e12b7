//! Snapshots of both documents on the small fixture inventory.

use atalaia_sbom::{cyclonedx, spdx};
use atalaia_types::ArtifactKind;

use crate::fixture;

fn render(f: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut out = Vec::new();
    f(&mut out);
    String::from_utf8(out).expect("documents are UTF-8")
}

#[test]
fn cyclonedx_image() {
    let text = render(|out| {
        cyclonedx::write(
            "example.com/team/app:1.0",
            ArtifactKind::ContainerImage,
            &fixture::metadata(),
            &fixture::small(),
            &fixture::options(),
            out,
        )
        .unwrap();
    });
    assert!(text.ends_with("}\n"));
    insta::assert_snapshot!(text);
}

#[test]
fn spdx_image() {
    let text = render(|out| {
        spdx::write(
            "example.com/team/app:1.0",
            ArtifactKind::ContainerImage,
            &fixture::metadata(),
            &fixture::small(),
            &fixture::options(),
            out,
        )
        .unwrap();
    });
    insta::assert_snapshot!(text);
}

#[test]
fn cyclonedx_alpine_rootfs() {
    let text = render(|out| {
        cyclonedx::write(
            "/mnt/rootfs",
            ArtifactKind::Filesystem,
            &Default::default(),
            &fixture::alpine_rootfs(),
            &fixture::options(),
            out,
        )
        .unwrap();
    });
    insta::assert_snapshot!(text);
}

#[test]
fn spdx_alpine_rootfs() {
    let text = render(|out| {
        spdx::write(
            "/mnt/rootfs",
            ArtifactKind::Filesystem,
            &Default::default(),
            &fixture::alpine_rootfs(),
            &fixture::options(),
            out,
        )
        .unwrap();
    });
    insta::assert_snapshot!(text);
}

#[test]
fn refs_are_unique_and_edges_resolve() {
    let bom = cyclonedx::document(
        "app",
        ArtifactKind::Filesystem,
        &Default::default(),
        &fixture::large(),
        &fixture::options(),
    );
    let mut refs: Vec<&str> = bom.components.iter().map(|c| c.bom_ref.as_str()).collect();
    refs.push(&bom.metadata.component.bom_ref);
    let n = refs.len();
    refs.sort_unstable();
    refs.dedup();
    assert_eq!(refs.len(), n, "duplicate bom-refs");
    assert_eq!(
        bom.dependencies.len(),
        n,
        "every component has a dependency entry"
    );
    for d in &bom.dependencies {
        for t in &d.depends_on {
            assert!(
                refs.binary_search(&t.as_str()).is_ok(),
                "dangling edge {} -> {t}",
                d.reference
            );
        }
    }
    // The two jars share a purl: neither may use it as its bom-ref.
    let jars: Vec<_> = bom
        .components
        .iter()
        .filter(|c| c.name == "commons-lang3")
        .collect();
    assert_eq!(jars.len(), 2);
    assert!(jars
        .iter()
        .all(|c| !c.bom_ref.starts_with("pkg:") && c.group == "org.apache.commons"));
    // Filesystem scans have no image purl and are applications.
    assert_eq!(bom.metadata.component.ty, "application");
    assert!(bom.metadata.component.purl.is_empty());

    let doc = spdx::document(
        "app",
        ArtifactKind::Filesystem,
        &Default::default(),
        &fixture::large(),
        &fixture::options(),
    );
    let mut ids: Vec<&str> = doc.packages.iter().map(|p| p.spdx_id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate SPDXIDs");
    assert!(ids.iter().all(|id| id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')));
}

#[test]
fn output_is_reproducible() {
    let a = cyclonedx::document(
        "x",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &fixture::large(),
        &fixture::options(),
    );
    let b = cyclonedx::document(
        "x",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &fixture::large(),
        &fixture::options(),
    );
    assert_eq!(a, b);
    let other = atalaia_sbom::WriteOptions {
        serial: uuid::Uuid::from_u128(7),
        ..fixture::options()
    };
    let c = cyclonedx::document(
        "x",
        ArtifactKind::ContainerImage,
        &fixture::metadata(),
        &fixture::large(),
        &other,
    );
    assert_ne!(a.metadata.component.bom_ref, c.metadata.component.bom_ref);
}

#[test]
fn empty_inventory_is_a_valid_shape() {
    let bom = cyclonedx::document(
        "empty",
        ArtifactKind::Filesystem,
        &Default::default(),
        &Default::default(),
        &fixture::options(),
    );
    assert!(bom.components.is_empty());
    assert_eq!(bom.dependencies.len(), 1);
    let doc = spdx::document(
        "empty",
        ArtifactKind::Filesystem,
        &Default::default(),
        &Default::default(),
        &fixture::options(),
    );
    assert_eq!(doc.packages.len(), 1);
    assert_eq!(doc.relationships.len(), 1);
}
