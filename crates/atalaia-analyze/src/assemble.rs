//! From per-layer analyses to the [`Inventory`]: merge, OS detection, OS package databases with
//! their installed files and purls, applications, layer attribution, deterministic order.

use std::collections::{BTreeMap, HashMap, HashSet};

use atalaia_types::{
    Application, Ecosystem, Inventory, LayerInfo, OsFamily, OsPackageDb, OsRelease, Package, Purl,
    ScanWarning,
};

use crate::layer::{LayerAnalysis, Node};
use crate::merge::MergedFs;
use crate::Finding;

/// Application types whose per-file results Trivy aggregates into one application per type
/// (an installed tree rather than one lockfile).
const AGGREGATED_TYPES: &[&str] = &["python-pkg", "conda-pkg", "gemspec", "node-pkg", "jar"];

/// Builds the inventory of the filesystem `layers` make (lowest first). `infos` are the layers'
/// descriptions for attribution (empty for a directory scan: packages then carry no layer).
pub fn build_inventory(layers: &[LayerAnalysis], infos: &[LayerInfo]) -> Inventory {
    let fs = MergedFs::new(layers);
    let os = crate::os::detect(&fs);
    let mut attr = Attributor {
        layers,
        cache: HashMap::new(),
    };
    let layer_ref = |i: usize| {
        infos
            .get(i)
            .map(LayerInfo::as_package_layer)
            .unwrap_or_default()
    };
    let layer_digest = |i: usize| infos.get(i).map(|l| l.digest.clone());

    let mut warnings = Vec::new();
    for (i, layer) in layers.iter().enumerate() {
        warnings.extend(layer.warnings.iter().map(|w| ScanWarning {
            file_path: String::new(),
            layer: layer_digest(i),
            message: w.clone(),
        }));
    }
    let mut dbs: BTreeMap<String, Vec<Package>> = BTreeMap::new();
    let mut installed: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut apps: Vec<Application> = Vec::new();
    let mut manifests: HashMap<&str, &atalaia_lang::DirectDeps> = HashMap::new();
    let mut poms: Vec<&atalaia_lang::PomModel> = Vec::new();

    for (path, merged) in fs.iter() {
        let Node::File(file) = merged.node else {
            continue;
        };
        let file_path = format!("/{path}");
        for w in &file.warnings {
            warnings.push(ScanWarning {
                file_path: file_path.clone(),
                layer: layer_digest(merged.layer),
                message: w.clone(),
            });
        }
        for finding in &file.findings {
            match finding {
                Finding::Os(_) | Finding::Secret(_) | Finding::ConfigFile(_) => {}
                Finding::Manifest(deps) => {
                    manifests.insert(path, deps);
                }
                Finding::Pom(model) => poms.push(model),
                Finding::Warning { message } => warnings.push(ScanWarning {
                    file_path: file_path.clone(),
                    layer: layer_digest(merged.layer),
                    message: message.clone(),
                }),
                Finding::InstalledFiles { package, files } => {
                    installed
                        .entry(package.as_str())
                        .or_default()
                        .extend(files.iter().map(String::as_str));
                }
                Finding::OsPackages(pkgs) => {
                    let db = if path.starts_with("var/lib/dpkg/status.d/") {
                        "/var/lib/dpkg/status.d".to_owned()
                    } else {
                        file_path.clone()
                    };
                    let out = dbs.entry(db).or_default();
                    for p in pkgs {
                        let mut p = p.clone();
                        let key = os_key(&p);
                        p.layer =
                            layer_ref(attr.introduced(path, merged.layer_path, merged.layer, &key));
                        out.push(p);
                    }
                }
                Finding::Application(app) => {
                    let mut app = app.clone();
                    for p in &mut app.packages {
                        let key = app_key(&app.app_type, p);
                        p.layer =
                            layer_ref(attr.introduced(path, merged.layer_path, merged.layer, &key));
                    }
                    apps.push(app);
                }
            }
        }
    }

    crate::lang::resolve_poms(&poms, &mut apps, &mut warnings);
    let os_packages: Vec<OsPackageDb> = dbs
        .into_iter()
        .map(|(file_path, mut packages)| {
            resolve_deb_depends(&mut packages);
            for p in &mut packages {
                finish_os_package(p, os.as_ref(), &installed);
            }
            packages.sort_by(|a, b| {
                (&a.name, a.full_version(), &a.arch).cmp(&(&b.name, b.full_version(), &b.arch))
            });
            OsPackageDb {
                file_path,
                packages,
            }
        })
        .collect();
    warnings.sort_by(|a, b| {
        (&a.file_path, &a.layer, &a.message).cmp(&(&b.file_path, &b.layer, &b.message))
    });
    warnings.dedup();
    crate::lang::apply_manifests(&mut apps, &manifests);
    let mut applications = aggregate(apps);
    crate::lang::mark_os_owned(&mut applications, &os_packages);
    Inventory {
        os,
        os_packages,
        applications,
        warnings,
    }
}

