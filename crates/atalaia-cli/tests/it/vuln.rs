//! Vulnerability scanning end to end: corpus images and fixtures through the binary, against a
//! database built from `vulndata/`, checked through the JSON (and table) output.
//!
//! Expectations come from the feeds themselves (the GHSA index, the Alpine secdb YAML, the
//! Debian DSA list), read here independently of the matcher, or are specific advisory IDs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::{atalaia, command, stderr};

pub(crate) fn image(reference: &str) -> String {
    format!(
        "{}:{reference}",
        atalaia_test::corpus_dir().join("oci").display()
    )
}

pub(crate) fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}); stderr: {}", stderr(out)))
}

/// `atalaia <args> -f json`, which must exit 0.
pub(crate) fn scan_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["-f", "json"]);
    let out = atalaia(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json(&out)
}

pub(crate) fn image_json(reference: &str) -> Value {
    scan_json(&["image", "--input", &image(reference)])
}

/// Every finding of the report, with its result.
pub(crate) fn findings(report: &Value) -> Vec<(&Value, &Value)> {
    report["Results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .flat_map(|r| {
            r["Vulnerabilities"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(move |v| (r, v))
        })
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The finding's ID, vendor IDs and aliases.
pub(crate) fn all_ids(v: &Value) -> Vec<String> {
    let mut ids = vec![s(&v["VulnerabilityID"]).to_owned()];
    for key in ["VendorIDs", "Aliases"] {
        for id in v[key].as_array().into_iter().flatten() {
            ids.push(s(id).to_owned());
        }
    }
    ids
}

/// The finding's ID and vendor IDs.
fn vendor_ids(v: &Value) -> Vec<String> {
    let mut ids = vec![s(&v["VulnerabilityID"]).to_owned()];
    for id in v["VendorIDs"].as_array().into_iter().flatten() {
        ids.push(s(id).to_owned());
    }
    ids
}

#[test]
fn python_app_reports_the_pysec_advisories_of_its_pinned_packages() {
    let report = image_json("python-app");
    let mut by_pkg: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (r, v) in findings(&report) {
        assert_eq!(r["Class"], "lang-pkgs", "{v}");
        by_pkg
            .entry(s(&v["PkgName"]).to_ascii_lowercase())
            .or_default()
            .extend(all_ids(v));
        assert_eq!(v["Status"], "fixed", "{v}");
        assert!(!s(&v["FixedVersion"]).is_empty(), "{v}");
    }
    let expect: &[(&str, &[&str])] = &[
        (
            "django",
            &[
                "PYSEC-2021-7",
                "CVE-2021-31542",
                "PYSEC-2022-190",
                "PYSEC-2024-47",
            ],
        ),
        (
            "flask",
            &["PYSEC-2018-66", "PYSEC-2019-179", "PYSEC-2023-62"],
        ),
        ("jinja2", &["PYSEC-2019-217", "PYSEC-2021-66"]),
        (
            "werkzeug",
            &["PYSEC-2019-140", "PYSEC-2023-221", "PYSEC-2023-57"],
        ),
        ("pyyaml", &["PYSEC-2021-142"]),
        (
            "urllib3",
            &["PYSEC-2019-132", "PYSEC-2021-108", "PYSEC-2023-192"],
        ),
        ("requests", &["PYSEC-2018-28", "PYSEC-2023-74"]),
        ("certifi", &["PYSEC-2022-42986", "PYSEC-2023-135"]),
    ];
    for (pkg, ids) in expect {
        let found = by_pkg
            .get(*pkg)
            .unwrap_or_else(|| panic!("no findings for {pkg}: {by_pkg:?}"));
        for id in *ids {
            assert!(found.contains(*id), "{pkg}: {id} missing from {found:?}");
        }
    }
    let total = findings(&report).len();
    assert!((40..=65).contains(&total), "{total} findings");
    let (_, django) = findings(&report)
        .into_iter()
        .find(|(_, v)| v["VulnerabilityID"] == "CVE-2021-31542")
        .unwrap();
    assert_eq!(django["FixedVersion"], "3.2.1");
    // The installed metadata says `3.2`.
    assert_eq!(django["InstalledVersion"], "3.2");
    assert_eq!(
        django["PrimaryURL"],
        "https://avd.aquasec.com/nvd/cve-2021-31542"
    );
    // Findings link to the packages listed in the same result.
    let python = report["Results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Type"] == "python-pkg")
        .unwrap();
    let uids: BTreeSet<&str> = python["Packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| s(&p["Identifier"]["UID"]))
        .collect();
    for v in python["Vulnerabilities"].as_array().unwrap() {
        assert!(uids.contains(s(&v["PkgIdentifier"]["UID"])), "{v}");
    }
}

/// (id, ecosystem, package, applies) rows of `osv/ghsa/INDEX.tsv`.
fn ghsa_index() -> Vec<(String, String, String, bool)> {
    let text =
        std::fs::read_to_string(atalaia_test::vulndata_dir().join("osv/ghsa/INDEX.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].to_owned(),
                f[5] == "yes",
            )
        })
        .collect()
}

