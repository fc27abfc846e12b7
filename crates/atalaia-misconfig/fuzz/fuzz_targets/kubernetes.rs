//! Arbitrary bytes as Kubernetes YAML or JSON: the YAML tree builder, resource extraction and
//! every Kubernetes check must return a value, with node line ranges inside the input.
#![no_main]

use atalaia_misconfig::{kubernetes, scan_file, yaml, Options};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fn walk(n: &yaml::Node, lines: usize) {
    assert!(1 <= n.start && n.start <= n.end && n.end <= lines + 1, "{}..{} of {lines}", n.start, n.end);
    for i in n.items() {
        walk(i, lines);
    }
    for (k, v) in n.entries() {
        walk(k, lines);
        walk(v, lines);
    }
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let text = yaml::normalize_line_breaks(&raw);
    let lines = text.split('\n').count();
    if let Ok(docs) = yaml::parse_documents(&text) {
        if docs.len() < 50 {
            for d in &docs {
                walk(d, lines);
            }
        }
    }
    let _ = kubernetes::parse_resources(&text);
    for name in ["k8s.yaml", "k8s.json"] {
        let r = scan_file(name, data, &Options::default());
        check_result(data, &r);
    }
});
