//! `build` over all of `vulndata/`: counts per source agree with `STATS.md`, every folder's
//! format is recognised from content, unknown files are reported.

use std::collections::BTreeMap;

use crate::common::{built, db};

/// `(source, format, files, records, withdrawn)` as `STATS.md` gives them.
const EXPECTED: &[(&str, &str, u64, u64, u64)] = &[
    ("osv/pypa", "osv", 2661, 2661, 10),
    ("osv/go", "osv", 4291, 4291, 17),
    ("osv/rustsec", "osv", 1206, 1206, 13),
    ("osv/almalinux", "osv", 660, 660, 0),
    ("osv/ghsa", "osv", 32, 32, 1),
    // 18 files, 4265 fixed-version entries.
    ("alpine-secdb", "secdb", 18, 4265, 0),
    // gems 1234 + rubies 147.
    ("rubysec", "rubysec", 1381, 1381, 0),
    ("debian-tracker/DSA", "debian-dsa-list", 1, 5406, 0),
    ("debian-tracker/DLA", "debian-dla-list", 1, 3534, 0),
    ("debian-tracker/DTSA", "debian-dtsa-list", 1, 208, 0),
    ("composer", "friendsofphp", 1592, 1592, 0),
    ("npm/vuln/npm", "nodejs-npm", 467, 467, 0),
    // STATS.md says 172: it counts `vuln/core/index.json` (the aggregate of the 171 advisory
    // files, the "None 1" in its severity histogram) as an advisory.
    ("npm/vuln/core", "nodejs-core", 171, 171, 0),
    ("npm/vuln/deps", "nodejs-deps", 6, 6, 0),
    ("kev", "cisa-kev", 1, 1404, 0),
    ("azurelinux-oval", "azure-oval", 1, 1222, 0),
];

#[test]
fn counts_per_source_agree_with_stats() {
    let meta = db().meta().unwrap();
    assert_eq!(meta.schema_version, atalaia_vulndb::SCHEMA_VERSION);
    assert_eq!(meta.built_at, "2026-01-01T00:00:00Z");
    let by_name: BTreeMap<_, _> = meta.sources.iter().map(|s| (s.name.as_str(), s)).collect();
    for &(name, format, files, records, withdrawn) in EXPECTED {
        let s = by_name
            .get(name)
            .unwrap_or_else(|| panic!("source `{name}` missing; have {:?}", by_name.keys()));
        assert_eq!(
            (s.format.as_str(), s.files, s.records, s.withdrawn),
            (format, files, records, withdrawn),
            "source `{name}`"
        );
    }
    assert_eq!(meta.sources, built().summary.sources);
}

#[test]
fn revisions_come_from_the_data() {
    let meta = db().meta().unwrap();
    let rev = |n: &str| {
        meta.sources
            .iter()
            .find(|s| s.name == n)
            .and_then(|s| s.revision.clone())
    };
    assert_eq!(rev("kev").as_deref(), Some("2025.08.25"));
    assert_eq!(
        rev("azurelinux-oval").as_deref(),
        Some("2024-10-10T12:04:24.575063301Z")
    );
    assert_eq!(rev("debian-tracker/DSA").as_deref(), Some("2023-03-29"));
    assert_eq!(rev("debian-tracker/DLA").as_deref(), Some("2023-04-01"));
    assert_eq!(
        rev("osv/pypa").as_deref(),
        Some("2024-10-10T17:22:00.587279Z")
    );
}

