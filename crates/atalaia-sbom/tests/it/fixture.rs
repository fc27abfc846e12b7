//! Inventories the tests write documents from.

use atalaia_types::{
    Application, ArtifactMetadata, Digest, Ecosystem, Inventory, LayerInfo, OsFamily, OsPackageDb,
    OsRelease, Package, Purl, Relationship, ScanWarning,
};
use time::macros::datetime;
use uuid::Uuid;

use atalaia_sbom::WriteOptions;

pub(crate) fn options() -> WriteOptions {
    WriteOptions {
        timestamp: datetime!(2026-01-02 03:04:05 UTC),
        serial: Uuid::from_u128(0x0123_4567_89ab_4def_8123_4567_89ab_cdef),
    }
}

fn digest(c: char) -> Digest {
    c.to_string()
        .repeat(64)
        .parse::<String>()
        .map(|h| format!("sha256:{h}"))
        .unwrap()
        .parse()
        .unwrap()
}

pub(crate) fn layers() -> Vec<LayerInfo> {
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
            created_by: Some("RUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*".into()),
        },
    ]
}

pub(crate) fn metadata() -> ArtifactMetadata {
    let layers = layers();
    ArtifactMetadata {
        size: 3000,
        image_id: Some(digest('e')),
        diff_ids: layers.iter().map(|l| l.diff_id.clone()).collect(),
        repo_tags: vec!["example.com/team/app:1.0".into()],
        repo_digests: vec![format!("example.com/team/app@{}", digest('f'))],
        manifest_digest: Some(digest('f')),
        image_config: serde_json::json!({"architecture": "amd64", "os": "linux"}),
        layers,
    }
}

#[allow(clippy::too_many_arguments)]
fn deb(
    name: &str,
    epoch: u32,
    version: &str,
    release: &str,
    src: &str,
    licenses: &[&str],
    deps: &[&str],
) -> Package {
    let full = if release.is_empty() {
        version.to_owned()
    } else {
        format!("{version}-{release}")
    };
    let mut purl = Purl::new("deb", "debian", name, &full)
        .with_qualifier("arch", "amd64")
        .with_qualifier("distro", "debian-12.8");
    if epoch != 0 {
        purl = purl.with_qualifier("epoch", &epoch.to_string());
    }
    let mut p = Package::new(Ecosystem::Deb, name, version, purl);
    p.release = release.to_owned();
    p.epoch = epoch;
    p.id = format!("{name}@{}", p.full_version());
    p.arch = "amd64".into();
    p.src_name = src.to_owned();
    p.src_version = version.to_owned();
    p.src_release = release.to_owned();
    p.src_epoch = epoch;
    p.licenses = licenses.iter().map(|s| (*s).to_owned()).collect();
    p.maintainer = "Debian Maintainers <debian@example.org>".into();
    p.depends_on = deps.iter().map(|s| (*s).to_owned()).collect();
    p.layer = layers()[0].as_package_layer();
    p
}

fn lang(eco: Ecosystem, ns: &str, name: &str, version: &str, licenses: &[&str]) -> Package {
    let full_name = if ns.is_empty() {
        name.to_owned()
    } else if eco == Ecosystem::Maven {
        format!("{ns}:{name}")
    } else {
        format!("{ns}/{name}")
    };
    let mut p = Package::new(
        eco,
        full_name,
        version,
        Purl::new(eco.purl_type(), ns, name, version),
    );
    p.licenses = licenses.iter().map(|s| (*s).to_owned()).collect();
    p.layer = layers()[1].as_package_layer();
    p
}

