//! GitLab security reports: container scanning and dependency scanning JSON, schema 15.x.
//!
//! Trivy ships these as templates (`contrib/gitlab.tpl`, `contrib/gitlab-ds.tpl`) written for
//! the 2.x schemas; GitLab has since removed `category`, `message`, `cve`, `scanner` and
//! `confidence` from vulnerabilities and made `scan` required. This writer keeps the template's
//! choices and writes the 15.x field set:
//!
//! - `version`, `scan` {`analyzer`, `scanner` (atalaia), `type`, `status`, `start_time`,
//!   `end_time`} with the report's `CreatedAt` as both times (GitLab's format, UTC, no zone), so
//!   identical reports give identical bytes;
//! - one vulnerability per finding: `id` (a UUID derived from target, package and ID, stable
//!   across runs), `name` (the title), `description`, `severity` (`Critical` … `Unknown`),
//!   `solution` (`Upgrade PKG to FIXED`, or `No solution provided`), `identifiers` (the ID first,
//!   then vendor IDs and aliases, each with its type and a URL when one is known), `links`
//!   (references) and `location`:
//!   - container scanning: `dependency` {`package` {`name`}, `version`}, `operating_system`
//!     (`family release`, `Unknown` without OS), `image` (the artifact name);
//!   - dependency scanning: `file` (the lockfile, or the installed package's own file) and
//!     `dependency`.
//!
//! Secrets are not part of these report types (GitLab has a separate secret-detection report)
//! and are left out. [`write_code_quality`] writes GitLab's code-quality report (Trivy's
//! `contrib/gitlab-codequality.tpl`), which lists vulnerabilities and secrets alike.

use std::collections::BTreeSet;
use std::io::Write;

use atalaia_detect::{DetectedVulnerability, Severity};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use time::macros::format_description;

use crate::{Report, ReportError, ReportResult, ResultClass};

/// The schema version the reports declare.
pub const SCHEMA_VERSION: &str = "15.0.7";

/// Which GitLab report to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportType {
    /// `container_scanning` (`--format gitlab`): locations name the image and its OS.
    ContainerScanning,
    /// `dependency_scanning` (`--format gitlab-ds`): locations name the lockfile.
    DependencyScanning,
}

impl ReportType {
    fn scan_type(self) -> &'static str {
        match self {
            ReportType::ContainerScanning => "container_scanning",
            ReportType::DependencyScanning => "dependency_scanning",
        }
    }
}

#[derive(Serialize)]
struct Document {
    version: &'static str,
    scan: Scan,
    vulnerabilities: Vec<Vulnerability>,
    remediations: [(); 0],
}

#[derive(Serialize)]
struct Scan {
    analyzer: Tool,
    scanner: Tool,
    #[serde(rename = "type")]
    ty: &'static str,
    start_time: String,
    end_time: String,
    status: &'static str,
}

#[derive(Serialize)]
struct Tool {
    id: &'static str,
    name: &'static str,
    url: &'static str,
    vendor: Vendor,
    version: &'static str,
}

#[derive(Serialize)]
struct Vendor {
    name: &'static str,
}

#[derive(Serialize)]
struct Vulnerability {
    id: String,
    name: String,
    description: String,
    severity: &'static str,
    solution: String,
    identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    location: Location,
}

#[derive(Serialize)]
struct Identifier {
    #[serde(rename = "type")]
    ty: String,
    name: String,
    value: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    url: String,
}

