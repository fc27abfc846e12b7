//! The Debian security tracker: the `DSA/list`, `DLA/list`, `DTSA/list` advisory lists, the
//! per-CVE `data/CVE/list`, and the tracker's JSON export.
//!
//! List grammar (after the tracker's `lib/python/sectracker/parsers.py`): a header at column 0
//! (`[29 Mar 2023] DSA-5376-1 apache2 - security update`, DTSA writes `[August 26th, 2005]`,
//! `data/CVE/list` writes `CVE-2021-36367 (description…)`), then indented annotations:
//! `{CVE-… CVE-…}`, `[bullseye] - apache2 2.4.56-1~deb11u1 (urgency; bug #N)`, a pseudo-version
//! in angle brackets (`<not-affected>`, `<end-of-life>`, `<unfixed>`, `<no-dsa>`, `<ignored>`,
//! `<postponed>`, `<removed>`, `<itp>`, `<undetermined>`), `- pkg version` for unstable, and
//! `NOTE:`, `TODO:`, `NOT-FOR-US:`, `RESERVED`, `REJECTED` lines.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{label_entry, nullable, Affected, FeedRecord, FileOutput, Format, RecordKind};
use crate::model::Status;
use crate::VulnDbError;

/// The Debian release number of a codename (`bullseye` → `11`); `sid` stays `sid`.
pub(crate) fn release_of(codename: &str) -> Option<&'static str> {
    Some(match codename {
        "buzz" => "1.1",
        "rex" => "1.2",
        "bo" => "1.3",
        "hamm" => "2.0",
        "slink" => "2.1",
        "potato" => "2.2",
        "woody" => "3.0",
        "sarge" => "3.1",
        "etch" => "4",
        "lenny" => "5",
        "squeeze" => "6",
        "wheezy" => "7",
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "duke" => "15",
        "sid" | "unstable" => "sid",
        _ => return None,
    })
}

fn namespace_of(codename: &str, out: &mut FileOutput, path: &Path) -> Option<String> {
    match release_of(codename) {
        Some(r) => Some(format!("debian {r}")),
        None => {
            out.warnings.push(format!(
                "`{}`: unknown Debian codename `{codename}`, line not loaded",
                path.display()
            ));
            None
        }
    }
}

/// A `[release] - pkg version (flags)` or `- pkg version (flags)` annotation.
struct PackageLine<'a> {
    release: Option<&'a str>,
    package: &'a str,
    /// The version, or the pseudo-version without its angle brackets.
    version: Option<&'a str>,
    pseudo: Option<&'a str>,
    urgency: Option<&'a str>,
}

fn package_line(line: &str) -> Option<PackageLine<'_>> {
    let line = line.trim();
    let (release, rest) = if let Some(r) = line.strip_prefix('[') {
        let (release, rest) = r.split_once(']')?;
        (Some(release.trim()), rest.trim_start())
    } else {
        (None, line)
    };
    let rest = rest.strip_prefix("- ")?.trim();
    let (main, flags) = match rest.split_once('(') {
        Some((m, f)) => (m.trim(), Some(f.trim_end_matches(')').trim())),
        None => (rest, None),
    };
    let mut words = main.split_whitespace();
    let package = words.next()?;
    let v = words.next();
    let (version, pseudo) = match v {
        Some(v) if v.starts_with('<') => (None, Some(v.trim_matches(|c| c == '<' || c == '>'))),
        Some(v) => (Some(v), None),
        None => (None, None),
    };
    let urgency = flags.and_then(|f| {
        f.split(';').map(str::trim).find(|w| {
            matches!(
                w.trim_end_matches('*'),
                "unimportant" | "low" | "medium" | "high"
            )
        })
    });
    Some(PackageLine {
        release,
        package,
        version,
        pseudo,
        urgency,
    })
}

