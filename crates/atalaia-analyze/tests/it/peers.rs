//! OS package sets against the reference SBOMs of Trivy and Syft (`corpus/peers/`), compared by
//! purl without qualifiers, deb and apk only.
//!
//! The one systematic difference: Syft writes a dpkg epoch into the purl version
//! (`bsdutils@1:2.38.1-5+deb12u3`) while Trivy (and atalaia) put it in an `epoch` qualifier
//! (`bsdutils@2.38.1-5+deb12u3?epoch=1`). The comparison with Syft therefore moves the epoch
//! into the version on our side, and the test checks that this is the only difference.

use std::collections::BTreeSet;

use atalaia_types::Purl;

use crate::common::{read_json, scan, scan_ref, Scanned};

/// OS purls of a CycloneDX SBOM, qualifiers dropped.
fn peer_purls(file: &str) -> BTreeSet<String> {
    let doc = read_json(&atalaia_test::corpus_dir().join("peers").join(file));
    doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .filter(|p| p.starts_with("pkg:deb/") || p.starts_with("pkg:apk/"))
        .map(|p| {
            p.parse::<Purl>()
                .unwrap_or_else(|e| panic!("{file}: {p}: {e}"))
                .without_qualifiers()
        })
        .collect()
}

/// Our OS purls, qualifiers dropped; with `epoch_in_version`, the epoch written Syft's way.
fn our_purls(s: &Scanned, epoch_in_version: bool) -> BTreeSet<String> {
    s.inventory
        .os_packages
        .iter()
        .flat_map(|db| &db.packages)
        .map(|p| {
            let mut purl = p.purl.clone();
            if epoch_in_version {
                if let Some(epoch) = purl.qualifiers.get("epoch").cloned() {
                    purl.version = format!("{epoch}:{}", purl.version);
                }
            }
            purl.without_qualifiers()
        })
        .collect()
}

fn check(peer_name: &str, s: &Scanned) {
    let trivy = peer_purls(&format!("{peer_name}.trivy.cdx.json"));
    let ours = our_purls(s, false);
    assert!(!ours.is_empty(), "{peer_name}: no OS packages");
    assert_eq!(
        ours.symmetric_difference(&trivy).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "{peer_name}: OS packages differ from Trivy's"
    );

    let syft = peer_purls(&format!("{peer_name}.syft.cdx.json"));
    let ours_syft_style = our_purls(s, true);
    assert_eq!(
        ours_syft_style
            .symmetric_difference(&syft)
            .collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "{peer_name}: OS packages differ from Syft's (epoch written into the version)"
    );
    // The raw difference with Syft is exactly the packages with an epoch.
    let with_epoch: BTreeSet<String> = s
        .inventory
        .os_packages
        .iter()
        .flat_map(|db| &db.packages)
        .filter(|p| p.epoch != 0)
        .map(|p| p.purl.without_qualifiers())
        .collect();
    let raw: BTreeSet<String> = ours.difference(&syft).cloned().collect();
    assert_eq!(
        raw, with_epoch,
        "{peer_name}: only epoch packages are written differently by Syft"
    );
}

#[test]
fn oci_images_agree_with_trivy_and_syft() {
    for r in atalaia_test::corpus_image_refs() {
        check(&r, &scan_ref(&r));
    }
}

#[test]
fn other_input_formats_agree_with_trivy_and_syft() {
    let corpus = atalaia_test::corpus_dir();
    for name in ["alpine-3.20.3", "distroless-like", "tricky-layers"] {
        let input = corpus.join(format!("docker-archive/{name}.tar"));
        check(
            &format!("docker-archive-{name}"),
            &scan(&input.display().to_string()),
        );
    }
    let zstd = format!("{}:distroless-like-zstd", corpus.join("oci-zstd").display());
    check("oci-zstd-distroless-like-zstd", &scan(&zstd));
}