#[derive(Serialize)]
struct Link {
    url: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Location {
    Container {
        dependency: Dependency,
        operating_system: String,
        image: String,
    },
    File {
        file: String,
        dependency: Dependency,
    },
}

#[derive(Serialize)]
struct Dependency {
    package: Package,
    version: String,
}

#[derive(Serialize)]
struct Package {
    name: String,
}

/// GitLab's severity name for a Trivy severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Unknown => "Unknown",
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

/// The identifier type and URL GitLab shows for an advisory ID: the finding's primary URL for
/// its own ID (as Trivy's template), a well-known page for the others.
fn identifier(id: &str, primary_url: &str) -> Identifier {
    let prefix = id.split('-').next().unwrap_or(id);
    let ty = match prefix {
        "CVE" => "cve".to_owned(),
        "GHSA" => "ghsa".to_owned(),
        p if !p.is_empty() && p.len() < id.len() => p.to_ascii_lowercase(),
        _ => "advisory".to_owned(),
    };
    let url = if !primary_url.is_empty() {
        primary_url.to_owned()
    } else {
        match prefix {
            "CVE" => format!("https://nvd.nist.gov/vuln/detail/{id}"),
            "GHSA" => format!("https://github.com/advisories/{id}"),
            "RUSTSEC" | "PYSEC" | "GO" => format!("https://osv.dev/vulnerability/{id}"),
            _ => String::new(),
        }
    };
    Identifier {
        ty,
        name: id.to_owned(),
        value: id.to_owned(),
        url,
    }
}

/// A UUID-shaped ID derived from what identifies the finding.
fn finding_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let d = hex::encode(&h.finalize()[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &d[..8],
        &d[8..12],
        &d[12..16],
        &d[16..20],
        &d[20..32]
    )
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

fn vulnerability(
    report: &Report,
    res: &ReportResult,
    v: &DetectedVulnerability,
    ty: ReportType,
) -> Vulnerability {
    let mut ids = vec![identifier(&v.vulnerability_id, &v.primary_url)];
    let mut seen = BTreeSet::from([v.vulnerability_id.as_str()]);
    for other in v
        .vendor_ids
        .iter()
        .map(String::as_str)
        .chain(v.aliases.iter())
    {
        if seen.insert(other) {
            ids.push(identifier(other, ""));
        }
    }
    let mut urls = BTreeSet::new();
    let links = v
        .references
        .iter()
        .filter(|u| urls.insert(*u))
        .map(|u| Link { url: u.to_owned() })
        .collect();
    let dependency = Dependency {
        package: Package {
            name: v.pkg_name.to_string(),
        },
        version: v.installed_version.to_string(),
    };
    let location = match ty {
        ReportType::ContainerScanning => Location::Container {
            dependency,
            operating_system: report.metadata.os.as_ref().map_or_else(
                || "Unknown".to_owned(),
                |os| format!("{} {}", os.family, os.name),
            ),
            image: report.artifact_name.clone(),
        },
        ReportType::DependencyScanning => Location::File {
            file: if v.pkg_path.is_empty() || res.class == ResultClass::OsPkgs {
                res.target.clone()
            } else {
                v.pkg_path.to_string()
            },
            dependency,
        },
    };
    let name = if v.title.is_empty() {
        &v.vulnerability_id
    } else {
        &v.title
    };
    Vulnerability {
        id: finding_id(&[
            &res.target,
            &v.pkg_id,
            &v.pkg_name,
            &v.installed_version,
            &v.pkg_path,
            &v.vulnerability_id,
        ]),
        name: truncate(name, 255),
        description: truncate(&v.description, 1_048_576),
        severity: severity(v.severity),
        solution: if v.fixed_version.is_empty() {
            "No solution provided".to_owned()
        } else {
            format!("Upgrade {} to {}", v.pkg_name, v.fixed_version)
        },
        identifiers: ids,
        links,
        location,
    }
}

fn tool() -> Tool {
    Tool {
        id: "atalaia",
        name: "atalaia",
        url: super::sarif::INFORMATION_URI,
        vendor: Vendor { name: "atalaia" },
        version: env!("CARGO_PKG_VERSION"),
    }
}

fn document(report: &Report, ty: ReportType) -> Document {
    let time = report
        .created_at
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    let vulnerabilities = report
        .results
        .iter()
        .flat_map(|res| {
            res.vulnerabilities
                .iter()
                .map(move |v| vulnerability(report, res, v, ty))
        })
        .collect();
    Document {
        version: SCHEMA_VERSION,
        scan: Scan {
            analyzer: tool(),
            scanner: tool(),
            ty: ty.scan_type(),
            start_time: time.clone(),
            end_time: time,
            status: "success",
        },
        vulnerabilities,
        remediations: [],
    }
}

/// Writes the report as a GitLab container-scanning or dependency-scanning report.
pub fn write(report: &Report, ty: ReportType, out: &mut dyn Write) -> Result<(), ReportError> {
    let format = match ty {
        ReportType::ContainerScanning => "gitlab",
        ReportType::DependencyScanning => "gitlab-ds",
    };
    let mut buf = serde_json::to_vec_pretty(&document(report, ty))
        .map_err(|err| ReportError::Serialize { format, err })?;
    buf.push(b'\n');
    out.write_all(&buf)
        .map_err(|err| ReportError::Io { format, err })
}

/// One issue of GitLab's code-quality report (Code Climate's format).
#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    ty: &'static str,
    check_name: &'static str,
    categories: [&'static str; 1],
    description: String,
    fingerprint: String,
    content: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// Code Climate's severity for a Trivy severity name (as `contrib/gitlab-codequality.tpl`).
fn code_quality_severity(s: &str) -> &'static str {
    match s {
        "CRITICAL" => "critical",
        "HIGH" => "major",
        "MEDIUM" => "minor",
        _ => "info",
    }
}

fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..20])
}

