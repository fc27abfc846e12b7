//! Helm charts of the shared corpus against Trivy's reference (issue #9): the `helm` rows of
//! `misconfig.trivy.tsv` (check ID, template path, start and end line of the rendered
//! manifest).

use std::collections::{BTreeMap, BTreeSet};

use atalaia_misconfig::{scan_dir, FileKind, NotEvaluated, Options};

type Key = (String, String, usize, usize);

/// How many of Trivy's 110 failures on the 14 corpus charts are found (ID, file, start and
/// end line). The one missing is KSV-01010 (a ConfigMap holding sensitive content), a check
/// the crate does not have.
const MIN_FOUND: usize = 109;

#[test]
#[allow(clippy::print_stdout)]
fn corpus_charts_against_trivy() {
    let iac = atalaia_test::corpus_iac_dir();
    let tsv = std::fs::read_to_string(iac.join("misconfig.trivy.tsv")).expect("reference tsv");
    let mut expected: BTreeSet<Key> = BTreeSet::new();
    for line in tsv.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, id, _sev, start, end, ty] = f.as_slice() else {
            panic!("bad reference row {line:?}")
        };
        if *ty != "helm" {
            continue;
        }
        expected.insert((
            (*file).to_string(),
            (*id).to_string(),
            start.parse().expect("start"),
            end.parse().expect("end"),
        ));
    }
    assert_eq!(expected.len(), 110, "reference helm rows");

    let started = std::time::Instant::now();
    let scan = scan_dir(&iac.join("misconfig/helm"), &Options::default()).expect("scan");
    println!("14 charts scanned in {:?}", started.elapsed());
    let mut found: BTreeSet<Key> = BTreeSet::new();
    for r in scan
        .results
        .iter()
        .filter(|r| r.kind == Some(FileKind::Helm))
    {
        for m in r.failures() {
            found.insert((
                format!("helm/{}", r.target),
                m.id.clone(),
                m.cause_metadata.start_line,
                m.cause_metadata.end_line,
            ));
        }
    }
    let not_rendered: BTreeMap<&str, String> = scan
        .coverage
        .not_evaluated
        .iter()
        .filter_map(|s| match &s.reason {
            NotEvaluated::HelmRender { error } => Some((s.path.as_str(), error.clone())),
            _ => None,
        })
        .collect();
    // Templates Trivy evaluated (it lists a result for every rendered manifest with a
    // Kubernetes object) against ours.
    let json = std::fs::read_to_string(iac.join("misconfig.trivy.json")).expect("reference json");
    let reference: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    let trivy_targets: BTreeSet<String> = reference["Results"]
        .as_array()
        .expect("Results")
        .iter()
        .filter(|r| r["Type"] == "helm")
        .filter_map(|r| r["Target"].as_str().map(str::to_string))
        .collect();
    let our_targets: BTreeSet<String> = scan
        .results
        .iter()
        .filter(|r| r.kind == Some(FileKind::Helm))
        .map(|r| format!("helm/{}", r.target))
        .collect();
    for t in trivy_targets.difference(&our_targets) {
        println!("  template Trivy evaluated, not us: {t}");
    }
    for t in our_targets.difference(&trivy_targets) {
        println!("  template we evaluated, not Trivy: {t}");
    }
    // The code lines Trivy shows for each finding are the rendered manifest's: ours must
    // read the same.
    let mut trivy_code: BTreeMap<Key, Vec<(usize, String)>> = BTreeMap::new();
    for r in reference["Results"].as_array().expect("Results") {
        if r["Type"] != "helm" {
            continue;
        }
        let target = r["Target"].as_str().unwrap_or_default().to_string();
        for m in r["Misconfigurations"].as_array().into_iter().flatten() {
            let c = &m["CauseMetadata"];
            let n = |v: &serde_json::Value| usize::try_from(v.as_u64().unwrap_or(0)).unwrap_or(0);
            let key = (
                target.clone(),
                m["ID"].as_str().unwrap_or_default().to_string(),
                n(&c["StartLine"]),
                n(&c["EndLine"]),
            );
            let lines = c["Code"]["Lines"]
                .as_array()
                .into_iter()
                .flatten()
                // Trivy marks where it cut the snippet with an empty, truncated line.
                .filter(|l| l["Truncated"] != true)
                .map(|l| {
                    (
                        n(&l["Number"]),
                        l["Content"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            trivy_code.insert(key, lines);
        }
    }
    let mut code_compared = 0;
    let mut code_differs = Vec::new();
    for r in scan
        .results
        .iter()
        .filter(|r| r.kind == Some(FileKind::Helm))
    {
        for m in r.failures() {
            let key = (
                format!("helm/{}", r.target),
                m.id.clone(),
                m.cause_metadata.start_line,
                m.cause_metadata.end_line,
            );
            let Some(theirs) = trivy_code.get(&key) else {
                continue;
            };
            code_compared += 1;
            for (num, content) in theirs {
                let ours = m
                    .cause_metadata
                    .code
                    .lines
                    .iter()
                    .find(|l| l.number == *num);
                if ours.map(|l| &l.content) != Some(content) {
                    code_differs.push(format!(
                        "{key:?} line {num}: Trivy {content:?}, ours {:?}",
                        ours.map(|l| &l.content)
                    ));
                }
            }
        }
    }
    println!(
        "code lines compared on {code_compared} findings, {} differ",
        code_differs.len()
    );
    for d in code_differs.iter().take(20) {
        println!("  code differs: {d}");
    }
    let missing: Vec<&Key> = expected.difference(&found).collect();
    let extra: Vec<&Key> = found.difference(&expected).collect();
    println!("coverage: {}", scan.coverage);
    println!(
        "found {}/{} Trivy helm failures; {} extra",
        expected.len() - missing.len(),
        expected.len(),
        extra.len()
    );
    for (p, e) in &not_rendered {
        println!("  not rendered: {p}: {e}");
    }
    for m in &missing {
        println!("  missing: {} {}:{}-{}", m.1, m.0, m.2, m.3);
    }
    for m in &extra {
        println!("  extra: {} {}:{}-{}", m.1, m.0, m.2, m.3);
    }
    assert!(
        code_compared >= MIN_FOUND && code_differs.is_empty(),
        "{} of {code_compared} findings show other code lines than Trivy's",
        code_differs.len()
    );
    assert!(
        expected.len() - missing.len() >= MIN_FOUND,
        "{} of Trivy's helm failures found, at least {MIN_FOUND} expected",
        expected.len() - missing.len()
    );
}

fn fixture_scan() -> atalaia_misconfig::Scan {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/helm");
    scan_dir(&dir, &Options::default()).expect("scan")
}

#[test]
fn fixture_chart_is_rendered_and_checked() {
    let scan = fixture_scan();
    let by_target = |t: &str| {
        scan.results
            .iter()
            .find(|r| r.target == t)
            .unwrap_or_else(|| panic!("no result for {t}: {:?}", scan.coverage))
    };
    let dep = by_target("web/templates/deployment.yaml");
    assert_eq!(dep.kind, Some(FileKind::Helm));
    let privileged: Vec<_> = dep.failures().filter(|m| m.id == "KSV-0017").collect();
    assert_eq!(privileged.len(), 1);
    let m = privileged[0];
    assert_eq!(m.check_type, "Helm Security Check");
    // Line 1 is `# Source: web/templates/deployment.yaml`; the container spans 14-20.
    assert_eq!(
        (m.cause_metadata.start_line, m.cause_metadata.end_line),
        (14, 20)
    );
    assert!(m.message.contains("'web'"), "{}", m.message);
    let first = &m.cause_metadata.code.lines[0];
    assert_eq!(first.content, "        - name: web");
    // The subchart is enabled by the parent's `cache.enabled` and sees the parent's values.
    let pod = by_target("web/charts/cache/templates/pod.yaml");
    assert!(
        pod.failures().any(|m| m.id == "KSV-0009"),
        "{:?}",
        pod.misconfigurations
    );
    // The ConfigMap (from `.Files.Glob ... AsConfig`) is checked; its empty second document
    // is dropped.
    assert!(scan
        .results
        .iter()
        .any(|r| r.target == "web/templates/configmap.yaml"));
    // Chart inputs are accounted for.
    for input in [
        "web/Chart.yaml",
        "web/values.yaml",
        "web/charts/cache/values.yaml",
    ] {
        assert!(
            scan.coverage
                .not_evaluated
                .iter()
                .any(|s| s.path == input && s.reason == NotEvaluated::HelmChart),
            "{input}"
        );
    }
}

#[test]
fn charts_that_fail_to_render_are_reported_not_skipped() {
    let scan = fixture_scan();
    for (chart, why) in [
        ("broken", "a name is required"),
        ("loop", "nested deeper"),
        ("badfn", "noSuchFunction"),
    ] {
        let skipped: Vec<_> = scan
            .coverage
            .not_evaluated
            .iter()
            .filter(|s| s.path.starts_with(&format!("{chart}/")))
            .collect();
        assert_eq!(skipped.len(), 2, "{chart}: {skipped:?}");
        for s in skipped {
            match &s.reason {
                NotEvaluated::HelmRender { error } => {
                    assert!(error.contains(why), "{chart}: {error}");
                }
                other => panic!("{chart}: {other:?}"),
            }
        }
        // A template is never parsed as a raw manifest (broken/templates/pod.yaml would
        // fail KSV-0010 as it stands).
        assert!(!scan
            .results
            .iter()
            .any(|r| r.target.starts_with(&format!("{chart}/"))));
    }
    assert_eq!(
        scan.coverage.files_found,
        scan.coverage.files_evaluated + scan.coverage.not_evaluated.len()
    );
}

#[test]
fn a_chart_scanned_as_the_directory_itself() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/helm/web");
    let scan = scan_dir(&dir, &Options::default()).expect("scan");
    let targets: Vec<&str> = scan.results.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "charts/cache/templates/pod.yaml",
            "templates/configmap.yaml",
            "templates/deployment.yaml"
        ]
    );
    assert!(scan.results.iter().all(|r| r.kind == Some(FileKind::Helm)));
}
