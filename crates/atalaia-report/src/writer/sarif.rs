//! The SARIF 2.1.0 writer: the log Trivy's `--format sarif` writes, with atalaia as the tool.
//!
//! Code-scanning services (GitHub, GitLab, Azure DevOps) read the same fields Trivy fills, so
//! this writer keeps Trivy's layout (`pkg/report/sarif.go`):
//!
//! - one run; `tool.driver` is atalaia with its `informationUri` and version;
//! - one rule per vulnerability ID or secret rule ID (first-seen order, `ruleIndex` pointing
//!   into it); rule `name` is `OsPackageVulnerability`, `LanguageSpecificPackageVulnerability`
//!   or `Secret`; the rule's texts, `defaultConfiguration.level` and `properties` (`tags`,
//!   `precision`, `security-severity` and the CVSS vectors/scores of the severity source) are
//!   those of the last finding with that ID, as in Trivy;
//! - levels from severity: CRITICAL/HIGH `error`, MEDIUM `warning`, LOW/UNKNOWN `note`;
//! - `security-severity` is the severity source's CVSS v3 score, else 9.5/8.0/5.5/2.0/0.0 by
//!   severity;
//! - a result per finding, with Trivy's message text, located at the package's file (for OS
//!   packages, the image repository, e.g. `library/alpine`) and at the lockfile lines that
//!   declare the package when known (line 1 otherwise); secrets at their lines, with the
//!   redacted match as the rule's full description and in the message;
//! - for images, run properties `imageName`, `imageID`, `repoDigests`, `repoTags`.
//!
//! Output is two-space-indented JSON with a trailing newline; map keys are written in a fixed
//! order, so identical reports give identical bytes.

use std::collections::BTreeMap;
use std::io::Write;

use atalaia_detect::DetectedVulnerability;
use atalaia_types::ArtifactKind;
use serde::Serialize;
use serde_json::Value;

use crate::{Report, ReportError, ReportPackage, ReportResult, ReportSecret, ResultClass};

/// The SARIF schema the log declares.
pub const SCHEMA_URI: &str =
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json";

/// Where to read about atalaia (the driver's `informationUri`, the workspace's repository).
pub const INFORMATION_URI: &str = "https://example.invalid/atalaia";

/// The tool version written in `tool.driver.version`.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Serialize)]
struct Log<'a> {
    version: &'static str,
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    full_name: &'static str,
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Rule>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    #[serde(skip_serializing_if = "String::is_empty")]
    help_uri: String,
    help: Help,
    properties: BTreeMap<&'static str, Value>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    #[serde(rename = "imageID")]
    image_id: &'a str,
    image_name: &'a str,
    repo_digests: &'a [String],
    repo_tags: &'a [String],
}

/// What one finding contributes: its rule and its result.
struct Finding {
    id: String,
    rule_name: &'static str,
    tag: &'static str,
    severity: &'static str,
    security_severity: String,
    cvss: BTreeMap<&'static str, Value>,
    help_uri: String,
    short_description: String,
    full_description: String,
    help_text: String,
    help_markdown: String,
    message: String,
    artifact_uri: String,
    location_message: String,
    lines: Vec<(usize, usize)>,
}

/// The SARIF level of a Trivy severity name.
pub(crate) fn level(severity: &str) -> &'static str {
    match severity {
        "CRITICAL" | "HIGH" => "error",
        "MEDIUM" => "warning",
        "LOW" | "UNKNOWN" => "note",
        _ => "none",
    }
}

/// Trivy's stand-in score for a severity without a CVSS v3 score.
fn severity_score(severity: &str) -> &'static str {
    match severity {
        "CRITICAL" => "9.5",
        "HIGH" => "8.0",
        "MEDIUM" => "5.5",
        "LOW" => "2.0",
        _ => "0.0",
    }
}

fn rule_name(class: ResultClass) -> &'static str {
    match class {
        ResultClass::OsPkgs => "OsPackageVulnerability",
        ResultClass::LangPkgs => "LanguageSpecificPackageVulnerability",
        ResultClass::Secret => "Secret",
        ResultClass::Config => "Misconfiguration",
    }
}