#[test]
fn unknown_and_skipped_files_are_reported() {
    let s = &built().summary;
    let unknown: Vec<String> = s
        .unknown_files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for f in [
        "vulndata/STATS.md",
        "osv/ghsa/INDEX.tsv",
        "osv/pypa/LICENSE",
        "rubysec/LICENSE.txt",
    ] {
        assert!(
            unknown.iter().any(|u| u.ends_with(f)),
            "`{f}` not reported as unknown"
        );
    }
    let skipped = |f: &str| {
        s.skipped_files
            .iter()
            .find(|k| k.path.to_string_lossy().ends_with(f))
            .map(|k| k.reason.clone())
    };
    assert!(skipped("npm/vuln/npm/index.json")
        .unwrap()
        .contains("aggregate"));
    assert!(skipped("npm/vuln/core/index.json")
        .unwrap()
        .contains("aggregate"));
    assert!(skipped("kev/known_exploited_vulnerabilities_schema.json")
        .unwrap()
        .contains("schema"));
    assert!(skipped("DTSA/advs/1-kismet.adv").unwrap().contains("DTSA"));
    // The one malformed feed file in the data is a fixture made to be malformed on purpose.
    let failed: Vec<_> = s
        .failed_files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].ends_with("CVE-list-excerpt/vuln-list-update/data/DLA/list"));
    assert!(
        s.failed_files[0].reason.contains("line 4"),
        "{}",
        s.failed_files[0].reason
    );
}

#[test]
fn sample_formats_are_recognised() {
    let meta = db().meta().unwrap();
    let format = |n: &str| {
        meta.sources
            .iter()
            .find(|s| s.name == n)
            .map(|s| s.format.clone())
    };
    assert_eq!(
        format("samples/alpine-secdb-json").as_deref(),
        Some("secdb")
    );
    assert_eq!(
        format("samples/alpine-secdb-yaml").as_deref(),
        Some("secdb")
    );
    assert_eq!(
        format("samples/debian-tracker-json").as_deref(),
        Some("debian-tracker-json")
    );
    assert_eq!(
        format("samples/cbl-mariner-oval").as_deref(),
        Some("azure-oval")
    );
    assert_eq!(format("wolfi-secdb").as_deref(), Some("secdb"));
    assert_eq!(
        format("samples/nvd-api-2.0").as_deref(),
        Some("nvd-api-2.0")
    );
    assert_eq!(format("samples/photon").as_deref(), Some("photon"));
    assert_eq!(
        format("debian-tracker/CVE-list-excerpt/vuln-list-update/data/CVE").as_deref(),
        Some("debian-cve-list")
    );
}

/// `vulnerability_records` reads rows by a scan that steps over short gaps and starts again
/// after long ones: every answer equals the one-by-one lookup, whatever the gaps, the order
/// asked, a key of 0 (look up by ID) and keys past the last row.
#[test]
fn batched_details_equal_single_lookups() {
    let built = built();
    let rows: Vec<(i64, String)> = {
        let conn = rusqlite::Connection::open(&built.path).unwrap();
        let mut st = conn
            .prepare("SELECT n, id FROM vulnerabilities ORDER BY n")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(rows.len() > 1_000, "{} rows", rows.len());
    let mut wanted: Vec<(u64, &str)> = Vec::new();
    // Dense at first (gaps of 0-3 rows), then sparse (gaps of 40), and the last row.
    for (i, (n, id)) in rows.iter().enumerate() {
        if (i < 200 && i % 4 != 1) || (i >= 200 && i % 41 == 0) || i + 1 == rows.len() {
            wanted.push((*n as u64, id));
        }
    }
    let by_id = &rows[rows.len() / 2].1;
    wanted.push((0, by_id));
    let last = rows.last().unwrap().0 as u64;
    wanted.push((last + 3, "CVE-0000-00000"));
    // Asked out of order: answered in the order asked.
    wanted.reverse();
    wanted.swap(1, 7);
    let db = db();
    let batched = db.vulnerability_records(&wanted).unwrap();
    assert_eq!(batched.len(), wanted.len());
    for ((key, id), got) in wanted.iter().zip(&batched) {
        if *key > last {
            assert!(got.is_none(), "{key} is past the last row");
            continue;
        }
        let one = db.vulnerability_record(id).unwrap().expect("a row");
        let got = got
            .as_ref()
            .unwrap_or_else(|| panic!("{id} ({key}) not read"));
        assert_eq!(
            got.to_vulnerability(),
            one.to_vulnerability(),
            "{id} ({key})"
        );
    }
}
