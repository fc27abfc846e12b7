//! From an advisory and its vulnerability to what a report shows: the data source, the
//! severity and who rated it, per-source ratings and CVSS, and the primary URL.
//!
//! Severity follows Trivy's `auto` order: an OS package's vendor rating when the advisory has
//! one; otherwise the matched data source's own rating, then GHSA for `GHSA-` IDs, then NVD,
//! then the first source in a fixed preference order that rates it.

use std::collections::BTreeMap;

use atalaia_vulndb::{CvssVersion, VulnerabilityRecord};

use crate::model::{Cvss, DataSource, Severity};

/// The Trivy data source of an advisory, from its source folder (`osv/ghsa`, `alpine-secdb/v3.10`)
/// and namespace.
pub(crate) fn data_source(source: &str, namespace: &str) -> DataSource {
    let first = source.split('/').next().unwrap_or(source);
    let second = source.split('/').nth(1).unwrap_or("");
    let ds = |id: &str, name: &str, url: &str| DataSource {
        id: id.to_owned(),
        name: name.to_owned(),
        url: url.to_owned(),
    };
    let tag = |s: &str| format!("{first}/{s}");
    let kind = if first == "osv" || first == "samples" {
        tag(second)
    } else {
        first.to_owned()
    };
    match kind.as_str() {
        "alpine-secdb" => ds("alpine", "Alpine Secdb", "https://secdb.alpinelinux.org/"),
        "debian-tracker" => ds(
            "debian",
            "Debian Security Tracker",
            "https://salsa.debian.org/security-tracker-team/security-tracker",
        ),
        "wolfi-secdb" => ds(
            "wolfi",
            "Wolfi Secdb",
            "https://packages.wolfi.dev/os/security.json",
        ),
        "azurelinux-oval" => ds(
            "azure",
            "Azure Linux Vulnerability Data",
            "https://github.com/microsoft/AzureLinuxVulnerabilityData",
        ),
        "osv/almalinux" => ds(
            "alma",
            "AlmaLinux Product Errata",
            "https://errata.almalinux.org/",
        ),
        "osv/ghsa" | "samples/ghsa" => {
            let eco = match namespace {
                "PyPI" => "pip",
                "crates.io" => "rust",
                "Packagist" => "composer",
                other => other,
            };
            ds(
                "ghsa",
                &format!("GitHub Security Advisory {namespace}"),
                &format!(
                    "https://github.com/advisories?query=type%3Areviewed+ecosystem%3A{}",
                    eco.to_ascii_lowercase()
                ),
            )
        }
        "osv/pypa" => ds(
            "osv",
            "Python Packaging Advisory Database",
            "https://github.com/pypa/advisory-db",
        ),
        "osv/rustsec" => ds(
            "osv",
            "RustSec Advisory Database",
            "https://github.com/RustSec/advisory-db",
        ),
        "osv/go" => ds(
            "govulndb",
            "The Go Vulnerability Database",
            "https://pkg.go.dev/vuln/",
        ),
        "rubysec" => ds(
            "ruby-advisory-db",
            "Ruby Advisory Database",
            "https://github.com/rubysec/ruby-advisory-db",
        ),
        "composer" => ds(
            "php-security-advisories",
            "PHP Security Advisories Database",
            "https://github.com/FriendsOfPHP/security-advisories",
        ),
        "npm" => ds(
            "nodejs-security-wg",
            "Node.js Ecosystem Security Working Group",
            "https://github.com/nodejs/security-wg",
        ),
        _ => {
            // A feed this table does not know: name it by its namespace's family.
            let id = namespace
                .split(' ')
                .next()
                .unwrap_or(namespace)
                .to_ascii_lowercase();
            ds(&id, source, "")
        }
    }
}

/// The severity-source key of a database severity entry's `source` (`ghsa`, `nvd`, `pysec` …),
/// as Trivy names the sources.
fn source_key(source: &str) -> String {
    match source {
        "pysec" | "pypa" | "rustsec" => "osv".to_owned(),
        "go" => "govulndb".to_owned(),
        "rubysec" => "ruby-advisory-db".to_owned(),
        "nodejs" => "nodejs-security-wg".to_owned(),
        "friendsofphp" | "composer" => "php-security-advisories".to_owned(),
        "almalinux" => "alma".to_owned(),
        "azurelinux" => "azure".to_owned(),
        other => other.to_owned(),
    }
}

/// Trivy's fallback order of sources (`AllSourceIDs`).
const SOURCE_ORDER: &[&str] = &[
    "nvd",
    "redhat",
    "redhat-oval",
    "debian",
    "ubuntu",
    "alpine",
    "amazon",
    "oracle-oval",
    "suse-cvrf",
    "photon",
    "arch-linux",
    "alma",
    "rocky",
    "cbl-mariner",
    "azure",
    "ruby-advisory-db",
    "php-security-advisories",
    "nodejs-security-wg",
    "ghsa",
    "glad",
    "aqua",
    "osv",
    "k8s",
    "wolfi",
    "chainguard",
    "bitnami",
    "govulndb",
    "julia",
];

