//! The JUnit writer: a snapshot of the findings fixture, and the XML parsed back.

use std::collections::BTreeMap;

use atalaia_report::writer::junit;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::findings;

fn render() -> String {
    let mut out = Vec::new();
    junit::write(&findings::report(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn junit_writer() {
    let text = render();
    assert_eq!(text, render(), "identical input gives identical bytes");
    insta::assert_snapshot!(text);
}

/// A parsed test case: its attributes and its failure's message and text.
#[derive(Debug, Default)]
struct Case {
    suite: String,
    attrs: BTreeMap<String, String>,
    failure_message: String,
    failure_text: String,
}

fn attrs(e: &quick_xml::events::BytesStart<'_>) -> BTreeMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().expect("valid escapes").into_owned(),
            )
        })
        .collect()
}

/// Parses the document strictly (well-formedness, balanced tags), returning suites and cases.
fn parse(xml: &str) -> (Vec<BTreeMap<String, String>>, Vec<Case>) {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut suites = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                match name.as_str() {
                    "testsuite" => suites.push(attrs(&e)),
                    "testcase" => cases.push(Case {
                        suite: suites.last().unwrap()["name"].clone(),
                        attrs: attrs(&e),
                        ..Case::default()
                    }),
                    "failure" => {
                        cases.last_mut().unwrap().failure_message = attrs(&e)["message"].clone();
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) if stack.last().map(String::as_str) == Some("failure") => {
                cases
                    .last_mut()
                    .unwrap()
                    .failure_text
                    .push_str(&t.unescape().expect("valid escapes"));
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    (suites, cases)
}

#[test]
fn junit_parses_back() {
    let report = findings::report();
    let (suites, cases) = parse(&render());
    assert_eq!(suites.len(), report.results.len());
    for (suite, res) in suites.iter().zip(&report.results) {
        assert_eq!(suite["name"], res.target);
        let n = (res.vulnerabilities.len() + res.secrets.len()).to_string();
        assert_eq!(suite["tests"], n);
        assert_eq!(suite["failures"], n);
    }
    assert_eq!(cases.len(), 10);

    let pyyaml = cases
        .iter()
        .find(|c| c.attrs["name"] == "[CRITICAL] CVE-2020-14343")
        .unwrap();
    assert_eq!(pyyaml.attrs["classname"], "PyYAML-5.3.1");
    assert_eq!(pyyaml.failure_message, "PyYAML: flaw in CVE-2020-14343");
    // Escaped text comes back exactly, with the severity and versions after it.
    assert!(pyyaml.failure_text.starts_with(
        "`yaml.full_load` & `FullLoader` run arbitrary code for <untrusted> \"input\"\n\nSeverity: CRITICAL\n"
    ));
    assert!(pyyaml.failure_text.contains("Fixed version: 5.4\n"));

    let musl = cases
        .iter()
        .find(|c| c.attrs["name"] == "[HIGH] CVE-2025-26519")
        .unwrap();
    assert!(musl
        .failure_text
        .contains("Fixed version: none\nStatus: affected"));
    assert_eq!(musl.suite, "alpine:3.20 (alpine 3.20.3)");

    let secret = cases
        .iter()
        .find(|c| c.attrs["name"] == "[CRITICAL] aws-secret-access-key")
        .unwrap();
    assert_eq!(secret.attrs["classname"], "/app/config/.env");
    assert!(secret
        .failure_text
        .ends_with("Lines: 4-4\nMatch: AWS_SECRET=\"****\" <&> 'x'"));
}

#[test]
fn junit_of_a_report_without_results() {
    let mut report = findings::report();
    report.results.clear();
    let mut out = Vec::new();
    junit::write(&report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        "<?xml version=\"1.0\" ?>\n<testsuites name=\"atalaia\">\n</testsuites>\n"
    );
    assert_eq!(parse(&text).0.len(), 0);
}

#[test]
fn junit_survives_hostile_text() {
    let mut report = findings::report();
    let v = &mut report.results[0].vulnerabilities[0];
    v.title = "]]></failure><x a=\"\u{0}\u{1b}\">".into();
    v.description = "<!-- --> <![CDATA[ & ]]>".into();
    let mut out = Vec::new();
    junit::write(&report, &mut out).unwrap();
    let (_, cases) = parse(std::str::from_utf8(&out).unwrap());
    assert_eq!(
        cases[0].failure_message,
        "]]></failure><x a=\"\u{FFFD}\u{FFFD}\">"
    );
    assert!(cases[0]
        .failure_text
        .starts_with("<!-- --> <![CDATA[ & ]]>\n\n"));
}
