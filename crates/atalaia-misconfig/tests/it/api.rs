//! The public API: result shape, Trivy-compatible JSON, passes, coverage.

use atalaia_misconfig::{canonical_id, scan_dir, scan_file, FileKind, Options, Status};

#[test]
fn dockerfile_result_shape_and_json() {
    let r = scan_file(
        "app/Dockerfile",
        b"FROM alpine\nRUN apk add \\\n    curl\n",
        &Options::default(),
    );
    assert_eq!(r.kind, Some(FileKind::Dockerfile));
    let ids: Vec<&str> = r.failures().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["DS-0002", "DS-0026", "DS-0001", "DS-0025"]);
    assert_eq!(r.misconf_summary.failures, 4);
    assert_eq!(r.misconf_summary.successes, 27 - 4);
    let apk = r.failures().find(|m| m.id == "DS-0025").unwrap();
    assert_eq!(
        (apk.cause_metadata.start_line, apk.cause_metadata.end_line),
        (2, 3)
    );
    assert_eq!(apk.cause_metadata.code.lines.len(), 2);
    let json = serde_json::to_value(apk).unwrap();
    assert_eq!(json["ID"], "DS-0025");
    assert_eq!(json["AVDID"], "AVD-DS-0025");
    assert_eq!(json["Severity"], "HIGH");
    assert_eq!(json["Status"], "FAIL");
    assert_eq!(json["Namespace"], "builtin.dockerfile.DS025");
    assert_eq!(json["Query"], "data.builtin.dockerfile.DS025.deny");
    assert_eq!(
        json["PrimaryURL"],
        "https://avd.aquasec.com/misconfig/ds-0025"
    );
    assert_eq!(json["CauseMetadata"]["StartLine"], 2);
    assert_eq!(json["CauseMetadata"]["Code"]["Lines"][0]["Number"], 2);
    let whole = serde_json::to_value(r.failures().next().unwrap()).unwrap();
    assert!(whole["CauseMetadata"].get("StartLine").is_none());
}

#[test]
fn include_non_failures_lists_passes() {
    let opts = Options {
        include_non_failures: true,
        ..Options::default()
    };
    let r = scan_file(
        "Dockerfile",
        b"FROM a:1\nUSER app\nHEALTHCHECK NONE\n",
        &opts,
    );
    assert_eq!(r.misconf_summary.failures, 0);
    assert_eq!(r.misconfigurations.len(), 27);
    assert!(r.misconfigurations.iter().all(|m| m.status == Status::Pass));
}

#[test]
fn ids_in_every_form() {
    assert_eq!(canonical_id("DS002"), Some("DS-0002"));
    assert_eq!(canonical_id("AVD-KSV-0001"), Some("KSV-0001"));
    assert_eq!(canonical_id("ksv-0125"), Some("KSV-0125"));
    assert_eq!(canonical_id("KSV0125"), Some("KSV-0125"));
    assert_eq!(canonical_id("XX-1"), None);
}

#[test]
fn kubernetes_summary_counts_checks_like_trivy() {
    // A failing Pod and a Service in one file: every check passes on some object.
    let text = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n";
    let r = scan_file("k.yaml", text, &Options::default());
    let n = atalaia_misconfig::check_ids()
        .iter()
        .filter(|i| i.starts_with("KSV"))
        .count();
    assert_eq!(r.misconf_summary.successes, n);
    assert!(r.misconf_summary.failures > 10);
    // The Pod alone: the failing checks are not successes.
    let pod = &text[..text.iter().position(|&b| b == b'-').unwrap()];
    let r = scan_file("k.yaml", pod, &Options::default());
    let distinct: std::collections::BTreeSet<&str> = r.failures().map(|m| m.id.as_str()).collect();
    assert_eq!(r.misconf_summary.successes, n - distinct.len());
}

#[test]
fn compose_is_detected_and_checked() {
    let r = scan_file(
        "docker-compose.yml",
        b"services:\n  web:\n    image: nginx\n    privileged: true\n",
        &Options::default(),
    );
    assert_eq!(r.kind, Some(FileKind::Compose));
    let f: Vec<_> = r.failures().collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "KSV-0017");
    assert_eq!(f[0].cause_metadata.start_line, 4);
}

#[test]
fn coverage_of_a_directory() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tree");
    let scan = scan_dir(&data, &Options::default()).unwrap();
    assert_eq!(scan.coverage.files_found, 7);
    // The chart's template is rendered and checked (#9); its Chart.yaml is chart input.
    assert_eq!(scan.coverage.files_evaluated, 5);
    let mut reasons: Vec<String> = scan
        .coverage
        .not_evaluated
        .iter()
        .map(|s| format!("{} {}", s.path, s.reason))
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "chart/Chart.yaml Helm chart input (values, metadata, subchart)",
            "values.yaml no Kubernetes object or Compose service",
        ]
    );
    let kinds: Vec<_> = scan
        .results
        .iter()
        .map(|r| (r.target.as_str(), r.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Dockerfile", Some(FileKind::Dockerfile)),
            ("chart/templates/deploy.yaml", Some(FileKind::Helm)),
            ("compose.yaml", Some(FileKind::Compose)),
            ("k8s/pod.yaml", Some(FileKind::Kubernetes)),
            ("main.tf", Some(FileKind::Terraform)),
        ]
    );
    // The bare bucket fails the S3 checks, on the block's line.
    let tf = scan.results.iter().find(|r| r.target == "main.tf").unwrap();
    let ids: Vec<&str> = tf.failures().map(|m| m.id.as_str()).collect();
    for id in ["AWS-0086", "AWS-0089", "AWS-0090", "AWS-0094", "AWS-0132"] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
    assert!(tf.failures().all(|m| m.cause_metadata.start_line == 1));
}
