//! Whether one installed version is affected by one advisory, and which fix to show.
//!
//! An advisory states affected versions in up to three ways, any of which makes a version
//! affected: OSV event ranges (`introduced` inclusive, `fixed` and `limit` exclusive,
//! `last_affected` inclusive), an explicit version list, and native requirement strings
//! (affected when any `vulnerable` requirement holds, or none is listed, and no `unaffected`
//! one does).

use std::cmp::Ordering;

use atalaia_version::osv::{event_text, RangeKind};
use atalaia_version::{Constraint, Scheme, Version, VersionError};
use atalaia_vulndb::{AdvisoryRef, EventKind, Interned, RangeRef, RangeType};

use crate::fxhash::FxHashMap;

/// The parsed forms of an installed version, by (scheme, SemVer rule): kept by the caller
/// and reused from package to package (a package is compared under one or two schemes).
pub(crate) type InstalledMemo = Vec<((Scheme, bool), Result<Version, VersionError>)>;

/// The installed version parsed once per scheme it is compared under.
pub(crate) struct Installed<'a> {
    text: &'a str,
    parsed: &'a mut InstalledMemo,
}

impl<'a> Installed<'a> {
    /// `memo` is emptied: it is only storage.
    pub(crate) fn new(text: &'a str, memo: &'a mut InstalledMemo) -> Self {
        memo.clear();
        Installed { text, parsed: memo }
    }

    /// The version under `scheme` (`semver_rule`: SemVer 2.0 whatever the scheme, for
    /// `SEMVER` ranges).
    fn get(&mut self, scheme: Scheme, semver_rule: bool) -> Result<&Version, VersionError> {
        let key = (scheme, semver_rule);
        let at = match self.parsed.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let parsed = if semver_rule {
                    Version::parse(Scheme::Semver, self.text)
                } else {
                    Version::parse(scheme, self.text)
                };
                self.parsed.push((key, parsed));
                self.parsed.len() - 1
            }
        };
        self.parsed[at].1.as_ref().map_err(Clone::clone)
    }
}

/// The verdict on one advisory.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not affected.
    Clear,
    /// Affected; the fix to show (empty when none).
    Affected(String),
}

/// Versions of one package's advisories parsed once each, by their index in the package's
/// string table (advisories of one package repeat the same version lists and range bounds).
#[derive(Default)]
pub(crate) struct Listed {
    parsed: FxHashMap<(Scheme, u32), Option<Version>>,
    /// Range event versions, by (scheme, SemVer rule, string index).
    bounds: FxHashMap<(Scheme, bool, u32), Result<Version, VersionError>>,
    /// Whether a native requirement holds the installed version, by (scheme, string index):
    /// a package's advisories repeat requirement strings (`patched_versions` lists).
    requirements: FxHashMap<(Scheme, u32), Result<bool, VersionError>>,
}

impl Listed {
    /// Forgets the previous package's versions (keeping the memory for the next package's).
    pub(crate) fn clear(&mut self) {
        self.parsed.clear();
        self.bounds.clear();
        self.requirements.clear();
    }

    fn get(&mut self, scheme: Scheme, v: Interned<'_>) -> Option<&Version> {
        self.parsed
            .entry((scheme, v.index))
            .or_insert_with(|| Version::parse(scheme, v.text).ok())
            .as_ref()
    }

