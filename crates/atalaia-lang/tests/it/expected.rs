//! Reading `corpus/expected/<image>.json`.

use std::collections::BTreeMap;

use serde_json::Value;

/// One expected language package: (type, name, version, path). A missing version is "".
pub(crate) type Row = (String, String, String, String);

/// The language packages of an expected inventory, by the corpus type name.
pub(crate) fn rows(image: &str) -> BTreeMap<String, Vec<Row>> {
    let path = atalaia_test::corpus_dir()
        .join("expected")
        .join(format!("{image}.json"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).expect("expected JSON");
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for p in v["packages"].as_array().expect("packages") {
        let ty = p["type"].as_str().unwrap_or_default().to_owned();
        if ty == "deb" || ty == "apk" {
            continue;
        }
        let row = (
            ty.clone(),
            p["name"].as_str().unwrap_or_default().to_owned(),
            p["version"].as_str().unwrap_or_default().to_owned(),
            p["path"].as_str().unwrap_or_default().to_owned(),
        );
        out.entry(ty).or_default().push(row);
    }
    for rows in out.values_mut() {
        rows.sort();
    }
    out
}

/// The corpus type name of an application type.
pub(crate) fn corpus_type(app_type: &str) -> &'static str {
    match app_type {
        "python-pkg" => "python",
        "poetry" => "poetry-lock",
        "pip" => "pip-requirements",
        "node-pkg" => "node",
        "npm" => "npm-lock",
        "yarn" => "yarn-lock",
        "jar" => "jar",
        "gobinary" => "gobinary",
        "gomod" => "gomod",
        "rustbinary" => "rust-binary",
        "cargo" => "cargo-lock",
        other => panic!("no corpus type for {other}"),
    }
}
