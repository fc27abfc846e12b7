//! Acceptance 1 of issue 8: on `corpus-iac/secrets`, every finding of Trivy's reference output
//! (rule ID, file, lines) is found, and the negative files give no more findings than Trivy's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use atalaia_secret::{is_skipped_path, SecretFinding, MIN_FILE_SIZE};

use crate::scanner;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        if meta.is_dir() {
            walk(&path, out);
        } else if meta.is_file() {
            out.push(path);
        }
    }
}

/// Scans the corpus as Trivy's analyzer feeds it: relative paths, skip list, size floor.
fn scan_corpus() -> BTreeMap<String, Vec<SecretFinding>> {
    let root = atalaia_test::corpus_iac_dir().join("secrets");
    let scanner = scanner();
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.len() >= 100,
        "corpus at {} has {} files",
        root.display(),
        files.len()
    );
    let mut out = BTreeMap::new();
    for path in files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&path).expect("read corpus file");
        if is_skipped_path(&rel) || (bytes.len() as u64) < MIN_FILE_SIZE {
            out.insert(rel, Vec::new());
            continue;
        }
        out.insert(rel.clone(), scanner.scan(&rel, &bytes));
    }
    out
}

/// Trivy's rows: `(file, rule_id, start_line, end_line)`.
fn reference() -> Vec<(String, String, usize, usize)> {
    let tsv = std::fs::read_to_string(atalaia_test::corpus_iac_dir().join("secrets.trivy.tsv"))
        .expect("secrets.trivy.tsv");
    tsv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_trivy_finding_is_found() {
    let ours = scan_corpus();
    let reference = reference();
    assert!(
        reference.len() >= 40,
        "reference has {} rows",
        reference.len()
    );
    let mut missing = Vec::new();
    for (file, rule, start, end) in &reference {
        let found = ours.get(file).is_some_and(|fs| {
            fs.iter()
                .any(|f| f.rule_id == *rule && f.start_line == *start && f.end_line == *end)
        });
        if !found {
            missing.push(format!("{file}:{start}-{end} {rule}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} Trivy findings missed:\n{}",
        missing.len(),
        reference.len(),
        missing.join("\n")
    );
}

#[test]
fn negatives_give_no_more_than_trivy() {
    let ours = scan_corpus();
    let manifest =
        std::fs::read_to_string(atalaia_test::corpus_iac_dir().join("secrets.manifest.tsv"))
            .expect("secrets.manifest.tsv");
    let mut trivy_counts: BTreeMap<String, usize> = BTreeMap::new();
    for (file, ..) in reference() {
        *trivy_counts.entry(file).or_default() += 1;
    }
    let mut checked = 0;
    let mut extra = Vec::new();
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (file, kind) = (f[0], f[1]);
        if kind != "negative" && kind != "probe" && !file.starts_with("path-allowlist/") {
            continue;
        }
        checked += 1;
        let n = ours.get(file).map_or(0, Vec::len);
        let trivy = trivy_counts.get(file).copied().unwrap_or(0);
        if n > trivy {
            extra.push(format!(
                "{file}: {n} findings, Trivy {trivy}: {:?}",
                ours[file]
            ));
        }
    }
    assert!(checked >= 12, "only {checked} negative files checked");
    assert!(
        extra.is_empty(),
        "negative files with more findings than Trivy:\n{}",
        extra.join("\n")
    );
}

/// Our findings on files Trivy reports match its JSON field by field (Match, Code lines, Offset),
/// so the report can embed them as Trivy's `DetectedSecret`.
#[test]
fn findings_match_trivy_json() {
    let ours = scan_corpus();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(atalaia_test::corpus_iac_dir().join("secrets.trivy.json"))
            .expect("secrets.trivy.json"),
    )
    .expect("valid JSON");
    let mut compared = 0;
    let mut diffs = Vec::new();
    for result in json["Results"].as_array().expect("Results") {
        let target = result["Target"].as_str().unwrap();
        let Some(secrets) = result["Secrets"].as_array() else {
            continue;
        };
        for theirs in secrets {
            let rule = theirs["RuleID"].as_str().unwrap();
            let line = theirs["StartLine"].as_u64().unwrap() as usize;
            let Some(mine) = ours[target]
                .iter()
                .find(|f| f.rule_id == rule && f.start_line == line)
            else {
                diffs.push(format!("{target}:{line} {rule}: not found"));
                continue;
            };
            compared += 1;
            let mine = serde_json::to_value(mine).unwrap();
            if mine != *theirs {
                diffs.push(format!(
                    "{target}:{line} {rule}:\n  ours:  {mine}\n  trivy: {theirs}"
                ));
            }
        }
    }
    assert!(compared >= 40, "compared {compared}");
    assert!(
        diffs.is_empty(),
        "{} of {compared} findings differ from Trivy's JSON:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// Findings Trivy does not have are listed (not failed: the positives hold many real-format
/// secrets Trivy misses), but they must be in positive or mixed files only.
#[test]
fn extra_findings_are_only_in_positive_or_mixed_files() {
    let ours = scan_corpus();
    let reference: BTreeSet<(String, String, usize)> = reference()
        .into_iter()
        .map(|(f, r, s, _)| (f, r, s))
        .collect();
    for (file, findings) in &ours {
        for f in findings {
            if !reference.contains(&(file.clone(), f.rule_id.clone(), f.start_line)) {
                assert!(
                    file.starts_with("positive/") || file.starts_with("mixed/"),
                    "unexpected finding in {file}: {} line {}",
                    f.rule_id,
                    f.start_line
                );
            }
        }
    }
}