/// Finds the lowest layer whose own file at a path holds a given package.
struct Attributor<'a> {
    layers: &'a [LayerAnalysis],
    /// (layer, path) → keys of the packages that file holds in that layer.
    cache: HashMap<(usize, String), HashSet<String>>,
}

impl Attributor<'_> {
    fn introduced(&mut self, path: &str, layer_path: &str, top: usize, key: &str) -> usize {
        for j in 0..top {
            let layer = &self.layers[j];
            let p = if layer.entries.contains_key(path) {
                path
            } else {
                layer_path
            };
            let keys = self
                .cache
                .entry((j, p.to_owned()))
                .or_insert_with(|| keys_of(layer.entries.get(p)));
            if keys.contains(key) {
                return j;
            }
        }
        top
    }
}

fn keys_of(node: Option<&Node>) -> HashSet<String> {
    let mut keys = HashSet::new();
    for f in node.map(Node::findings).unwrap_or_default() {
        match f {
            Finding::OsPackages(pkgs) => keys.extend(pkgs.iter().map(os_key)),
            Finding::Application(app) => {
                keys.extend(app.packages.iter().map(|p| app_key(&app.app_type, p)))
            }
            _ => {}
        }
    }
    keys
}

fn os_key(p: &Package) -> String {
    format!(
        "{}\0{}\0{}\0{}",
        p.ecosystem.purl_type(),
        p.name,
        p.full_version(),
        p.arch
    )
}

fn app_key(app_type: &str, p: &Package) -> String {
    format!("{app_type}\0{}\0{}\0{}", p.name, p.version, p.file_path)
}

/// dpkg dependencies are package names until here (a distroless `status.d` spreads one
/// database over files); within one database they become the IDs of the installed packages,
/// and names nothing installed provides are dropped, as Trivy does.
fn resolve_deb_depends(packages: &mut [Package]) {
    let ids: HashMap<String, String> = packages
        .iter()
        .filter(|p| p.ecosystem == Ecosystem::Deb)
        .map(|p| (p.name.clone(), p.id.clone()))
        .collect();
    for p in packages
        .iter_mut()
        .filter(|p| p.ecosystem == Ecosystem::Deb)
    {
        let mut deps: Vec<String> = p
            .depends_on
            .iter()
            .filter_map(|d| ids.get(d).cloned())
            .collect();
        deps.sort();
        deps.dedup();
        p.depends_on = deps;
    }
}

/// Adds what needs the OS (purl namespace and `distro`) and the installed-file lists.
fn finish_os_package(
    p: &mut Package,
    os: Option<&OsRelease>,
    installed: &HashMap<&str, Vec<&str>>,
) {
    p.purl = os_purl(p, os);
    if p.ecosystem == Ecosystem::Deb {
        let arch_name = format!("{}:{}", p.name, p.arch);
        let mut files: Vec<String> = [p.name.as_str(), arch_name.as_str()]
            .iter()
            .filter_map(|n| installed.get(n))
            .flatten()
            .map(|f| (*f).to_owned())
            .collect();
        if !files.is_empty() {
            files.append(&mut p.installed_files);
            files.sort();
            files.dedup();
            p.installed_files = files;
        }
    }
}

