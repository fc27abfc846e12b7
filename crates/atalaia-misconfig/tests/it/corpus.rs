//! The shared IaC corpus against Trivy's reference output (issue #9, acceptance 1).
//!
//! Every Trivy failure on a Dockerfile, Kubernetes manifest or Compose file (check ID, file,
//! start line) must be found. Findings atalaia reports that Trivy does not are listed, not
//! asserted.

use std::collections::{BTreeMap, BTreeSet};

use atalaia_misconfig::{scan_dir, Options};

type Key = (String, String, usize);

#[test]
#[allow(clippy::print_stdout)]
fn every_trivy_failure_is_found() {
    let iac = atalaia_test::corpus_iac_dir();
    let tsv = std::fs::read_to_string(iac.join("misconfig.trivy.tsv")).expect("reference tsv");
    let mut expected: BTreeMap<Key, (usize, String)> = BTreeMap::new();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, id, _sev, start, end, ty] = f.as_slice() else {
            panic!("bad reference row {line:?}")
        };
        if !matches!(*ty, "dockerfile" | "kubernetes" | "compose") {
            continue;
        }
        *by_type.entry((*ty).to_string()).or_default() += 1;
        let start: usize = start.parse().expect("start line");
        let end: usize = end.parse().expect("end line");
        expected.insert(
            ((*file).to_string(), (*id).to_string(), start),
            (end, (*ty).to_string()),
        );
    }
    assert!(expected.len() > 1000, "reference rows missing");

    let scan = scan_dir(&iac.join("misconfig"), &Options::default()).expect("scan");
    let mut found: BTreeMap<Key, usize> = BTreeMap::new();
    let mut found_by_type: BTreeMap<String, usize> = BTreeMap::new();
    for r in &scan.results {
        let ty = r.kind.map_or("?", |k| k.as_str()).to_string();
        if !matches!(ty.as_str(), "dockerfile" | "kubernetes" | "compose") {
            continue;
        }
        for m in r.failures() {
            *found_by_type.entry(ty.clone()).or_default() += 1;
            found.insert(
                (r.target.clone(), m.id.clone(), m.cause_metadata.start_line),
                m.cause_metadata.end_line,
            );
        }
    }

    let mut missing = Vec::new();
    let mut end_mismatch = Vec::new();
    for ((file, id, start), (end, _)) in &expected {
        match found.get(&(file.clone(), id.clone(), *start)) {
            None => missing.push(format!("{id} {file}:{start}")),
            Some(e) if e != end => {
                end_mismatch.push(format!("{id} {file}:{start} end {e} (Trivy {end})"))
            }
            Some(_) => {}
        }
    }
    let expected_keys: BTreeSet<&Key> = expected.keys().collect();
    let extras: Vec<String> = found
        .keys()
        .filter(|k| !expected_keys.contains(k))
        .map(|(f, id, s)| format!("{id} {f}:{s}"))
        .collect();

    println!("Trivy reference failures by type: {by_type:?}");
    println!("atalaia failures by type: {found_by_type:?}");
    println!("coverage: {}", scan.coverage);
    println!(
        "found {}/{} reference failures; {} end-line differences; {} extra findings",
        expected.len() - missing.len(),
        expected.len(),
        end_mismatch.len(),
        extras.len()
    );
    for e in &end_mismatch {
        println!("  end differs: {e}");
    }
    for e in &extras {
        println!("  extra: {e}");
    }
    assert!(
        missing.is_empty(),
        "{} Trivy failures not found:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn no_panic_on_any_corpus_file() {
    let dir = atalaia_test::corpus_iac_dir().join("misconfig");
    let mut stack = vec![dir];
    let mut n = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read corpus dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read corpus file");
                // Every file under every name kind, whatever its real kind.
                for name in [
                    "Dockerfile",
                    "x.yaml",
                    "docker-compose.yml",
                    "x.json",
                    "main.tf",
                ] {
                    let _ = atalaia_misconfig::scan_file(name, &bytes, &Options::default());
                }
                n += 1;
            }
        }
    }
    assert!(n > 800, "only {n} corpus files");
}

