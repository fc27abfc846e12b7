//! Parsing allocates at most once (the owned text); comparing and testing constraints of
//! typical versions do not allocate at all.

use atalaia_version::{Constraint, Scheme, Version};

const SAMPLES: [(Scheme, &str, &str, &str); 16] = [
    (
        Scheme::Dpkg,
        "1:2.36-9+deb12u4",
        "2.36-9+deb12u7",
        "<< 2.36-9+deb12u7",
    ),
    (
        Scheme::Rpm,
        "1:3.0.7-24.el9",
        "3.0.7-25.el9",
        "< 3.0.7-25.el9",
    ),
    (Scheme::Apk, "1.2.3_rc1-r4", "1.2.3-r0", "< 1.2.3-r1"),
    (Scheme::Semver, "1.2.3-beta.2+b5", "1.2.3", ">=1.0.0 <2.0.0"),
    (Scheme::Npm, "1.2.3-beta.2", "1.2.4", "^1.2.0"),
    (
        Scheme::Pep440,
        "1!2.0.0rc1.post2.dev3+ubuntu.1",
        "2.0",
        ">=1.0,<3",
    ),
    (
        Scheme::Maven,
        "1.0.0-RC1-SNAPSHOT",
        "1.0.0.Final",
        "[1.0,2.0)",
    ),
    (
        Scheme::Go,
        "v0.0.0-20191109021931-daa7c04131f5",
        "v1.2.3+incompatible",
        ">= v0.0.1",
    ),
    (Scheme::Rubygems, "1.9.3.alpha.5", "1.9.3", "~> 1.9.2"),
    (Scheme::Nuget, "1.2.3.4-Beta.2", "1.2.3.4", "[1.0,2.0)"),
    (Scheme::Composer, "v1.2.3-beta2", "1.2.3", "^1.2"),
    (Scheme::Cargo, "1.2.3-alpha.1", "1.2.3", "^1.2"),
    (Scheme::Hex, "1.2.3-dev", "1.2.3", "~> 1.2"),
    (Scheme::Pub, "1.2.3+4", "1.2.3", "^1.2.0"),
    (Scheme::Swift, "5.9.0", "5.10.1", ">= 5.0.0"),
    (Scheme::Conan, "1.2.3-pre+b1", "1.2.3", "[>=1.0 <2.0]"),
];

#[test]
fn parse_allocates_at_most_once_and_compare_never() {
    let mut failures = Vec::new();
    for (scheme, a, b, constraint) in SAMPLES {
        let info = allocation_counter::measure(|| {
            let v = Version::parse(scheme, a).unwrap();
            std::hint::black_box(&v);
        });
        if info.count_total > 1 {
            failures.push(format!(
                "{scheme}: parsing `{a}` made {} allocations",
                info.count_total
            ));
        }
        let va = Version::parse(scheme, a).unwrap();
        let vb = Version::parse(scheme, b).unwrap();
        let c = Constraint::parse(scheme, constraint).unwrap();
        let info = allocation_counter::measure(|| {
            std::hint::black_box(va.try_cmp(&vb).unwrap());
            std::hint::black_box(c.matches(&va).unwrap());
        });
        if info.count_total > 0 {
            failures.push(format!(
                "{scheme}: comparing or matching made {} allocations",
                info.count_total
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