/// A small image: Debian packages (with an epoch, a dependency edge and odd licenses), an npm
/// lockfile with a scoped package, installed Python packages (aggregated) and two jars sharing
/// a purl.
pub(crate) fn small() -> Inventory {
    let mut node_lock = vec![
        lang(Ecosystem::Npm, "@types", "node", "20.1.0", &["MIT"]),
        lang(Ecosystem::Npm, "", "express", "4.18.2", &["MIT"]),
        lang(Ecosystem::Npm, "", "debug", "2.6.9", &["MIT OR Apache-2.0"]),
    ];
    node_lock[1].depends_on = vec!["debug@2.6.9".into(), "missing@1.0.0".into()];
    node_lock[1].relationship = Relationship::Direct;
    node_lock[2].relationship = Relationship::Indirect;
    node_lock[0].dev = true;

    let mut requests = lang(Ecosystem::PyPI, "", "requests", "2.19.1", &["Apache 2.0"]);
    requests.file_path = "/usr/lib/python3/dist-packages/requests-2.19.1.dist-info/METADATA".into();
    requests.digest = "sha1:0123456789abcdef0123456789abcdef01234567".into();
    let mut pyyaml = lang(Ecosystem::PyPI, "", "PyYAML", "5.3.1", &["MIT"]);
    pyyaml.file_path = "/usr/lib/python3/dist-packages/PyYAML-5.3.1.dist-info/METADATA".into();

    let mut jar_a = lang(
        Ecosystem::Maven,
        "org.apache.commons",
        "commons-lang3",
        "3.12.0",
        &["Apache-2.0"],
    );
    jar_a.file_path = "/app/a.jar".into();
    let mut jar_b = jar_a.clone();
    jar_b.file_path = "/app/b.jar".into();

    Inventory {
        os: Some(OsRelease {
            family: OsFamily::Debian,
            version: "12.8".into(),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".into()),
            source: Some("/etc/os-release".into()),
            eosl: None,
        }),
        os_packages: vec![OsPackageDb {
            file_path: "/var/lib/dpkg/status".into(),
            packages: vec![
                deb(
                    "bsdutils",
                    1,
                    "2.38.1",
                    "5+deb12u3",
                    "util-linux",
                    &["GPL-2.0-or-later", "public-domain", "BSD-4-Clause"],
                    &[],
                ),
                deb(
                    "bash",
                    0,
                    "5.2.15",
                    "2+b7",
                    "bash",
                    &[
                        "GPL-3.0-or-later",
                        "GPL-3.0-or-later WITH Bison-exception-2.2",
                        "GPL-3+ with exception",
                    ],
                    &["base-files@12.4+deb12u8"],
                ),
                deb("base-files", 0, "12.4+deb12u8", "", "base-files", &[], &[]),
            ],
        }],
        applications: vec![
            Application {
                app_type: "npm".into(),
                file_path: "app/package-lock.json".into(),
                packages: node_lock,
            },
            Application {
                app_type: "python-pkg".into(),
                file_path: String::new(),
                packages: vec![requests, pyyaml],
            },
            Application {
                app_type: "jar".into(),
                file_path: "/app/a.jar".into(),
                packages: vec![jar_a],
            },
            Application {
                app_type: "jar".into(),
                file_path: "/app/b.jar".into(),
                packages: vec![jar_b],
            },
        ],
        warnings: vec![ScanWarning {
            file_path: "/app/broken.jar".into(),
            layer: Some(digest('c')),
            message: "not a zip archive".into(),
        }],
    }
}

/// About a hundred packages over many ecosystems, for schema validation.
pub(crate) fn large() -> Inventory {
    let mut inv = small();
    let odd_licenses = [
        "MIT",
        "GPL-2+",
        "Artistic-1.0-Perl OR GPL-1.0-or-later",
        "BSD",
        "Public Domain",
        "LGPL-2.1-only",
        "MIT/X11",
        "(c) Example Corp",
        "Apache-2.0 AND MIT",
        "",
    ];
    let mut debs = Vec::new();
    for i in 0..40 {
        let deps = if i > 0 {
            vec![format!("lib{}@1.{}-1", i - 1, i - 1)]
        } else {
            vec![]
        };
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        debs.push(deb(
            &format!("lib{i}"),
            (i % 3) as u32,
            &format!("1.{i}"),
            "1",
            &format!("src{}", i / 4),
            &[odd_licenses[i % odd_licenses.len()]],
            &deps,
        ));
    }
    inv.os_packages[0].packages.extend(debs);
    let ecos = [
        (Ecosystem::Npm, "npm", "web/package-lock.json"),
        (Ecosystem::PyPI, "poetry", "app/poetry.lock"),
        (Ecosystem::CratesIo, "cargo", "app/Cargo.lock"),
        (Ecosystem::Go, "gobinary", "usr/bin/tool"),
        (Ecosystem::RubyGems, "gemspec", ""),
        (Ecosystem::Maven, "pom", "app/pom.xml"),
        (Ecosystem::NuGet, "nuget", "app/packages.lock.json"),
        (Ecosystem::Packagist, "composer", "app/composer.lock"),
    ];
    for (k, (eco, ty, path)) in ecos.iter().enumerate() {
        let pkgs = (0..7)
            .map(|i| {
                let ns = match eco {
                    Ecosystem::Maven => "com.example",
                    Ecosystem::Go => "github.com/example",
                    Ecosystem::Npm if i % 2 == 0 => "@scope",
                    Ecosystem::Packagist => "vendor",
                    _ => "",
                };
                let mut p = lang(
                    *eco,
                    ns,
                    &format!("pkg-{k}-{i}"),
                    &format!("{i}.0.{k}"),
                    &[odd_licenses[(i + k) % odd_licenses.len()]],
                );
                if eco == &Ecosystem::RubyGems {
                    p.file_path =
                        format!("/usr/lib/ruby/gems/3.1.0/specifications/pkg-{k}-{i}.gemspec");
                }
                p
            })
            .collect();
        inv.applications.push(Application {
            app_type: (*ty).to_owned(),
            file_path: (*path).to_owned(),
            packages: pkgs,
        });
    }
    inv
}

