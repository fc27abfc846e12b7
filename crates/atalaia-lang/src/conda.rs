//! An installed conda package's `conda-meta/<name>-<version>-<build>.json`: `name`, `version`,
//! `license`.

use atalaia_types::{Application, Ecosystem};
use serde::Deserialize;

use crate::util::{rooted, simple_package};
use crate::LangError;

const KIND: &str = "conda-pkg";

#[derive(Deserialize)]
struct Meta {
    name: String,
    version: String,
    #[serde(default)]
    license: Option<String>,
}

/// Parses a `conda-meta/*.json` file.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let text = crate::util::text(path, KIND, bytes)?;
    let meta: Meta =
        serde_json::from_str(text).map_err(|e| LangError::new(path, KIND, e.to_string()))?;
    let mut pkg = simple_package(Ecosystem::Conda, &meta.name, &meta.version);
    pkg.file_path = rooted(path);
    pkg.licenses
        .extend(meta.license.filter(|l| !l.trim().is_empty()));
    Ok(Application {
        app_type: KIND.to_owned(),
        file_path: path.to_owned(),
        packages: vec![pkg],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta() {
        let app = parse(
            "opt/conda/conda-meta/numpy-1.24.0-py311h.json",
            br#"{"name": "numpy", "version": "1.24.0", "build": "py311h", "license": "BSD-3-Clause", "files": []}"#,
        )
        .unwrap();
        let p = &app.packages[0];
        assert_eq!(
            (p.id.as_str(), p.licenses.as_slice()),
            ("numpy@1.24.0", &["BSD-3-Clause".to_owned()][..])
        );
        assert_eq!(p.purl.to_string(), "pkg:conda/numpy@1.24.0");
        assert_eq!(
            p.file_path,
            "/opt/conda/conda-meta/numpy-1.24.0-py311h.json"
        );
    }

    #[test]
    fn malformed() {
        assert!(parse("conda-meta/x.json", b"{\"name\": \"x\"}").is_err());
        assert!(parse("conda-meta/x.json", b"[").is_err());
    }
}
