//! Compares and constraint checks per second for every scheme, on parsed versions (the
//! matcher's hot path), plus parsing itself. Run with `cargo bench -p atalaia-version`.

// criterion's macros define undocumented functions.
#![allow(missing_docs)]

use std::time::Duration;

use atalaia_version::{Constraint, Scheme, Version};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Per scheme: versions to compare pairwise and a constraint to test them against.
fn samples() -> Vec<(Scheme, Vec<&'static str>, &'static str)> {
    vec![
        (
            Scheme::Dpkg,
            vec![
                "1:2.36-9+deb12u4",
                "2.36-9+deb12u7",
                "2.36~rc1-1",
                "3.0.11-1~deb12u2",
                "1.2.13.dfsg-1",
            ],
            "<< 2.36-9+deb12u7",
        ),
        (
            Scheme::Rpm,
            vec![
                "1:3.0.7-24.el9",
                "3.0.7-25.el9",
                "2.34-100.el9_4.2",
                "1.0^git1-1",
                "5.1~rc1-2.fc40",
            ],
            "< 3.0.7-25.el9",
        ),
        (
            Scheme::Apk,
            vec![
                "1.2.3-r4",
                "3.1.4_rc1-r0",
                "2.40.1-r0",
                "1.36.1_p2-r3",
                "0.9.8c-r1",
            ],
            "< 3.1.4-r0",
        ),
        (
            Scheme::Semver,
            vec!["1.2.3", "1.2.3-beta.2", "2.0.0", "1.10.0+build", "0.9.12"],
            ">=1.0.0 <2.0.0",
        ),
        (
            Scheme::Npm,
            vec!["1.2.3", "1.2.3-beta.2", "2.0.0", "4.17.21", "0.9.12"],
            "^1.2.0 || ^4.17.0",
        ),
        (
            Scheme::Pep440,
            vec!["1.0", "1.0.post1", "2.31.0", "1!0.1rc1", "3.0.0.dev4+local"],
            ">=2.0,<2.32,!=2.30.*",
        ),
        (
            Scheme::Maven,
            vec![
                "1.0-SNAPSHOT",
                "2.17.1",
                "2.14.0-rc1",
                "5.3.31.RELEASE",
                "1.0.0.Final",
            ],
            "[2.0,2.17.1)",
        ),
        (
            Scheme::Go,
            vec![
                "v0.0.0-20191109021931-daa7c04131f5",
                "v1.2.3",
                "v2.0.0+incompatible",
                "v0.17.0",
                "v1.10.1",
            ],
            ">= v0.15.0, < v0.17.0",
        ),
        (
            Scheme::Rubygems,
            vec!["1.9.3", "7.0.8.1", "6.1.7.6", "1.0.0.rc1", "2.2.9"],
            "~> 7.0.8",
        ),
        (
            Scheme::Nuget,
            vec!["13.0.3", "1.2.3.4-Beta.2", "6.0.0", "4.3.0", "1.0"],
            "[13.0.1,14.0)",
        ),
        (
            Scheme::Composer,
            vec!["v1.2.3-beta2", "5.4.29", "6.0.0", "2.x-dev", "1.0"],
            "^5.4 || ^6.0",
        ),
        (
            Scheme::Cargo,
            vec!["1.0.197", "0.4.38", "1.2.3-alpha.1", "2.0.0", "0.11.22"],
            "^1.0.150",
        ),
        (
            Scheme::Hex,
            vec!["1.7.10", "2.0.0-rc.1", "0.20.1", "1.14.0", "3.3.3"],
            "~> 1.7",
        ),
        (
            Scheme::Pub,
            vec!["1.2.3+4", "2.0.0", "0.13.6", "1.0.0-dev", "3.1.0"],
            "^1.2.0",
        ),
        (
            Scheme::Swift,
            vec!["5.9.0", "5.10.1", "1.0.0", "2.58.0", "0.1.0"],
            ">= 5.0.0, < 6.0.0",
        ),
        (
            Scheme::Conan,
            vec!["1.2.3-pre+b1", "1.2.3", "3.1.4", "1.81.0", "cci.20230101"],
            "[>=1.0 <2.0]",
        ),
    ]
}

fn bench(c: &mut Criterion) {
    for (scheme, texts, constraint) in samples() {
        let versions: Vec<Version> = texts
            .iter()
            .map(|t| Version::parse(scheme, t).expect("sample parses"))
            .collect();
        let constraint = Constraint::parse(scheme, constraint).expect("sample constraint parses");
        let pairs = (versions.len() * versions.len()) as u64;
        let mut group = c.benchmark_group(scheme.as_str());
        group.throughput(Throughput::Elements(pairs));
        group.bench_function("compare", |b| {
            b.iter(|| {
                for x in &versions {
                    for y in &versions {
                        black_box(x.try_cmp(y).ok());
                    }
                }
            });
        });
        group.throughput(Throughput::Elements(versions.len() as u64));
        group.bench_function("satisfies", |b| {
            b.iter(|| {
                for v in &versions {
                    black_box(constraint.matches(v).ok());
                }
            });
        });
        group.bench_function("parse", |b| {
            b.iter(|| {
                for t in &texts {
                    black_box(Version::parse(scheme, t).ok());
                }
            });
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_millis(300))
        .sample_size(10);
    targets = bench
}
criterion_main!(benches);
