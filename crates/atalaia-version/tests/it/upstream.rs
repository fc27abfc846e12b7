//! Test vectors transcribed from each ecosystem's own test suite (`tests/data/`).

use std::cmp::Ordering;

use atalaia_version::npm::{NpmVersion, Options, Range};
use atalaia_version::pep440::Pep440Version;
use atalaia_version::{compare, go::GoVersion, maven::MavenVersion, Scheme, Version};

use crate::{data, lines};

fn op(s: &str) -> Ordering {
    match s {
        "<" => Ordering::Less,
        "=" => Ordering::Equal,
        ">" => Ordering::Greater,
        _ => panic!("unknown operator {s}"),
    }
}

/// Checks `a op b` lines (space-separated) in both directions; returns how many were checked.
fn check_pairs(scheme: &str, file: &str, rejected: &[&str]) -> usize {
    let text = data(file);
    let mut checked = 0;
    for line in lines(&text) {
        let line = line.split('#').next().unwrap_or(line).trim();
        let mut parts = line.split_whitespace();
        let (a, o) = (parts.next().unwrap(), parts.next().unwrap());
        if o == "!" {
            assert!(
                compare(scheme, a, "1").is_err(),
                "{scheme}: `{a}` should be rejected"
            );
            checked += 1;
            continue;
        }
        let b = parts.next().unwrap();
        if rejected.contains(&a) || rejected.contains(&b) {
            assert!(
                compare(scheme, a, b).is_err(),
                "{scheme}: `{a}` or `{b}` should be rejected"
            );
            checked += 1;
            continue;
        }
        let want = op(o);
        assert_eq!(
            compare(scheme, a, b).unwrap(),
            want,
            "{scheme}: {a} {o} {b}"
        );
        assert_eq!(
            compare(scheme, b, a).unwrap(),
            want.reverse(),
            "{scheme}: reversed {a} {o} {b}"
        );
        checked += 1;
    }
    checked
}

#[test]
fn dpkg_version_tests() {
    assert_eq!(check_pairs("dpkg", "dpkg.txt", &[]), 63);
    let invalid = data("dpkg-invalid.txt");
    let mut n = 0;
    for bad in lines(&invalid) {
        assert!(
            Version::parse(Scheme::Dpkg, bad).is_err(),
            "dpkg accepted `{bad}`"
        );
        n += 1;
    }
    assert_eq!(n, 62);
    for blank in ["", "  ", "\t"] {
        assert!(Version::parse(Scheme::Dpkg, blank).is_err());
    }
    for spaced in ["  \t0:0-1", "0:0-1\t  ", "\t  0:0-1  \t"] {
        assert_eq!(compare("dpkg", spaced, "0-1").unwrap(), Ordering::Equal);
    }
}

#[test]
fn rpm_rpmvercmp_tests() {
    assert_eq!(check_pairs("rpm", "rpm.txt", &[]), 91);
}

#[test]
fn apk_tools_version_data() {
    // apk-tools itself marks `1.0bc` invalid ("do string sort"); `_foo` is not a suffix.
    assert_eq!(check_pairs("apk", "apk.txt", &["1.0bc", "23_foo"]), 729);
}

#[test]
fn node_semver_comparisons_and_equality() {
    let text = data("npm-comparisons.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        let options = Options {
            loose: f[2] == "loose",
            include_prerelease: false,
        };
        let a = NpmVersion::parse_with(f[0], options).unwrap();
        let b = NpmVersion::parse_with(f[1], options).unwrap();
        assert!(a > b, "{} > {}", f[0], f[1]);
        assert!(b < a && a != b);
        n += 1;
    }
    assert_eq!(n, 31);
    let text = data("npm-equality.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        let options = Options {
            loose: f[2] == "loose",
            include_prerelease: false,
        };
        let a = NpmVersion::parse_with(f[0], options).unwrap();
        let b = NpmVersion::parse_with(f[1], options).unwrap();
        assert_eq!(a, b, "{} == {}", f[0], f[1]);
        n += 1;
    }
    assert_eq!(n, 37);
}

#[test]
fn node_semver_range_include_and_exclude() {
    let text = data("npm-ranges.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        let range = f[0].replace("\\t", "\t");
        let options = Options {
            loose: f[2] == "loose",
            include_prerelease: f[2] == "pre",
        };
        let want = f[3] == "true";
        let r = Range::parse(&range, options).unwrap_or_else(|e| panic!("{range:?}: {e}"));
        match NpmVersion::parse_with(f[1], options) {
            Ok(v) => assert_eq!(r.test(v.semver()), want, "{range:?} {} {options:?}", f[1]),
            // node-semver answers false for a string that is not a version.
            Err(_) => assert!(!want, "{} should be a version", f[1]),
        }
        n += 1;
    }
    assert_eq!(n, 188);
}

