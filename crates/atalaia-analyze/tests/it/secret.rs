//! Secrets during the walk: big files are streamed (bounded memory) up to the per-file limit,
//! and the per-layer result with secrets stays serialisable.

use std::io::Write;
use std::sync::Arc;

use atalaia_analyze::{
    analyze_dir_full, analyze_dir_layer, AnalyzeOptions, Analyzer, LayerAnalysis, ScanMode,
    SecretAnalyzer,
};
use atalaia_artifact::Limits;
use atalaia_secret::SecretScanner;

const TOKEN: &str = "ghp_g9StIM459ZDgeZmw4Vh2DjaPoYID4GuNHJYK";

fn opts(limits: Limits) -> AnalyzeOptions {
    let scanner = Arc::new(SecretScanner::builder().build().unwrap());
    AnalyzeOptions {
        limits,
        parallelism: 1,
        extra_analyzers: vec![Arc::new(SecretAnalyzer::new(scanner, false))],
        cache: None,
    }
}

/// Writes `lines` filler lines, then a token line, then `after` filler lines.
fn big_file(path: &std::path::Path, lines: usize, after: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..lines {
        writeln!(
            f,
            "filler line {i:08} lorem ipsum dolor sit amet, consectetur adipiscing"
        )
        .unwrap();
    }
    writeln!(f, "GITHUB_TOKEN={TOKEN}").unwrap();
    for i in 0..after {
        writeln!(f, "more filler {i:08}").unwrap();
    }
}

#[test]
fn big_files_are_streamed_and_found() {
    let tmp = tempfile::tempdir().unwrap();
    // ~10 MiB: over the streaming threshold, under the default per-file limit.
    big_file(&tmp.path().join("big.log"), 150_000, 10);
    std::fs::write(tmp.path().join(".env"), format!("A=1\nT={TOKEN}\n")).unwrap();
    let a = analyze_dir_full(tmp.path(), ScanMode::Fs, &opts(Limits::default())).unwrap();
    let big = a
        .secrets
        .iter()
        .find(|f| f.path == "big.log")
        .expect("big.log");
    assert_eq!(big.findings[0].rule_id, "github-pat");
    assert_eq!(big.findings[0].start_line, 150_001);
    assert!(!big.deleted && big.layer.is_empty());
    assert!(a.secrets.iter().any(|f| f.path == ".env"));
    let json = format!("{:?}", a.secrets);
    assert!(!json.contains(TOKEN));
}

#[test]
fn files_over_the_limit_are_scanned_up_to_it_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    // The token sits in the first MiB; the file goes on well past the 1 MiB limit.
    big_file(&tmp.path().join("huge.txt"), 1_000, 60_000);
    let limits = Limits {
        max_file_bytes: 1 << 20,
        ..Limits::default()
    };
    let a = analyze_dir_full(tmp.path(), ScanMode::Fs, &opts(limits)).unwrap();
    assert_eq!(a.secrets.len(), 1);
    assert!(
        a.inventory
            .warnings
            .iter()
            .any(|w| w.file_path == "/huge.txt" && w.message.contains("first 1048576 bytes")),
        "{:?}",
        a.inventory.warnings
    );
}

#[test]
fn layer_analysis_with_secrets_round_trips_through_serde() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("creds"), format!("token: {TOKEN}\n")).unwrap();
    let o = opts(Limits::default());
    let analyzers: Vec<Arc<dyn Analyzer>> = o.extra_analyzers.clone();
    let layer = analyze_dir_layer(tmp.path(), &analyzers, &o).unwrap();
    let text = serde_json::to_string(&layer).unwrap();
    assert!(text.contains("github-pat") && !text.contains(TOKEN));
    let back: LayerAnalysis = serde_json::from_str(&text).unwrap();
    assert_eq!(back, layer);
}

/// The image config is scanned as Trivy scans it, so lines and offsets agree. The expected
/// numbers are Trivy 0.76.0's (`trivy image --input X --scanners secret
/// --image-config-scanners secret`) on the corpus Alpine 3.20.3 image with this ENV and history
/// line added to its config.
#[test]
fn image_config_secrets_have_trivys_lines_and_offsets() {
    let tar = atalaia_test::corpus_dir().join("docker-archive/alpine-3.20.3.tar");
    let image = crate::common::open(&tar.display().to_string());
    let mut config = image.metadata.image_config.clone();
    config["config"]["Env"]
        .as_array_mut()
        .unwrap()
        .push("GITHUB_TOKEN=ghp_fSPtRv2vZUx99x8jKAvVdN0Blk1u6u8nPPtX".into());
    config["history"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "created": "2024-01-01T00:00:00Z",
            "created_by": "/bin/sh -c echo AKIAXGAI1MC8JB36MCVS > /dev/null # buildkit",
            "empty_layer": true
        }));
    let scanner = SecretScanner::builder().build().unwrap();
    let file = atalaia_analyze::scan_image_config_as(&scanner, &config, "alpine.tar").unwrap();
    assert_eq!(file.path, "alpine.tar");
    let got: Vec<(&str, usize, usize, u64)> = file
        .findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.start_line, f.end_line, f.offset))
        .collect();
    assert_eq!(
        got,
        [
            ("aws-access-key-id", 11, 11, 298),
            ("github-pat", 28, 28, 672)
        ]
    );
    let github = &file.findings[1];
    assert_eq!(
        github.r#match,
        "  \"GITHUB_TOKEN=****************************************\""
    );
}