/// The severity, its source, every source's rating and CVSS.
pub(crate) struct Rating {
    pub(crate) severity: Severity,
    pub(crate) source: String,
    pub(crate) vendor_severity: BTreeMap<String, u8>,
    pub(crate) cvss: BTreeMap<String, Cvss>,
}

/// What of an advisory rates a finding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rated<'a> {
    /// The canonical vulnerability ID.
    pub(crate) vulnerability_id: &'a str,
    /// The vendor's advisory ID.
    pub(crate) vendor_id: Option<&'a str>,
    /// The advisory's own per-package rating (OS feeds).
    pub(crate) severity: Option<&'a str>,
}

/// Rates a finding.
pub(crate) fn rate(
    ds: &DataSource,
    advisory: Rated<'_>,
    vuln: Option<&VulnerabilityRecord>,
    os: bool,
) -> Rating {
    // A record has a handful of sources: small vectors searched in line, not maps (this runs
    // once per finding specification, thousands of times in a large scan).
    let mut vendor_severity: Vec<(String, Severity)> = Vec::new();
    let mut cvss: BTreeMap<String, Cvss> = BTreeMap::new();
    if let Some(v) = vuln {
        // Per source: the label wins over scores (v4, then v3, then v2), as Trivy rates a
        // record; among equal ranks the first statement stays.
        let mut scored: Vec<(String, u8, Severity)> = Vec::new();
        for e in v.severities() {
            let key = source_key(e.source);
            if let (Some(version), Some(vector)) = (e.cvss_version, e.vector) {
                if !cvss.contains_key(&key) {
                    cvss.insert(key.clone(), Cvss::default());
                }
                if let Some(c) = cvss.get_mut(&key) {
                    match version {
                        CvssVersion::V2 => {
                            c.v2_vector.get_or_insert_with(|| vector.to_owned());
                            if c.v2_score.is_none() {
                                c.v2_score = e.score;
                            }
                        }
                        CvssVersion::V3 => {
                            c.v3_vector.get_or_insert_with(|| vector.to_owned());
                            if c.v3_score.is_none() {
                                c.v3_score = e.score;
                            }
                        }
                        CvssVersion::V4 => {
                            c.v40_vector.get_or_insert_with(|| vector.to_owned());
                            if c.v40_score.is_none() {
                                c.v40_score = e.score;
                            }
                        }
                    }
                }
            }
            let candidate = match (e.label, e.score, e.cvss_version) {
                (Some(l), _, _) if Severity::from_label(l).is_some() => {
                    Severity::from_label(l).map(|s| (10, s))
                }
                (_, Some(score), Some(CvssVersion::V4)) => Some((3, Severity::from_score(score))),
                (_, Some(score), Some(CvssVersion::V3)) => Some((2, Severity::from_score(score))),
                (_, Some(score), _) => Some((1, Severity::from_score(score))),
                _ => None,
            };
            if let Some((rank, sev)) = candidate {
                match scored.iter_mut().find(|(k, _, _)| *k == key) {
                    Some(slot) if rank > slot.1 => {
                        slot.1 = rank;
                        slot.2 = sev;
                    }
                    Some(_) => {}
                    None => scored.push((key, rank, sev)),
                }
            }
        }
        vendor_severity.extend(scored.into_iter().map(|(k, _, s)| (k, s)));
    }
    let label = advisory.severity.and_then(Severity::from_label);
    if let Some(label) = label {
        match vendor_severity.iter_mut().find(|(k, _)| *k == ds.id) {
            Some(slot) => slot.1 = label,
            None => vendor_severity.push((ds.id.clone(), label)),
        }
    }
    let ghsa = advisory.vulnerability_id.starts_with("GHSA-")
        || advisory.vendor_id.is_some_and(|v| v.starts_with("GHSA-"));
    let order = std::iter::once(ds.id.as_str())
        .chain(ghsa.then_some("ghsa"))
        .chain(["nvd"])
        .chain(SOURCE_ORDER.iter().copied());
    let of = |k: &str| {
        vendor_severity
            .iter()
            .find(|(vk, _)| vk == k)
            .map(|(_, s)| *s)
    };
    let chosen = match label {
        Some(s) if os => Some((s, ds.id.clone())),
        _ => order
            .into_iter()
            .find_map(|k| of(k).map(|s| (s, k.to_owned())))
            // Any source at all, the first by name, so the choice is deterministic.
            .or_else(|| {
                vendor_severity
                    .iter()
                    .min_by(|a, b| a.0.cmp(&b.0))
                    .map(|(k, s)| (*s, k.clone()))
            }),
    };
    let (severity, source) = chosen.unwrap_or((Severity::Unknown, String::new()));
    Rating {
        severity,
        source,
        vendor_severity: vendor_severity
            .into_iter()
            .map(|(k, s)| (k, s.as_number()))
            .collect(),
        cvss,
    }
}

