//! The template writer: Trivy's JUnit template ported to Jinja, a Markdown summary using every
//! atalaia filter, and errors that name the template and line.

use std::path::PathBuf;

use atalaia_report::writer::template::{self, Template};
use atalaia_report::ReportError;

use crate::findings;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/templates")
        .join(name)
}

fn render_file(name: &str) -> String {
    let arg = format!("@{}", data(name).display());
    let tpl = Template::from_arg(&arg).unwrap();
    let mut out = Vec::new();
    template::write(&findings::report(), &tpl, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn template_junit_port() {
    let text = render_file("junit.tpl");
    assert_eq!(
        text,
        render_file("junit.tpl"),
        "identical input gives identical bytes"
    );
    // The port of Trivy's template is well-formed: every suite and case closes.
    assert_eq!(text.matches("<testsuite ").count(), 4);
    assert_eq!(text.matches("</testsuite>").count(), 4);
    assert_eq!(text.matches("<testcase ").count(), 8);
    assert!(text.contains("&lt;untrusted&gt; &#34;input&#34;"));
    insta::assert_snapshot!(text);
}

#[test]
fn template_markdown_summary() {
    let text = render_file("summary.md.tpl");
    assert!(text.starts_with("# alpine:3.20 (alpine 3.20.3)\n"));
    assert!(text.contains("| CVE-2025-26519 | HIGH | error | musl | 1.2.5-r0 | - | yes |"));
    assert!(text.contains(r#""AWS_SECRET=\"****\" \u003c\u0026\u003e 'x'""#));
    insta::assert_snapshot!(text);
}

#[test]
fn template_inline_and_empty_results() {
    let mut report = findings::report();
    report.results.clear();
    let tpl = Template::inline("{{ report.ArtifactName }}: {{ results | length }} results\n");
    assert_eq!(
        template::render(&report, &tpl).unwrap(),
        "alpine:3.20: 0 results\n"
    );
}

fn error_of(source: &str) -> (String, String) {
    let tpl = Template::inline(source);
    let err = template::render(&findings::report(), &tpl).unwrap_err();
    let ReportError::Template { location, err } = &err else {
        panic!("not a template error: {err:?}");
    };
    (location.clone(), err.to_string())
}

#[test]
fn template_syntax_errors_name_the_line() {
    let (location, cause) = error_of("line one\nline two\n{% for r in results %}\n{{ r.Target }\n");
    assert_eq!(location, "`<inline>` at line 4", "{cause}");
}

#[test]
fn template_render_errors_name_the_line() {
    let (location, cause) = error_of("ok\n{{ results | no_such_filter }}\n");
    assert_eq!(location, "`<inline>` at line 2", "{cause}");
    let (location, _) = error_of("a\nb\n{{ \"a\" + 1 }}");
    assert_eq!(location, "`<inline>` at line 3");
}

#[test]
fn template_file_errors_name_the_file() {
    let path = data("junit.tpl");
    let tpl = Template::from_file(&path).unwrap();
    assert_eq!(tpl.name(), path.display().to_string());
    let err = Template::from_arg(&format!("@{}.missing", path.display())).unwrap_err();
    assert!(err.to_string().contains("junit.tpl.missing`"), "{err}");
}

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atalaia-report-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn template_files_are_not_auto_escaped_and_must_be_utf8() {
    // minijinja would HTML-escape `.html` templates by default; Trivy's Go templates do not.
    let html = scratch("report.html");
    std::fs::write(&html, "<b>{{ report.ArtifactName }} {{ \"<&>\" }}</b>\n").unwrap();
    let tpl = Template::from_file(&html).unwrap();
    assert_eq!(
        template::render(&findings::report(), &tpl).unwrap(),
        "<b>alpine:3.20 <&></b>\n"
    );

    let bad = scratch("latin1.tpl");
    std::fs::write(&bad, b"caf\xe9 {{ report.ArtifactName }}\n").unwrap();
    let err = Template::from_file(&bad).unwrap_err();
    let ReportError::Template { location, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(location, &format!("`{}`", bad.display()));
    let _ = std::fs::remove_dir_all(html.parent().unwrap());
}
