//! Listed versions the ranges already cover, left out of the packed advisories.
//!
//! An OSV advisory affects a version that is in one of its `ranges` or equal to one of its
//! `versions`. PyPA and GitHub list every affected release in `versions` although the ranges
//! already hold them, and matching compared each installed version with every one of them (a
//! tenth of a large inventory's matching time). The builder keeps only the listed versions
//! that no range holds; the verdict is the same for every installed version `x`:
//!
//! * if `x` equals a listed version `v` that a range holds, the range holds `x` too (a range
//!   tests a version only by comparing it with its events, and equal versions compare alike);
//! * the detector compares listed versions under the scheme of the advisory's ranges, so
//!   this is only done when every range is an `ECOSYSTEM` range of one scheme (a `SEMVER`
//!   range parses versions by SemVer's rule, which can differ from the listed versions').
//!
//! The ranges are read as `atalaia-detect` reads them: event texts through
//! [`atalaia_version::osv::event_text`] (Go versions get their `v`), parsed as
//! [`atalaia_version::osv::parse_event_version`] parses them. A
//! listed version that does not parse, or ranges that do not, leave the list as it is.

use std::str::FromStr;

use atalaia_version::osv::{event_text, CompiledRange, Event, OsvRange, RangeKind};
use atalaia_version::{Scheme, Version};

use crate::model::{AffectedRange, RangeEvent, RangeType};

/// The listed versions of an advisory that its ranges do not hold (all of them when that
/// cannot be told; see the module documentation).
pub(crate) fn uncovered_versions(ranges: &[AffectedRange], versions: &[String]) -> Vec<String> {
    let Some(compiled) = compile(ranges) else {
        return versions.to_vec();
    };
    let scheme = compiled.0;
    versions
        .iter()
        .filter(|v| {
            let Ok(parsed) = Version::parse(scheme, v) else {
                return true;
            };
            !compiled
                .1
                .iter()
                .any(|r| r.contains(&parsed).unwrap_or(false))
        })
        .cloned()
        .collect()
}

/// The ranges' one scheme and the ranges compiled, when every range is an `ECOSYSTEM` range
/// of that scheme and compiles.
fn compile(ranges: &[AffectedRange]) -> Option<(Scheme, Vec<CompiledRange>)> {
    let first = ranges.first()?;
    if ranges
        .iter()
        .any(|r| r.range_type != RangeType::Ecosystem || r.scheme != first.scheme)
    {
        return None;
    }
    let scheme = Scheme::from_str(&first.scheme).ok()?;
    let compiled = ranges
        .iter()
        .map(|r| {
            let events = r
                .events
                .iter()
                .map(|e| {
                    let (text, make): (&str, fn(String) -> Event) = match e {
                        RangeEvent::Introduced(v) => (v, Event::Introduced),
                        RangeEvent::Fixed(v) => (v, Event::Fixed),
                        RangeEvent::LastAffected(v) => (v, Event::LastAffected),
                        RangeEvent::Limit(v) => (v, Event::Limit),
                    };
                    make(event_text(scheme, text).into_owned())
                })
                .collect();
            CompiledRange::new(
                scheme,
                &OsvRange {
                    kind: RangeKind::Ecosystem,
                    events,
                },
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some((scheme, compiled))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(kind: RangeType, scheme: &str, events: Vec<RangeEvent>) -> AffectedRange {
        AffectedRange {
            range_type: kind,
            scheme: scheme.into(),
            events,
        }
    }

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn listed_versions_inside_the_ranges_are_left_out() {
        let ranges = vec![range(
            RangeType::Ecosystem,
            "pep440",
            vec![
                RangeEvent::Introduced("0".into()),
                RangeEvent::Fixed("2.10.1".into()),
            ],
        )];
        let listed = owned(&["2.0rc1", "2.10", "2.10.1", "3.0", "not a version!"]);
        assert_eq!(
            uncovered_versions(&ranges, &listed),
            owned(&["2.10.1", "3.0", "not a version!"])
        );
    }

    #[test]
    fn semver_mixed_and_broken_ranges_keep_the_whole_list() {
        let listed = owned(&["1.0.0"]);
        let semver = vec![range(
            RangeType::Semver,
            "npm",
            vec![RangeEvent::Introduced("0".into())],
        )];
        assert_eq!(uncovered_versions(&semver, &listed), listed);
        let two_schemes = vec![
            range(
                RangeType::Ecosystem,
                "npm",
                vec![RangeEvent::Introduced("0".into())],
            ),
            range(
                RangeType::Ecosystem,
                "pep440",
                vec![RangeEvent::Introduced("0".into())],
            ),
        ];
        assert_eq!(uncovered_versions(&two_schemes, &listed), listed);
        let broken = vec![range(
            RangeType::Ecosystem,
            "npm",
            vec![RangeEvent::Fixed("".into())],
        )];
        assert_eq!(uncovered_versions(&broken, &listed), listed);
        let unknown_scheme = vec![range(
            RangeType::Ecosystem,
            "nope",
            vec![RangeEvent::Introduced("0".into())],
        )];
        assert_eq!(uncovered_versions(&unknown_scheme, &listed), listed);
        assert_eq!(uncovered_versions(&[], &listed), listed);
    }

    #[test]
    fn go_ranges_without_v_cover_listed_v_versions() {
        let ranges = vec![range(
            RangeType::Ecosystem,
            "go",
            vec![
                RangeEvent::Introduced("1.2.0".into()),
                RangeEvent::Fixed("1.2.5".into()),
            ],
        )];
        assert_eq!(
            uncovered_versions(&ranges, &owned(&["v1.2.3", "v1.3.0"])),
            owned(&["v1.3.0"])
        );
    }
}