/// Writes the report as a GitLab code-quality report (`--format template --template
/// @contrib/gitlab-codequality.tpl` in Trivy): one issue per vulnerability (at line 0 of the
/// result's target, as Trivy's template) and per secret (at its line), with a fingerprint
/// stable across runs.
pub fn write_code_quality(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    let format = "gitlab-codequality";
    let mut issues = Vec::new();
    for res in &report.results {
        for v in &res.vulnerabilities {
            issues.push(Issue {
                ty: "issue",
                check_name: "container_scanning",
                categories: ["Security"],
                description: [
                    v.vulnerability_id.as_str(),
                    &v.pkg_name,
                    &v.installed_version,
                    &v.title,
                ]
                .join(" - "),
                fingerprint: fingerprint(&[
                    &v.vulnerability_id,
                    &v.pkg_name,
                    &v.installed_version,
                    &v.pkg_path,
                    &res.target,
                ]),
                content: v.description.to_string(),
                severity: code_quality_severity(v.severity.as_str()),
                location: IssueLocation {
                    path: res.target.clone(),
                    lines: Lines { begin: 0 },
                },
            });
        }
        for sec in &res.secrets {
            let f = &sec.finding;
            issues.push(Issue {
                ty: "issue",
                check_name: "container_scanning",
                categories: ["Security"],
                description: ["Secret", f.rule_id.as_str(), &f.title].join(" - "),
                fingerprint: fingerprint(&[
                    &f.rule_id,
                    &f.title,
                    &res.target,
                    &f.start_line.to_string(),
                ]),
                content: f.title.clone(),
                severity: code_quality_severity(f.severity.as_str()),
                location: IssueLocation {
                    path: res.target.clone(),
                    lines: Lines {
                        begin: f.start_line,
                    },
                },
            });
        }
    }
    let mut buf =
        serde_json::to_vec_pretty(&issues).map_err(|err| ReportError::Serialize { format, err })?;
    buf.push(b'\n');
    out.write_all(&buf)
        .map_err(|err| ReportError::Io { format, err })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_have_types_and_urls() {
        let i = identifier("CVE-2024-1", "https://avd.aquasec.com/nvd/cve-2024-1");
        assert_eq!(
            (i.ty.as_str(), i.url.as_str()),
            ("cve", "https://avd.aquasec.com/nvd/cve-2024-1")
        );
        let i = identifier("CVE-2024-1", "");
        assert_eq!(i.url, "https://nvd.nist.gov/vuln/detail/CVE-2024-1");
        let i = identifier(
            "GHSA-aaaa-bbbb-cccc",
            "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
        );
        assert_eq!(i.ty, "ghsa");
        assert_eq!(i.url, "https://github.com/advisories/GHSA-aaaa-bbbb-cccc");
        let i = identifier("DSA-5376-1", "");
        assert_eq!((i.ty.as_str(), i.url.as_str()), ("dsa", ""));
        assert_eq!(identifier("TEMP", "").ty, "advisory");
    }

    #[test]
    fn ids_are_uuid_shaped_and_stable() {
        let a = finding_id(&["x", "y"]);
        assert_eq!(a, finding_id(&["x", "y"]));
        assert_ne!(a, finding_id(&["xy", ""]));
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }
}