/// The purl as Trivy writes it: `pkg:deb/debian/NAME@VERSION-RELEASE?arch=…&distro=debian-12.15`
/// (`epoch` qualifier when not 0, never in the version); `pkg:apk/alpine/NAME@VERSION?arch=…&distro=3.20.3`.
pub(crate) fn os_purl(p: &Package, os: Option<&OsRelease>) -> Purl {
    let default_ns = match p.ecosystem {
        Ecosystem::Deb => "debian",
        Ecosystem::Apk => "alpine",
        _ => "",
    };
    let namespace = os.map_or(default_ns, |o| o.family.as_str());
    let version = if p.release.is_empty() {
        p.version.clone()
    } else {
        format!("{}-{}", p.version, p.release)
    };
    let mut purl = Purl::new(p.ecosystem.purl_type(), namespace, &p.name, &version)
        .with_qualifier("arch", &p.arch);
    if let Some(os) = os {
        let distro = match (p.ecosystem, os.family) {
            (Ecosystem::Apk, OsFamily::Alpine) => os.version.clone(),
            _ => format!("{}-{}", os.family.as_str(), os.version),
        };
        purl = purl.with_qualifier("distro", &distro);
    }
    if p.epoch != 0 {
        purl = purl.with_qualifier("epoch", &p.epoch.to_string());
    }
    purl
}

/// Merges the per-file applications of installed-tree types into one per type (file path
/// empty; each package's `file_path` names its own file), and sorts everything.
fn aggregate(apps: Vec<Application>) -> Vec<Application> {
    let mut merged: BTreeMap<String, Application> = BTreeMap::new();
    let mut out = Vec::new();
    for mut app in apps {
        if AGGREGATED_TYPES.contains(&app.app_type.as_str()) {
            let own = if app.file_path.starts_with('/') {
                app.file_path.clone()
            } else {
                format!("/{}", app.file_path)
            };
            for p in &mut app.packages {
                if p.file_path.is_empty() {
                    p.file_path.clone_from(&own);
                }
            }
            let entry = merged
                .entry(app.app_type.clone())
                .or_insert_with(|| Application {
                    app_type: app.app_type.clone(),
                    file_path: String::new(),
                    packages: Vec::new(),
                });
            entry.packages.append(&mut app.packages);
        } else {
            out.push(app);
        }
    }
    out.extend(merged.into_values());
    for app in &mut out {
        app.packages.sort_by(|a, b| {
            (&a.name, &a.version, &a.file_path, &a.id).cmp(&(
                &b.name,
                &b.version,
                &b.file_path,
                &b.id,
            ))
        });
    }
    out.sort_by(|a, b| (&a.app_type, &a.file_path).cmp(&(&b.app_type, &b.file_path)));
    out
}

