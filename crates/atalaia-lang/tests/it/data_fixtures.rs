//! The hand-written fixtures under `tests/data/<format>/<case>/`: each directory holds one input
//! file (classified by its name) and `expected.txt`, one line per package:
//! `<id> <relationship> [dev] [depends=<id>,…] [lines=<start>-<end>]`.

use std::path::Path;

use atalaia_lang::{classify, parse};

fn describe(p: &atalaia_types::Package) -> String {
    let rel = serde_json::to_value(p.relationship)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut s = format!("{} {rel}", p.id);
    if p.dev {
        s.push_str(" dev");
    }
    if !p.depends_on.is_empty() {
        s.push_str(&format!(" depends={}", p.depends_on.join(",")));
    }
    if let Some(l) = p.locations.first() {
        s.push_str(&format!(" lines={}-{}", l.start_line, l.end_line));
    }
    s
}

#[test]
fn every_fixture_matches_its_expected_listing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut cases = 0;
    for format in std::fs::read_dir(&root).expect("tests/data") {
        let format = format.unwrap().path();
        for case in std::fs::read_dir(&format).unwrap() {
            let case = case.unwrap().path();
            let expected = std::fs::read_to_string(case.join("expected.txt"))
                .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
            let input = std::fs::read_dir(&case)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.file_name().is_some_and(|n| n != "expected.txt"))
                .expect("an input file");
            let name = input.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&input).unwrap();
            let kind = classify(&name, bytes.len() as u64, 0o644)
                .unwrap_or_else(|| panic!("{name} is not classified"));
            let app =
                parse(kind, &name, &bytes).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            let got: Vec<String> = app.packages.iter().map(describe).collect();
            let want: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(got, want, "{}", case.display());
            cases += 1;
        }
    }
    assert!(cases >= 7, "only {cases} fixture cases found");
}
