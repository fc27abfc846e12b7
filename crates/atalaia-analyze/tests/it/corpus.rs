//! Every image of the shared OCI layout against its ground truth `expected/<ref>.json`: OS
//! family and version, and every OS package (name, version, source, arch, introducing layer).

use std::collections::BTreeSet;

use atalaia_types::Ecosystem;
use serde_json::Value;

use crate::common::{read_json, scan_ref, Scanned};

/// Package types of `expected/*.json` compared here, with the kind of inventory entry each
/// maps to. Lockfile types (`npm-lock`, `poetry-lock`, `gomod`, …) are not read in image scans
/// (as in Trivy), so they are not compared here.
const COMPARED: &[(&str, Kind)] = &[
    ("apk", Kind::Os(Ecosystem::Apk)),
    ("deb", Kind::Os(Ecosystem::Deb)),
    ("python", Kind::App("python-pkg")),
    ("jar", Kind::App("jar")),
    ("gobinary", Kind::App("gobinary")),
    ("rust-binary", Kind::App("rustbinary")),
    ("node", Kind::App("node-pkg")),
];

/// Deliberate differences from `expected/`: (image, type, expected `name@version` or "" when we
/// report an extra package, ours or "" when we leave one out, why). Anything else fails.
const KNOWN_DIFFERENCES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "distroless-like",
        "gobinary",
        "stdlib@go1.19.8",
        "stdlib@v1.19.8",
        "Trivy writes the Go toolchain as `v1.19.8` (a semver for its Go advisory matching); the corpus keeps Go's `go1.19.8`",
    ),
    ("go-fzf", "gobinary", "stdlib@go1.19.8", "stdlib@v1.19.8", "as for distroless-like"),
    (
        "java-app",
        "jar",
        "H2 Database Engine@2.1.214",
        "com.h2database:h2@2.1.214",
        "no pom.properties: expected/ names it by MANIFEST.MF Implementation-Title, we by its Maven coordinates (the corpus notes either is correct)",
    ),
    (
        "node-app",
        "node",
        "",
        "corpus-node-app@1.0.0",
        "the app's own /app/package.json is a package for Trivy and Syft (MANIFEST: both report 71), not for expected/",
    ),
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Os(Ecosystem),
    /// Packages of applications of this type (`python-pkg`).
    #[allow(dead_code)]
    App(&'static str),
}

/// One package as compared: type, name, version, source name, source version, arch, path
/// (language packages only), layer.
type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    usize,
);

