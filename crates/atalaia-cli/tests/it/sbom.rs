//! `atalaia sbom`: the Trivy and Syft reference SBOMs (and atalaia's own) find the same
//! language vulnerabilities as scanning the image itself.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::vuln::{findings, image_json, json, scan_json};
use crate::{atalaia, stderr};

fn peer(name: &str) -> String {
    atalaia_test::corpus_dir()
        .join("peers")
        .join(name)
        .to_str()
        .unwrap()
        .to_owned()
}

/// (package, installed version, vulnerability) of every finding in a `lang-pkgs` result. Names
/// are compared lowercased: Syft writes PyPI names normalised (`django`), Trivy as the package
/// metadata spells them (`Django`); both are the same package to the advisory feeds.
fn language_findings(report: &Value) -> BTreeSet<(String, String, String)> {
    findings(report)
        .into_iter()
        .filter(|(r, _)| r["Class"] == "lang-pkgs")
        .map(|(_, v)| {
            (
                v["PkgName"].as_str().unwrap().to_ascii_lowercase(),
                v["InstalledVersion"].as_str().unwrap().to_owned(),
                v["VulnerabilityID"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// (package, version) of the language packages a report lists.
fn language_packages(report: &Value) -> BTreeSet<(String, String)> {
    report["Results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["Class"] == "lang-pkgs")
        .flat_map(|r| r["Packages"].as_array().into_iter().flatten())
        .map(|p| {
            (
                p["Name"].as_str().unwrap().to_ascii_lowercase(),
                p["Version"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Packages a peer's SBOM does not contain at all, so their findings cannot be expected from
/// it: Trivy identifies jars through its Java database, which its offline run that wrote the
/// reference SBOM did not have, so `java-app.trivy.cdx.json` lists no Maven package.
const ABSENT_FROM_PEER: &[(&str, &str, &str)] = &[
    ("java-app", "trivy", "com.h2database:h2"),
    ("java-app", "trivy", "org.yaml:snakeyaml"),
];

#[test]
fn peer_sboms_find_the_language_vulnerabilities_of_the_image() {
    let mut problems = Vec::new();
    for image in [
        "python-app",
        "node-app",
        "java-app",
        "rust-app",
        "distroless-like",
    ] {
        let expected = language_findings(&image_json(image));
        assert!(!expected.is_empty(), "{image}");
        for tool in ["trivy", "syft"] {
            let path = peer(&format!("{image}.{tool}.cdx.json"));
            let report = scan_json(&["sbom", &path]);
            assert_eq!(report["ArtifactType"], "cyclonedx");
            assert_eq!(report["ArtifactName"], path.as_str());
            let in_sbom = language_packages(&report);
            let absent: BTreeSet<&str> = expected
                .iter()
                .filter(|(name, version, _)| !in_sbom.contains(&(name.clone(), version.clone())))
                .map(|(name, _, _)| name.as_str())
                .collect();
            let documented: BTreeSet<&str> = ABSENT_FROM_PEER
                .iter()
                .filter(|(i, t, _)| *i == image && *t == tool)
                .map(|(_, _, p)| *p)
                .collect();
            if absent != documented {
                problems.push(format!(
                    "{image} via {tool}: vulnerable packages absent from the SBOM {absent:?}, documented {documented:?}"
                ));
            }
            let expected: BTreeSet<_> = expected
                .iter()
                .filter(|(name, _, _)| !absent.contains(name.as_str()))
                .cloned()
                .collect();
            let got = language_findings(&report);
            let missing: Vec<_> = expected.difference(&got).collect();
            let extra: Vec<_> = got.difference(&expected).collect();
            if !(missing.is_empty() && extra.is_empty()) {
                problems.push(format!(
                    "{image} via {tool}: missing {missing:?}, extra {extra:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn own_sboms_round_trip_through_cyclonedx_and_spdx() {
    let dir = tempfile::tempdir().unwrap();
    let input = format!(
        "{}:python-app",
        atalaia_test::corpus_dir().join("oci").display()
    );
    let expected = language_findings(&image_json("python-app"));
    for (format, file, kind) in [
        ("cyclonedx", "bom.cdx.json", "cyclonedx"),
        ("spdx-json", "bom.spdx.json", "spdx"),
    ] {
        let path = dir.path().join(file);
        let path = path.to_str().unwrap();
        let out = atalaia(&["image", "--input", &input, "-f", format, "-o", path]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report = scan_json(&["sbom", path]);
        assert_eq!(report["ArtifactType"], kind);
        assert_eq!(language_findings(&report), expected, "{format}");
    }
}

#[test]
fn unmatched_components_are_counted_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.cdx.json");
    std::fs::write(
        &path,
        serde_json::json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
            "components": [
                {"type": "library", "bom-ref": "a", "name": "django", "version": "3.2.0",
                 "purl": "pkg:pypi/django@3.2.0"},
                {"type": "library", "bom-ref": "b", "name": "no-purl", "version": "1.0"},
                {"type": "library", "bom-ref": "c", "name": "odd", "version": "1.0",
                 "purl": "pkg:unknowntype/odd@1.0"},
                {"type": "library", "bom-ref": "d", "name": "flask",
                 "purl": "pkg:pypi/flask"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let out = atalaia(&["sbom", path.to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one summary line: {err}");
    assert!(
        err.contains("3 of 4 SBOM components were not matched"),
        "{err}"
    );
    for reason in [
        "1 without a purl",
        "1 with an unknown purl type",
        "1 without a version",
    ] {
        assert!(err.contains(reason), "{reason}: {err}");
    }
    let report = json(&out);
    let warnings: Vec<&str> = report["Warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["Message"].as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("no-purl")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("unknowntype")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("flask") && w.contains("no version")),
        "{warnings:?}"
    );
    // Django still matched.
    assert!(findings(&report)
        .iter()
        .any(|(_, v)| v["VulnerabilityID"] == "CVE-2021-31542"));
}

#[test]
fn bad_sboms_are_exit_two_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in [
        ("garbage.json", "this is not json"),
        ("other.json", r#"{"hello": "world"}"#),
        (
            "truncated.cdx.json",
            r#"{"bomFormat": "CycloneDX", "components": [ {"#,
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let out = atalaia(&["sbom", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(name), "{name}: {}", stderr(&out));
    }
    let out = atalaia(&["sbom", "/nonexistent/bom.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/bom.json"));
    // Secret scanning does not apply to an SBOM: a warning, not an error.
    let out = atalaia(&[
        "sbom",
        &peer("python-app.trivy.cdx.json"),
        "--scanners",
        "vuln,secret",
        "-f",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not available for an SBOM"),
        "{}",
        stderr(&out)
    );
}
