//! One pass per layer, failures and warnings, on small layers built by the tests.

use std::sync::atomic::Ordering;

use atalaia_analyze::{analyze_layer_sources, AnalyzeError, AnalyzeOptions};
use atalaia_artifact::Limits;
use atalaia_types::OsFamily;

use crate::common::{apk_db, open_ref, tar_of, MemLayer, ALPINE_OS_RELEASE};

#[test]
fn each_layer_is_opened_exactly_once() {
    let layers = vec![
        MemLayer::new(
            1,
            tar_of(&[
                ("etc/os-release", ALPINE_OS_RELEASE),
                (
                    "lib/apk/db/installed",
                    &apk_db(&[("musl", "1.2.5-r0", "musl")]),
                ),
            ]),
        ),
        MemLayer::new(2, tar_of(&[("etc/alpine-release", "3.20.3\n")])),
        MemLayer::new(
            3,
            tar_of(&[(
                "lib/apk/db/installed",
                &apk_db(&[("musl", "1.2.5-r0", "musl"), ("zlib", "1.3.1-r1", "zlib")]),
            )]),
        ),
    ];
    for parallelism in [1, 2, 0] {
        for l in &layers {
            l.opens.store(0, Ordering::SeqCst);
        }
        let inv = analyze_layer_sources(
            &layers,
            &AnalyzeOptions {
                parallelism,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            layers.iter().all(|l| l.opens.load(Ordering::SeqCst) == 1),
            "parallelism {parallelism}"
        );
        let pkgs = &inv.os_packages[0].packages;
        assert_eq!(pkgs.len(), 2);
        assert_eq!(pkgs[0].layer, layers[0].info.as_package_layer());
        assert_eq!(pkgs[1].layer, layers[2].info.as_package_layer());
        assert_eq!(
            inv.os.as_ref().map(|o| (o.family, o.version.as_str())),
            Some((OsFamily::Alpine, "3.20.3"))
        );
    }
}

#[test]
fn corpus_image_layers_are_opened_once() {
    use atalaia_analyze::LayerSource;
    struct Counting<'a>(&'a atalaia_artifact::Layer, std::sync::atomic::AtomicUsize);
    impl LayerSource for Counting<'_> {
        fn info(&self) -> &atalaia_types::LayerInfo {
            &self.0.info
        }
        fn open(&self) -> Result<Box<dyn std::io::Read + Send>, atalaia_artifact::ArtifactError> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.open()
        }
    }
    let image = open_ref("tricky-layers");
    let counted: Vec<Counting<'_>> = image.layers.iter().map(|l| Counting(l, 0.into())).collect();
    let inv = analyze_layer_sources(&counted, &AnalyzeOptions::default()).unwrap();
    assert_eq!(inv.os_packages[0].packages.len(), 13);
    assert!(counted.iter().all(|c| c.1.load(Ordering::SeqCst) == 1));
}

#[test]
fn corrupt_package_database_is_a_warning_and_the_scan_goes_on() {
    let status = "Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2026b-0+deb12u1\n";
    let layers = vec![MemLayer::new(
        1,
        tar_of(&[
            ("etc/debian_version", "12.15\n"),
            (
                "lib/apk/db/installed",
                "P:musl\nthis is not an apk database\n",
            ),
            ("var/lib/dpkg/status", status),
        ]),
    )];
    let inv = analyze_layer_sources(&layers, &AnalyzeOptions::default()).unwrap();
    assert_eq!(inv.os_packages.len(), 1);
    assert_eq!(inv.os_packages[0].packages[0].name, "tzdata");
    assert_eq!(inv.warnings.len(), 1, "{:?}", inv.warnings);
    let w = &inv.warnings[0];
    assert_eq!(w.file_path, "/lib/apk/db/installed");
    assert_eq!(w.layer.as_ref(), Some(&layers[0].info.digest));
    assert!(w.message.contains("line 2"), "{}", w.message);
}