/// The repository part of an image reference (`alpine:3.20` → `library/alpine`,
/// `ghcr.io/org/app@sha256:…` → `org/app`), or `None` when `s` is not an image reference.
fn image_repository(s: &str) -> Option<String> {
    if s.is_empty() || s.contains(char::is_whitespace) || s.starts_with(['/', '.']) {
        return None;
    }
    let without_digest = s.split_once('@').map_or(s, |(n, _)| n);
    // A tag is after the last `:` that follows the last `/`.
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let name = match without_digest[last_slash..].rfind(':') {
        Some(i) => &without_digest[..last_slash + i],
        None => without_digest,
    };
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        if first.contains(['.', ':']) || first == "localhost" {
            parts.remove(0);
        }
    }
    let valid = |p: &&str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    };
    if parts.is_empty() || !parts.iter().all(valid) {
        return None;
    }
    if parts.len() == 1 {
        parts.insert(0, "library");
    }
    Some(parts.join("/"))
}

/// Trivy's `ToPathUri`: OS results name the artifact followed by `(family release)`; the
/// location is the image repository when the artifact is an image reference, else the path.
fn path_uri(target: &str, class: ResultClass) -> String {
    if class != ResultClass::OsPkgs {
        return target.replace('\\', "/");
    }
    let path = match target.find(" (") {
        Some(i) if target.ends_with(')') => &target[..i],
        _ => target,
    };
    image_repository(path).unwrap_or_else(|| path.replace('\\', "/"))
}

/// Percent-encodes what a URI path may not hold, as Go's `url.URL.String` does for paths.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn package_lines(pkgs: &[ReportPackage], name: &str, version: &str) -> Vec<(usize, usize)> {
    pkgs.iter()
        .find(|p| p.name == name && (p.version == version || full_version(p) == version))
        .map(|p| {
            p.locations
                .iter()
                .map(|l| (l.start_line as usize, l.end_line as usize))
                .collect()
        })
        .unwrap_or_default()
}

fn full_version(p: &ReportPackage) -> String {
    let mut v = String::new();
    if p.epoch != 0 {
        v.push_str(&format!("{}:", p.epoch));
    }
    v.push_str(&p.version);
    if !p.release.is_empty() {
        v.push('-');
        v.push_str(&p.release);
    }
    v
}

fn cvss_data(v: &DetectedVulnerability) -> (BTreeMap<&'static str, Value>, String) {
    let severity = v.severity.as_str();
    let mut score = severity_score(severity).to_owned();
    let mut data = BTreeMap::new();
    if let Some(c) = v.cvss.get(v.severity_source.as_str()) {
        let mut put_str = |k: &'static str, s: &Option<String>| {
            if let Some(s) = s.as_deref().filter(|s| !s.is_empty()) {
                data.insert(k, Value::from(s));
            }
        };
        put_str("cvssv2_vector", &c.v2_vector);
        put_str("cvssv3_vector", &c.v3_vector);
        put_str("cvssv40_vector", &c.v40_vector);
        for (k, s) in [
            ("cvssv2_score", c.v2_score),
            ("cvssv3_baseScore", c.v3_score),
            ("cvssv40_baseScore", c.v40_score),
        ] {
            if let Some(s) = s.filter(|s| *s != 0.0) {
                data.insert(k, Value::from(s));
            }
        }
        if let Some(s) = c.v3_score.filter(|s| *s != 0.0) {
            score = format!("{s:.1}");
        }
    }
    (data, score)
}