fn status_of_pseudo(pseudo: &str) -> Option<Status> {
    Some(match pseudo {
        "not-affected" => Status::NotAffected,
        "end-of-life" => Status::EndOfLife,
        "unfixed" | "undetermined" => Status::Affected,
        "no-dsa" | "ignored" => Status::WillNotFix,
        "postponed" => Status::FixDeferred,
        _ => return None, // removed, itp: no package to match
    })
}

fn affected_of(pl: &PackageLine<'_>, namespace: String) -> Option<Affected> {
    let mut a = match (pl.version, pl.pseudo) {
        (Some("0"), _) => Affected::new(namespace, pl.package, Status::NotAffected),
        (Some(v), _) => Affected::new(namespace, pl.package, Status::Fixed).fixed_in("dpkg", v),
        (None, Some(p)) => Affected::new(namespace, pl.package, status_of_pseudo(p)?),
        (None, None) => return None,
    };
    a.severity = pl.urgency.map(|u| u.trim_end_matches('*').to_owned());
    Some(a)
}

/// `29 Mar 2023` or `August 26th, 2005` → `2023-03-29`.
fn iso_date(s: &str) -> Option<String> {
    let cleaned = s.replace(',', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let month = |m: &str| {
        let m = m.get(..3)?.to_ascii_lowercase();
        [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .position(|x| *x == m)
        .map(|i| i + 1)
    };
    let day = |d: &str| {
        d.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<u32>()
            .ok()
    };
    let (d, m, y) = match words.as_slice() {
        [a, b, c] if a.starts_with(|c: char| c.is_ascii_digit()) => {
            (day(a)?, month(b)?, c.parse::<u32>().ok()?)
        }
        [a, b, c] => (day(b)?, month(a)?, c.parse::<u32>().ok()?),
        _ => return None,
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn cve_refs(line: &str) -> impl Iterator<Item = &str> {
    line.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split_whitespace()
        .filter(|w| w.starts_with("CVE-"))
}

/// Parses `DSA/list`, `DLA/list` or `DTSA/list`.
pub(crate) fn parse_list(
    path: &Path,
    bytes: &[u8],
    format: Format,
) -> Result<FileOutput, VulnDbError> {
    let name = format.as_str();
    let text = std::str::from_utf8(bytes).map_err(|e| VulnDbError::feed(path, name, e))?;
    let mut out = FileOutput::default();
    let mut current: Option<FeedRecord> = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if let Some(rec) = current.take() {
                out.records.push(rec);
            }
            let (date, rest) = header.split_once(']').ok_or_else(|| {
                VulnDbError::feed(path, name, format!("line {}: header without `]`", n + 1))
            })?;
            let mut words = rest.split_whitespace();
            let id = words.next().filter(|w| w.contains('-')).ok_or_else(|| {
                VulnDbError::feed(
                    path,
                    name,
                    format!("line {}: header without an advisory ID", n + 1),
                )
            })?;
            let package = words.next().unwrap_or_default();
            let description = rest.split_once(" - ").map(|(_, d)| d.trim().to_owned());
            let mut rec = FeedRecord::new(id, RecordKind::Errata);
            rec.details.published = iso_date(date);
            out.bump_revision(rec.details.published.as_deref());
            rec.details.title = Some(match description {
                Some(d) => format!("{package}: {d}"),
                None => package.to_owned(),
            });
            out.record_count += 1;
            current = Some(rec);
            continue;
        }
        let Some(rec) = current.as_mut() else {
            return Err(VulnDbError::feed(
                path,
                name,
                format!("line {}: annotation before any advisory header", n + 1),
            ));
        };
        let t = line.trim();
        if t.starts_with('{') {
            rec.cves.extend(cve_refs(t).map(str::to_owned));
        } else if t.starts_with('[') || t.starts_with("- ") {
            let Some(pl) = package_line(t) else {
                out.warnings.push(format!(
                    "`{}` line {}: unreadable package line",
                    path.display(),
                    n + 1
                ));
                continue;
            };
            let Some(ns) = namespace_of(pl.release.unwrap_or("sid"), &mut out, path) else {
                continue;
            };
            if let Some(a) = affected_of(&pl, ns) {
                rec.affected.push(a);
            }
        }
        // NOTE:/TODO: lines are free text for humans.
    }
    if let Some(rec) = current.take() {
        out.records.push(rec);
    }
    Ok(out)
}

/// Parses `data/CVE/list`: one record per CVE, with one affected entry per release line.
pub(crate) fn parse_cve_list(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let name = Format::DebianCveList.as_str();
    let text = std::str::from_utf8(bytes).map_err(|e| VulnDbError::feed(path, name, e))?;
    let mut out = FileOutput::default();
    let mut current: Option<FeedRecord> = None;
    let mut skip_current = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            if let Some(rec) = current.take() {
                if !skip_current {
                    out.records.push(rec);
                }
            }
            let id = line.split_whitespace().next().unwrap_or_default();
            if !id.starts_with("CVE-") {
                return Err(VulnDbError::feed(
                    path,
                    name,
                    format!("line {}: header is not a CVE ID", n + 1),
                ));
            }
            out.record_count += 1;
            // `CVE-2023-XXXX [title]` entries have no ID yet; they cannot be merged or matched.
            skip_current = id.ends_with("XXXX");
            if skip_current {
                out.warnings.push(format!(
                    "`{}` line {}: `{id}` has no assigned ID yet, not loaded",
                    path.display(),
                    n + 1
                ));
            }
            let mut rec = FeedRecord::new(id, RecordKind::Advisory);
            let rest = line[id.len()..].trim();
            if let Some(d) = rest.strip_prefix('(') {
                rec.details.description = Some(d.trim_end_matches(')').trim().to_owned());
            } else if let Some(t) = rest.strip_prefix('[') {
                rec.details.title = Some(t.trim_end_matches(']').trim().to_owned());
            }
            current = Some(rec);
            continue;
        }
        let Some(rec) = current.as_mut() else {
            return Err(VulnDbError::feed(
                path,
                name,
                format!("line {}: annotation before any CVE header", n + 1),
            ));
        };
        let t = line.trim();
        if t.starts_with('[') || t.starts_with("- ") {
            let Some(pl) = package_line(t) else {
                out.warnings.push(format!(
                    "`{}` line {}: unreadable package line",
                    path.display(),
                    n + 1
                ));
                continue;
            };
            let Some(ns) = namespace_of(pl.release.unwrap_or("sid"), &mut out, path) else {
                continue;
            };
            if let Some(a) = affected_of(&pl, ns) {
                if let Some(u) = &a.severity {
                    rec.details.severities.push(label_entry("debian", u));
                }
                rec.affected.push(a);
            }
        } else if t.starts_with('{') {
            // Cross-references to DSA/DLA IDs: the advisories carry them.
        }
    }
    if let Some(rec) = current.take() {
        if !skip_current {
            out.records.push(rec);
        }
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
struct TrackerEntry {
    #[serde(default, deserialize_with = "nullable")]
    description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    releases: Releases,
}

/// `releases` is a mapping; the tracker writes an entry without any as `[]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Releases {
    Map(BTreeMap<String, TrackerRelease>),
    None([(); 0]),
}

impl Default for Releases {
    fn default() -> Self {
        Releases::None([])
    }
}

#[derive(Debug, Deserialize)]
struct TrackerRelease {
    #[serde(default, deserialize_with = "nullable")]
    status: String,
    #[serde(default, deserialize_with = "nullable")]
    fixed_version: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    urgency: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    nodsa: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    nodsa_reason: Option<String>,
}

/// Parses the tracker JSON: `{source package: {CVE: {description, releases: {codename: …}}}}`.
pub(crate) fn parse_tracker_json(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let name = Format::DebianTrackerJson.as_str();
    let data: BTreeMap<String, BTreeMap<String, TrackerEntry>> =
        serde_json::from_slice(bytes).map_err(|e| VulnDbError::feed(path, name, e))?;
    let mut out = FileOutput::default();
    for (package, cves) in data {
        for (cve, entry) in cves {
            out.record_count += 1;
            let mut rec = FeedRecord::new(cve, RecordKind::Advisory);
            rec.details.description = entry.description;
            let releases = match entry.releases {
                Releases::Map(m) => m,
                Releases::None(_) => BTreeMap::new(),
            };
            for (codename, r) in releases {
                let Some(ns) = namespace_of(&codename, &mut out, path) else {
                    continue;
                };
                let urgency = r
                    .urgency
                    .map(|u| u.trim_end_matches('*').to_owned())
                    .filter(|u| u != "not yet assigned");
                let mut a = match (r.status.as_str(), r.fixed_version.as_deref()) {
                    ("resolved", Some("0")) => {
                        Affected::new(ns, package.clone(), Status::NotAffected)
                    }
                    ("resolved", Some(v)) => {
                        Affected::new(ns, package.clone(), Status::Fixed).fixed_in("dpkg", v)
                    }
                    ("open" | "undetermined", _) => {
                        let status = match (r.nodsa.as_deref(), r.nodsa_reason.as_deref()) {
                            (_, Some("postponed")) => Status::FixDeferred,
                            (Some(_), _) | (_, Some("ignored")) => Status::WillNotFix,
                            _ => Status::Affected,
                        };
                        Affected::new(ns, package.clone(), status)
                    }
                    (other, _) => {
                        out.warnings.push(format!(
                            "`{}`: {package} {}: status `{other}` not understood",
                            path.display(),
                            rec.id
                        ));
                        continue;
                    }
                };
                if let Some(u) = &urgency {
                    rec.details.severities.push(label_entry("debian", u));
                }
                a.severity = urgency;
                rec.affected.push(a);
            }
            out.records.push(rec);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsa_entries() {
        let text = b"[20 Mar 2023] DSA-5376-1 apache2 - security update\n\t{CVE-2006-20001 CVE-2022-36760}\n\t[bullseye] - apache2 2.4.56-1~deb11u1\n\t[lenny] - vlc <not-affected> (Vulnerable code not present)\n\tNOTE: x\n";
        let out = parse_list(Path::new("DSA/list"), text, Format::DebianDsaList).unwrap();
        assert_eq!(out.record_count, 1);
        let r = &out.records[0];
        assert_eq!(r.id, "DSA-5376-1");
        assert_eq!(r.cves, vec!["CVE-2006-20001", "CVE-2022-36760"]);
        assert_eq!(r.details.published.as_deref(), Some("2023-03-20"));
        assert_eq!(r.affected[0].namespace, "debian 11");
        assert_eq!(r.affected[0].fixed_versions, vec!["2.4.56-1~deb11u1"]);
        assert_eq!(r.affected[1].status, Status::NotAffected);
    }

    #[test]
    fn dtsa_dates_and_urgency() {
        assert_eq!(iso_date("August 26th, 2005").as_deref(), Some("2005-08-26"));
        let pl = package_line("[etch] - kismet 2005.08.R1-0.1etch1 (high)").unwrap();
        assert_eq!(
            (pl.version, pl.urgency),
            (Some("2005.08.R1-0.1etch1"), Some("high"))
        );
        let pl = package_line("- putty 0.75-3 (low; bug #990901)").unwrap();
        assert_eq!((pl.release, pl.urgency), (None, Some("low")));
    }

    #[test]
    fn malformed_lists_are_errors() {
        let err = parse_list(
            Path::new("DSA/list"),
            b"\t{CVE-2020-1}\n",
            Format::DebianDsaList,
        )
        .unwrap_err();
        assert!(err.to_string().contains("DSA/list"), "{err}");
        assert!(parse_list(
            Path::new("l"),
            b"[no closing bracket DSA-1\n",
            Format::DebianDsaList
        )
        .is_err());
        assert!(parse_list(Path::new("l"), b"\xff\xfe", Format::DebianDsaList).is_err());
        assert!(parse_cve_list(Path::new("CVE/list"), b"FOO bar\n").is_err());
        assert!(parse_tracker_json(Path::new("t.json"), b"[1,2]").is_err());
    }
}