#[test]
fn corrupt_db_hidden_by_an_upper_layer_is_not_reported() {
    let layers = vec![
        MemLayer::new(1, tar_of(&[("lib/apk/db/installed", "garbage\n")])),
        MemLayer::new(
            2,
            tar_of(&[(
                "lib/apk/db/installed",
                &apk_db(&[("musl", "1.2.5-r0", "musl")]),
            )]),
        ),
    ];
    let inv = analyze_layer_sources(&layers, &AnalyzeOptions::default()).unwrap();
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    assert_eq!(inv.os_packages[0].packages.len(), 1);
}

#[test]
fn oversized_file_is_a_warning() {
    let layers = vec![MemLayer::new(
        1,
        tar_of(&[(
            "lib/apk/db/installed",
            &apk_db(&[("musl", "1.2.5-r0", "musl")]),
        )]),
    )];
    let opts = AnalyzeOptions {
        limits: Limits {
            max_file_bytes: 10,
            ..Limits::default()
        },
        ..Default::default()
    };
    let inv = analyze_layer_sources(&layers, &opts).unwrap();
    assert!(inv.os_packages.is_empty());
    assert_eq!(inv.warnings.len(), 1);
    assert!(
        inv.warnings[0].message.contains("--max-file-bytes"),
        "{}",
        inv.warnings[0].message
    );
}

#[test]
fn unreadable_layer_fails_the_scan_naming_it() {
    // A cut tar stream followed by junk where the next header should be, and no tar at all.
    let mut cut = tar_of(&[("etc/alpine-release", "3.20.3\n"), ("etc/motd", "hello\n")]);
    cut.truncate(1024);
    cut.extend_from_slice(&[0xAB; 700]);
    let not_tar = b"this is not a tar stream at all, not even close........".repeat(20);
    for bad in [cut, not_tar] {
        let layers = vec![
            MemLayer::new(1, tar_of(&[("etc/alpine-release", "3.20.3\n")])),
            MemLayer::new(2, bad),
        ];
        let err = analyze_layer_sources(&layers, &AnalyzeOptions::default()).unwrap_err();
        match &err {
            AnalyzeError::Layer { index, digest, .. } => {
                assert_eq!((*index, digest), (2, &layers[1].info.digest));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().contains(layers[1].info.digest.as_str()),
            "{err}"
        );
    }
}

/// Layers arriving as streams (a daemon's `docker save` output) give the same inventory as the
/// same layers opened at will.
#[test]
fn streamed_layers_merge_like_opened_ones() {
    let lower = tar_of(&[
        ("etc/os-release", ALPINE_OS_RELEASE),
        (
            "lib/apk/db/installed",
            &apk_db(&[("musl", "1.2.5-r0", "musl"), ("zlib", "1.3.1-r1", "zlib")]),
        ),
    ]);
    let upper = tar_of(&[(
        "lib/apk/db/installed",
        &apk_db(&[("musl", "1.2.5-r0", "musl")]),
    )]);
    let opts = AnalyzeOptions::default();
    let analyzers = atalaia_analyze::analyzers_for(atalaia_analyze::ScanMode::Image, &opts);
    let streamed: Vec<_> = [&lower, &upper]
        .iter()
        .map(|tar| {
            atalaia_analyze::analyze_layer_stream(tar.as_slice(), &analyzers, &opts).unwrap()
        })
        .collect();
    let layers = [
        MemLayer::new(1, lower.clone()),
        MemLayer::new(2, upper.clone()),
    ];
    let infos: Vec<_> = layers
        .iter()
        .map(|l| atalaia_analyze::LayerSource::info(l).clone())
        .collect();
    let from_stream = atalaia_analyze::build_inventory(&streamed, &infos);
    let opened = analyze_layer_sources(&layers, &opts).unwrap();
    assert_eq!(from_stream, opened);
    let names: Vec<&str> = opened.os_packages[0]
        .packages
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["musl"]);
}
