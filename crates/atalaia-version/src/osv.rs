//! OSV affected-range evaluation.
//!
//! An OSV `affected` entry lists `ranges` (each a type and `events`) and explicit `versions`.
//! A version is affected when it is listed in `versions` or lies in any `SEMVER` or
//! `ECOSYSTEM` range (`GIT` ranges name commits and are skipped here). Within a range the
//! events are sorted by version and walked in order: `introduced` (inclusive) opens an affected
//! interval, `fixed` (exclusive) and `last_affected` (inclusive) close it; `introduced: "0"`
//! is below every version. `limit` events (exclusive) bound the whole range: when present, a
//! version must be below one of them. `SEMVER` ranges compare with SemVer 2.0.0 rules
//! whatever the ecosystem; `ECOSYSTEM` ranges with the ecosystem's scheme. A SemVer-like
//! event written as a partial version (`1.0`, seen in real GHSA records) reads as `1.0.0`.

use std::cmp::Ordering;

use crate::semver::SemVersion;
use crate::{Scheme, Version, VersionError};

/// The type of an OSV range (`"SEMVER"`, `"ECOSYSTEM"`, `"GIT"` in OSV JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RangeKind {
    /// Versions are SemVer 2.0.0.
    Semver,
    /// Versions follow the ecosystem's own scheme.
    Ecosystem,
    /// Events name git commits (not evaluated here).
    Git,
}

impl RangeKind {
    /// Reads OSV's `type` field (`SEMVER`, `ECOSYSTEM`, `GIT`).
    pub fn from_osv(s: &str) -> Option<RangeKind> {
        match s {
            "SEMVER" => Some(RangeKind::Semver),
            "ECOSYSTEM" => Some(RangeKind::Ecosystem),
            "GIT" => Some(RangeKind::Git),
            _ => None,
        }
    }
}

/// One OSV range event (`{"introduced": "1.0"}` in OSV JSON).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first affected version (`"0"`: every version before the next event).
    Introduced(String),
    /// The first version that is no longer affected.
    Fixed(String),
    /// The last version that is affected.
    LastAffected(String),
    /// An upper bound (exclusive) on the whole range.
    Limit(String),
}

impl Event {
    fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Event::Introduced(_) => 0,
            Event::LastAffected(_) => 1,
            Event::Fixed(_) => 2,
            Event::Limit(_) => 3,
        }
    }
}

/// An OSV range: a type and its events; (de)serializes as OSV's `ranges[]` objects
/// (`repo` and `database_specific` are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct OsvRange {
    /// The range type.
    #[serde(rename = "type")]
    pub kind: RangeKind,
    /// The events, in any order.
    pub events: Vec<Event>,
}

/// A version under a range's comparison rule; `Zero` is `introduced: "0"`.
#[derive(Debug, Clone)]
enum Bound {
    Zero,
    Version(Version),
}

