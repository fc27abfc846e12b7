//! Property tests: every comparator is a total order on generated versions, and no input
//! makes a parser panic.

use std::cmp::Ordering;

use atalaia_version::{Constraint, Scheme, Version};
use proptest::prelude::*;

const SEMVER: &str = r"(0|[1-9])\.(0|[1-9])\.(0|[1-9])(-(0|[1-9]|[a-c]{1,2}|0[a-c])(\.(0|[1-9]|[a-c]{1,2})){0,2})?(\+[a-z0-9]{1,3})?";

fn pattern(scheme: Scheme) -> String {
    match scheme {
        Scheme::Dpkg => r"([0-2]:)?[0-9][0-9a-cA.+~]{0,5}(-[0-9a-c.+~]{1,4})?".into(),
        Scheme::Rpm => r"([0-2]:)?[0-9a-cA.~^_+]{1,6}(-[0-9a-c.~^]{1,4})?".into(),
        Scheme::Apk => r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}[a-c]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,2}){0,2}(~[0-9a-f]{1,3})?(-r[0-9]{1,2})?".into(),
        Scheme::Semver | Scheme::Npm | Scheme::Cargo | Scheme::Hex | Scheme::Pub | Scheme::Swift => SEMVER.into(),
        Scheme::Pep440 => r"([0-2]!)?[0-9]{1,2}(\.[0-9]{1,2}){0,3}((a|b|rc)[0-9])?(\.post[0-9])?(\.dev[0-9])?(\+[a-z0-9]{1,3}(\.[a-z0-9]{1,3})?)?".into(),
        // Maven's own order is not transitive once a version starts with a qualifier or an
        // empty qualifier (`ga`, `final`, `release`) is followed by more items (`1-ga-snapshot`
        // < `1` < `1-a` < `1-ga-snapshot`); versions start with a number and use no aliases here.
        Scheme::Maven => r"[0-9]{1,2}([.\-]?([0-9]{1,2}|alpha|beta|rc|sp|snapshot|a|b|m|x|xyz)){0,4}".into(),
        Scheme::Go => format!("v{SEMVER}"),
        Scheme::Rubygems => r"[0-9]{1,2}(\.([0-9]{1,2}|[a-c]{1,2})){0,4}(-[0-9a-c]{1,2}(\.[0-9a-c]{1,2})?)?".into(),
        Scheme::Nuget => r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-[0-9a-cA-C]{1,2}(\.[0-9a-c]{1,2}){0,2})?".into(),
        Scheme::Composer => r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-(alpha|beta|RC|patch|dev|a|b|p|pl)[0-9]?)?".into(),
        Scheme::Conan => r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-[0-9]{1,2}(\.[0-9]{1,2})?)?(\+[0-9]{1,2})?".into(),
    }
}

fn versions(scheme: Scheme) -> impl Strategy<Value = Version> {
    proptest::string::string_regex(&pattern(scheme))
        .expect("valid regex")
        .prop_filter_map("not a version", move |s| Version::parse(scheme, &s).ok())
}

fn check_total_order(a: &Version, b: &Version, c: &Version) -> Result<(), TestCaseError> {
    let cmp = |x: &Version, y: &Version| x.try_cmp(y).unwrap();
    prop_assert_eq!(cmp(a, a), Ordering::Equal, "reflexive: {}", a);
    prop_assert_eq!(cmp(a, b), cmp(b, a).reverse(), "antisymmetric: {} {}", a, b);
    if cmp(a, b) != Ordering::Greater && cmp(b, c) != Ordering::Greater {
        prop_assert_ne!(
            cmp(a, c),
            Ordering::Greater,
            "transitive: {} <= {} <= {}",
            a,
            b,
            c
        );
    }
    if cmp(a, b) == Ordering::Equal {
        prop_assert_eq!(
            cmp(a, c),
            cmp(b, c),
            "equal versions compare alike: {} {} {}",
            a,
            b,
            c
        );
    }
    Ok(())
}

macro_rules! total_order {
    ($($name:ident => $scheme:expr),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $name(a in versions($scheme), b in versions($scheme), c in versions($scheme)) {
                    check_total_order(&a, &b, &c)?;
                    // Sorting three versions must agree with every pairwise comparison.
                    let mut sorted = [a, b, c];
                    sorted.sort_by(|x, y| x.try_cmp(y).unwrap());
                    prop_assert_ne!(sorted[0].try_cmp(&sorted[2]).unwrap(), Ordering::Greater);
                }
            )*
        }
    };
}

total_order! {
    dpkg_is_a_total_order => Scheme::Dpkg,
    rpm_is_a_total_order => Scheme::Rpm,
    apk_is_a_total_order => Scheme::Apk,
    semver_is_a_total_order => Scheme::Semver,
    npm_is_a_total_order => Scheme::Npm,
    pep440_is_a_total_order => Scheme::Pep440,
    maven_is_a_total_order => Scheme::Maven,
    go_is_a_total_order => Scheme::Go,
    rubygems_is_a_total_order => Scheme::Rubygems,
    nuget_is_a_total_order => Scheme::Nuget,
    composer_is_a_total_order => Scheme::Composer,
    cargo_is_a_total_order => Scheme::Cargo,
    hex_is_a_total_order => Scheme::Hex,
    pub_is_a_total_order => Scheme::Pub,
    swift_is_a_total_order => Scheme::Swift,
    conan_is_a_total_order => Scheme::Conan,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Malformed input of any kind is an error value, never a panic.
    #[test]
    fn no_input_panics(s in r"\PC{0,24}|[0-9a-zA-Z.\-+~^_:!*=<>|, \[\]()@]{0,24}") {
        for scheme in Scheme::ALL {
            let version = Version::parse(scheme, &s);
            let constraint = Constraint::parse(scheme, &s);
            if let (Ok(v), Ok(c)) = (&version, &constraint) {
                let _ = c.matches(v);
            }
            if let Ok(v) = version {
                prop_assert_eq!(v.try_cmp(&v).unwrap(), Ordering::Equal);
            }
        }
    }
}