/// The GHSA IDs reported for `image`, with their package, must be exactly the index's `yes`
/// rows of `ecosystem`, and none of its `no` rows.
fn check_ghsa(reference: &str, ecosystem: &str) {
    let report = image_json(reference);
    let mut named: BTreeSet<(String, String)> = BTreeSet::new();
    for (_, v) in findings(&report) {
        let pkg = s(&v["PkgName"]).to_owned();
        for id in all_ids(v) {
            if id.starts_with("GHSA-") {
                named.insert((id, pkg.clone()));
            }
        }
    }
    let rows: Vec<_> = ghsa_index()
        .into_iter()
        .filter(|r| r.1 == ecosystem)
        .collect();
    let yes: BTreeSet<(String, String)> = rows
        .iter()
        .filter(|r| r.3)
        .map(|r| (r.0.clone(), r.2.clone()))
        .collect();
    let no: BTreeSet<&str> = rows.iter().filter(|r| !r.3).map(|r| r.0.as_str()).collect();
    assert!(!yes.is_empty() && !no.is_empty());
    for y in &yes {
        assert!(
            named.contains(y),
            "{reference}: {y:?} missing; found {named:?}"
        );
    }
    for (id, _) in &named {
        assert!(
            !no.contains(id.as_str()),
            "{reference}: {id} must not be reported"
        );
    }
    // Every finding from the GHSA feed is one the index expects.
    for (_, v) in findings(&report) {
        if v["DataSource"]["ID"] == "ghsa" {
            assert!(
                all_ids(v).iter().any(|id| yes.iter().any(|(y, _)| y == id)),
                "{reference}: unexpected GHSA finding {v}"
            );
        }
    }
}

#[test]
fn node_app_reports_exactly_the_applicable_ghsa() {
    check_ghsa("node-app", "npm");
}

#[test]
fn java_app_reports_exactly_the_applicable_ghsa() {
    check_ghsa("java-app", "Maven");
}

#[test]
fn rust_app_reports_rustsec_from_the_lockfile_and_the_binary() {
    let report = image_json("rust-app");
    let expected: BTreeSet<(String, String)> = [
        ("chrono", "RUSTSEC-2020-0159"),
        ("regex", "RUSTSEC-2022-0013"),
        ("smallvec", "RUSTSEC-2021-0003"),
        ("time", "RUSTSEC-2020-0071"),
    ]
    .iter()
    .map(|(p, i)| ((*p).to_owned(), (*i).to_owned()))
    .collect();
    let mut types = BTreeSet::new();
    for r in report["Results"].as_array().unwrap() {
        let got: BTreeSet<(String, String)> = r["Vulnerabilities"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|v| {
                // The advisories stating the finding for this package (not the aliases of
                // the vulnerability, which may name other crates' advisories).
                vendor_ids(v)
                    .into_iter()
                    .filter(|id| id.starts_with("RUSTSEC-"))
                    .map(|id| (s(&v["PkgName"]).to_owned(), id))
                    .collect::<Vec<_>>()
            })
            .collect();
        if r["Class"] == "lang-pkgs" {
            assert_eq!(got, expected, "{}", r["Target"]);
            types.insert(s(&r["Type"]).to_owned());
        } else {
            assert!(got.is_empty(), "{}", r["Target"]);
        }
    }
    assert!(
        types.contains("cargo") && types.contains("rustbinary"),
        "{types:?}"
    );
}

