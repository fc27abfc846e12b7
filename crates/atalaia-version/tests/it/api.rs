//! The public API: `compare`, `satisfies`, typed versions and constraints, OSV ranges.

use std::cmp::Ordering;

use atalaia_version::osv::{affected, CompiledRange, Event, OsvRange, RangeKind};
use atalaia_version::{compare, satisfies, Constraint, Scheme, Version, VersionError};

#[test]
fn compare_per_scheme() {
    use Ordering::{Equal, Greater, Less};
    let cases: &[(&str, &str, &str, Ordering)] = &[
        ("dpkg", "1:2.36-9+deb12u4", "2.36-9+deb12u7", Greater), // epoch beats revision
        ("dpkg", "2.36-9+deb12u4", "2.36-9+deb12u7", Less),
        ("dpkg", "1.0~rc1-1", "1.0-1", Less),
        ("rpm", "1:1.0-1.el9", "2.0-1.el9", Greater),
        ("rpm", "3.0.7-24.el9", "3.0.7-25.el9", Less),
        ("apk", "1.2.3-r4", "1.2.3_p1-r0", Less),
        ("apk", "3.1.4_rc1-r0", "3.1.4-r0", Less),
        ("semver", "1.0.0-rc.1", "1.0.0", Less),
        ("semver", "v1.0.0", "1.0.0+build", Equal),
        ("npm", "1.2.3", "v1.2.3", Equal),
        ("pep440", "1.0", "1.0.0", Equal),
        ("pep440", "1.0.post1", "1.0+local", Greater),
        ("maven", "1.0-SNAPSHOT", "1.0", Less),
        ("maven", "1.0.0.Final", "1.0", Equal),
        ("go", "v0.0.0-20200101000000-abcdefabcdef", "v0.0.1", Less),
        ("go", "v2.0.0+incompatible", "v2.0.0", Equal),
        ("rubygems", "1.0.0.rc1", "1.0.0", Less),
        ("nuget", "1.0.0.0", "1.0", Equal),
        ("nuget", "1.0.0-Beta", "1.0.0-beta", Equal),
        ("composer", "v1.0.0-RC1", "1.0.0", Less),
        ("composer", "1.0", "1.0.0.0", Equal),
        ("cargo", "0.9.0", "0.10.0", Less),
        ("hex", "1.0.0-dev", "1.0.0", Less),
        ("pub", "1.0.0+1", "1.0.0", Greater),
        ("swift", "5.9.0", "5.10.0", Less),
        ("conan", "1.2", "1.2.0", Equal),
    ];
    for (scheme, a, b, want) in cases {
        assert_eq!(
            compare(scheme, a, b).unwrap(),
            *want,
            "{scheme}: {a} vs {b}"
        );
        assert_eq!(
            compare(scheme, b, a).unwrap(),
            want.reverse(),
            "{scheme}: {b} vs {a}"
        );
    }
}

#[test]
fn satisfies_per_scheme() {
    let cases: &[(&str, &str, &str, bool)] = &[
        ("dpkg", "2.36-9+deb12u4", "<< 2.36-9+deb12u7", true),
        ("dpkg", "2.36-9+deb12u7", ">= 2.36-9+deb12u7", true),
        ("rpm", "1.0-3.el9", "= 1.0", true),
        ("rpm", "1.0-3.el9", "< 1.0-4.el9", true),
        ("apk", "1.2.3-r4", ">= 1.2.3-r0, < 1.2.4", true),
        ("semver", "1.5.0", ">= 1.0.0, < 2.0.0", true),
        ("npm", "1.5.0", "^1.2.0 || ^2.0.0", true),
        ("npm", "1.5.0-beta", "^1.2.0", false),
        ("pep440", "2.2.1", "~=2.2", true),
        ("pep440", "1.0rc1", "<1.0", false),
        ("pep440", "1.0rc1", ">=0.9", true),
        ("maven", "1.5", "[1.0,2.0)", true),
        ("maven", "2.0", "[1.0,2.0)", false),
        ("go", "v1.2.3", ">= v1.2.0, < v1.3.0", true),
        ("rubygems", "2.2.9", "~> 2.2.1", true),
        ("rubygems", "2.3.0", "~> 2.2.1", false),
        ("nuget", "1.0.5", "[1.0,1.1)", true),
        ("composer", "1.9.9", "^1.2 || ^2.0", true),
        ("cargo", "1.9.9", "1.2", true),
        ("cargo", "2.0.0", "1.2", false),
        ("hex", "2.9.0", "~> 2.1", true),
        ("pub", "1.9.0", "^1.2.3", true),
        ("swift", "5.9.0", ">= 5.0.0, < 6.0.0", true),
        ("conan", "1.5", "[>=1.0 <2.0]", true),
    ];
    for (scheme, v, c, want) in cases {
        assert_eq!(
            satisfies(scheme, v, c).unwrap(),
            *want,
            "{scheme}: {v} in {c}"
        );
    }
}

