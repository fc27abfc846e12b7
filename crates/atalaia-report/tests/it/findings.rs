//! The fixture report with findings that the CI-format writers (SARIF, JUnit, GitLab,
//! templates) snapshot: the package fixture of [`crate::fixture`] plus, per result, several
//! vulnerabilities (every severity, fixed and unfixed, with and without CVSS, KEV-listed, with
//! aliases and vendor IDs) and a secret result whose texts need escaping.

use std::collections::BTreeMap;

use atalaia_detect::{Cvss, DataSource, DetectedVulnerability, PkgIdentifier, Severity};
use atalaia_report::{Report, ReportResult, ReportSecret, ResultClass};
use atalaia_secret::{Code, Line, SecretFinding};
use atalaia_types::PackageLayer;

use crate::fixture;

struct V {
    id: &'static str,
    pkg: &'static str,
    installed: &'static str,
    fixed: &'static str,
    severity: Severity,
    source: &'static str,
}

fn data_source(id: &str) -> DataSource {
    let (name, url) = match id {
        "alpine" => ("Alpine Secdb", "https://secdb.alpinelinux.org/"),
        "ghsa" => (
            "GitHub Security Advisory npm",
            "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm",
        ),
        _ => (
            "Python Packaging Advisory Database",
            "https://github.com/pypa/advisory-db",
        ),
    };
    DataSource {
        id: id.to_owned(),
        name: name.to_owned(),
        url: url.to_owned(),
    }
}

fn vuln(v: V, purl: &str) -> DetectedVulnerability {
    let sev_source = if v.source == "alpine" {
        "nvd"
    } else {
        v.source
    };
    DetectedVulnerability {
        vulnerability_id: v.id.to_owned().into(),
        vendor_ids: Vec::new(),
        pkg_id: format!("{}@{}", v.pkg, v.installed).into(),
        pkg_name: v.pkg.to_owned().into(),
        pkg_path: String::new().into(),
        pkg_identifier: PkgIdentifier {
            purl: purl.to_owned(),
            uid: String::new(),
        }
        .into(),
        installed_version: v.installed.to_owned().into(),
        fixed_version: v.fixed.to_owned(),
        status: if v.fixed.is_empty() {
            "affected".to_owned().into()
        } else {
            "fixed".to_owned().into()
        },
        layer: PackageLayer::default().into(),
        severity_source: sev_source.to_owned().into(),
        primary_url: format!("https://avd.aquasec.com/nvd/{}", v.id.to_ascii_lowercase()).into(),
        data_source: data_source(v.source).into(),
        title: format!("{}: flaw in {}", v.pkg, v.id).into(),
        description: format!(
            "A flaw was found in {} before {}.",
            v.pkg,
            if v.fixed.is_empty() { "a fix" } else { v.fixed }
        )
        .into(),
        severity: v.severity,
        cwe_ids: Vec::new().into(),
        vendor_severity: BTreeMap::from([(sev_source.to_owned(), v.severity.as_number())]).into(),
        cvss: BTreeMap::new().into(),
        references: vec![format!("https://nvd.nist.gov/vuln/detail/{}", v.id)].into(),
        published_date: Some("2024-03-25T21:15:46.847Z".to_owned().into()),
        last_modified_date: Some("2024-11-21T09:07:44.143Z".to_owned().into()),
        kev: false,
        aliases: Vec::new().into(),
    }
}

fn cvss(v3: &str, score: f64) -> BTreeMap<String, Cvss> {
    BTreeMap::from([(
        "nvd".to_owned(),
        Cvss {
            v3_vector: Some(v3.to_owned()),
            v3_score: Some(score),
            ..Cvss::default()
        },
    )])
}