/// OS dependency edges (`from -> to`, purls without qualifiers) of a Trivy CycloneDX SBOM.
fn trivy_edges(file: &str) -> BTreeSet<(String, String)> {
    let doc = read_json(&atalaia_test::corpus_dir().join("peers").join(file));
    let purl_of: std::collections::HashMap<&str, String> = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| {
            let purl = c["purl"].as_str()?;
            let purl: Purl = purl.parse().ok()?;
            matches!(purl.ty.as_str(), "deb" | "apk").then(|| {
                (
                    c["bom-ref"].as_str().unwrap_or_default(),
                    purl.without_qualifiers(),
                )
            })
        })
        .collect();
    let mut edges = BTreeSet::new();
    for dep in doc["dependencies"].as_array().into_iter().flatten() {
        let Some(from) = dep["ref"].as_str().and_then(|r| purl_of.get(r)) else {
            continue;
        };
        for to in dep["dependsOn"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str())
        {
            if let Some(to) = purl_of.get(to) {
                edges.insert((from.clone(), to.clone()));
            }
        }
    }
    edges
}

fn our_edges(s: &Scanned) -> BTreeSet<(String, String)> {
    let pkgs: Vec<_> = s
        .inventory
        .os_packages
        .iter()
        .flat_map(|db| &db.packages)
        .collect();
    let by_id: std::collections::HashMap<&str, String> = pkgs
        .iter()
        .map(|p| (p.id.as_str(), p.purl.without_qualifiers()))
        .collect();
    let by_id = &by_id;
    pkgs.iter()
        .flat_map(|p| {
            let from = p.purl.without_qualifiers();
            p.depends_on.iter().map(move |d| {
                (
                    from.clone(),
                    by_id
                        .get(d.as_str())
                        .cloned()
                        .unwrap_or_else(|| format!("unresolved {d}")),
                )
            })
        })
        .collect()
}

/// Edges we have and Trivy 0.76 lacks: dependencies written with an architecture qualifier
/// (`Depends: perl:any`, `python3:any`). Trivy looks the qualified name up as is and finds
/// nothing; dpkg means the package `perl` of any architecture, so atalaia resolves it.
const QUALIFIED_DEPENDS: &[(&str, &str, &str)] = &[
    (
        "postgres-like",
        "pkg:deb/debian/libjson-perl@4.10000-1",
        "pkg:deb/debian/perl@5.36.0-7%2Bdeb12u3",
    ),
    (
        "postgres-like",
        "pkg:deb/debian/postgresql-client-common@248%2Bdeb12u1",
        "pkg:deb/debian/perl@5.36.0-7%2Bdeb12u3",
    ),
    (
        "postgres-like",
        "pkg:deb/debian/postgresql-common@248%2Bdeb12u1",
        "pkg:deb/debian/perl@5.36.0-7%2Bdeb12u3",
    ),
];

#[test]
fn os_dependency_graphs_agree_with_trivy() {
    let mut total = 0;
    let mut failures = Vec::new();
    for r in atalaia_test::corpus_image_refs() {
        let ours = our_edges(&scan_ref(&r));
        let trivy = trivy_edges(&format!("{r}.trivy.cdx.json"));
        total += trivy.len();
        let missing: Vec<_> = trivy.difference(&ours).collect();
        let extra: BTreeSet<(String, String)> = ours.difference(&trivy).cloned().collect();
        let known: BTreeSet<(String, String)> = QUALIFIED_DEPENDS
            .iter()
            .filter(|k| k.0 == r)
            .map(|k| (k.1.to_owned(), k.2.to_owned()))
            .collect();
        if !missing.is_empty() || extra != known {
            failures.push(format!(
                "{r}: missing {missing:?}\n  extra {extra:?}\n  (known extra {known:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // distroless-like has none (its packages depend on nothing installed); the others do.
    assert!(
        total > 1000,
        "only {total} dependency edges in Trivy's SBOMs"
    );
}