#[test]
fn packaging_version_order_normalisation_and_rejections() {
    let text = data("pep440-sorted.txt");
    let versions: Vec<Pep440Version> = lines(&text)
        .map(|v| Pep440Version::parse(v).unwrap())
        .collect();
    assert_eq!(versions.len(), 92);
    for (i, a) in versions.iter().enumerate() {
        for (j, b) in versions.iter().enumerate() {
            assert_eq!(a.cmp(b), i.cmp(&j), "{a} vs {b}");
        }
    }
    let text = data("pep440-normalize.txt");
    let mut n = 0;
    for line in lines(&text) {
        let (input, want) = line.split_once('\t').unwrap();
        let input = input
            .replace("\\t", "\t")
            .replace("\\n", "\n")
            .replace("\\u202f", "\u{202f}")
            .replace("\\u2029", "\u{2029}");
        assert_eq!(
            Pep440Version::parse(&input).unwrap().as_str(),
            want,
            "{input:?}"
        );
        n += 1;
    }
    assert_eq!(n, 149);
    let text = data("pep440-invalid.txt");
    let mut n = 0;
    for bad in lines(&text) {
        assert!(
            Pep440Version::parse(bad).is_err(),
            "packaging rejects {bad:?}"
        );
        n += 1;
    }
    assert_eq!(n, 21);
}

/// Versions whose place MNG-7644 (Maven 3.8.7+) changed: `2.0.a = 2.0.0.a = 2-a`, so they now
/// sort between `2.0` and `2-1`. The stored (older) `ComparableVersionTest` predates it.
const MNG_7644_MOVED: [&str; 2] = ["2.0.a", "2.0.0.a"];

#[test]
fn maven_comparable_version_tests() {
    let text = data("maven-sorted.txt");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut blocks = 0;
    for block in body.split("\n\n") {
        let versions: Vec<MavenVersion> = block
            .lines()
            .filter(|l| !l.is_empty())
            .map(|v| MavenVersion::parse(v).unwrap())
            .collect();
        for i in 0..versions.len() {
            for j in i + 1..versions.len() {
                let (a, b) = (&versions[i], &versions[j]);
                // MNG-7644 (Maven 3.8.7+) moved these; this copy of the test predates it.
                if MNG_7644_MOVED.contains(&a.as_str()) || MNG_7644_MOVED.contains(&b.as_str()) {
                    continue;
                }
                assert!(a < b, "{a} < {b}");
                assert!(b > a);
            }
        }
        for v in &versions {
            let canonical = MavenVersion::parse(&v.canonical()).unwrap();
            assert_eq!(
                canonical.canonical(),
                v.canonical(),
                "canonical of {v} is stable"
            );
        }
        blocks += 1;
    }
    assert_eq!(blocks, 2);
    let v = |s: &str| MavenVersion::parse(s).unwrap();
    assert_eq!(v("2.0.a"), v("2.0.0.a"));
    assert!(v("2.0") < v("2.0.a") && v("2.0.a") < v("2-1") && v("2.0.0.a") < v("2-1"));
    assert_eq!(check_pairs("maven", "maven.txt", &[]), 114);
}

#[test]
fn golang_mod_semver_tests() {
    let text = data("go.txt");
    let entries: Vec<(&str, &str)> = lines(&text).map(|l| l.split_once('\t').unwrap()).collect();
    assert_eq!(entries.len(), 32);
    let valid: Vec<(usize, GoVersion, &str)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, (input, canonical))| {
            let parsed = GoVersion::parse(input);
            if *canonical == "-" {
                assert!(parsed.is_err(), "x/mod rejects {input}");
                None
            } else {
                let v = parsed.unwrap();
                assert_eq!(v.canonical(), *canonical, "Canonical({input})");
                Some((i, v, *canonical))
            }
        })
        .collect();
    for (i, a, ca) in &valid {
        for (j, b, cb) in &valid {
            let want = if ca == cb { Ordering::Equal } else { i.cmp(j) };
            assert_eq!(a.cmp(b), want, "Compare({a}, {b})");
        }
    }
    // The stored copy of the test also expects `Compare("v1.19", "v1.2") == -1`, and its
    // `compareInt` compares numbers as strings; SemVer and the Go toolchain compare them as
    // numbers (v1.10.0 after v1.9.0), so that one pair is checked the other way round.
    assert_eq!(compare("go", "v1.19", "v1.2").unwrap(), Ordering::Greater);
    for (a, b, want) in [("v1", "v1", 0), ("v2", "v1", 1), ("v1", "v2", -1)] {
        assert_eq!(compare("go", a, b).unwrap(), want.cmp(&0), "{a} {b}");
    }
}