#[test]
fn distroless_like_reports_go_stdlib_advisories() {
    let report = image_json("distroless-like");
    let stdlib: Vec<&Value> = findings(&report)
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| v["PkgName"] == "stdlib")
        .collect();
    assert!(stdlib.len() > 20, "{} stdlib findings", stdlib.len());
    let ids: BTreeSet<String> = stdlib.iter().flat_map(|v| all_ids(v)).collect();
    for id in ["GO-2023-1751", "GO-2023-1753", "GO-2023-1840"] {
        assert!(ids.contains(id), "{id} missing");
    }
    for v in &stdlib {
        assert_eq!(v["InstalledVersion"], "v1.19.8");
        assert_eq!(v["DataSource"]["ID"], "govulndb");
    }
}

#[test]
fn alpine_3_10_9_reports_nothing_and_exits_zero() {
    let out = atalaia(&[
        "image",
        "--input",
        &image("alpine-3.10.9"),
        "-f",
        "json",
        "--exit-code",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert!(findings(&report).is_empty());
    assert_eq!(report["Results"][0]["Class"], "os-pkgs");
    // The table says so per target, with Trivy's total line.
    let out = atalaia(&["image", "--input", &image("alpine-3.10.9")]);
    let text = String::from_utf8(out.stdout).unwrap();
    let header = format!("{} (alpine 3.10.9)", image("alpine-3.10.9"));
    assert!(
        text.contains(&format!(
            "{header}\n{}\nTotal: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n",
            "=".repeat(header.chars().count())
        )),
        "{text}"
    );
}

/// (origin, fixed version, ID) from the Alpine secdb YAML of one branch.
fn secfixes(dir: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for file in ["main.yaml", "community.yaml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        for p in doc["packages"].as_sequence().unwrap() {
            let name = p["pkg"]["name"].as_str().unwrap();
            let Some(fixes) = p["pkg"]["secfixes"].as_mapping() else {
                continue;
            };
            for (ver, ids) in fixes {
                let ver = match ver {
                    serde_yaml_ng::Value::String(s) => s.clone(),
                    other => serde_yaml_ng::to_string(other).unwrap().trim().to_owned(),
                };
                for id in ids.as_sequence().into_iter().flatten() {
                    for id in id.as_str().unwrap_or_default().split_whitespace() {
                        out.push((name.to_owned(), ver.clone(), id.to_owned()));
                    }
                }
            }
        }
    }
    out
}

/// A root filesystem with the 3.10.9 image's metadata, whose `installed` database puts the
/// packages of `olds` (origin → version) a release back.
fn old_alpine_rootfs(olds: &[(&str, &str)]) -> (tempfile::TempDir, Vec<(String, String, String)>) {
    let meta = atalaia_test::corpus_dir().join("alpine-meta/3.10.9");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("etc/apk")).unwrap();
    std::fs::create_dir_all(root.join("lib/apk/db")).unwrap();
    for f in [
        "etc/os-release",
        "etc/alpine-release",
        "etc/apk/repositories",
    ] {
        std::fs::copy(meta.join(f), root.join(f)).unwrap();
    }
    let installed = std::fs::read_to_string(meta.join("lib/apk/db/installed")).unwrap();
    // (name, version, origin) of every package, after the rewrite.
    let mut packages = Vec::new();
    let mut out = String::new();
    for block in installed.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let field = |k: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .unwrap_or_default()
                .to_owned()
        };
        let name = field("P:");
        let origin = Some(field("o:"))
            .filter(|o| !o.is_empty())
            .unwrap_or(name.clone());
        let mut version = field("V:");
        if let Some((_, v)) = olds.iter().find(|(o, _)| *o == origin) {
            version = (*v).to_owned();
        }
        for line in block.lines() {
            if line.starts_with("V:") {
                out.push_str("V:");
                out.push_str(&version);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push('\n');
        packages.push((name, version, origin));
    }
    std::fs::write(root.join("lib/apk/db/installed"), out).unwrap();
    (dir, packages)
}

