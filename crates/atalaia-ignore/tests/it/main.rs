//! Integration tests of atalaia-ignore: fixtures under `tests/data/` (ignore files, OpenVEX,
//! CycloneDX VEX) applied to Trivy-shaped findings.

mod ignore_files;
mod policy;
mod vex;

use std::path::PathBuf;

use atalaia_detect::DetectedVulnerability;

pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub(crate) fn findings() -> Vec<DetectedVulnerability> {
    let bytes = std::fs::read(data("findings.json")).expect("findings.json");
    serde_json::from_slice(&bytes).expect("findings.json parses")
}

pub(crate) fn ids<T>(v: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    v.iter().map(|x| id(x).to_owned()).collect()
}