fn os_vulns() -> Vec<DetectedVulnerability> {
    let purl = |n: &str, v: &str| format!("pkg:apk/alpine/{n}@{v}?arch=x86_64&distro=3.20.3");
    let mut busybox = vuln(
        V {
            id: "CVE-2023-42363",
            pkg: "busybox",
            installed: "1.36.1-r29",
            fixed: "1.36.1-r30",
            severity: Severity::Medium,
            source: "alpine",
        },
        &purl("busybox", "1.36.1-r29"),
    );
    busybox.cwe_ids = vec!["CWE-416".into()].into();
    busybox.cvss = cvss("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 5.5).into();
    let mut curl = vuln(
        V {
            id: "CVE-2024-9681",
            pkg: "curl",
            installed: "8.9.1-r1",
            fixed: "8.11.0-r0",
            severity: Severity::Low,
            source: "alpine",
        },
        &purl("curl", "8.9.1-r1"),
    );
    curl.layer = fixture_layer(1).into();
    let mut musl = vuln(
        V {
            id: "CVE-2025-26519",
            pkg: "musl",
            installed: "1.2.5-r0",
            fixed: "",
            severity: Severity::High,
            source: "alpine",
        },
        &purl("musl", "1.2.5-r0"),
    );
    musl.kev = true;
    musl.cwe_ids = vec!["CWE-787".into()].into();
    musl.cvss = cvss("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1).into();
    let mut musl_unknown = vuln(
        V {
            id: "CVE-2025-0001",
            pkg: "musl",
            installed: "1.2.5-r0",
            fixed: "",
            severity: Severity::Unknown,
            source: "alpine",
        },
        &purl("musl", "1.2.5-r0"),
    );
    musl_unknown.status = "will_not_fix".to_owned().into();
    musl_unknown.vendor_severity = Default::default();
    musl_unknown.severity_source = String::new().into();
    musl_unknown.title = String::new().into();
    vec![busybox, curl, musl, musl_unknown]
}

fn fixture_layer(i: usize) -> PackageLayer {
    let digest = |c: char| {
        format!("sha256:{}", c.to_string().repeat(64))
            .parse()
            .unwrap()
    };
    let (d, diff) = if i == 0 { ('a', 'b') } else { ('c', 'd') };
    PackageLayer {
        digest: Some(digest(d)),
        diff_id: Some(digest(diff)),
        created_by: None,
    }
}

fn npm_vulns() -> Vec<DetectedVulnerability> {
    let mut debug = vuln(
        V {
            id: "CVE-2017-16137",
            pkg: "debug",
            installed: "2.6.9",
            fixed: "3.1.0, 2.6.9-fix",
            severity: Severity::Low,
            source: "ghsa",
        },
        "pkg:npm/debug@2.6.9",
    );
    debug.vendor_ids = vec!["GHSA-gxpj-cx7g-858c".into()];
    debug.aliases = vec!["GHSA-gxpj-cx7g-858c".into()].into();
    let mut express = vuln(
        V {
            id: "CVE-2024-29041",
            pkg: "express",
            installed: "4.18.2",
            fixed: "4.19.2, 5.0.0-beta.3",
            severity: Severity::Medium,
            source: "ghsa",
        },
        "pkg:npm/express@4.18.2",
    );
    express.aliases = vec!["GHSA-rv95-896h-c2vc".into()].into();
    express.vendor_ids = vec!["GHSA-rv95-896h-c2vc".into()];
    express.cwe_ids = vec!["CWE-601".into(), "CWE-1286".into()].into();
    express.cvss = BTreeMap::from([(
        "ghsa".to_owned(),
        Cvss {
            v3_vector: Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N".into()),
            v3_score: Some(6.1),
            ..Cvss::default()
        },
    )])
    .into();
    express.primary_url = "https://github.com/advisories/GHSA-rv95-896h-c2vc".into();
    vec![debug, express]
}

fn python_vulns() -> Vec<DetectedVulnerability> {
    let mut pyyaml = vuln(
        V {
            id: "CVE-2020-14343",
            pkg: "PyYAML",
            installed: "5.3.1",
            fixed: "5.4",
            severity: Severity::Critical,
            source: "osv",
        },
        "pkg:pypi/pyyaml@5.3.1",
    );
    pyyaml.pkg_path =
        "opt/venv/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA".into();
    pyyaml.description =
        "`yaml.full_load` & `FullLoader` run arbitrary code for <untrusted> \"input\"".into();
    pyyaml.aliases = vec!["GHSA-8q59-q68h-6hv4".into(), "PYSEC-2021-142".into()].into();
    pyyaml.vendor_ids = vec!["PYSEC-2021-142".into()];
    pyyaml.cvss = cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8).into();
    pyyaml.severity_source = "nvd".into();
    pyyaml.kev = true;
    let mut requests = vuln(
        V {
            id: "CVE-2018-18074",
            pkg: "requests",
            installed: "2.19.1",
            fixed: "2.20.0",
            severity: Severity::High,
            source: "osv",
        },
        "pkg:pypi/requests@2.19.1",
    );
    requests.pkg_path =
        "usr/lib/python3.12/site-packages/requests-2.19.1.dist-info/METADATA".into();
    requests.aliases = vec!["PYSEC-2018-28".into()].into();
    vec![pyyaml, requests]
}

fn secret(rule: &str, severity: atalaia_secret::Severity, line: usize, text: &str) -> ReportSecret {
    let content = text.to_owned();
    ReportSecret {
        finding: SecretFinding {
            rule_id: rule.to_owned(),
            category: "AWS".to_owned(),
            severity,
            title: format!("AWS {rule}"),
            start_line: line,
            end_line: line,
            code: Code {
                lines: vec![Line {
                    number: line,
                    content: content.clone(),
                    is_cause: true,
                    highlighted: content.clone(),
                    first_cause: true,
                    last_cause: true,
                    ..Line::default()
                }],
            },
            r#match: content,
            offset: 40,
        },
        layer: fixture_layer(1),
        deleted: false,
    }
}

/// The fixture report with vulnerabilities in the OS, npm and Python results and one secret
/// result.
pub(crate) fn report() -> Report {
    let mut report = fixture::report();
    for res in &mut report.results {
        res.vulnerabilities = match (res.class, res.ty.as_str()) {
            (ResultClass::OsPkgs, _) => os_vulns(),
            (ResultClass::LangPkgs, "npm") => npm_vulns(),
            (ResultClass::LangPkgs, "python-pkg") => python_vulns(),
            _ => Vec::new(),
        };
    }
    assert!(
        report
            .results
            .iter()
            .filter(|r| !r.vulnerabilities.is_empty())
            .count()
            == 3,
        "the package fixture changed: {:?}",
        report
            .results
            .iter()
            .map(|r| (&r.target, &r.ty))
            .collect::<Vec<_>>()
    );
    report.results.push(ReportResult::secret(
        "/app/config/.env".to_owned(),
        vec![
            secret(
                "aws-access-key-id",
                atalaia_secret::Severity::Critical,
                3,
                "AWS_ACCESS_KEY_ID=********************",
            ),
            secret(
                "aws-secret-access-key",
                atalaia_secret::Severity::Critical,
                4,
                "AWS_SECRET=\"****\" <&> 'x'",
            ),
        ],
    ));
    report
}

/// The JSON writer on the findings fixture: every vulnerability field (CVSS, KEV, aliases,
/// vendor IDs, statuses) and the secret result, round-tripping.
#[test]
fn json_writer_with_findings() {
    use atalaia_report::writer::json;
    let report = report();
    let mut out = Vec::new();
    json::write(&report, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
    insta::assert_snapshot!(text);
}
