//! FriendsOfPHP security-advisories YAML: `<vendor>/<package>/<date-or-id>.yaml`.
//!
//! `reference: composer://vendor/package` names the package; each branch's `versions` is an AND
//! of Composer constraints and the branches are OR'ed. Stored as [`Requirements`] (one string
//! per branch, constraints joined with `,`) and, when every branch is a plain interval
//! (`>=a`, `<b`, `<=b`), also as event ranges.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{nullable, stem, Affected, FeedRecord, FileOutput, OneOrMany, RecordKind};
use crate::model::{AffectedRange, RangeEvent, RangeType, Requirements, Status};
use crate::VulnDbError;

const FORMAT: &str = "FriendsOfPHP YAML";

#[derive(Debug, Deserialize)]
struct Advisory {
    #[serde(default, deserialize_with = "nullable")]
    title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    link: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    cve: Option<String>,
    reference: String,
    #[serde(default, deserialize_with = "nullable")]
    branches: BTreeMap<String, Branch>,
    #[serde(default, rename = "composer-repository")]
    composer_repository: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Branch {
    #[serde(default, deserialize_with = "nullable")]
    time: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    versions: OneOrMany,
}

/// Parses one advisory.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<FileOutput, VulnDbError> {
    let adv: Advisory =
        serde_yaml_ng::from_slice(bytes).map_err(|e| VulnDbError::feed(path, FORMAT, e))?;
    let package = adv
        .reference
        .strip_prefix("composer://")
        .ok_or_else(|| {
            VulnDbError::feed(
                path,
                FORMAT,
                format!("`reference` `{}` is not composer://", adv.reference),
            )
        })?
        .trim()
        .to_owned();
    let vendor_id = format!("{package}/{}", stem(path));
    let cve = adv.cve.filter(|c| c.starts_with("CVE-"));
    let id = cve.clone().unwrap_or_else(|| vendor_id.clone());
    let mut rec = FeedRecord::new(id, RecordKind::Advisory);
    if cve.is_some() {
        rec.aliases.push(vendor_id);
    }
    rec.details.title = adv.title;
    rec.details.references = adv.link.into_iter().collect();
    let mut out = FileOutput {
        record_count: 1,
        label: Some("friendsofphp".to_owned()),
        ..FileOutput::default()
    };
    let mut vulnerable = Vec::new();
    let mut ranges = Vec::new();
    let mut all_simple = true;
    let mut fixed = Vec::new();
    for branch in adv.branches.into_values() {
        let constraints: Vec<String> = branch
            .versions
            .into_vec()
            .into_iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect();
        out.bump_revision(branch.time.as_deref());
        if rec
            .details
            .published
            .as_deref()
            .is_none_or(|p| branch.time.as_deref().is_some_and(|t| t < p))
        {
            rec.details.published = branch.time.clone();
        }
        match interval(&constraints) {
            Some(events) => {
                fixed.extend(events.iter().filter_map(|e| match e {
                    RangeEvent::Fixed(v) => Some(v.clone()),
                    _ => None,
                }));
                ranges.push(AffectedRange {
                    range_type: RangeType::Ecosystem,
                    scheme: "composer".to_owned(),
                    events,
                });
            }
            None => all_simple = false,
        }
        vulnerable.push(constraints.join(","));
    }
    let status = if fixed.is_empty() {
        Status::Affected
    } else {
        Status::Fixed
    };
    let mut a = Affected::new("Packagist", package, status);
    if all_simple {
        a.ranges = ranges;
    }
    a.fixed_versions = fixed;
    a.requirements = Some(Requirements {
        scheme: "composer".to_owned(),
        vulnerable,
        unaffected: Vec::new(),
    });
    if let Some(v) = adv.composer_repository {
        a.extra = Some(serde_json::json!({ "composer-repository": v }));
    }
    rec.affected.push(a);
    out.records.push(rec);
    Ok(out)
}

/// `['>=2.5.0', '<2.5.9']` → introduced 2.5.0, fixed 2.5.9; `None` when not a plain interval.
fn interval(constraints: &[String]) -> Option<Vec<RangeEvent>> {
    let mut lower = None;
    let mut upper = None;
    for c in constraints {
        for part in c.split(',') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix(">=") {
                if lower
                    .replace(RangeEvent::Introduced(v.trim().to_owned()))
                    .is_some()
                {
                    return None;
                }
            } else if let Some(v) = part.strip_prefix("<=") {
                if upper
                    .replace(RangeEvent::LastAffected(v.trim().to_owned()))
                    .is_some()
                {
                    return None;
                }
            } else if let Some(v) = part.strip_prefix('<') {
                if upper
                    .replace(RangeEvent::Fixed(v.trim().to_owned()))
                    .is_some()
                {
                    return None;
                }
            } else {
                return None;
            }
        }
    }
    let mut events = vec![lower.unwrap_or_else(|| RangeEvent::Introduced("0".to_owned()))];
    events.extend(upper);
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        let e = interval(&[">=2.5.0".into(), "<2.5.9".into()]).unwrap();
        assert_eq!(
            e,
            vec![
                RangeEvent::Introduced("2.5.0".into()),
                RangeEvent::Fixed("2.5.9".into())
            ]
        );
        assert_eq!(
            interval(&["<=1.0".into()]).unwrap(),
            vec![
                RangeEvent::Introduced("0".into()),
                RangeEvent::LastAffected("1.0".into())
            ]
        );
        assert!(interval(&[">1.0".into()]).is_none());
        assert!(interval(&["!=1.0".into()]).is_none());
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(parse(Path::new("a/b/x.yaml"), b"title: t\n").is_err());
        let err = parse(
            Path::new("a/b/x.yaml"),
            b"reference: npm://x\nbranches: {}\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("a/b/x.yaml"), "{err}");
        assert!(parse(
            Path::new("x.yaml"),
            b"reference: composer://a/b\nbranches: 7\n"
        )
        .is_err());
    }
}