#[test]
fn invalid_input_is_an_error_value() {
    assert!(matches!(
        compare("cobol", "1", "2"),
        Err(VersionError::UnknownScheme(_))
    ));
    let err = compare("dpkg", "1.0", "1.0_1").unwrap_err();
    assert!(matches!(
        err,
        VersionError::InvalidVersion {
            scheme: Scheme::Dpkg,
            ..
        }
    ));
    assert!(err.to_string().contains("`1.0_1`"), "{err}");
    assert!(matches!(
        satisfies("npm", "1.0.0", ">=>1"),
        Err(VersionError::InvalidConstraint { .. })
    ));
    assert!(satisfies("pep440", "lolwat", ">=1").is_err());
    for scheme in Scheme::ALL {
        assert!(
            Version::parse(scheme, "").is_err() || scheme == Scheme::Rubygems,
            "{scheme} accepts \"\""
        );
    }
}

#[test]
fn typed_versions_parse_once_and_compare_many() {
    let base = Version::parse(Scheme::Dpkg, "2.36-9").unwrap();
    let newer: Vec<Version> = ["2.36-10", "1:1.0", "2.37~rc1"]
        .iter()
        .map(|s| Version::parse(Scheme::Dpkg, s).unwrap())
        .collect();
    assert!(newer.iter().all(|v| v > &base));
    let c = Constraint::parse(Scheme::Npm, ">=1.0.0 <2.0.0").unwrap();
    let v = Version::parse(Scheme::Npm, "1.4.2").unwrap();
    assert!(c.matches(&v).unwrap());
    assert_eq!(c.scheme(), Scheme::Npm);
    assert_eq!(v.as_str(), "1.4.2");
    assert_eq!(
        Version::parse(Scheme::Pep440, "1.0-R5")
            .unwrap()
            .to_string(),
        "1.0.post5"
    );
}

fn range(kind: RangeKind, events: Vec<Event>) -> OsvRange {
    OsvRange { kind, events }
}

#[test]
fn osv_ranges_are_half_open() {
    use Event::{Fixed, Introduced, LastAffected, Limit};
    let debian = [range(
        RangeKind::Ecosystem,
        vec![Introduced("0".into()), Fixed("2.36-9+deb12u7".into())],
    )];
    assert!(affected(Scheme::Dpkg, "2.36-9+deb12u4", &debian, &[]).unwrap());
    assert!(!affected(Scheme::Dpkg, "2.36-9+deb12u7", &debian, &[]).unwrap());
    assert!(!affected(Scheme::Dpkg, "1:2.36-9+deb12u4", &debian, &[]).unwrap());

    // Events out of order, two intervals, last_affected inclusive.
    let npm = [range(
        RangeKind::Semver,
        vec![
            Fixed("1.4.0".into()),
            Introduced("2.0.0".into()),
            Introduced("1.0.0".into()),
            LastAffected("2.1.0".into()),
        ],
    )];
    let hit = |v: &str| affected(Scheme::Npm, v, &npm, &[]).unwrap();
    assert!(
        !hit("0.9.0")
            && hit("1.0.0")
            && hit("1.3.9")
            && !hit("1.4.0")
            && hit("2.1.0")
            && !hit("2.1.1")
    );
    assert!(
        !hit("1.0.0-rc.1"),
        "a pre-release of the first affected version is before it"
    );

    // limit bounds the whole range.
    let limited = [range(
        RangeKind::Ecosystem,
        vec![Introduced("1.0".into()), Limit("1.5".into())],
    )];
    assert!(affected(Scheme::Pep440, "1.4", &limited, &[]).unwrap());
    assert!(!affected(Scheme::Pep440, "1.5", &limited, &[]).unwrap());

    // versions lists use the scheme's equality; GIT ranges are skipped.
    let git = [range(RangeKind::Git, vec![Introduced("deadbeef".into())])];
    assert!(affected(Scheme::Pep440, "1.0.0", &git, &["1.0".to_owned()]).unwrap());
    assert!(!affected(Scheme::Pep440, "1.0.1", &git, &["1.0".to_owned()]).unwrap());

    // A compiled range is reused for many versions.
    let compiled = CompiledRange::new(
        Scheme::Maven,
        &range(
            RangeKind::Ecosystem,
            vec![Introduced("2.0".into()), Fixed("2.17.1".into())],
        ),
    )
    .unwrap();
    let v = |s: &str| Version::parse(Scheme::Maven, s).unwrap();
    assert!(compiled.contains(&v("2.14.1")).unwrap());
    assert!(!compiled.contains(&v("2.17.1")).unwrap());
    assert!(compiled.contains(&v("2.17.1-SNAPSHOT")).unwrap());
    assert_eq!(RangeKind::from_osv("SEMVER"), Some(RangeKind::Semver));
}
