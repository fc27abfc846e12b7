//! Arbitrary bytes as a Go template (Helm chart template): the lexer, parser and executor
//! must return a value or an error, never panic, overflow the stack or run away, with small
//! limits on include depth, output and steps.
#![no_main]

use std::collections::BTreeMap;

use atalaia_misconfig::gotmpl::{Limits, TemplateSet, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let mut set = TemplateSet::new();
    // A helper chart-like define set, so that include/template paths are exercised too.
    let _ = set.add(
        "_helpers.tpl",
        "{{ define \"h\" }}{{ toYaml . | nindent 2 }}{{ end }}{{ define \"r\" }}{{ include \"r\" . }}{{ end }}",
    );
    if set.add("t.yaml", &src).is_err() {
        return;
    }
    let values = "a: 1\nb: [x, y]\nc: {d: e, f: null}\ns: \"text\"\n";
    let doc = atalaia_misconfig::yaml::parse_documents(values).unwrap().remove(0);
    let mut root = BTreeMap::new();
    root.insert("Values".to_string(), Value::from_yaml(&doc, true));
    let limits = Limits {
        max_depth: 32,
        max_output: 1 << 20,
        max_steps: 200_000,
    };
    if let Ok(out) = set.render("t.yaml", &Value::map(root), &limits) {
        assert!(out.len() <= 1 << 20);
    }
});