fn vulnerability(res: &ReportResult, target: &str, v: &DetectedVulnerability) -> Finding {
    let severity = v.severity.as_str();
    let path = if v.pkg_path.is_empty() {
        target.to_owned()
    } else {
        path_uri(&v.pkg_path, res.class)
    };
    let (cvss, security_severity) = cvss_data(v);
    let full_description = if v.description.is_empty() {
        v.title.clone()
    } else {
        v.description.clone()
    };
    let id = &v.vulnerability_id;
    let (pkg, fixed, url) = (&v.pkg_name, &v.fixed_version, &v.primary_url);
    Finding {
        id: id.to_string(),
        rule_name: rule_name(res.class),
        tag: "vulnerability",
        severity,
        security_severity,
        cvss,
        help_uri: uri_or_empty(url),
        short_description: v.title.to_string(),
        full_description: full_description.to_string(),
        help_text: format!(
            "Vulnerability {id}\nSeverity: {severity}\nPackage: {pkg}\nFixed Version: {fixed}\nLink: [{id}]({url})\n{}",
            v.description
        ),
        help_markdown: format!(
            "**Vulnerability {id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|{severity}|{pkg}|{fixed}|[{id}]({url})|\n\n{}",
            v.description
        ),
        message: format!(
            "Package: {pkg}\nInstalled Version: {}\nVulnerability {id}\nSeverity: {severity}\nFixed Version: {fixed}\nLink: [{id}]({url})",
            v.installed_version
        ),
        artifact_uri: uri(&path),
        location_message: format!("{path}: {pkg}@{}", v.installed_version),
        lines: package_lines(&res.packages, pkg, &v.installed_version),
    }
}

fn uri_or_empty(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        uri(s)
    }
}

fn secret(res: &ReportResult, target: &str, s: &ReportSecret) -> Finding {
    let f = &s.finding;
    let severity = f.severity.as_str();
    let (title, m) = (&f.title, &f.r#match);
    Finding {
        id: f.rule_id.clone(),
        rule_name: rule_name(res.class),
        tag: "secret",
        severity,
        security_severity: severity_score(severity).to_owned(),
        cvss: BTreeMap::new(),
        help_uri: INFORMATION_URI.to_owned(),
        short_description: title.clone(),
        full_description: m.clone(),
        help_text: format!("Secret {title}\nSeverity: {severity}\nMatch: {m}"),
        help_markdown: format!(
            "**Secret {title}**\n| Severity | Match |\n| --- | --- |\n|{severity}|{m}|"
        ),
        message: format!(
            "Artifact: {}\nType: {}\nSecret {title}\nSeverity: {severity}\nMatch: {m}",
            res.target, res.ty
        ),
        artifact_uri: uri(target),
        location_message: target.to_owned(),
        lines: vec![(f.start_line, f.end_line)],
    }
}

fn locations(f: &Finding) -> Vec<Location> {
    let lines = if f.lines.is_empty() {
        vec![(1, 1)]
    } else {
        f.lines.clone()
    };
    lines
        .into_iter()
        .map(|(start, end)| {
            let (start, end) = if start == 0 && end == 0 {
                (1, 1)
            } else {
                (start.max(1), end.max(start.max(1)))
            };
            Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: f.artifact_uri.clone(),
                        uri_base_id: Some("ROOTPATH"),
                    },
                    region: Region {
                        start_line: start,
                        start_column: 1,
                        end_line: end,
                        end_column: 1,
                    },
                },
                message: Text {
                    text: f.location_message.clone(),
                },
            }
        })
        .collect()
}

fn rule(f: &Finding) -> Rule {
    let mut properties: BTreeMap<&'static str, Value> = f.cvss.clone();
    properties.insert("tags", Value::from(vec![f.tag, "security", f.severity]));
    properties.insert("precision", Value::from("very-high"));
    properties.insert(
        "security-severity",
        Value::from(f.security_severity.clone()),
    );
    Rule {
        id: f.id.clone(),
        name: f.rule_name,
        short_description: Text {
            text: f.short_description.clone(),
        },
        full_description: Text {
            text: f.full_description.clone(),
        },
        default_configuration: Configuration {
            level: level(f.severity),
        },
        help_uri: f.help_uri.clone(),
        help: Help {
            text: f.help_text.clone(),
            markdown: f.help_markdown.clone(),
        },
        properties,
    }
}