/// Whether a package carries no layer (a directory scan).
#[cfg(test)]
fn no_layer(p: &Package) -> bool {
    p.layer.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::FileNode;
    use atalaia_types::Digest;

    fn digest(n: u8) -> Digest {
        Digest::sha256_from_bytes(&[n; 32])
    }

    fn info(n: u8) -> LayerInfo {
        LayerInfo {
            size: 1,
            digest: digest(n),
            diff_id: digest(n + 100),
            created_by: Some(format!("step {n}")),
        }
    }

    fn apk_db(pkgs: &[(&str, &str)]) -> Node {
        let text: String = pkgs
            .iter()
            .map(|(n, v)| format!("P:{n}\nV:{v}\nA:x86_64\n\n"))
            .collect();
        let (p, _) = crate::apk::parse_installed("lib/apk/db/installed", text.as_bytes()).unwrap();
        Node::File(FileNode {
            analyzed: true,
            findings: vec![Finding::OsPackages(p)],
            warnings: vec![],
        })
    }

    fn os_node(family: OsFamily, v: &str) -> Node {
        Node::File(FileNode {
            analyzed: true,
            findings: vec![Finding::Os(OsRelease {
                family,
                version: v.into(),
                pretty_name: None,
                source: None,
                eosl: None,
            })],
            warnings: vec![],
        })
    }

    fn layer(entries: Vec<(&str, Node)>, whiteouts: &[&str]) -> LayerAnalysis {
        LayerAnalysis {
            entries: entries
                .into_iter()
                .map(|(p, n)| (p.to_owned(), n))
                .collect(),
            whiteouts: whiteouts.iter().map(|s| (*s).to_owned()).collect(),
            ..LayerAnalysis::default()
        }
    }

    #[test]
    fn upper_db_replaces_lower_and_attribution_is_lowest_layer() {
        let layers = vec![
            layer(
                vec![
                    ("etc/alpine-release", os_node(OsFamily::Alpine, "3.20.3")),
                    (
                        "lib/apk/db/installed",
                        apk_db(&[
                            ("musl", "1.2.5-r0"),
                            ("ssl_client", "1.36.1-r29"),
                            ("zlib", "1.3.1-r0"),
                        ]),
                    ),
                ],
                &[],
            ),
            layer(
                vec![(
                    "lib/apk/db/installed",
                    apk_db(&[("musl", "1.2.5-r0"), ("zlib", "1.3.1-r1")]),
                )],
                &[],
            ),
            layer(
                vec![(
                    "lib/apk/db/installed",
                    apk_db(&[
                        ("curl", "8.9.1-r0"),
                        ("musl", "1.2.5-r0"),
                        ("zlib", "1.3.1-r1"),
                    ]),
                )],
                &[],
            ),
        ];
        let infos = [info(1), info(2), info(3)];
        let inv = build_inventory(&layers, &infos);
        assert_eq!(
            inv.os.as_ref().map(|o| (o.family, o.version.as_str())),
            Some((OsFamily::Alpine, "3.20.3"))
        );
        assert_eq!(inv.os_packages.len(), 1);
        let db = &inv.os_packages[0];
        assert_eq!(db.file_path, "/lib/apk/db/installed");
        let got: Vec<(&str, &str, Option<&Digest>)> = db
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.layer.digest.as_ref()))
            .collect();
        assert_eq!(
            got,
            [
                ("curl", "8.9.1-r0", Some(&digest(3))),
                ("musl", "1.2.5-r0", Some(&digest(1))),
                ("zlib", "1.3.1-r1", Some(&digest(2)))
            ]
        );
        assert_eq!(db.packages[1].layer, infos[0].as_package_layer());
        assert_eq!(
            db.packages[1].purl.to_string(),
            "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3"
        );
    }

    #[test]
    fn whiteout_removes_db_and_os() {
        let layers = vec![
            layer(
                vec![
                    ("etc/alpine-release", os_node(OsFamily::Alpine, "3.20.3")),
                    ("lib/apk/db/installed", apk_db(&[("musl", "1.2.5-r0")])),
                ],
                &[],
            ),
            layer(vec![], &["lib/apk", "etc/alpine-release"]),
        ];
        let inv = build_inventory(&layers, &[]);
        assert_eq!(inv, Inventory::default());
    }

    #[test]
    fn deb_purls_and_installed_files() {
        let status = b"Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nSource: util-linux (2.38.1-5+deb12u3)\nVersion: 1:2.38.1-5+deb12u3\nPre-Depends: libc6 (>= 2.34)\nDepends: libc6:any (>= 2.34) | libc6-udeb, not-installed\n\nPackage: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nSource: glibc\nVersion: 2.36-9+deb12u14\n";
        let (pkgs, _) = crate::dpkg::parse_status("var/lib/dpkg/status", status).unwrap();
        let file = |f: Finding| {
            Node::File(FileNode {
                analyzed: true,
                findings: vec![f],
                warnings: vec![],
            })
        };
        let layers = vec![layer(
            vec![
                ("etc/debian_version", os_node(OsFamily::Debian, "12.15")),
                ("var/lib/dpkg/status", file(Finding::OsPackages(pkgs))),
                (
                    "var/lib/dpkg/info/libc6:amd64.list",
                    file(Finding::InstalledFiles {
                        package: "libc6:amd64".into(),
                        files: vec!["/usr/lib/x86_64-linux-gnu/libc.so.6".into()],
                    }),
                ),
            ],
            &[],
        )];
        let inv = build_inventory(&layers, &[]);
        let p = &inv.os_packages[0].packages;
        assert_eq!(
            p[0].purl.to_string(),
            "pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12.15&epoch=1"
        );
        assert_eq!(
            p[1].purl.to_string(),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12.15"
        );
        assert_eq!(
            p[1].installed_files,
            ["/usr/lib/x86_64-linux-gnu/libc.so.6"]
        );
        assert_eq!(
            p[0].depends_on,
            ["libc6@2.36-9+deb12u14"],
            "names resolve to installed IDs only"
        );
        assert!(p[1].depends_on.is_empty());
        assert!(p.iter().all(no_layer));
    }

    #[test]
    fn no_os_means_no_distro_qualifier() {
        let mut p = Package::new(
            Ecosystem::Deb,
            "x",
            "1.0",
            Purl::new("deb", "debian", "x", "1.0"),
        );
        p.arch = "all".into();
        assert_eq!(
            os_purl(&p, None).to_string(),
            "pkg:deb/debian/x@1.0?arch=all"
        );
        let ubuntu = OsRelease {
            family: OsFamily::Ubuntu,
            version: "22.04".into(),
            pretty_name: None,
            source: None,
            eosl: None,
        };
        assert_eq!(
            os_purl(&p, Some(&ubuntu)).to_string(),
            "pkg:deb/ubuntu/x@1.0?arch=all&distro=ubuntu-22.04"
        );
    }

    #[test]
    fn installed_trees_are_aggregated() {
        let pkg =
            |n: &str| Package::new(Ecosystem::PyPI, n, "1.0", Purl::new("pypi", "", n, "1.0"));
        let app = |path: &str, n: &str| {
            Finding::Application(Application {
                app_type: "python-pkg".into(),
                file_path: path.into(),
                packages: vec![pkg(n)],
            })
        };
        let lock = Finding::Application(Application {
            app_type: "poetry".into(),
            file_path: "app/poetry.lock".into(),
            packages: vec![pkg("b"), pkg("a")],
        });
        let file = |f: Finding| {
            Node::File(FileNode {
                analyzed: true,
                findings: vec![f],
                warnings: vec![],
            })
        };
        let layers = vec![
            layer(
                vec![
                    (
                        "s/b.dist-info/METADATA",
                        file(app("s/b.dist-info/METADATA", "b")),
                    ),
                    ("app/poetry.lock", file(lock)),
                ],
                &[],
            ),
            layer(
                vec![(
                    "s/a.dist-info/METADATA",
                    file(app("s/a.dist-info/METADATA", "a")),
                )],
                &[],
            ),
        ];
        let inv = build_inventory(&layers, &[info(1), info(2)]);
        assert_eq!(inv.applications.len(), 2);
        assert_eq!(
            (
                inv.applications[0].app_type.as_str(),
                inv.applications[0].file_path.as_str()
            ),
            ("poetry", "app/poetry.lock")
        );
        let tree = &inv.applications[1];
        assert_eq!(
            (tree.app_type.as_str(), tree.file_path.as_str()),
            ("python-pkg", "")
        );
        let got: Vec<(&str, &str, Option<&Digest>)> = tree
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.file_path.as_str(),
                    p.layer.digest.as_ref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a", "/s/a.dist-info/METADATA", Some(&digest(2))),
                ("b", "/s/b.dist-info/METADATA", Some(&digest(1)))
            ]
        );
    }
}
