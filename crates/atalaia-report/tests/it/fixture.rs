//! The fixture report every writer snapshot uses.

use atalaia_report::{Report, ReportOptions};
use atalaia_types::{
    Application, ArtifactKind, ArtifactMetadata, Digest, Ecosystem, Inventory, LayerInfo, Location,
    OsFamily, OsPackageDb, OsRelease, Package, Purl, Relationship, ScanWarning,
};
use time::macros::datetime;

fn digest(c: char) -> Digest {
    format!("sha256:{}", c.to_string().repeat(64))
        .parse()
        .unwrap()
}

fn layers() -> Vec<LayerInfo> {
    vec![
        LayerInfo {
            size: 1000,
            digest: digest('a'),
            diff_id: digest('b'),
            created_by: Some("ADD rootfs.tar /".into()),
        },
        LayerInfo {
            size: 2000,
            digest: digest('c'),
            diff_id: digest('d'),
            created_by: Some("RUN apk add curl && rm -rf /var/cache/apk/*".into()),
        },
    ]
}

fn metadata() -> ArtifactMetadata {
    let layers = layers();
    ArtifactMetadata {
        size: 3000,
        image_id: Some(digest('e')),
        diff_ids: layers.iter().map(|l| l.diff_id.clone()).collect(),
        repo_tags: vec!["alpine:3.20".into()],
        repo_digests: vec![format!("alpine@{}", digest('f'))],
        manifest_digest: None,
        image_config: serde_json::json!({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]}}),
        layers,
    }
}

fn apk(name: &str, version: &str, origin: &str, licenses: &[&str], layer: usize) -> Package {
    let purl = Purl::new("apk", "alpine", name, version)
        .with_qualifier("arch", "x86_64")
        .with_qualifier("distro", "3.20.3");
    let mut p = Package::new(Ecosystem::Apk, name, version, purl);
    p.arch = "x86_64".into();
    p.src_name = origin.into();
    p.src_version = version.into();
    p.licenses = licenses.iter().map(|s| (*s).to_owned()).collect();
    p.maintainer = "Natanael Copa <ncopa@alpinelinux.org>".into();
    p.layer = layers()[layer].as_package_layer();
    p.installed_files = vec![format!("/usr/lib/lib{name}.so")];
    p
}

fn lang(eco: Ecosystem, name: &str, version: &str) -> Package {
    let mut p = Package::new(
        eco,
        name,
        version,
        Purl::new(eco.purl_type(), "", name, version),
    );
    p.layer = layers()[1].as_package_layer();
    p
}

/// The fixture report with packages listed.
pub(crate) fn report() -> Report {
    report_with(&ReportOptions::default())
}

/// An Alpine image with OS packages in two layers, an npm lockfile with relationships and
/// installed Python packages in two places (aggregated into one `Python` result), reported at
/// a fixed time.
pub(crate) fn report_with(options: &ReportOptions) -> Report {
    let mut express = lang(Ecosystem::Npm, "express", "4.18.2");
    express.relationship = Relationship::Direct;
    express.depends_on = vec!["debug@2.6.9".into()];
    express.locations = vec![Location {
        start_line: 10,
        end_line: 20,
    }];
    let mut debug = lang(Ecosystem::Npm, "debug", "2.6.9");
    debug.relationship = Relationship::Indirect;
    debug.dev = true;
    let mut root = lang(Ecosystem::Npm, "web", "1.0.0");
    root.relationship = Relationship::Root;

    let mut requests = lang(Ecosystem::PyPI, "requests", "2.19.1");
    requests.file_path =
        "usr/lib/python3.12/site-packages/requests-2.19.1.dist-info/METADATA".into();
    requests.licenses = vec!["Apache 2.0".into()];
    let mut pyyaml = lang(Ecosystem::PyPI, "PyYAML", "5.3.1");
    pyyaml.file_path =
        "opt/venv/lib/python3.12/site-packages/PyYAML-5.3.1.dist-info/METADATA".into();
    pyyaml.digest = "sha1:0123456789abcdef0123456789abcdef01234567".into();

    let inv = Inventory {
        os: Some(OsRelease {
            family: OsFamily::Alpine,
            version: "3.20.3".into(),
            pretty_name: Some("Alpine Linux v3.20".into()),
            source: Some("/etc/os-release".into()),
            eosl: None,
        }),
        os_packages: vec![OsPackageDb {
            file_path: "/lib/apk/db/installed".into(),
            packages: vec![
                apk("musl", "1.2.5-r0", "musl", &["MIT"], 0),
                apk("curl", "8.9.1-r1", "curl", &["curl"], 1),
                apk("busybox", "1.36.1-r29", "busybox", &["GPL-2.0-only"], 0),
            ],
        }],
        applications: vec![
            Application {
                app_type: "npm".into(),
                file_path: "srv/web/package-lock.json".into(),
                packages: vec![express, debug, root],
            },
            Application {
                app_type: "python-pkg".into(),
                file_path: String::new(),
                packages: vec![requests],
            },
            Application {
                app_type: "python-pkg".into(),
                file_path: String::new(),
                packages: vec![pyyaml],
            },
        ],
        warnings: vec![ScanWarning {
            file_path: "/srv/web/broken/package.json".into(),
            layer: Some(digest('d')),
            message: "not valid JSON: expected value at line 1 column 1".into(),
        }],
    };
    let mut report = Report::from_inventory(
        "alpine:3.20",
        ArtifactKind::ContainerImage,
        &metadata(),
        &inv,
        options,
    );
    report.created_at = datetime!(2026-01-02 03:04:05.123456 UTC);
    report
}