    /// Parses a range event's version (once per package) as `CompiledRange` does.
    fn bound(&mut self, scheme: Scheme, semver: bool, v: Interned<'_>) -> Result<(), VersionError> {
        self.bounds
            .entry((scheme, semver, v.index))
            .or_insert_with(|| parse_for(semver, scheme, &event_text(scheme, v.text)))
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    fn parsed_bound(&self, scheme: Scheme, semver: bool, index: u32) -> Option<&Version> {
        self.bounds
            .get(&(scheme, semver, index))
            .and_then(|r| r.as_ref().ok())
    }
}

fn scheme_of(name: &str) -> Result<Scheme, VersionError> {
    name.parse()
}

/// A range event's version, parsed as `atalaia_version::osv::CompiledRange` parses it.
fn parse_for(semver: bool, scheme: Scheme, text: &str) -> Result<Version, VersionError> {
    let kind = if semver {
        RangeKind::Semver
    } else {
        RangeKind::Ecosystem
    };
    atalaia_version::osv::parse_event_version(kind, scheme, text)
}

/// An event's version; `Zero` is `introduced: "0"`.
enum Bound<'a> {
    Zero,
    Version(&'a Version),
}

/// Whether the range holds `installed`: OSV's walk over the events sorted by version
/// (`atalaia_version::osv::CompiledRange`), with each event version parsed once per package.
/// The event versions are parsed (errors in event order) before the installed version is.
fn range_contains(
    range: RangeRef<'_>,
    scheme: Scheme,
    installed: &mut Installed<'_>,
    listed: &mut Listed,
) -> Result<bool, VersionError> {
    let semver = range.range_type() == RangeType::Semver;
    // (rank, string index) of each event; `None` index: `introduced: "0"`.
    let mut events: Vec<(u8, Option<u32>)> = Vec::with_capacity(range.events().len());
    let mut limits: Vec<u32> = Vec::new();
    for (kind, v) in range.events() {
        let text = event_text(scheme, v.text);
        if text.is_empty() {
            return Err(VersionError::InvalidRange {
                reason: "an event has an empty version".into(),
            });
        }
        match kind {
            EventKind::Introduced if text == "0" => events.push((0, None)),
            EventKind::Limit if text == "*" => {}
            EventKind::Limit => {
                listed.bound(scheme, semver, v)?;
                limits.push(v.index);
            }
            _ => {
                listed.bound(scheme, semver, v)?;
                let rank = match kind {
                    EventKind::Introduced => 0,
                    EventKind::LastAffected => 1,
                    _ => 2,
                };
                events.push((rank, Some(v.index)));
            }
        }
    }
    let bound = |i: Option<u32>| match i {
        None => Some(Bound::Zero),
        Some(i) => listed.parsed_bound(scheme, semver, i).map(Bound::Version),
    };
    let mut sorted: Vec<(u8, Bound<'_>)> = Vec::with_capacity(events.len());
    for (rank, i) in events {
        // Parsed above: always present.
        if let Some(b) = bound(i) {
            sorted.push((rank, b));
        }
    }
    let mut failed = None;
    sorted.sort_by(|(ra, a), (rb, b)| {
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
    let version = installed.get(scheme, semver)?;
    let mut affected = false;
    for (rank, bound) in &sorted {
        let ord = match bound {
            Bound::Zero => Ordering::Greater,
            Bound::Version(b) => version.try_cmp(b)?,
        };
        match rank {
            0 if ord != Ordering::Less => affected = true,
            2 if ord != Ordering::Less => affected = false,
            1 if ord == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    if affected && !limits.is_empty() {
        let mut below_any = false;
        for i in limits {
            if let Some(limit) = listed.parsed_bound(scheme, semver, i) {
                below_any |= version.try_cmp(limit)? == Ordering::Less;
            }
        }
        affected = below_any;
    }
    Ok(affected)
}

/// Evaluates `advisory` for the installed version. `default_scheme` is the package
/// ecosystem's scheme, used for version lists and fixes when the advisory names none.
pub(crate) fn evaluate(
    advisory: AdvisoryRef<'_>,
    installed: &mut Installed<'_>,
    default_scheme: Scheme,
    listed: &mut Listed,
) -> Result<Verdict, VersionError> {
    let mut affected = false;
    let mut scheme = default_scheme;
    for range in advisory.ranges() {
        scheme = scheme_of(range.scheme())?;
        if range_contains(range, scheme, installed, listed)? {
            affected = true;
            break;
        }
    }
    if !affected && advisory.versions().len() > 0 {
        let text = installed.text;
        let v = installed.get(scheme, false)?;
        for l in advisory.versions() {
            // The same text is the same version (the installed one parsed); otherwise compare
            // parsed versions, or texts when the listed one does not parse.
            if l.text == text
                || listed
                    .get(scheme, l)
                    .is_some_and(|l| l.cmp_same_scheme(v) == Some(Ordering::Equal))
            {
                affected = true;
                break;
            }
        }
    }
    if !affected {
        if let Some(req) = advisory.requirements() {
            scheme = scheme_of(req.scheme())?;
            let v = installed.get(scheme, false)?;
            let memo = &mut listed.requirements;
            let mut any =
                |list: &mut dyn Iterator<Item = Interned<'_>>| -> Result<bool, VersionError> {
                    for r in list {
                        let holds = memo
                            .entry((scheme, r.index))
                            .or_insert_with(|| Constraint::parse(scheme, r.text)?.matches(v))
                            .clone()?;
                        if holds {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                };
            let no_vulnerable = req.vulnerable().len() == 0;
            affected =
                (no_vulnerable || any(&mut req.vulnerable())?) && !any(&mut req.unaffected())?;
            if no_vulnerable && req.unaffected().len() == 0 {
                affected = false;
            }
        }
    }
    if !affected {
        return Ok(Verdict::Clear);
    }
    let fixes = advisory.fixed_versions();
    Ok(Verdict::Affected(fixed_version(
        fixes.iter().map(|f| f.text),
        installed,
        scheme,
    )))
}

/// The smallest fix above the installed version; when none is above (or none parses), every
/// fix, comma-separated (repeats next to each other once), as Trivy shows them.
pub(crate) fn fixed_version<'f>(
    fixes: impl Iterator<Item = &'f str> + Clone,
    installed: &mut Installed<'_>,
    scheme: Scheme,
) -> String {
    let mut first_two = fixes.clone();
    let Some(first) = first_two.next() else {
        return String::new();
    };
    if first_two.next().is_none() {
        // One fix: shown whether or not it is above the installed version.
        return first.to_owned();
    }
    // The fix as the advisory writes it (Composer would otherwise show `7.4.3.0`).
    let mut best: Option<(Version, &str)> = None;
    if let Ok(v) = installed.get(scheme, false) {
        for f in fixes.clone() {
            let Ok(fv) = Version::parse(scheme, f) else {
                continue;
            };
            if fv.cmp_same_scheme(v) != Some(Ordering::Greater) {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(b, _)| fv.cmp_same_scheme(b) == Some(Ordering::Less))
            {
                best = Some((fv, f));
            }
        }
    }
    match best {
        Some((_, text)) => text.to_owned(),
        None => {
            let mut all = String::new();
            let mut previous: Option<&str> = None;
            for f in fixes {
                if previous == Some(f) {
                    continue;
                }
                if previous.is_some() {
                    all.push_str(", ");
                }
                all.push_str(f);
                previous = Some(f);
            }
            all
        }
    }
}

/// Merges two fixes shown for one finding from two advisories: the smaller one above the
/// installed version wins.
pub(crate) fn merge_fixes(
    a: &str,
    b: &str,
    installed: &mut Installed<'_>,
    scheme: Scheme,
) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ => fixed_version(a.split(", ").chain(b.split(", ")), installed, scheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use atalaia_vulndb::{
        Advisory, AffectedRange, PackageAdvisories, RangeEvent, Requirements, Status,
    };

    fn advisory(ranges: Vec<AffectedRange>, versions: &[&str], fixed: &[&str]) -> Advisory {
        Advisory {
            namespace: "PyPI".into(),
            package: "p".into(),
            package_as_written: "p".into(),
            vulnerability_id: "CVE-1".into(),
            vendor_id: None,
            source: "osv/pypa".into(),
            status: Status::Fixed,
            ranges,
            versions: versions.iter().map(|s| (*s).to_owned()).collect(),
            requirements: None,
            fixed_versions: fixed.iter().map(|s| (*s).to_owned()).collect(),
            severity: None,
            extra: None,
        }
    }

    fn eco(scheme: &str, events: Vec<RangeEvent>) -> AffectedRange {
        AffectedRange {
            range_type: RangeType::Ecosystem,
            scheme: scheme.into(),
            events,
        }
    }

    fn eval(a: &Advisory, v: &str, scheme: Scheme) -> Result<Verdict, VersionError> {
        let p = PackageAdvisories::from_advisories("PyPI", "p", std::slice::from_ref(a));
        let r = p.iter().next().expect("one advisory");
        evaluate(
            r,
            &mut Installed::new(v, &mut Vec::new()),
            scheme,
            &mut Listed::default(),
        )
    }

    fn run(a: &Advisory, v: &str, scheme: Scheme) -> Verdict {
        eval(a, v, scheme).unwrap()
    }

    #[test]
    fn half_open_ranges_with_two_branches() {
        let a = advisory(
            vec![eco(
                "pep440",
                vec![
                    RangeEvent::Introduced("0".into()),
                    RangeEvent::Fixed("2.2.24".into()),
                    RangeEvent::Introduced("3.0".into()),
                    RangeEvent::Fixed("3.2.1".into()),
                ],
            )],
            &[],
            &["2.2.24", "3.2.1"],
        );
        assert_eq!(
            run(&a, "3.2.0", Scheme::Pep440),
            Verdict::Affected("3.2.1".into())
        );
        assert_eq!(
            run(&a, "2.0", Scheme::Pep440),
            Verdict::Affected("2.2.24".into())
        );
        assert_eq!(
            run(&a, "3.0", Scheme::Pep440),
            Verdict::Affected("3.2.1".into())
        );
        assert_eq!(run(&a, "3.2.1", Scheme::Pep440), Verdict::Clear);
        assert_eq!(run(&a, "2.2.24", Scheme::Pep440), Verdict::Clear);
    }

    #[test]
    fn last_affected_is_inclusive_and_versions_list_matches() {
        let a = advisory(
            vec![eco(
                "npm",
                vec![
                    RangeEvent::Introduced("1.0.0".into()),
                    RangeEvent::LastAffected("1.2.0".into()),
                ],
            )],
            &["0.9.1"],
            &[],
        );
        assert_eq!(
            run(&a, "1.2.0", Scheme::Npm),
            Verdict::Affected(String::new())
        );
        assert_eq!(run(&a, "1.2.1", Scheme::Npm), Verdict::Clear);
        assert_eq!(
            run(&a, "0.9.1", Scheme::Npm),
            Verdict::Affected(String::new())
        );
        assert_eq!(run(&a, "0.9.0", Scheme::Npm), Verdict::Clear);
    }

    #[test]
    fn requirements_vulnerable_and_unaffected() {
        let mut a = advisory(vec![], &[], &["7.0.8.5"]);
        a.requirements = Some(Requirements {
            scheme: "rubygems".into(),
            vulnerable: vec![],
            unaffected: vec!["~> 6.1.7, >= 6.1.7.7".into(), ">= 7.0.8.5".into()],
        });
        assert_eq!(
            run(&a, "7.0.8", Scheme::Rubygems),
            Verdict::Affected("7.0.8.5".into())
        );
        assert_eq!(run(&a, "6.1.7.7", Scheme::Rubygems), Verdict::Clear);
        assert_eq!(run(&a, "7.1.0", Scheme::Rubygems), Verdict::Clear);
        a.requirements = Some(Requirements {
            scheme: "npm".into(),
            vulnerable: vec!["<=1.5.1".into()],
            unaffected: vec![],
        });
        assert_eq!(
            run(&a, "1.5.1", Scheme::Npm),
            Verdict::Affected("7.0.8.5".into())
        );
        assert_eq!(run(&a, "1.5.2", Scheme::Npm), Verdict::Clear);
    }

    #[test]
    fn go_ranges_without_v_match_v_versions() {
        let a = advisory(
            vec![AffectedRange {
                range_type: RangeType::Semver,
                scheme: "go".into(),
                events: vec![
                    RangeEvent::Introduced("1.19.0".into()),
                    RangeEvent::Fixed("1.19.9".into()),
                ],
            }],
            &[],
            &["1.19.9"],
        );
        assert_eq!(
            run(&a, "v1.19.8", Scheme::Go),
            Verdict::Affected("1.19.9".into())
        );
        assert_eq!(run(&a, "v1.19.9", Scheme::Go), Verdict::Clear);
    }

    #[test]
    fn dpkg_epoch_and_no_fix_above_lists_all() {
        let a = advisory(
            vec![eco(
                "dpkg",
                vec![
                    RangeEvent::Introduced("0".into()),
                    RangeEvent::Fixed("1:2.0-1".into()),
                ],
            )],
            &[],
            &["1:2.0-1"],
        );
        assert_eq!(
            run(&a, "1:1.9-3", Scheme::Dpkg),
            Verdict::Affected("1:2.0-1".into())
        );
        assert_eq!(
            run(&a, "3.0-1", Scheme::Dpkg),
            Verdict::Affected("1:2.0-1".into())
        );
        assert_eq!(run(&a, "1:2.0-1", Scheme::Dpkg), Verdict::Clear);
        let mut memo = Vec::new();
        let mut inst = Installed::new("5.0", &mut memo);
        assert_eq!(
            fixed_version(["1.0", "2.0"].into_iter(), &mut inst, Scheme::Pep440),
            "1.0, 2.0"
        );
        // Repeats next to each other are shown once; an empty fix keeps its place.
        assert_eq!(
            fixed_version(
                ["", "1.0", "1.0", "0.5"].into_iter(),
                &mut inst,
                Scheme::Pep440
            ),
            ", 1.0, 0.5"
        );
    }

    #[test]
    fn bad_versions_are_errors_not_panics() {
        let a = advisory(
            vec![eco(
                "pep440",
                vec![
                    RangeEvent::Introduced("0".into()),
                    RangeEvent::Fixed("1.0".into()),
                ],
            )],
            &[],
            &[],
        );
        assert!(eval(&a, "not a version!", Scheme::Pep440).is_err());
        let mut bad = a.clone();
        bad.ranges[0].scheme = "nope".into();
        assert!(eval(&bad, "0.5", Scheme::Pep440).is_err());
    }
}