fn log(report: &Report) -> Log<'_> {
    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut results = Vec::new();
    let mut add = |f: Finding| {
        let index = match rule_index.get(&f.id) {
            Some(&i) => {
                rules[i] = rule(&f);
                i
            }
            None => {
                rule_index.insert(f.id.clone(), rules.len());
                rules.push(rule(&f));
                rules.len() - 1
            }
        };
        results.push(SarifResult {
            rule_id: f.id.clone(),
            rule_index: index,
            level: level(f.severity),
            message: Text {
                text: f.message.clone(),
            },
            locations: locations(&f),
        });
    };
    for res in &report.results {
        let target = path_uri(&res.target, res.class);
        for v in &res.vulnerabilities {
            add(vulnerability(res, &target, v));
        }
        for s in &res.secrets {
            add(secret(res, &target, s));
        }
    }

    let original_uri_base_ids = (report.artifact_type != ArtifactKind::ContainerImage
        && report.artifact_name.starts_with('/'))
    .then(|| {
        let root = report.artifact_name.trim_end_matches('/');
        BTreeMap::from([(
            "ROOTPATH",
            ArtifactLocation {
                uri: format!("file://{}/", uri(root)),
                uri_base_id: None,
            },
        )])
    });
    let properties =
        (report.artifact_type == ArtifactKind::ContainerImage).then(|| RunProperties {
            image_id: &report.metadata.image_id,
            image_name: &report.artifact_name,
            repo_digests: &report.metadata.repo_digests,
            repo_tags: &report.metadata.repo_tags,
        });
    Log {
        version: "2.1.0",
        schema: SCHEMA_URI,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    full_name: "atalaia vulnerability scanner",
                    information_uri: INFORMATION_URI,
                    name: "atalaia",
                    rules,
                    version: VERSION,
                },
            },
            results,
            column_kind: "utf16CodeUnits",
            original_uri_base_ids,
            properties,
        }],
    }
}

/// Writes the report as a SARIF 2.1.0 log.
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut buf =
        serde_json::to_vec_pretty(&log(report)).map_err(|err| ReportError::Serialize {
            format: "sarif",
            err,
        })?;
    buf.push(b'\n');
    out.write_all(&buf).map_err(|err| ReportError::Io {
        format: "sarif",
        err,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_repositories_as_trivy_names_them() {
        assert_eq!(
            image_repository("alpine:3.20").as_deref(),
            Some("library/alpine")
        );
        assert_eq!(
            image_repository("ghcr.io/org/app@sha256:abcd").as_deref(),
            Some("org/app")
        );
        assert_eq!(
            image_repository("localhost:5000/team/app:1.0").as_deref(),
            Some("team/app")
        );
        assert_eq!(image_repository("./some/dir"), None);
        assert_eq!(image_repository("/abs/path"), None);
        assert_eq!(image_repository("My Dir"), None);
    }

    #[test]
    fn os_targets_become_repositories_and_paths_stay() {
        assert_eq!(
            path_uri("alpine:3.20 (alpine 3.20.3)", ResultClass::OsPkgs),
            "library/alpine"
        );
        assert_eq!(
            path_uri("/srv/root (debian 12.8)", ResultClass::OsPkgs),
            "/srv/root"
        );
        assert_eq!(
            path_uri("srv\\web\\package-lock.json", ResultClass::LangPkgs),
            "srv/web/package-lock.json"
        );
    }

    #[test]
    fn levels_and_scores_follow_severity() {
        assert_eq!(level("CRITICAL"), "error");
        assert_eq!(level("HIGH"), "error");
        assert_eq!(level("MEDIUM"), "warning");
        assert_eq!(level("LOW"), "note");
        assert_eq!(level("UNKNOWN"), "note");
        assert_eq!(level("bogus"), "none");
        assert_eq!(severity_score("HIGH"), "8.0");
    }

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("a b/c%d#e?f"), "a%20b/c%25d%23e%3Ff");
        assert_eq!(uri("é"), "%C3%A9");
    }
}
