//! Rust binaries built with `cargo auditable`: the `.dep-v0` section holds zlib-compressed JSON
//! listing every crate compiled in, with indices for the dependency graph.
//!
//! The root crate is reported with the `root` relationship, the crates it depends on directly as
//! `direct`, the rest `indirect`. Build-only crates (`"kind": "build"`, build scripts and proc
//! macros: not in the running binary) are reported with `dev` set, so reports treat them like
//! development dependencies (Trivy drops them).

use std::io::Read;

use atalaia_types::{Application, Relationship};
use object::{Object, ObjectSection};
use serde::Deserialize;

use crate::util::{simple_package, sort_packages};
use crate::LangError;

const KIND: &str = "rustbinary";
/// The most decompressed JSON read (cargo-auditable itself caps it at 8 MiB).
const MAX_JSON: u64 = 8 << 20;

#[derive(Deserialize)]
struct Audit {
    packages: Vec<AuditPackage>,
}

#[derive(Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    dependencies: Vec<usize>,
    #[serde(default)]
    root: bool,
}

/// Parses an ELF file; `Ok(None)` when it has no `.dep-v0` section.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Option<Application>, LangError> {
    let Ok(file) = object::File::parse(bytes) else {
        return Ok(None);
    };
    let Some(section) = file.section_by_name(".dep-v0") else {
        return Ok(None);
    };
    let data = section
        .data()
        .map_err(|_| LangError::new(path, KIND, "the `.dep-v0` section is outside the file"))?;
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_JSON)
        .read_to_end(&mut json)
        .map_err(|e| {
            LangError::new(
                path,
                KIND,
                format!("the `.dep-v0` section is not zlib data ({e})"),
            )
        })?;
    let audit: Audit = serde_json::from_slice(&json)
        .map_err(|e| LangError::new(path, KIND, format!("the `.dep-v0` JSON is invalid ({e})")))?;
    let ids: Vec<String> = audit
        .packages
        .iter()
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    let root_deps: Vec<usize> = audit
        .packages
        .iter()
        .filter(|p| p.root)
        .flat_map(|p| p.dependencies.iter().copied())
        .collect();
    let mut packages = Vec::with_capacity(audit.packages.len());
    for (i, p) in audit.packages.iter().enumerate() {
        let mut pkg = simple_package(atalaia_types::Ecosystem::CratesIo, &p.name, &p.version);
        pkg.relationship = if p.root {
            Relationship::Root
        } else if root_deps.contains(&i) {
            Relationship::Direct
        } else {
            Relationship::Indirect
        };
        pkg.dev = p.kind.as_deref() == Some("build");
        let mut deps = Vec::with_capacity(p.dependencies.len());
        for &d in &p.dependencies {
            let id = ids.get(d).ok_or_else(|| {
                LangError::new(
                    path,
                    KIND,
                    format!(
                        "`{}` depends on package index {d}, which does not exist",
                        p.name
                    ),
                )
            })?;
            deps.push(id.clone());
        }
        deps.sort();
        deps.dedup();
        pkg.depends_on = deps;
        packages.push(pkg);
    }
    sort_packages(&mut packages);
    Ok(Some(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages,
    }))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::testelf::elf;

    fn dep_v0(json: &str) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(json.as_bytes()).unwrap();
        z.finish().unwrap()
    }

    const AUDIT: &str = r#"{"packages":[
        {"name":"app","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
        {"name":"serde","version":"1.0.0","source":"crates.io","dependencies":[3]},
        {"name":"autocfg","version":"1.1.0","source":"crates.io","kind":"build"},
        {"name":"serde_derive","version":"1.0.0","source":"crates.io","kind":"build"}
    ]}"#;

    #[test]
    fn cargo_auditable() {
        let bin = elf(&[(".text", vec![0xc3; 16]), (".dep-v0", dep_v0(AUDIT))]);
        let app = parse("app/bin", &bin).unwrap().expect("an audited binary");
        assert_eq!(app.app_type, "rustbinary");
        let got: Vec<_> = app
            .packages
            .iter()
            .map(|p| (p.id.as_str(), p.relationship, p.dev, p.depends_on.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "app@0.1.0",
                    Relationship::Root,
                    false,
                    vec!["autocfg@1.1.0".to_owned(), "serde@1.0.0".to_owned()]
                ),
                ("autocfg@1.1.0", Relationship::Direct, true, vec![]),
                (
                    "serde@1.0.0",
                    Relationship::Direct,
                    false,
                    vec!["serde_derive@1.0.0".to_owned()]
                ),
                ("serde_derive@1.0.0", Relationship::Indirect, true, vec![]),
            ]
        );
        assert_eq!(app.packages[2].purl.to_string(), "pkg:cargo/serde@1.0.0");
        let app = crate::parse(crate::LangFile::Executable, "app/bin", &bin).unwrap();
        assert_eq!(app.app_type, "rustbinary");
    }

    #[test]
    fn malformed() {
        assert!(parse("x", &elf(&[(".dep-v0", b"not zlib".to_vec())])).is_err());
        assert!(parse("x", &elf(&[(".dep-v0", dep_v0("{\"packages\": 3}"))])).is_err());
        let bad_index =
            r#"{"packages":[{"name":"a","version":"1","dependencies":[7],"root":true}]}"#;
        assert!(parse("x", &elf(&[(".dep-v0", dep_v0(bad_index))])).is_err());
        assert!(parse("x", &elf(&[(".text", vec![1, 2, 3])]))
            .unwrap()
            .is_none());
        assert!(parse("x", b"\x7fELF\x02\x01").unwrap().is_none());
    }
}
