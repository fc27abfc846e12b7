//! tricky-layers: whiteouts, an opaque directory, a path deleted and re-added, symlinks
//! (relative, absolute, dangling) and hard links (within a layer and to a re-emitted file).

use std::sync::Arc;

use atalaia_analyze::{
    analyze_layers, builtin_analyzers, AnalyzeError, AnalyzeOptions, Analyzer, FileInput, Finding,
    MergedFs, ScanMode,
};
use atalaia_types::{Application, Ecosystem, Package, Purl};

use crate::common::{open_ref, scan_ref};

/// Records the content of every file under `app/`, `root/` and `opt/` (test only): one
/// application per file whose single package carries the content in `digest`.
struct Content;

impl Analyzer for Content {
    fn name(&self) -> &'static str {
        "test-content"
    }
    fn version(&self) -> u32 {
        1
    }
    fn modes(&self) -> &'static [ScanMode] {
        ScanMode::ALL
    }
    fn wants(&self, path: &str, _size: u64, _mode: u32) -> bool {
        ["app/", "root/", "opt/"]
            .iter()
            .any(|p| path.starts_with(p))
    }
    fn analyze(&self, input: &FileInput<'_>) -> Result<Vec<Finding>, AnalyzeError> {
        let mut p = Package::new(
            Ecosystem::Npm,
            input.path,
            "0",
            Purl::new("generic", "", "x", ""),
        );
        p.digest = String::from_utf8_lossy(input.bytes).into_owned();
        Ok(vec![Finding::Application(Application {
            app_type: "test-content".into(),
            file_path: input.path.into(),
            packages: vec![p],
        })])
    }
}

fn content(fs: &MergedFs<'_>, path: &str) -> Option<(String, usize)> {
    let (_, node) = fs.lookup(path)?;
    node.node.findings().iter().find_map(|f| match f {
        Finding::Application(a) if a.app_type == "test-content" => {
            Some((a.packages[0].digest.clone(), node.layer))
        }
        _ => None,
    })
}

#[test]
fn final_filesystem_honours_whiteouts_opaque_dirs_and_links() {
    let image = open_ref("tricky-layers");
    let mut analyzers = builtin_analyzers(ScanMode::Image);
    analyzers.push(Arc::new(Content));
    let layers = analyze_layers(&image.layers, &analyzers, &AnalyzeOptions::default()).unwrap();
    assert_eq!(layers.len(), 4);
    let fs = MergedFs::new(&layers);

    // Layer 2 whiteouts: a file, a dotfile and two directories (no parent entries in the layer).
    assert!(content(&fs, "root/.git-credentials").is_none());
    let site = "usr/local/lib/python3.11/site-packages";
    assert!(fs
        .get(&format!("{site}/urllib3-1.23.dist-info/METADATA"))
        .is_none());
    assert!(fs
        .get(&format!("{site}/urllib3-1.24.1.dist-info/METADATA"))
        .is_some());
    assert!(fs
        .get(&format!("{site}/requests-2.19.1.dist-info/METADATA"))
        .is_some());

    // Re-added in layer 4 with new, clean content.
    let (creds, layer) = content(&fs, "root/.aws/credentials").expect("credentials re-added");
    assert_eq!(layer, 3);
    assert!(
        !creds.contains("AKIA"),
        "the lower layer's secret must not show: {creds}"
    );
    // ...while the lower copy still exists in layer 1's own view.
    assert!(layers[0].entries.contains_key("root/.aws/credentials"));

    // Layer 3's opaque directory: only its own content under /opt/data.
    let under: Vec<&str> = fs
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("opt/data/"))
        .collect();
    assert_eq!(under, ["opt/data/new-file.txt", "opt/data/readme.txt"]);
    let (readme, layer) = content(&fs, "opt/data/readme.txt").unwrap();
    assert_eq!(layer, 2);
    let (lower_readme, _) = {
        let lower = MergedFs::new(&layers[..1]);
        content(&lower, "opt/data/readme.txt").unwrap()
    };
    assert_ne!(readme, lower_readme, "the readme is the new one");

    // Symlinks: relative to a secret, absolute, dangling (target hidden by the opaque dir).
    assert_eq!(
        fs.resolve("app/config/tls.key").as_deref(),
        Some("app/certs/server.key")
    );
    assert!(content(&fs, "app/config/tls.key")
        .unwrap()
        .0
        .contains("BEGIN PRIVATE KEY"));
    assert_eq!(
        fs.resolve("app/config/aws").as_deref(),
        Some("root/.aws/credentials")
    );
    assert_eq!(content(&fs, "app/config/aws").unwrap().0, creds);
    assert_eq!(fs.resolve("app/config/dangling"), None);

    // Hard links: within layer 4, and to `/app/.env` which layer 4 re-emits.
    let (tool, _) = content(&fs, "app/bin/tool").unwrap();
    let (tool_link, layer) =
        content(&fs, "app/bin/tool-hardlink").expect("hard link carries its target's findings");
    assert_eq!((tool_link, layer), (tool, 3));
    let (env, _) = content(&fs, "app/.env").unwrap();
    assert_eq!(content(&fs, "app/.env.bak").unwrap().0, env);
    let link = fs.get("app/.env.bak").unwrap();
    let Finding::Application(app) = &link.node.findings()[0] else {
        panic!()
    };
    assert_eq!(
        app.file_path, "app/.env.bak",
        "findings copied to a hard link name the link"
    );
}

#[test]
fn packages_gone_and_attributed() {
    let s = scan_ref("tricky-layers");
    let inv = &s.inventory;
    assert_eq!(inv.os.as_ref().map(|o| o.version.as_str()), Some("3.20.3"));
    assert_eq!(inv.os_packages.len(), 1);
    let apk = &inv.os_packages[0].packages;
    assert_eq!(
        apk.len(),
        13,
        "the upper apk database (13) replaces the lower one (14)"
    );
    assert!(apk.iter().all(|p| p.name != "ssl_client"));
    let first = s.image.layers[0].info.as_package_layer();
    assert!(
        apk.iter().all(|p| p.layer == first),
        "every apk package was introduced by layer 1"
    );
    assert_eq!(s.layer_index(apk[0].layer.digest.as_ref()), 1);
}

#[test]
fn layer_analyses_round_trip_through_json_like_a_cache() {
    let image = open_ref("tricky-layers");
    let analyzers = builtin_analyzers(ScanMode::Image);
    let layers = analyze_layers(&image.layers, &analyzers, &AnalyzeOptions::default()).unwrap();
    let stored: Vec<String> = layers
        .iter()
        .map(|l| serde_json::to_string(l).unwrap())
        .collect();
    let loaded: Vec<atalaia_analyze::LayerAnalysis> = stored
        .iter()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect();
    assert_eq!(loaded, layers);
    let infos: Vec<_> = image.layers.iter().map(|l| l.info.clone()).collect();
    let from_cache = atalaia_analyze::build_inventory(&loaded, &infos);
    assert_eq!(from_cache, scan_ref("tricky-layers").inventory);
    assert!(loaded.iter().all(|l| l.entry_count > 0));
}