/// A range event's version as the detector reads it: Go advisories write versions without the
/// `v` that Go module versions carry, so it is added (to every event but `introduced: "0"`,
/// a `*` limit included, which then does not parse). Other schemes keep the text.
pub fn event_text(scheme: Scheme, text: &str) -> std::borrow::Cow<'_, str> {
    if scheme == Scheme::Go && text != "0" && !text.starts_with('v') {
        std::borrow::Cow::Owned(format!("v{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Parses a range event's version under the range's rule: SemVer 2.0 for `SEMVER` ranges, else
/// the ecosystem's scheme; a partial SemVer-like version (`1.0`) is read as `1.0.0`.
pub fn parse_event_version(
    kind: RangeKind,
    scheme: Scheme,
    text: &str,
) -> Result<Version, VersionError> {
    let parse = |t: &str| match kind {
        RangeKind::Semver => Ok(Version::Semver(Scheme::Semver, SemVersion::parse(t)?)),
        _ => Version::parse(scheme, t),
    };
    parse(text).or_else(|err| {
        // Advisories sometimes bound SemVer ranges with a partial version (`1.0`); read it as
        // `1.0.0`, as OSV's own tooling does.
        let semver_like = kind == RangeKind::Semver
            || matches!(
                scheme,
                Scheme::Npm
                    | Scheme::Semver
                    | Scheme::Cargo
                    | Scheme::Hex
                    | Scheme::Pub
                    | Scheme::Swift
                    | Scheme::Go
            );
        match pad_partial(text) {
            Some(padded) if semver_like => parse(&padded).map_err(|_| err),
            _ => Err(err),
        }
    })
}

/// `1` -> `1.0.0`, `v1.2-rc.1` -> `v1.2.0-rc.1`; `None` when there is nothing to pad.
fn pad_partial(text: &str) -> Option<String> {
    let end = text.find(['-', '+']).unwrap_or(text.len());
    let (main, rest) = text.split_at(end);
    let digits = main.strip_prefix('v').unwrap_or(main);
    let parts = digits.split('.').count();
    if parts >= 3
        || !digits
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some(format!("{main}{}{rest}", ".0".repeat(3 - parts)))
}

fn cmp_bound(v: &Version, b: &Bound) -> Result<Ordering, VersionError> {
    match b {
        Bound::Zero => Ok(Ordering::Greater),
        Bound::Version(b) => v.try_cmp(b),
    }
}

/// A range with its events parsed and sorted: parse once, test many versions.
#[derive(Debug, Clone)]
pub struct CompiledRange {
    kind: RangeKind,
    events: Vec<(u8, Bound)>,
    limits: Vec<Version>,
}

impl CompiledRange {
    /// Parses every event version under `scheme` (or SemVer for `SEMVER` ranges) and sorts them.
    pub fn new(scheme: Scheme, range: &OsvRange) -> Result<CompiledRange, VersionError> {
        let mut events = Vec::with_capacity(range.events.len());
        let mut limits = Vec::new();
        if range.kind == RangeKind::Git {
            return Ok(CompiledRange {
                kind: range.kind,
                events,
                limits,
            });
        }
        for event in &range.events {
            let text = event.version();
            if text.is_empty() {
                return Err(VersionError::InvalidRange {
                    reason: "an event has an empty version".into(),
                });
            }
            match event {
                Event::Introduced(v) if v == "0" => events.push((event.rank(), Bound::Zero)),
                Event::Limit(v) if v == "*" => {}
                Event::Limit(v) => limits.push(parse_event_version(range.kind, scheme, v)?),
                _ => events.push((
                    event.rank(),
                    Bound::Version(parse_event_version(range.kind, scheme, text)?),
                )),
            }
        }
        let mut failed = None;
        events.sort_by(|(ra, a), (rb, b)| {
            let ord = match (a, b) {
                (Bound::Zero, Bound::Zero) => Ordering::Equal,
                (Bound::Zero, _) => Ordering::Less,
                (_, Bound::Zero) => Ordering::Greater,
                (Bound::Version(x), Bound::Version(y)) => x.try_cmp(y).unwrap_or_else(|e| {
                    failed = Some(e);
                    Ordering::Equal
                }),
            };
            ord.then(ra.cmp(rb))
        });
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(CompiledRange {
            kind: range.kind,
            events,
            limits,
        })
    }

    /// Whether `version` (parsed under the range's rule) is in the range; `GIT` ranges never
    /// contain a version.
    pub fn contains(&self, version: &Version) -> Result<bool, VersionError> {
        if self.kind == RangeKind::Git {
            return Ok(false);
        }
        let mut affected = false;
        for (rank, bound) in &self.events {
            let ord = cmp_bound(version, bound)?;
            match rank {
                0 if ord != Ordering::Less => affected = true,
                2 if ord != Ordering::Less => affected = false,
                1 if ord == Ordering::Greater => affected = false,
                _ => {}
            }
        }
        if affected && !self.limits.is_empty() {
            let mut below_any = false;
            for limit in &self.limits {
                below_any |= version.try_cmp(limit)? == Ordering::Less;
            }
            affected = below_any;
        }
        Ok(affected)
    }
}

/// Whether `version` of a package using `scheme` is affected by an OSV entry's `ranges` and
/// `versions` (half-open: `introduced` inclusive, `fixed` exclusive, `last_affected`
/// inclusive, `limit` exclusive).
pub fn affected(
    scheme: Scheme,
    version: &str,
    ranges: &[OsvRange],
    versions: &[String],
) -> Result<bool, VersionError> {
    let parsed = Version::parse(scheme, version);
    if let Ok(v) = &parsed {
        for listed in versions {
            let same = match Version::parse(scheme, listed) {
                Ok(l) => l.cmp_same_scheme(v) == Some(Ordering::Equal),
                Err(_) => listed == version,
            };
            if same {
                return Ok(true);
            }
        }
    } else if versions.iter().any(|l| l == version) {
        return Ok(true);
    }
    for range in ranges {
        if range.kind == RangeKind::Git {
            continue;
        }
        let compiled = CompiledRange::new(scheme, range)?;
        let v = match range.kind {
            RangeKind::Semver => Version::Semver(Scheme::Semver, SemVersion::parse(version)?),
            _ => parsed.clone()?,
        };
        if compiled.contains(&v)? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_event_texts_get_their_v() {
        assert_eq!(event_text(Scheme::Go, "1.19.9"), "v1.19.9");
        assert_eq!(event_text(Scheme::Go, "v1.19.9"), "v1.19.9");
        assert_eq!(event_text(Scheme::Go, "0"), "0");
        assert_eq!(event_text(Scheme::Go, "*"), "v*");
        assert_eq!(event_text(Scheme::Npm, "1.2.3"), "1.2.3");
    }

    fn range(kind: RangeKind, events: &[(&str, &str)]) -> OsvRange {
        let events = events
            .iter()
            .map(|(k, v)| match *k {
                "introduced" => Event::Introduced((*v).into()),
                "fixed" => Event::Fixed((*v).into()),
                "last_affected" => Event::LastAffected((*v).into()),
                _ => Event::Limit((*v).into()),
            })
            .collect();
        OsvRange { kind, events }
    }

    #[test]
    fn half_open_intervals() {
        let r = [range(
            RangeKind::Ecosystem,
            &[
                ("introduced", "1.0"),
                ("fixed", "1.5"),
                ("introduced", "2.0"),
                ("last_affected", "2.3"),
            ],
        )];
        let hit = |v: &str| affected(Scheme::Pep440, v, &r, &[]).unwrap();
        assert!(!hit("0.9"));
        assert!(hit("1.0") && hit("1.4.9"));
        assert!(!hit("1.5") && !hit("1.9"));
        assert!(hit("2.0") && hit("2.3"));
        assert!(!hit("2.3.1"));
    }

    #[test]
    fn zero_limit_and_versions_list() {
        let r = [range(
            RangeKind::Semver,
            &[("introduced", "0"), ("limit", "3.0.0")],
        )];
        assert!(affected(Scheme::Npm, "2.9.9", &r, &[]).unwrap());
        assert!(!affected(Scheme::Npm, "3.0.0", &r, &[]).unwrap());
        assert!(affected(Scheme::Pep440, "7.0", &[], &["7.0.0".to_owned()]).unwrap());
        let git = [range(RangeKind::Git, &[("introduced", "abc")])];
        assert!(!affected(Scheme::Npm, "1.0.0", &git, &[]).unwrap());
    }

    #[test]
    fn osv_json_round_trips() {
        let json = r#"[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"},{"last_affected":"2.0"},{"limit":"3"}]}]"#;
        let ranges: Vec<OsvRange> = serde_json::from_str(json).unwrap();
        assert_eq!(ranges[0].kind, RangeKind::Ecosystem);
        assert_eq!(ranges[0].events[1], Event::Fixed("1.2".into()));
        assert_eq!(serde_json::to_string(&ranges).unwrap(), json);
        assert!(serde_json::from_str::<Vec<OsvRange>>(r#"[{"type":"NOPE","events":[]}]"#).is_err());
    }

    #[test]
    fn partial_semver_events_are_padded() {
        let r = [range(
            RangeKind::Ecosystem,
            &[("introduced", "1.0"), ("fixed", "3.1.1")],
        )];
        assert!(affected(Scheme::Npm, "1.0.0", &r, &[]).unwrap());
        assert!(!affected(Scheme::Npm, "0.9.9", &r, &[]).unwrap());
        assert_eq!(pad_partial("v1.2-rc.1").as_deref(), Some("v1.2.0-rc.1"));
        assert_eq!(pad_partial("1.2.3"), None);
        assert_eq!(pad_partial("1.x"), None);
        let r = [range(
            RangeKind::Ecosystem,
            &[("introduced", "1.0"), ("fixed", "x")],
        )];
        assert!(affected(Scheme::Npm, "1.0.0", &r, &[]).is_err());
    }

    #[test]
    fn bad_events_and_versions_are_errors() {
        let r = [range(
            RangeKind::Ecosystem,
            &[("introduced", "not a version"), ("fixed", "1.0")],
        )];
        assert!(affected(Scheme::Pep440, "1.0", &r, &[]).is_err());
        let r = [range(
            RangeKind::Ecosystem,
            &[("introduced", "0"), ("fixed", "2.0")],
        )];
        assert!(affected(Scheme::Pep440, "french toast", &r, &[]).is_err());
        let r = [range(RangeKind::Ecosystem, &[("introduced", "")])];
        assert!(affected(Scheme::Pep440, "1.0", &r, &[]).is_err());
    }
}
