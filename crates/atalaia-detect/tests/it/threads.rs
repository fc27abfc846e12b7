//! Large inventories are matched on several threads ([`atalaia_detect::AdvisoryStore::worker`]);
//! the report must be the one a single thread writes, byte for byte.

use atalaia_detect::{detect, language_namespace, DetectOptions, DetectReport};
use atalaia_types::{
    Application, Ecosystem, Inventory, OsFamily, OsPackageDb, OsRelease, Package, Purl,
};
use atalaia_vulndb::VulnDb;

use crate::common;

const LANGUAGES: [Ecosystem; 5] = [
    Ecosystem::PyPI,
    Ecosystem::Npm,
    Ecosystem::Maven,
    Ecosystem::RubyGems,
    Ecosystem::Packagist,
];

fn language(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package::new(
        eco,
        name,
        version,
        Purl::new(eco.purl_type(), "", name, version),
    )
}

/// 800 Debian 10 packages of real source packages, then two applications of 1,600 language
/// packages each (old versions, some that do not parse, an OS package among them), so the
/// work splits across threads in the middle of an application.
fn big_inventory(db: &VulnDb) -> Inventory {
    let keys = db.packages().expect("package keys");
    let debian: Vec<&str> = keys
        .iter()
        .filter(|(ns, _)| ns == "debian 10")
        .map(|(_, p)| p.as_str())
        .collect();
    assert!(!debian.is_empty(), "vulndata has Debian 10 advisories");
    let os = (0..800)
        .map(|i| {
            let src = debian[i % debian.len()];
            let name = format!("{src}-bin{i}");
            let mut p = Package::new(
                Ecosystem::Deb,
                name.clone(),
                "0.1",
                Purl::new("deb", "debian", &name, "0.1-1"),
            );
            p.release = "1".into();
            p.src_name = src.to_owned();
            p.src_version = "0.1".into();
            p.src_release = "1".into();
            p
        })
        .collect();
    let names: Vec<(Ecosystem, Vec<&str>)> = LANGUAGES
        .iter()
        .map(|e| {
            let names = keys
                .iter()
                .filter(|(ns, _)| language_namespace(*e) == Some(ns.as_str()))
                .map(|(_, p)| p.as_str())
                .collect::<Vec<_>>();
            assert!(!names.is_empty(), "vulndata has {e:?} advisories");
            (*e, names)
        })
        .collect();
    let versions = ["1.0.0", "0.1.0", "2.3.1", "not a version!"];
    let app = |offset: usize, file: &str| {
        let mut packages: Vec<Package> = (offset..offset + 1_600)
            .map(|i| {
                let (eco, list) = &names[i % names.len()];
                language(*eco, list[(i / names.len()) % list.len()], versions[i % 4])
            })
            .collect();
        // An OS package in an application: a warning, in its place among the others.
        packages.insert(
            700,
            Package::new(
                Ecosystem::Deb,
                "stray",
                "1.0",
                Purl::new("deb", "debian", "stray", "1.0"),
            ),
        );
        Application {
            app_type: "synthetic".into(),
            file_path: file.into(),
            packages,
        }
    };
    Inventory {
        os: Some(OsRelease {
            family: OsFamily::Debian,
            version: "10.13".into(),
            pretty_name: None,
            source: None,
            eosl: None,
        }),
        os_packages: vec![OsPackageDb {
            file_path: "var/lib/dpkg/status".into(),
            packages: os,
        }],
        applications: vec![app(0, "app/one.lock"), app(1_600, "app/two.lock")],
        ..Inventory::default()
    }
}

fn json(report: &DetectReport) -> String {
    serde_json::to_string(report).expect("serialise")
}

#[test]
fn matching_on_threads_writes_the_one_thread_report() {
    let db = common::db();
    let inv = big_inventory(&db);
    // On one core both runs match on one thread; CI machines have two.
    let one = DetectOptions::default().max_threads(1);
    let single = detect(&inv, &db, &one).expect("one thread");
    let threaded = detect(&inv, &db, &DetectOptions::default()).expect("threads");
    assert!(
        single.vulnerabilities().count() > 1_000,
        "the inventory is vulnerable: {}",
        single.vulnerabilities().count()
    );
    // Enough vulnerabilities that their details are read in halves on two threads too.
    let distinct: std::collections::BTreeSet<&str> = single
        .vulnerabilities()
        .map(|v| v.vulnerability_id.as_str())
        .collect();
    assert!(
        distinct.len() >= 4_000,
        "{} vulnerabilities",
        distinct.len()
    );
    assert!(single
        .warnings
        .iter()
        .any(|w| w.message.contains("an OS package in application")));
    assert!(single
        .warnings
        .iter()
        .any(|w| !w.pkg_id.is_empty() && w.pkg_id.ends_with("@not a version!")));
    assert_eq!(json(&threaded), json(&single));
    // Again, with the worker handles the first run gave back (kept warm by the database).
    let again = detect(&inv, &db, &DetectOptions::default()).expect("threads again");
    assert_eq!(json(&again), json(&single));
    let unfixed = DetectOptions::default().ignore_unfixed(true);
    assert_eq!(
        json(&detect(&inv, &db, &unfixed).expect("threads, --ignore-unfixed")),
        json(
            &detect(&inv, &db, &unfixed.clone().max_threads(1))
                .expect("one thread, --ignore-unfixed")
        )
    );
}

#[test]
fn a_database_replaced_since_it_was_opened_is_matched_on_one_thread() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("atalaia.db");
    std::fs::copy(common::path(), &path).expect("copy the database");
    let db = VulnDb::open(&path).expect("open");
    let inv = big_inventory(&db);
    let before = json(&detect(&inv, &db, &DetectOptions::default()).expect("before"));
    // `db update` renames a new file over the path: a worker handle would read other data.
    let other = dir.path().join("new.db");
    std::fs::copy(common::path(), &other).expect("copy again");
    std::fs::rename(&other, &path).expect("rename over");
    let err = db.reopen().expect_err("the path names another file now");
    assert!(err.to_string().contains("replaced"), "{err}");
    // Matching still works, on this handle alone (worker handles lent before are reused).
    let after = json(&detect(&inv, &db, &DetectOptions::default()).expect("after"));
    assert_eq!(after, before);
}
