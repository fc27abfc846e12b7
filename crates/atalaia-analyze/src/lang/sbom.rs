//! SBOM documents found inside an image or root filesystem (`*.cdx.json`, `*.spdx.json`, …):
//! their language packages become applications, as Trivy's `sbom` analyzer makes them.
//!
//! A document is read with `atalaia-sbom` (CycloneDX 1.x or SPDX 2.x JSON, sniffed from the
//! content, whatever the suffix says). Applications keep the type and file the document gives
//! them (a Trivy SBOM's `Cargo.lock` stays a `cargo` application at `Cargo.lock`); packages the
//! document does not place in an application are grouped by type, as Trivy does. Packages that
//! carry no file of their own are given the document's path, so a report says where they were
//! found. OS packages listed by the document are left out: the image's own package database is
//! the authority on those, and a copy of another system's SBOM must not add to it.

use crate::{AnalyzeError, Finding};

/// File name endings Trivy's `sbom` analyzer reads.
const SUFFIXES: &[&str] = &[".spdx", ".spdx.json", ".cdx", ".cdx.json"];

/// Whether `path` names an SBOM document to read in image and rootfs scans. SBOMs inside a
/// Python distribution's `.dist-info/sboms/` describe that distribution's bundled code, which
/// the Python analyzer already reports, so they are skipped (as in Trivy).
pub(crate) fn is_sbom_file(path: &str) -> bool {
    SUFFIXES.iter().any(|s| path.ends_with(s)) && !path.contains(".dist-info/sboms/")
}

/// Reads one SBOM document into application findings (and warnings for components that could
/// not become packages). A file that is not a CycloneDX or SPDX JSON document is an error
/// naming it; the scan goes on.
pub(crate) fn analyze(path: &str, bytes: &[u8]) -> Result<Vec<Finding>, AnalyzeError> {
    let decoded = read(path, bytes)?;
    let mut out: Vec<Finding> = decoded
        .inventory
        .warnings
        .into_iter()
        .map(|w| Finding::Warning { message: w.message })
        .collect();
    let rooted = format!("/{}", path.trim_start_matches('/'));
    for mut app in decoded.inventory.applications {
        if app.packages.is_empty() {
            continue;
        }
        for p in &mut app.packages {
            if p.file_path.is_empty() {
                p.file_path.clone_from(&rooted);
            }
        }
        // Installed-tree types are merged per type later; the others keep a file to be named by.
        if app.file_path.is_empty() {
            path.clone_into(&mut app.file_path);
        }
        out.push(Finding::Application(app));
    }
    Ok(out)
}

fn read(path: &str, bytes: &[u8]) -> Result<atalaia_sbom::Decoded, AnalyzeError> {
    let head = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).unwrap_or_default();
    let trimmed = bytes.trim_ascii_start();
    if !trimmed.starts_with(b"{") {
        return Err(AnalyzeError::parse(
            path,
            "not a JSON SBOM document (only CycloneDX and SPDX JSON are read)",
        ));
    }
    let result = if head.contains("\"spdxVersion\"") {
        atalaia_sbom::spdx::read(bytes, path)
    } else {
        atalaia_sbom::cyclonedx::read(bytes, path)
    };
    result.map_err(|e| AnalyzeError::parse(path, error_chain(&e)))
}

/// An error and its causes on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const CDX: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"component": {"bom-ref": "root", "type": "container", "name": "x"}},
  "components": [
    {"bom-ref": "app", "type": "application", "name": "Cargo.lock",
     "properties": [{"name": "aquasecurity:trivy:Class", "value": "lang-pkgs"},
                    {"name": "aquasecurity:trivy:Type", "value": "cargo"}]},
    {"bom-ref": "pkg:cargo/libc@0.2.1", "type": "library", "name": "libc", "version": "0.2.1",
     "purl": "pkg:cargo/libc@0.2.1"},
    {"bom-ref": "pkg:npm/left-pad@1.3.0", "type": "library", "name": "left-pad",
     "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
    {"bom-ref": "pkg:deb/debian/bash@5.2?arch=amd64", "type": "library", "name": "bash",
     "version": "5.2", "purl": "pkg:deb/debian/bash@5.2?arch=amd64"}
  ],
  "dependencies": [
    {"ref": "root", "dependsOn": ["app"]},
    {"ref": "app", "dependsOn": ["pkg:cargo/libc@0.2.1"]}
  ]
}"#;

    #[test]
    fn suffixes() {
        assert!(is_sbom_file("app/bom.cdx.json"));
        assert!(is_sbom_file("opt/bitnami/pg/.spdx-pg.spdx"));
        assert!(is_sbom_file("x.spdx.json"));
        assert!(!is_sbom_file("x.json"));
        assert!(!is_sbom_file(
            "usr/lib/python3/site-packages/a-1.dist-info/sboms/a.cdx.json"
        ));
    }

    #[test]
    fn cyclonedx_applications_and_grouped_packages() {
        let found = analyze("app/bom.cdx.json", CDX.as_bytes()).unwrap();
        type Row<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
        let apps: Vec<Row<'_>> = found
            .iter()
            .filter_map(|f| match f {
                Finding::Application(a) => Some((
                    a.app_type.as_str(),
                    a.file_path.as_str(),
                    a.packages
                        .iter()
                        .map(|p| (p.name.as_str(), p.file_path.as_str()))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            apps,
            [
                ("cargo", "Cargo.lock", vec![("libc", "/app/bom.cdx.json")]),
                (
                    "node-pkg",
                    "app/bom.cdx.json",
                    vec![("left-pad", "/app/bom.cdx.json")]
                ),
            ],
            "OS packages (bash) are left to the image's package database"
        );
    }

    #[test]
    fn spdx_document() {
        let spdx = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "x",
          "dataLicense": "CC0-1.0", "documentNamespace": "http://x", "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: x"]},
          "packages": [{"SPDXID": "SPDXRef-a", "name": "requests", "versionInfo": "2.31.0",
            "downloadLocation": "NONE",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
              "referenceLocator": "pkg:pypi/requests@2.31.0"}]}]}"#;
        let found = analyze("srv/sbom.spdx.json", spdx.as_bytes()).unwrap();
        let names: Vec<(&str, &str)> = found
            .iter()
            .filter_map(|f| match f {
                Finding::Application(a) => Some((a.app_type.as_str(), a.packages[0].name.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(names, [("python-pkg", "requests")]);
    }

    #[test]
    fn malformed_documents_are_errors_naming_the_file() {
        for bad in [
            &b""[..],
            b"SPDXVersion: SPDX-2.3\n",
            b"{",
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
            b"{\"spdxVersion\": 3}",
            b"[1, 2]",
        ] {
            let err = analyze("app/x.cdx.json", bad).unwrap_err();
            assert!(err.to_string().contains("app/x.cdx.json"), "{err}");
        }
    }
}