fn apk(name: &str, version: &str, origin: &str, licenses: &[&str], deps: &[&str]) -> Package {
    let purl = Purl::new("apk", "alpine", name, version)
        .with_qualifier("arch", "x86_64")
        .with_qualifier("distro", "3.20.3");
    let mut p = Package::new(Ecosystem::Apk, name, version, purl);
    p.arch = "x86_64".into();
    p.src_name = origin.into();
    p.src_version = version.into();
    p.licenses = licenses.iter().map(|s| (*s).to_owned()).collect();
    p.maintainer = "Natanael Copa <ncopa@alpinelinux.org>".into();
    p.depends_on = deps.iter().map(|s| (*s).to_owned()).collect();
    p
}

/// An Alpine root filesystem (no layers): apk packages with origins, SPDX expressions as apk
/// writes them and dependency edges, plus installed Node.js packages (one scoped).
pub(crate) fn alpine_rootfs() -> Inventory {
    let mut types_node = lang(Ecosystem::Npm, "@types", "node", "20.1.0", &["MIT"]);
    types_node.file_path = "usr/lib/node_modules/@types/node/package.json".into();
    types_node.layer = Default::default();
    let mut npm = lang(Ecosystem::Npm, "", "npm", "10.8.2", &["Artistic-2.0"]);
    npm.file_path = "usr/lib/node_modules/npm/package.json".into();
    npm.layer = Default::default();
    Inventory {
        os: Some(OsRelease {
            family: OsFamily::Alpine,
            version: "3.20.3".into(),
            pretty_name: Some("Alpine Linux v3.20".into()),
            source: Some("/etc/os-release".into()),
            eosl: Some(false),
        }),
        os_packages: vec![OsPackageDb {
            file_path: "/lib/apk/db/installed".into(),
            packages: vec![
                apk("musl", "1.2.5-r0", "musl", &["MIT"], &[]),
                apk(
                    "busybox",
                    "1.36.1-r29",
                    "busybox",
                    &["GPL-2.0-only"],
                    &["musl@1.2.5-r0"],
                ),
                apk(
                    "ssl_client",
                    "3.3.2-r0",
                    "openssl",
                    &["Apache-2.0"],
                    &["musl@1.2.5-r0", "libssl3@3.3.2-r0"],
                ),
                apk(
                    "libssl3",
                    "3.3.2-r0",
                    "openssl",
                    &["Apache-2.0"],
                    &["musl@1.2.5-r0"],
                ),
                apk(
                    "scanelf",
                    "1.3.7-r2",
                    "pax-utils",
                    &["GPL-2.0-only AND BSD-2-Clause"],
                    &["musl@1.2.5-r0"],
                ),
                apk("zlib", "1.3.1-r1", "zlib", &["Zlib"], &["musl@1.2.5-r0"]),
            ],
        }],
        applications: vec![Application {
            app_type: "node-pkg".into(),
            file_path: String::new(),
            packages: vec![types_node, npm],
        }],
        warnings: Vec::new(),
    }
}
