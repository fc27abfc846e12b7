//! Against Podman's Docker-compatible API service (`podman system service`), through the same
//! client.

use atalaia_daemon::analyze_daemon_image;
use atalaia_daemon::testing::TestDaemon;

use crate::support::{analyzers, assert_same, chain, opts, reference};

#[test]
fn podman_images_scan_like_tarballs() {
    let Some(p) = TestDaemon::shared_podman() else {
        return;
    };
    let client = p.client();
    let ping = client.ping().unwrap();
    assert!(ping.is_podman(), "{ping:?}");
    let opts = opts();
    for image in ["alpine-3.20.3", "tricky-layers"] {
        let tarball = p
            .load_corpus(image)
            .unwrap_or_else(|e| panic!("{e}\n{}", p.log()));
        let got = analyze_daemon_image(
            &client,
            &format!("corpus/{image}:latest"),
            &analyzers(&opts),
            &opts,
        )
        .unwrap_or_else(|e| panic!("{}", chain(&e)));
        let (source, want) = reference(tarball.to_str().unwrap(), &opts);
        assert_same(&got.analysis, &want, image);
        assert_eq!(got.metadata.image_id, source.metadata.image_id);
        assert_eq!(got.metadata.layers, source.metadata.layers);
        assert!(!got.inspect.repo_digests.is_empty() || !got.inspect.repo_tags.is_empty());
    }
    // Podman names each layer of its export by its diff ID: a second scan takes them from the
    // layer cache.
    let cache = std::sync::Arc::new(crate::support::MemCache::default());
    let cached_opts = atalaia_analyze::AnalyzeOptions {
        cache: Some(cache.clone()),
        ..opts.clone()
    };
    let scan = || {
        analyze_daemon_image(
            &client,
            "corpus/tricky-layers:latest",
            &analyzers(&cached_opts),
            &cached_opts,
        )
        .unwrap_or_else(|e| panic!("{}", chain(&e)))
    };
    let first = scan();
    assert_eq!(first.stats.layers_analysed, 4);
    let second = scan();
    assert_eq!(second.stats.layers_cached, 4, "{:?}", second.stats);
    assert_eq!(second.stats.layers_analysed, 0);
    assert_same(&second.analysis, &first.analysis, "tricky-layers, cached");

    let err = client.inspect_image("corpus/none:1").unwrap_err();
    assert!(
        matches!(err, atalaia_daemon::DaemonError::NoSuchImage { .. }),
        "{err:?}"
    );
}