#[test]
fn alpine_with_older_versions_reports_exactly_the_secdb_fixes_above_them() {
    let olds = [
        ("openssl", "1.1.1c-r0"),
        ("musl", "1.1.22-r2"),
        ("busybox", "1.30.1-r1"),
    ];
    let (dir, packages) = old_alpine_rootfs(&olds);
    let fixes = secfixes(&atalaia_test::vulndata_dir().join("alpine-secdb/v3.10"));
    let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
    for (name, version, origin) in &packages {
        for (fixed_origin, fixed, id) in &fixes {
            if fixed_origin == origin
                && fixed != "0"
                && atalaia_version::compare("apk", fixed, version).unwrap()
                    == std::cmp::Ordering::Greater
            {
                expected.insert((name.clone(), id.clone()));
            }
        }
    }
    for (pkg, id) in [
        ("busybox", "CVE-2019-5747"),
        ("libcrypto1.1", "CVE-2019-1547"),
        ("musl", "CVE-2019-14697"),
    ] {
        assert!(
            expected.contains(&(pkg.to_owned(), id.to_owned())),
            "{pkg} {id}: {expected:?}"
        );
    }
    let out = atalaia(&[
        "rootfs",
        dir.path().to_str().unwrap(),
        "-f",
        "json",
        "--exit-code",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let report = json(&out);
    let got: BTreeSet<(String, String)> = findings(&report)
        .into_iter()
        .map(|(_, v)| {
            (
                s(&v["PkgName"]).to_owned(),
                s(&v["VulnerabilityID"]).to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for (r, v) in findings(&report) {
        assert_eq!(r["Class"], "os-pkgs");
        assert_eq!(v["DataSource"]["ID"], "alpine");
        if v["PkgName"] == "busybox" {
            assert_eq!(v["FixedVersion"], "1.30.1-r2", "{v}");
        }
        if v["VulnerabilityID"] == "CVE-2019-1547" {
            assert_eq!(v["FixedVersion"], "1.1.1d-r0", "{v}");
        }
    }
}

fn debian_status_fixture() -> PathBuf {
    // The Debian 11 fixture of atalaia-detect's tests, read in place.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../atalaia-detect/tests/data/debian-11/status")
}

/// (source package, DSA, fixed version, CVEs) of every `[bullseye]` line of the DSA list.
fn bullseye_dsas() -> Vec<(String, String, String, Vec<String>)> {
    let text =
        std::fs::read_to_string(atalaia_test::vulndata_dir().join("debian-tracker/DSA/list"))
            .unwrap();
    let mut out = Vec::new();
    let mut dsa = String::new();
    let mut cves: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with('[') {
            dsa = line
                .split_whitespace()
                .nth(3)
                .unwrap_or_default()
                .to_owned();
            cves.clear();
        } else if let Some(ids) = line.trim().strip_prefix('{') {
            cves = ids
                .trim_end_matches('}')
                .split_whitespace()
                .map(str::to_owned)
                .collect();
        } else if let Some(rest) = line.trim().strip_prefix("[bullseye] - ") {
            let mut f = rest.split_whitespace();
            let (Some(pkg), Some(ver)) = (f.next(), f.next()) else {
                continue;
            };
            if ver.starts_with('<') {
                continue;
            }
            out.push((pkg.to_owned(), dsa.clone(), ver.to_owned(), cves.clone()));
        }
    }
    out
}

#[test]
fn debian_11_status_reports_the_dsas_above_its_versions_as_vendor_ids() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("var/lib/dpkg")).unwrap();
    std::fs::write(root.join("etc/debian_version"), "11.6\n").unwrap();
    std::fs::write(
        root.join("etc/os-release"),
        "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"11\"\nID=debian\n",
    )
    .unwrap();
    std::fs::copy(debian_status_fixture(), root.join("var/lib/dpkg/status")).unwrap();
    let report = scan_json(&["rootfs", root.to_str().unwrap()]);
    assert_eq!(report["Metadata"]["OS"]["Family"], "debian");

    // Expected from the DSA list alone: (binary package, CVE) -> DSAs.
    let os = report["Results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Class"] == "os-pkgs")
        .expect("an os-pkgs result");
    let mut expected: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let dsas = bullseye_dsas();
    for p in os["Packages"].as_array().unwrap() {
        let src = Some(s(&p["SrcName"]))
            .filter(|n| !n.is_empty())
            .unwrap_or(s(&p["Name"]));
        let full = if s(&p["Release"]).is_empty() {
            s(&p["Version"]).to_owned()
        } else {
            format!("{}-{}", s(&p["Version"]), s(&p["Release"]))
        };
        let full = match p["Epoch"].as_u64() {
            Some(e) if e > 0 => format!("{e}:{full}"),
            _ => full,
        };
        for (name, dsa, fixed, cves) in &dsas {
            if name == src
                && atalaia_version::compare("dpkg", fixed, &full).unwrap()
                    == std::cmp::Ordering::Greater
            {
                for cve in cves {
                    expected
                        .entry((s(&p["Name"]).to_owned(), cve.clone()))
                        .or_default()
                        .insert(dsa.clone());
                }
            }
        }
    }
    for dsa in ["DSA-5169-1", "DSA-5343-1", "DSA-5035-1", "DSA-5376-1"] {
        assert!(
            expected.values().any(|d| d.contains(dsa)),
            "{dsa} not expected"
        );
    }
    let mut got: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (_, v) in findings(&report) {
        let dsas: BTreeSet<String> = all_ids(v)
            .into_iter()
            .filter(|i| i.starts_with("DSA-"))
            .collect();
        got.insert(
            (
                s(&v["PkgName"]).to_owned(),
                s(&v["VulnerabilityID"]).to_owned(),
            ),
            dsas,
        );
        assert_eq!(v["DataSource"]["ID"], "debian", "{v}");
    }
    for (key, dsas) in &expected {
        let found = got
            .get(key)
            .unwrap_or_else(|| panic!("{key:?} not reported"));
        assert!(dsas.is_subset(found), "{key:?}: {dsas:?} not in {found:?}");
    }
    for (key, dsas) in &got {
        for dsa in dsas {
            assert!(
                expected.get(key).is_some_and(|e| e.contains(dsa)),
                "{key:?}: unexpected {dsa}"
            );
        }
    }
    let (_, f) = findings(&report)
        .into_iter()
        .find(|(_, v)| v["PkgName"] == "libssl1.1" && v["VulnerabilityID"] == "CVE-2022-2068")
        .expect("libssl1.1 CVE-2022-2068");
    assert_eq!(f["FixedVersion"], "1.1.1n-0+deb11u3");
    assert_eq!(f["InstalledVersion"], "1.1.1n-0+deb11u2");
    assert!(all_ids(f).contains(&"DSA-5169-1".to_owned()), "{f}");
}

#[test]
fn debian_12_images_report_no_false_positives() {
    for reference in ["debian-bookworm-minbase", "postgres-like"] {
        let report = image_json(reference);
        let os = report["Results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["Class"] == "os-pkgs")
            .expect("an os-pkgs result");
        assert!(!os["Packages"].as_array().unwrap().is_empty());
        let found = findings(&report);
        assert!(found.is_empty(), "{reference}: {found:#?}");
    }
}

#[test]
fn gemfile_and_composer_lockfiles_report_rubysec_and_friendsofphp() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Gemfile.lock"),
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.7)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack (= 2.0.7)\n\nBUNDLED WITH\n   2.1.4\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("composer.lock"),
        r#"{"packages": [{"name": "guzzlehttp/guzzle", "version": "7.4.2", "type": "library"}], "packages-dev": []}"#,
    )
    .unwrap();
    let report = scan_json(&["fs", dir.path().to_str().unwrap()]);
    let got: BTreeSet<(String, String, String)> = findings(&report)
        .into_iter()
        .map(|(r, v)| {
            (
                s(&r["Type"]).to_owned(),
                s(&v["VulnerabilityID"]).to_owned(),
                s(&v["DataSource"]["ID"]).to_owned(),
            )
        })
        .collect();
    for want in [
        ("bundler", "CVE-2019-16782", "ruby-advisory-db"),
        ("composer", "CVE-2022-29248", "php-security-advisories"),
    ] {
        let want = (want.0.to_owned(), want.1.to_owned(), want.2.to_owned());
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
}

