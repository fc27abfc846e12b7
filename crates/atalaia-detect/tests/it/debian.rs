//! Debian: a Debian 11 dpkg status fixture with versions older than some 2021–2022 DSAs
//! reports those DSAs' CVEs; the Debian 12 corpus images report nothing from 2023 data.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::PathBuf;

use atalaia_analyze::{AnalyzeOptions, LayerSource};
use atalaia_artifact::ArtifactError;
use atalaia_types::{Digest, LayerInfo};

use crate::common;

/// One in-memory layer holding the fixture root filesystem.
struct FixtureLayer {
    info: LayerInfo,
    tar: Vec<u8>,
}

impl LayerSource for FixtureLayer {
    fn info(&self) -> &LayerInfo {
        &self.info
    }

    fn open(&self) -> Result<Box<dyn Read + Send>, ArtifactError> {
        Ok(Box::new(Cursor::new(self.tar.clone())))
    }
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/debian-11")
}

fn debian11_layer() -> FixtureLayer {
    let status = std::fs::read(fixture().join("status")).unwrap();
    let files: [(&str, &[u8]); 3] = [
        ("etc/debian_version", b"11.6\n"),
        (
            "etc/os-release",
            b"PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"11\"\nID=debian\n",
        ),
        ("var/lib/dpkg/status", &status),
    ];
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, path, data).unwrap();
    }
    let tar = builder.into_inner().unwrap();
    let digest = Digest::sha256_from_bytes(&tar);
    FixtureLayer {
        info: LayerInfo {
            size: tar.len() as u64,
            digest: digest.clone(),
            diff_id: digest,
            created_by: None,
        },
        tar,
    }
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
fn debian_11_fixture_reports_the_dsas_above_its_versions() {
    let inv =
        atalaia_analyze::analyze_layer_sources(&[debian11_layer()], &AnalyzeOptions::default())
            .expect("analyze the fixture");
    assert_eq!(
        inv.os.as_ref().map(atalaia_detect::os_namespace).as_deref(),
        Some("debian 11")
    );
    let report = common::scan(&inv);
    // Expected from the DSA list alone: (binary package, CVE) -> DSAs.
    let mut expected: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let dsas = bullseye_dsas();
    for pkg in inv.os_packages.iter().flat_map(|d| &d.packages) {
        let src = if pkg.src_name.is_empty() {
            &pkg.name
        } else {
            &pkg.src_name
        };
        for (name, dsa, fixed, cves) in &dsas {
            if name == src
                && atalaia_version::compare("dpkg", fixed, &pkg.full_version()).unwrap()
                    == std::cmp::Ordering::Greater
            {
                for cve in cves {
                    expected
                        .entry((pkg.name.clone(), cve.clone()))
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
    for v in report.vulnerabilities() {
        let dsas: BTreeSet<String> = v
            .vendor_ids
            .iter()
            .filter(|i| i.starts_with("DSA-"))
            .cloned()
            .collect();
        got.insert(
            (v.pkg_name.to_string(), v.vulnerability_id.to_string()),
            dsas,
        );
        assert_eq!(v.data_source.id, "debian");
        assert_ne!(v.pkg_name, "base-files");
    }
    for (key, dsas) in &expected {
        let found = got
            .get(key)
            .unwrap_or_else(|| panic!("{key:?} not reported"));
        assert!(dsas.is_subset(found), "{key:?}: {dsas:?} not in {found:?}");
    }
    // No DSA is reported that the list does not put above the installed version.
    for (key, dsas) in &got {
        for dsa in dsas {
            assert!(
                expected.get(key).is_some_and(|e| e.contains(dsa)),
                "{key:?}: unexpected {dsa}"
            );
        }
    }
    let f = report
        .vulnerabilities()
        .find(|v| v.pkg_name == "libssl1.1" && v.vulnerability_id == "CVE-2022-2068")
        .expect("libssl1.1 CVE-2022-2068");
    assert_eq!(f.fixed_version, "1.1.1n-0+deb11u3");
    assert_eq!(f.installed_version, "1.1.1n-0+deb11u2");
    assert_eq!(f.status, "fixed");
}

#[test]
fn debian_12_corpus_images_report_no_false_positives() {
    for image in ["debian-bookworm-minbase", "postgres-like"] {
        let inv = common::inventory(image);
        assert!(
            inv.os_packages.iter().any(|d| !d.packages.is_empty()),
            "{image}"
        );
        let report = common::scan(&inv);
        let found: Vec<_> = report.vulnerabilities().collect();
        assert!(found.is_empty(), "{image}: {found:#?}");
    }
}