/// The page a report links a vulnerability to.
pub(crate) fn primary_url(id: &str, vuln: Option<&VulnerabilityRecord>) -> String {
    if id.starts_with("CVE-") {
        format!("https://avd.aquasec.com/nvd/{}", id.to_ascii_lowercase())
    } else if id.starts_with("RUSTSEC-") || id.starts_with("PYSEC-") {
        format!("https://osv.dev/vulnerability/{id}")
    } else if id.starts_with("GHSA-") {
        format!("https://github.com/advisories/{id}")
    } else if id.starts_with("GO-") {
        format!("https://pkg.go.dev/vuln/{id}")
    } else if id.starts_with("TEMP-") {
        format!("https://security-tracker.debian.org/tracker/{id}")
    } else {
        let Some(v) = vuln else {
            return String::new();
        };
        v.references()
            .find(|r| r.contains(id))
            .or_else(|| v.references().next())
            .map(str::to_owned)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_vulndb::{SeverityEntry, Vulnerability};

    struct Adv {
        source: &'static str,
        ns: &'static str,
        severity: Option<&'static str>,
    }

    fn adv(source: &'static str, ns: &'static str, severity: Option<&'static str>) -> Adv {
        Adv {
            source,
            ns,
            severity,
        }
    }

    fn data_source(a: &Adv) -> DataSource {
        super::data_source(a.source, a.ns)
    }

    fn rate(ds: &DataSource, a: &Adv, vuln: Option<&Vulnerability>, os: bool) -> Rating {
        let rated = Rated {
            vulnerability_id: "CVE-2023-1",
            vendor_id: None,
            severity: a.severity,
        };
        let record = vuln.map(VulnerabilityRecord::from_vulnerability);
        super::rate(ds, rated, record.as_ref(), os)
    }

    fn vuln(entries: Vec<SeverityEntry>) -> Vulnerability {
        Vulnerability {
            id: "CVE-2023-1".into(),
            aliases: vec![],
            title: None,
            description: None,
            cwes: vec![],
            references: vec![],
            published: None,
            modified: None,
            severities: entries,
            kev: None,
        }
    }

    fn entry(
        source: &str,
        label: Option<&str>,
        v: Option<CvssVersion>,
        score: Option<f64>,
    ) -> SeverityEntry {
        SeverityEntry {
            source: source.into(),
            label: label.map(str::to_owned),
            cvss_version: v,
            vector: v.map(|_| "CVSS:3.1/AV:N".to_owned()),
            score,
        }
    }

    #[test]
    fn os_vendor_label_wins() {
        let a = adv("debian-tracker/DSA", "debian 12", Some("unimportant"));
        let v = vuln(vec![entry("ghsa", Some("CRITICAL"), None, None)]);
        let r = rate(&data_source(&a), &a, Some(&v), true);
        assert_eq!((r.severity, r.source.as_str()), (Severity::Low, "debian"));
        assert_eq!(r.vendor_severity.get("ghsa"), Some(&4));
    }

    #[test]
    fn language_prefers_own_source_then_ghsa_then_nvd() {
        let a = adv("osv/ghsa", "npm", None);
        let v = vuln(vec![
            entry("nvd", None, Some(CvssVersion::V3), Some(9.8)),
            entry("ghsa", Some("MODERATE"), Some(CvssVersion::V3), Some(5.3)),
        ]);
        let r = rate(&data_source(&a), &a, Some(&v), false);
        assert_eq!((r.severity, r.source.as_str()), (Severity::Medium, "ghsa"));
        assert_eq!(r.cvss["nvd"].v3_score, Some(9.8));
        let a = adv("osv/pypa", "PyPI", None);
        let v = vuln(vec![entry("nvd", None, Some(CvssVersion::V3), Some(9.8))]);
        let r = rate(&data_source(&a), &a, Some(&v), false);
        assert_eq!((r.severity, r.source.as_str()), (Severity::Critical, "nvd"));
        let r = rate(&data_source(&a), &a, None, false);
        assert_eq!((r.severity, r.source.as_str()), (Severity::Unknown, ""));
    }

    #[test]
    fn primary_urls() {
        assert_eq!(
            primary_url("CVE-2021-3711", None),
            "https://avd.aquasec.com/nvd/cve-2021-3711"
        );
        assert_eq!(
            primary_url("GHSA-jfh8-c2jp-5v3q", None),
            "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q"
        );
        assert_eq!(
            primary_url(
                "X-1",
                Some(&VulnerabilityRecord::from_vulnerability(&Vulnerability {
                    references: vec!["https://b".into(), "https://a/X-1".into()],
                    ..vuln(vec![])
                }))
            ),
            "https://a/X-1"
        );
    }
}
