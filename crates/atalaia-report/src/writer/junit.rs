//! The JUnit XML writer: what Trivy's `contrib/junit.tpl` produces, so CI systems that show
//! test reports (GitLab, Jenkins, Azure DevOps) list each finding as a failed test.
//!
//! - `<testsuites name="atalaia">` holds one `<testsuite>` per result (`name` = the target,
//!   `tests` = `failures` = its number of findings, a `type` property when the result has one);
//! - each vulnerability is a `<testcase classname="PKG-INSTALLED" name="[SEVERITY] ID">` whose
//!   `<failure message="TITLE" type="description">` holds the description, then the severity,
//!   installed and fixed versions, status and link;
//! - each secret is a `<testcase classname="TARGET" name="[SEVERITY] RULE-ID">` whose failure
//!   holds the title, the line and the redacted match.
//!
//! Text is escaped as Go's `xml.EscapeText` does (which Trivy's `escapeXML` uses): `&`, `<`,
//! `>`, quotes, tab, newline and carriage return become references, and characters XML 1.0
//! cannot hold become U+FFFD.

use std::fmt::Write as _;
use std::io::Write;

use atalaia_detect::DetectedVulnerability;

use crate::{Report, ReportError, ReportSecret};

/// Escapes text for an XML attribute value or element content (Go's `xml.EscapeText`).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows the character (`Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
        || matches!(c, '\t' | '\n' | '\r')
}

fn vulnerability_case(xml: &mut String, v: &DetectedVulnerability) {
    let fixed = if v.fixed_version.is_empty() {
        "none"
    } else {
        &v.fixed_version
    };
    let mut body = v.description.to_string();
    if !body.is_empty() {
        body.push_str("\n\n");
    }
    let _ = write!(
        body,
        "Severity: {}\nInstalled version: {}\nFixed version: {fixed}\nStatus: {}",
        v.severity.as_str(),
        v.installed_version,
        v.status
    );
    if !v.primary_url.is_empty() {
        let _ = write!(body, "\nLink: {}", v.primary_url);
    }
    let _ = write!(
        xml,
        "        <testcase classname=\"{}\" name=\"{}\" time=\"\">\n            <failure message=\"{}\" type=\"description\">{}</failure>\n        </testcase>\n",
        escape_xml(&format!("{}-{}", v.pkg_name, v.installed_version)),
        escape_xml(&format!("[{}] {}", v.severity.as_str(), v.vulnerability_id)),
        escape_xml(&v.title),
        escape_xml(&body),
    );
}

fn secret_case(xml: &mut String, target: &str, s: &ReportSecret) {
    let f = &s.finding;
    let body = format!(
        "{}\n\nSeverity: {}\nLines: {}-{}\nMatch: {}",
        f.title,
        f.severity.as_str(),
        f.start_line,
        f.end_line,
        f.r#match
    );
    let _ = write!(
        xml,
        "        <testcase classname=\"{}\" name=\"{}\" time=\"\">\n            <failure message=\"{}\" type=\"description\">{}</failure>\n        </testcase>\n",
        escape_xml(target),
        escape_xml(&format!("[{}] {}", f.severity.as_str(), f.rule_id)),
        escape_xml(&f.title),
        escape_xml(&body),
    );
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" ?>\n<testsuites name=\"atalaia\">\n");
    for res in &report.results {
        let failures = res.vulnerabilities.len() + res.secrets.len();
        let _ = writeln!(
            xml,
            "    <testsuite tests=\"{failures}\" failures=\"{failures}\" name=\"{}\" errors=\"0\" skipped=\"0\" time=\"\">",
            escape_xml(&res.target)
        );
        if !res.ty.is_empty() {
            let _ = write!(
                xml,
                "        <properties>\n            <property name=\"type\" value=\"{}\"></property>\n        </properties>\n",
                escape_xml(&res.ty)
            );
        }
        for v in &res.vulnerabilities {
            vulnerability_case(&mut xml, v);
        }
        for s in &res.secrets {
            secret_case(&mut xml, &res.target, s);
        }
        xml.push_str("    </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// Writes the report as JUnit XML.
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    out.write_all(render(report).as_bytes())
        .map_err(|err| ReportError::Io {
            format: "junit",
            err,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            escape_xml("a<b>&\"c\"'d'\te\nf\r"),
            "a&lt;b&gt;&amp;&#34;c&#34;&#39;d&#39;&#x9;e&#xA;f&#xD;"
        );
        assert_eq!(
            escape_xml("nul\u{0}bell\u{7}é\u{FFFE}"),
            "nul\u{FFFD}bell\u{FFFD}é\u{FFFD}"
        );
        assert_eq!(escape_xml(""), "");
    }
}
