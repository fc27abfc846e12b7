//! Trivy fidelity: Trivy's own CycloneDX documents from the shared corpus are read, written
//! again by atalaia, and compared component by component (purl, name, group, version, licenses,
//! supplier, hashes and the `aquasecurity:trivy:*` properties under the `atalaia:` prefix) and
//! edge by edge.

use std::collections::{BTreeMap, BTreeSet};

use atalaia_sbom::cyclonedx::{self, Bom, Component};
use atalaia_types::ArtifactKind;

use crate::fixture;

/// What must agree between Trivy's component and ours, keyed by purl, file path and package
/// type (a crate can be both in `Cargo.lock` and in the binary built from it).
fn components(bom: &Bom, prefix: &str) -> BTreeMap<(String, String, String), String> {
    let mut out = BTreeMap::new();
    for c in bom.components.iter().filter(|c| c.ty == "library") {
        let props: BTreeMap<String, String> = c
            .properties
            .iter()
            .filter_map(|p| {
                p.name
                    .strip_prefix(prefix)
                    .map(|n| (n.to_owned(), p.value.clone()))
            })
            .collect();
        let file = props.get("FilePath").cloned().unwrap_or_default();
        let ty = props.get("PkgType").cloned().unwrap_or_default();
        let licenses: Vec<String> = c
            .licenses
            .iter()
            .map(|l| match (&l.license, &l.expression) {
                (Some(lic), _) => lic
                    .id
                    .clone()
                    .or_else(|| lic.name.clone())
                    .unwrap_or_default(),
                (None, e) => e.clone().unwrap_or_default(),
            })
            .collect();
        let hashes: Vec<String> = c
            .hashes
            .iter()
            .map(|h| format!("{}:{}", h.alg, h.content))
            .collect();
        let props: Vec<String> = props
            .iter()
            .filter(|(k, _)| k.as_str() != "PkgID")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let supplier = c
            .supplier
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        out.insert(
            (c.purl.clone(), file, ty),
            format!(
                "{}|{}|{}|{licenses:?}|{supplier}|{hashes:?}|{props:?}",
                c.group, c.name, c.version
            ),
        );
    }
    out
}

/// Every edge, packages named by purl, file path and package type, other nodes by role.
fn edges(bom: &Bom, prefix: &str) -> BTreeSet<String> {
    let key = |c: &Component| {
        let prop = |n: &str| {
            c.properties
                .iter()
                .find(|p| p.name == format!("{prefix}{n}"))
                .map(|p| p.value.clone())
                .unwrap_or_default()
        };
        format!("{}#{}#{}", c.purl, prop("FilePath"), prop("PkgType"))
    };
    let mut by_ref: BTreeMap<&str, String> = bom
        .components
        .iter()
        .map(|c| {
            let label = match c.ty.as_str() {
                "library" => key(c),
                "operating-system" => "OS".to_owned(),
                _ => format!("APP {}", c.name),
            };
            (c.bom_ref.as_str(), label)
        })
        .collect();
    by_ref.insert(bom.metadata.component.bom_ref.as_str(), "ROOT".to_owned());
    let mut out = BTreeSet::new();
    for d in &bom.dependencies {
        let Some(from) = by_ref.get(d.reference.as_str()) else {
            continue;
        };
        for to in d.depends_on.iter().filter_map(|t| by_ref.get(t.as_str())) {
            out.insert(format!("{from} -> {to}"));
        }
    }
    out
}

#[test]
fn rewrites_trivy_documents_faithfully() {
    let peers = atalaia_test::corpus_dir().join("peers");
    let mut paths: Vec<_> = std::fs::read_dir(&peers)
        .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", peers.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".trivy.cdx.json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10);
    let mut problems = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let theirs: Bom = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let decoded = cyclonedx::read(&bytes, &name).unwrap();
        let ours = cyclonedx::document(
            &decoded.name,
            ArtifactKind::ContainerImage,
            &decoded.meta,
            &decoded.inventory,
            &fixture::options(),
        );

        let (t, o) = (
            components(&theirs, "aquasecurity:trivy:"),
            components(&ours, "atalaia:"),
        );
        for (k, v) in &t {
            match o.get(k) {
                None => problems.push(format!("{name}: missing {k:?}")),
                Some(w) if w != v => {
                    problems.push(format!("{name}: {k:?}\n  trivy:   {v}\n  atalaia: {w}"))
                }
                Some(_) => {}
            }
        }
        for k in o.keys().filter(|k| !t.contains_key(k)) {
            problems.push(format!("{name}: extra {k:?}"));
        }
        let (te, oe) = (
            edges(&theirs, "aquasecurity:trivy:"),
            edges(&ours, "atalaia:"),
        );
        for e in te.symmetric_difference(&oe) {
            problems.push(format!(
                "{name}: edge only in {}: {e}",
                if te.contains(e) { "trivy" } else { "atalaia" }
            ));
        }
        // The OS component is the same.
        let os = |b: &Bom| {
            b.components
                .iter()
                .find(|c| c.ty == "operating-system")
                .map(|c| (c.name.clone(), c.version.clone()))
        };
        if os(&theirs) != os(&ours) {
            problems.push(format!("{name}: OS {:?} vs {:?}", os(&theirs), os(&ours)));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems[..problems.len().min(30)].join("\n")
    );
}