/// Per file, the `MisconfSummary` agrees with Trivy's: successes and failures for Dockerfiles
/// (the same 27 checks), failures for Kubernetes (Trivy 0.76 runs 115 Kubernetes checks,
/// control-plane ones included, so its success counts are higher).
#[test]
fn summaries_match_trivy() {
    let iac = atalaia_test::corpus_iac_dir();
    let json = std::fs::read_to_string(iac.join("misconfig.trivy.json")).expect("reference json");
    let reference: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    let scan = scan_dir(&iac.join("misconfig"), &Options::default()).expect("scan");
    let ours: BTreeMap<&str, &atalaia_misconfig::FileResult> = scan
        .results
        .iter()
        .map(|r| (r.target.as_str(), r))
        .collect();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for r in reference["Results"].as_array().expect("Results") {
        let ty = r["Type"].as_str().unwrap_or("");
        if ty != "dockerfile" && ty != "kubernetes" {
            continue;
        }
        let target = r["Target"].as_str().expect("Target");
        let Some(o) = ours.get(target) else {
            mismatches.push(format!("{target}: not evaluated"));
            continue;
        };
        let failures = r["MisconfSummary"]["Failures"].as_u64().expect("Failures");
        let successes = r["MisconfSummary"]["Successes"]
            .as_u64()
            .expect("Successes");
        let same = o.misconf_summary.failures as u64 == failures
            && (ty != "dockerfile" || o.misconf_summary.successes as u64 == successes);
        if !same {
            mismatches.push(format!(
                "{target}: {:?}, Trivy {successes}/{failures}",
                o.misconf_summary
            ));
        }
        compared += 1;
    }
    assert!(compared > 150, "only {compared} reference results");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The least share of Trivy's failures (per mille) that must be found, per IaC type.
/// Issue #9 asks for 80%; the floors are the numbers reached (422/437 and 64/64), so they
/// cannot regress.
const IAC_FLOOR: &[(&str, usize)] = &[("cloudformation", 960), ("terraform", 1000)];

/// Terraform and CloudFormation: the share of Trivy's failures (check ID, file, start line)
/// found, with the misses listed.
#[test]
#[allow(clippy::print_stdout)]
fn iac_failures_found() {
    let iac = atalaia_test::corpus_iac_dir();
    let tsv = std::fs::read_to_string(iac.join("misconfig.trivy.tsv")).expect("reference tsv");
    let mut expected: BTreeMap<String, BTreeSet<Key>> = BTreeMap::new();
    let mut expected_end: BTreeMap<Key, usize> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, id, _sev, start, end, ty] = f.as_slice() else {
            panic!("bad reference row {line:?}")
        };
        if !IAC_FLOOR.iter().any(|(t, _)| t == ty) {
            continue;
        }
        let start: usize = start.parse().expect("start line");
        let end: usize = end.parse().expect("end line");
        let key = ((*file).to_string(), (*id).to_string(), start);
        expected_end.insert(key.clone(), end);
        expected.entry((*ty).to_string()).or_default().insert(key);
    }
    let scan = scan_dir(&iac.join("misconfig"), &Options::default()).expect("scan");
    let mut found: BTreeSet<Key> = BTreeSet::new();
    let mut ends: BTreeMap<Key, usize> = BTreeMap::new();
    for r in &scan.results {
        for m in r.failures() {
            let k = (r.target.clone(), m.id.clone(), m.cause_metadata.start_line);
            ends.insert(k.clone(), m.cause_metadata.end_line);
            found.insert(k);
        }
    }
    let mut failures = Vec::new();
    for (ty, floor) in IAC_FLOOR {
        let want = &expected[*ty];
        let missing: Vec<&Key> = want.iter().filter(|k| !found.contains(*k)).collect();
        let got = want.len() - missing.len();
        let end_differs: Vec<String> = want
            .iter()
            .filter_map(|k| {
                let (ours, theirs) = (ends.get(k)?, expected_end.get(k)?);
                (ours != theirs)
                    .then(|| format!("{} {}:{} end {ours} (Trivy {theirs})", k.1, k.0, k.2))
            })
            .collect();
        println!(
            "{ty}: found {got}/{} Trivy failures, {} with another end line",
            want.len(),
            end_differs.len()
        );
        for e in &end_differs {
            println!("  end differs {ty}: {e}");
        }
        for (f, id, s) in &missing {
            println!("  missing {ty}: {id} {f}:{s}");
        }
        let extras: Vec<&Key> = found
            .iter()
            .filter(|k| k.0.starts_with(&format!("{ty}/")) && !want.contains(*k))
            .collect();
        println!("  {} {ty} findings Trivy does not report", extras.len());
        for (f, id, s) in &extras {
            println!("  extra {ty}: {id} {f}:{s}");
        }
        if got * 1000 < floor * want.len() {
            failures.push(format!("{ty}: {got}/{} below {floor}‰", want.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}