#[test]
fn rubygems_version_tests() {
    let text = data("rubygems.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        let unescape = |s: &str| s.replace("\\n", "\n");
        let (a, b) = (unescape(f[0]), unescape(f[2]));
        assert_eq!(
            compare("rubygems", &a, &b).unwrap(),
            op(f[1]),
            "{a:?} {} {b:?}",
            f[1]
        );
        n += 1;
    }
    assert_eq!(n, 30);
    let text = data("rubygems-invalid.txt");
    for bad in lines(&text) {
        let bad = bad.replace("\\n", "\n");
        assert!(Version::parse(Scheme::Rubygems, &bad).is_err(), "{bad:?}");
    }
}

#[test]
fn composer_version_parser_tests() {
    use atalaia_version::composer::{normalize, ComposerConstraint};
    let text = data("composer-normalize.txt");
    let mut n = 0;
    for line in lines(&text) {
        let (input, want) = line.split_once('\t').unwrap();
        let input = if input == "<empty>" { "" } else { input };
        match want {
            "!" => assert!(
                normalize(input).is_err(),
                "normalize({input:?}) should fail"
            ),
            _ => assert_eq!(
                normalize(input).as_deref(),
                Ok(want),
                "normalize({input:?})"
            ),
        }
        n += 1;
    }
    assert_eq!(n, 43);
    let text = data("composer-constraints.txt");
    let mut n = 0;
    for line in lines(&text) {
        let (input, want) = line.split_once('\t').unwrap();
        let input = if input == "<empty>" { "" } else { input };
        match want {
            "!" => assert!(
                ComposerConstraint::parse(input).is_err(),
                "parseConstraints({input:?}) should fail"
            ),
            _ => {
                let c =
                    ComposerConstraint::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
                assert_eq!(c.to_string(), want, "parseConstraints({input:?})");
            }
        }
        n += 1;
    }
    assert_eq!(n, 101);
}

#[test]
fn rubygems_requirement_tests() {
    use atalaia_version::rubygems::{GemVersion, Requirement};
    let text = data("rubygems-requirements.txt");
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let req = Requirement::parse(f[1]).unwrap_or_else(|e| panic!("{:?}: {e}", f[1]));
        let v = GemVersion::parse(f[0]).unwrap_or_else(|e| panic!("{:?}: {e}", f[0]));
        assert_eq!(
            req.satisfied_by(&v),
            f[2] == "true",
            "{:?} satisfies {:?}",
            f[0],
            f[1]
        );
        n += 1;
    }
    assert_eq!(n, 109);
    for bad in [">>> 1.3.5", "> blah", "", "! 1", "= junk", "1..2"] {
        assert!(Requirement::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn semver_crate_version_req_tests() {
    use atalaia_version::cargo::CargoReq;
    use atalaia_version::semver::SemVersion;
    let text = data("cargo-reqs.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        let req = match f[0] {
            "<empty>" => String::new(),
            r => r.replace("\\0", "\0"),
        };
        match f[1] {
            "!" => assert!(CargoReq::parse(&req).is_err(), "{req:?} should not parse"),
            "ok" => assert!(CargoReq::parse(&req).is_ok(), "{req:?} should parse"),
            _ => {
                let r = CargoReq::parse(&req).unwrap_or_else(|e| panic!("{req:?}: {e}"));
                let v = |s: &str| SemVersion::parse_for(Scheme::Cargo, s).unwrap();
                for yes in f[1].split(';').filter(|s| !s.is_empty()) {
                    assert!(r.matches(&v(yes)), "{req:?} should match {yes}");
                }
                for no in f
                    .get(2)
                    .copied()
                    .unwrap_or("")
                    .split(';')
                    .filter(|s| !s.is_empty())
                {
                    assert!(!r.matches(&v(no)), "{req:?} should not match {no}");
                }
            }
        }
        n += 1;
    }
    assert_eq!(n, 126);
}

#[test]
fn nuget_versioning_tests() {
    use atalaia_version::nuget::{NugetRange, NugetVersion};
    let text = data("nuget.txt");
    let mut n = 0;
    for line in lines(&text) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(compare("nuget", f[0], f[2]).unwrap(), op(f[1]), "{line}");
        assert_eq!(
            compare("nuget", f[2], f[0]).unwrap(),
            op(f[1]).reverse(),
            "{line}"
        );
        n += 1;
    }
    assert_eq!(n, 13);
    let text = data("nuget-ranges.txt");
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let range = if f[0] == "<empty>" { "" } else { f[0] };
        if f[1] == "!" {
            assert!(
                NugetRange::parse(range).is_err(),
                "{range:?} should not parse"
            );
        } else {
            let r = NugetRange::parse(range).unwrap_or_else(|e| panic!("{range:?}: {e}"));
            assert_eq!(
                r.contains(&NugetVersion::parse(f[1]).unwrap()),
                f[2] == "true",
                "{range:?} {}",
                f[1]
            );
        }
        n += 1;
    }
    assert_eq!(n, 55);
}