#[test]
fn exit_codes_follow_findings_after_filters() {
    let img = image("python-app");
    let run = |extra: &[&str]| {
        let mut args = vec!["image", "--input", img.as_str(), "-f", "json"];
        args.extend(extra);
        atalaia(&args)
    };
    // Findings and `--exit-code`: that code. Without it: 0.
    assert_eq!(run(&["--exit-code", "7"]).status.code(), Some(7));
    assert_eq!(run(&[]).status.code(), Some(0));
    // Every python-app finding has a fix: ignoring `fixed` leaves nothing, so 0.
    let out = run(&["--exit-code", "7", "--ignore-status", "fixed"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(findings(&json(&out)).is_empty());
    // No database: exit 2, naming the path and the way out.
    let cache = tempfile::tempdir().unwrap();
    let out = command(&["image", "--input", &img, "--exit-code", "7"])
        .env_remove("ATALAIA_DB")
        .env("ATALAIA_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let expected_path = cache.path().join("db/atalaia.db");
    assert!(
        err.contains(&format!("`{}`", expected_path.display())),
        "{err}"
    );
    assert!(err.contains("hint: Run `atalaia db update`"), "{err}");
    assert!(out.stdout.is_empty());
    // `--cache-dir` wins over the environment; `--db` over both.
    let out = command(&[
        "image",
        "--input",
        &img,
        "--cache-dir",
        "/nonexistent/cache",
    ])
    .env_remove("ATALAIA_DB")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/cache/db/atalaia.db"),
        "{}",
        stderr(&out)
    );
    let out = command(&["image", "--input", &img, "--db", "/nonexistent/x.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/x.db"),
        "{}",
        stderr(&out)
    );
    // A file that is no database: exit 2 naming it.
    let bad = cache.path().join("bad.db");
    std::fs::write(&bad, b"not sqlite at all").unwrap();
    let out = command(&["image", "--input", &img, "--db", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.db"), "{}", stderr(&out));
    // Without the `vuln` scanner no database is needed; Trivy's DB flags are accepted.
    let out = command(&[
        "image",
        "--input",
        &img,
        "--scanners",
        "secret",
        "--skip-db-update",
        "--offline-scan",
    ])
    .env_remove("ATALAIA_DB")
    .env("ATALAIA_CACHE_DIR", cache.path())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&["--skip-db-update", "--offline-scan", "--exit-code", "4"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn severity_and_unfixed_filters() {
    let img = image("python-app");
    let all = scan_json(&["image", "--input", &img]);
    let severities: BTreeMap<String, usize> =
        findings(&all)
            .into_iter()
            .fold(BTreeMap::new(), |mut m, (_, v)| {
                *m.entry(s(&v["Severity"]).to_owned()).or_default() += 1;
                m
            });
    assert!(severities.len() >= 2, "{severities:?}");
    let high = scan_json(&["image", "--input", &img, "--severity", "HIGH,CRITICAL"]);
    let kept: Vec<&str> = findings(&high)
        .iter()
        .map(|(_, v)| s(&v["Severity"]))
        .collect();
    assert!(kept.iter().all(|s| *s == "HIGH" || *s == "CRITICAL"));
    assert_eq!(
        kept.len(),
        severities.get("HIGH").copied().unwrap_or(0)
            + severities.get("CRITICAL").copied().unwrap_or(0)
    );
    // The table's total line lists only the selected severities.
    let out = atalaia(&["image", "--input", &img, "--severity", "HIGH,CRITICAL"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let total = format!(
        "Total: {} (HIGH: {}, CRITICAL: {})",
        kept.len(),
        severities.get("HIGH").copied().unwrap_or(0),
        severities.get("CRITICAL").copied().unwrap_or(0)
    );
    assert!(text.contains(&total), "{total} not in\n{text}");
    assert!(!text.contains("MEDIUM:"), "{text}");
    // A severity the findings lack: nothing left, exit 0 even with `--exit-code`.
    let absent = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
        .into_iter()
        .find(|s| !severities.contains_key(*s));
    if let Some(absent) = absent {
        let out = atalaia(&[
            "image",
            "--input",
            &img,
            "-f",
            "json",
            "--severity",
            absent,
            "--exit-code",
            "1",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // The python findings all have a fix, so `--ignore-unfixed` keeps them.
    let unfixed = scan_json(&["image", "--input", &img, "--ignore-unfixed"]);
    assert_eq!(findings(&unfixed).len(), findings(&all).len());
    let out = atalaia(&["image", "--input", &img, "--severity", "SEVERE"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A `go.mod` requiring jwt-go (GO-2020-0017: no fixed version) and an old `x/text` (fixed).
fn go_mod_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/app\n\ngo 1.20\n\nrequire (\n\tgithub.com/dgrijalva/jwt-go v3.2.0+incompatible\n\tgolang.org/x/text v0.3.5\n)\n",
    )
    .unwrap();
    dir
}

/// (package, ID, status) of every finding.
fn pkg_id_status(report: &Value) -> BTreeSet<(String, String, String)> {
    findings(report)
        .into_iter()
        .map(|(_, v)| {
            (
                s(&v["PkgName"]).to_owned(),
                s(&v["VulnerabilityID"]).to_owned(),
                s(&v["Status"]).to_owned(),
            )
        })
        .collect()
}

#[test]
fn ignore_unfixed_and_ignore_status_drop_what_they_name() {
    let dir = go_mod_project();
    let path = dir.path().to_str().unwrap();
    let jwt = (
        "github.com/dgrijalva/jwt-go".to_owned(),
        "CVE-2020-26160".to_owned(),
        "affected".to_owned(),
    );
    let text = (
        "golang.org/x/text".to_owned(),
        "CVE-2022-32149".to_owned(),
        "fixed".to_owned(),
    );
    let all = pkg_id_status(&scan_json(&["fs", path]));
    assert!(all.contains(&jwt) && all.contains(&text), "{all:?}");
    let (_, unfixed) = findings(&scan_json(&["fs", path]))
        .into_iter()
        .find(|(_, v)| v["VulnerabilityID"] == "CVE-2020-26160")
        .map(|(r, v)| (r.clone(), v.clone()))
        .unwrap();
    assert!(unfixed.get("FixedVersion").is_none(), "{unfixed}");

    let fixed_only = pkg_id_status(&scan_json(&["fs", path, "--ignore-unfixed"]));
    assert!(!fixed_only.contains(&jwt) && fixed_only.contains(&text));
    assert!(fixed_only.iter().all(|f| f.2 == "fixed"), "{fixed_only:?}");
    let without_affected = pkg_id_status(&scan_json(&["fs", path, "--ignore-status", "affected"]));
    assert_eq!(without_affected, fixed_only);
    let without_fixed = pkg_id_status(&scan_json(&[
        "fs",
        path,
        "--ignore-status",
        "fixed,will_not_fix",
    ]));
    assert_eq!(without_fixed, BTreeSet::from([jwt.clone()]));
    // Everything filtered out: `--exit-code` does not apply.
    let out = atalaia(&[
        "fs",
        path,
        "--ignore-status",
        "fixed,affected",
        "--exit-code",
        "9",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = atalaia(&["fs", path, "--ignore-unfixed", "--exit-code", "9"]);
    assert_eq!(out.status.code(), Some(9), "{}", stderr(&out));
    let out = atalaia(&["fs", path, "--ignore-status", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_is_identical_across_runs_apart_from_created_at() {
    let img = image("node-app");
    let mut a = scan_json(&["image", "--input", &img]);
    let mut b = scan_json(&["image", "--input", &img]);
    assert!(!findings(&a).is_empty());
    a["CreatedAt"] = Value::Null;
    b["CreatedAt"] = Value::Null;
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let t1 = atalaia(&["image", "--input", &img]);
    let t2 = atalaia(&["image", "--input", &img]);
    assert_eq!(t1.stdout, t2.stdout);
    let text = String::from_utf8(t1.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    assert!(
        text.contains("│ Library ┆ Vulnerability") || text.contains("Library"),
        "{text}"
    );
    for column in [
        "Library",
        "Vulnerability",
        "Severity",
        "Status",
        "Installed Version",
        "Fixed Version",
        "Title",
    ] {
        assert!(text.contains(column), "{column}");
    }
    // Rows follow the JSON order (Trivy's): the first finding's package and ID come first.
    let (_, first) = findings(&a)[0];
    let id = s(&first["VulnerabilityID"]);
    let first_row = text
        .lines()
        .find(|l| l.contains("GHSA-") || l.contains("CVE-"))
        .unwrap();
    assert!(first_row.contains(id), "{first_row} / {id}");
}

#[test]
fn results_with_findings_stay_without_list_all_pkgs() {
    let report = scan_json(&[
        "image",
        "--input",
        &image("python-app"),
        "--list-all-pkgs=false",
    ]);
    let results = report["Results"].as_array().unwrap();
    assert!(results.iter().all(|r| r.get("Packages").is_none()));
    let python = results
        .iter()
        .find(|r| r["Type"] == "python-pkg")
        .expect("the python result");
    assert!(!python["Vulnerabilities"].as_array().unwrap().is_empty());
    assert_eq!(python["Target"], "Python");
    // Trivy's field names.
    let v = &python["Vulnerabilities"][0];
    for key in [
        "VulnerabilityID",
        "PkgName",
        "PkgIdentifier",
        "InstalledVersion",
        "FixedVersion",
        "Status",
        "Severity",
        "DataSource",
        "PrimaryURL",
    ] {
        assert!(v.get(key).is_some(), "{key} missing from {v}");
    }
}