fn expected_rows(expected: &Value, ty: &str) -> BTreeSet<Row> {
    let s = |p: &Value, k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    expected["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["type"] == ty)
        .map(|p| {
            let layer = usize::try_from(p["layer"].as_u64().expect("layer")).unwrap();
            let path = if is_os(ty) {
                String::new()
            } else {
                s(p, "path")
            };
            (
                ty.to_owned(),
                s(p, "name"),
                s(p, "version"),
                s(p, "source_name"),
                s(p, "source_version"),
                s(p, "arch"),
                path,
                layer,
            )
        })
        .collect()
}

fn actual_rows(scanned: &Scanned, ty: &str, kind: Kind, with_src_version: bool) -> Vec<Row> {
    let inv = &scanned.inventory;
    let rows: Vec<Row> = match kind {
        Kind::Os(eco) => inv
            .os_packages
            .iter()
            .flat_map(|db| &db.packages)
            .filter(|p| p.ecosystem == eco)
            .map(|p| {
                let src_version = if with_src_version {
                    p.full_src_version()
                } else {
                    String::new()
                };
                let layer = scanned.layer_index(p.layer.digest.as_ref());
                (
                    ty.to_owned(),
                    p.name.clone(),
                    p.full_version(),
                    p.src_name.clone(),
                    src_version,
                    p.arch.clone(),
                    String::new(),
                    layer,
                )
            })
            .collect(),
        Kind::App(app_type) => inv
            .applications
            .iter()
            .filter(|a| a.app_type == app_type)
            .flat_map(|a| a.packages.iter().map(move |p| (a, p)))
            .map(|(a, p)| {
                let layer = scanned.layer_index(p.layer.digest.as_ref());
                let path = if p.file_path.is_empty() {
                    format!("/{}", a.file_path.trim_start_matches('/'))
                } else {
                    p.file_path.clone()
                };
                (
                    ty.to_owned(),
                    p.name.clone(),
                    p.version.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    path,
                    layer,
                )
            })
            .collect(),
    };
    rows
}

fn is_os(ty: &str) -> bool {
    matches!(ty, "apk" | "deb")
}

fn expected_os(expected: &Value) -> (String, String) {
    let os = &expected["os"];
    let id = os["id"].as_str().expect("os.id").to_owned();
    // The distribution's own file gives the precise release (Trivy's choice, too).
    let version = ["alpine_release", "debian_version", "version_id"]
        .iter()
        .find_map(|k| os.get(*k).and_then(Value::as_str))
        .expect("os version")
        .to_owned();
    (id, version)
}

#[test]
fn every_corpus_image_matches_its_expected_inventory() {
    let refs = atalaia_test::corpus_image_refs();
    assert_eq!(
        refs.len(),
        13,
        "the corpus layout holds 13 images: {refs:?}"
    );
    let mut failures = Vec::new();
    for r in &refs {
        let expected = read_json(&atalaia_test::corpus_dir().join(format!("expected/{r}.json")));
        let scanned = scan_ref(r);
        let inv = &scanned.inventory;
        let (id, version) = expected_os(&expected);
        let got_os = inv
            .os
            .as_ref()
            .map(|o| (o.family.as_str().to_owned(), o.version.clone()));
        if got_os != Some((id.clone(), version.clone())) {
            failures.push(format!("{r}: OS {got_os:?}, expected ({id}, {version})"));
        }
        if let Some(os) = &inv.os {
            assert_eq!(
                os.pretty_name.as_deref(),
                expected["os"]["pretty_name"].as_str(),
                "{r}: pretty name"
            );
        }
        assert!(
            inv.warnings.is_empty(),
            "{r}: unexpected warnings {:#?}",
            inv.warnings
        );
        for (ty, kind) in COMPARED {
            let want = expected_rows(&expected, ty);
            // apk rows in expected/ carry no source version.
            let with_src_version = want.iter().any(|row| !row.4.is_empty());
            let got_list = actual_rows(&scanned, ty, *kind, with_src_version);
            let got: BTreeSet<Row> = got_list.iter().cloned().collect();
            assert_eq!(got.len(), got_list.len(), "{r}: duplicate {ty} packages");
            let known: Vec<(&str, &str)> = KNOWN_DIFFERENCES
                .iter()
                .filter(|k| k.0 == r && k.1 == *ty)
                .map(|k| (k.2, k.3))
                .collect();
            let name_version = |row: &Row| format!("{}@{}", row.1, row.2);
            let missing: Vec<String> = want.difference(&got).map(name_version).collect();
            let extra: Vec<String> = got.difference(&want).map(name_version).collect();
            let missing_known: Vec<String> = known
                .iter()
                .filter(|k| !k.0.is_empty())
                .map(|k| k.0.to_owned())
                .collect();
            let extra_known: Vec<String> = known
                .iter()
                .filter(|k| !k.1.is_empty())
                .map(|k| k.1.to_owned())
                .collect();
            if missing != missing_known || extra != extra_known {
                failures.push(format!(
                    "{r} {ty}: {} expected, {} found\n  missing {missing:?} (known: {missing_known:?})\n  unexpected {extra:?} (known: {extra_known:?})",
                    want.len(),
                    got.len()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn os_packages_carry_purls_ids_and_layers_like_trivy() {
    let s = scan_ref("postgres-like");
    let db = &s.inventory.os_packages;
    assert_eq!(db.len(), 1);
    assert_eq!(db[0].file_path, "/var/lib/dpkg/status");
    let bsd = db[0]
        .packages
        .iter()
        .find(|p| p.name == "bsdutils")
        .expect("bsdutils");
    assert_eq!(bsd.id, "bsdutils@1:2.38.1-5+deb12u3");
    assert_eq!(
        bsd.purl.to_string(),
        "pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12.15&epoch=1"
    );
    assert_eq!(bsd.layer, s.image.layers[0].info.as_package_layer());
    assert!(
        bsd.installed_files.iter().any(|f| f == "/usr/bin/logger"),
        "{:?}",
        bsd.installed_files
    );
    let libpq = db[0]
        .packages
        .iter()
        .find(|p| p.name == "libpq5")
        .expect("libpq5");
    assert_eq!(libpq.layer, s.image.layers[1].info.as_package_layer());

    let a = scan_ref("alpine-3.20.3");
    let musl = a.inventory.os_packages[0]
        .packages
        .iter()
        .find(|p| p.name == "musl-utils")
        .expect("musl-utils");
    assert_eq!(
        musl.purl.to_string(),
        "pkg:apk/alpine/musl-utils@1.2.5-r0?arch=x86_64&distro=3.20.3"
    );
    assert_eq!(
        (musl.id.as_str(), musl.src_name.as_str()),
        ("musl-utils@1.2.5-r0", "musl")
    );
}

#[test]
fn distroless_status_d_and_os_release_symlink() {
    let s = scan_ref("distroless-like");
    let inv = &s.inventory;
    let os = inv.os.as_ref().expect("os");
    assert_eq!(
        (os.version.as_str(), os.pretty_name.as_deref()),
        ("12.15", Some("Distroless"))
    );
    assert_eq!(inv.os_packages.len(), 1);
    assert_eq!(inv.os_packages[0].file_path, "/var/lib/dpkg/status.d");
    let names: Vec<&str> = inv.os_packages[0]
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "base-files",
            "ca-certificates",
            "media-types",
            "netbase",
            "tzdata"
        ],
        "md5sums files are not packages"
    );
    let tz = &inv.os_packages[0].packages[4];
    assert!(
        tz.installed_files
            .iter()
            .any(|f| f.starts_with("/usr/share/zoneinfo/")),
        "md5sums give installed files"
    );
}

#[test]
fn inventories_are_deterministic() {
    // Same input, fresh scans with different parallelism: byte-identical JSON.
    let image = crate::common::open_ref("python-app");
    let one = atalaia_analyze::analyze_image(
        &image,
        &atalaia_analyze::AnalyzeOptions {
            parallelism: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let many = atalaia_analyze::analyze_image(
        &image,
        &atalaia_analyze::AnalyzeOptions {
            parallelism: 3,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&many).unwrap()
    );
}
