//! Reading documents back into an inventory: what both readers share.
//!
//! A reader turns its format into a [`Graph`] (packages with their properties, the OS node,
//! application nodes and edges); [`assemble`] turns the graph into an [`Inventory`] the same way
//! for both formats:
//!
//! - packages whose purl type is an OS package manager (`deb`, `apk`, `rpm`, `alpm`) form the OS
//!   package list; their full version (`1:2.38.1-5+deb12u3`) is split into epoch, version and
//!   release as the analyzers split it;
//! - other packages belong to the first application node that reaches them through the graph's
//!   edges (breadth first, applications in document order); the rest are grouped by their
//!   package type (the `PkgType` property, else the installed-package type of their ecosystem,
//!   such as `python-pkg`) into applications without a file, as Trivy does for SBOM input;
//! - properties are read under atalaia's prefix (`atalaia:`), Trivy's (`aquasecurity:trivy:`)
//!   and, for what Syft records, `syft:` (`syft:location:0:path`, `syft:location:0:layerID`,
//!   `syft:metadata:source`);
//! - a component that cannot become a package (no purl, a purl that does not parse, a purl type
//!   atalaia does not know) is recorded in [`Inventory::warnings`] and skipped.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use atalaia_types::{
    Application, ArtifactMetadata, Digest, Ecosystem, Inventory, OsFamily, OsPackageDb, OsRelease,
    Package, PackageLayer, Purl, ScanWarning,
};

/// What a reader found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The artifact the document describes (CycloneDX `metadata.component.name`, the SPDX
    /// document name).
    pub name: String,
    /// What the document says about the artifact (image ID, diff IDs, tags, digests, size).
    pub meta: ArtifactMetadata,
    /// The packages, grouped as analysis would group them.
    pub inventory: Inventory,
}

/// A package node as a document describes it.
#[derive(Debug, Default)]
pub(crate) struct RawPackage {
    /// The node's reference (`bom-ref`, `SPDXID`).
    pub(crate) node: String,
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) purl: String,
    pub(crate) licenses: Vec<String>,
    pub(crate) supplier: String,
    /// `sha1:<hex>` or empty.
    pub(crate) digest: String,
    /// Properties by unprefixed name (`PkgType`, `FilePath`, `SrcName`, …).
    pub(crate) props: BTreeMap<String, String>,
}

/// An application node.
#[derive(Debug)]
pub(crate) struct AppNode {
    pub(crate) node: String,
    pub(crate) app_type: String,
    pub(crate) file_path: String,
}

/// A document reduced to what [`assemble`] needs.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    pub(crate) packages: Vec<RawPackage>,
    /// The OS node: (name, version).
    pub(crate) os: Option<(String, String)>,
    pub(crate) apps: Vec<AppNode>,
    /// Edges to walk from application nodes to their packages.
    pub(crate) contains: BTreeMap<String, Vec<String>>,
    /// Package → package dependency edges.
    pub(crate) depends: BTreeMap<String, Vec<String>>,
    pub(crate) warnings: Vec<ScanWarning>,
}

/// Normalises a property name to atalaia's unprefixed names, or `None` for unknown properties.
pub(crate) fn property_name(name: &str) -> Option<&str> {
    if let Some(n) = name
        .strip_prefix("atalaia:")
        .or_else(|| name.strip_prefix("aquasecurity:trivy:"))
    {
        return Some(n);
    }
    Some(match name {
        "syft:location:0:path" => "FilePath",
        "syft:location:0:layerID" => "LayerDiffID",
        "syft:metadata:source" => "SrcName",
        "syft:metadata:sourceVersion" => "SrcVersion",
        _ => return None,
    })
}

/// Artifact metadata from properties (`ImageID`, `DiffID`, `RepoTag`, `RepoDigest`, `Size`),
/// prefixed or bare.
pub(crate) fn artifact_meta<'a>(
    props: impl Iterator<Item = (&'a str, &'a str)>,
) -> ArtifactMetadata {
    let mut meta = ArtifactMetadata::default();
    for (name, value) in props {
        match property_name(name).or(Some(name)) {
            Some("ImageID") => meta.image_id = value.parse().ok(),
            Some("DiffID") => meta.diff_ids.extend(value.parse::<Digest>().ok()),
            Some("RepoTag") => meta.repo_tags.push(value.to_owned()),
            Some("RepoDigest") => meta.repo_digests.push(value.to_owned()),
            Some("Size") => meta.size = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    meta
}

/// The installed-package type Trivy assigns to an ecosystem's packages found in an SBOM.
pub(crate) fn default_app_type(eco: Ecosystem) -> &'static str {
    match eco {
        Ecosystem::Npm => "node-pkg",
        Ecosystem::PyPI => "python-pkg",
        Ecosystem::RubyGems => "gemspec",
        Ecosystem::Maven => "jar",
        Ecosystem::Go => "gobinary",
        Ecosystem::CratesIo => "rustbinary",
        Ecosystem::Packagist => "composer-vendor",
        Ecosystem::NuGet => "nuget",
        Ecosystem::Conda => "conda-pkg",
        Ecosystem::Pub => "pub",
        Ecosystem::Hex => "hex",
        Ecosystem::SwiftURL => "swift",
        Ecosystem::CocoaPods => "cocoapods",
        Ecosystem::ConanCenter => "conan",
        Ecosystem::Julia => "julia",
        Ecosystem::Terraform => "terraform",
        Ecosystem::Apk | Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Pacman => "",
    }
}

/// Splits `epoch:version-release` (dpkg, rpm, pacman); the release is what follows the last `-`.
pub(crate) fn split_version(full: &str, with_release: bool) -> (u32, String, String) {
    let (epoch, rest) = match full.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
            (e.parse().unwrap_or(0), r)
        }
        _ => (0, full),
    };
    if with_release {
        if let Some((v, r)) = rest.rsplit_once('-') {
            if !v.is_empty() && !r.is_empty() {
                return (epoch, v.to_owned(), r.to_owned());
            }
        }
    }
    (epoch, rest.to_owned(), String::new())
}

fn warn(warnings: &mut Vec<ScanWarning>, message: String) {
    warnings.push(ScanWarning {
        file_path: String::new(),
        layer: None,
        message,
    });
}

/// A package from a raw node, or `None` (with a warning) when it cannot be one.
fn to_package(raw: &RawPackage, warnings: &mut Vec<ScanWarning>) -> Option<(Package, String)> {
    if raw.purl.is_empty() {
        warn(
            warnings,
            format!(
                "Component `{}` (`{}`) has no purl; skipped",
                raw.name, raw.node
            ),
        );
        return None;
    }
    let purl: Purl = match raw.purl.parse() {
        Ok(p) => p,
        Err(e) => {
            warn(
                warnings,
                format!("Component `{}` has an invalid purl: {e}; skipped", raw.name),
            );
            return None;
        }
    };
    let Some(eco) = Ecosystem::from_purl_type(&purl.ty) else {
        warn(
            warnings,
            format!(
                "Component `{}` has purl type `{}`, which atalaia does not know; skipped",
                raw.name, purl.ty
            ),
        );
        return None;
    };
    let os_like = matches!(eco, Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Pacman);
    let full = if raw.version.is_empty() {
        match purl.qualifiers.get("epoch") {
            Some(e) => format!("{e}:{}", purl.version),
            None => purl.version.clone(),
        }
    } else {
        raw.version.clone()
    };
    let (mut epoch, version, release) = split_version(&full, os_like);
    if epoch == 0 && os_like {
        epoch = purl
            .qualifiers
            .get("epoch")
            .and_then(|e| e.parse().ok())
            .unwrap_or(0);
    }
    let name = match eco {
        Ecosystem::Maven if !purl.namespace.is_empty() => {
            format!("{}:{}", purl.namespace, purl.name)
        }
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Packagist if !purl.namespace.is_empty() => {
            format!("{}/{}", purl.namespace, purl.name)
        }
        _ if raw.name.is_empty() => purl.name.clone(),
        _ => raw.name.clone(),
    };
    let mut pkg = Package::new(eco, name, version, purl.clone());
    pkg.release = release;
    pkg.epoch = epoch;
    pkg.arch = purl.qualifiers.get("arch").cloned().unwrap_or_default();
    pkg.id = raw
        .props
        .get("PkgID")
        .cloned()
        .unwrap_or_else(|| format!("{}@{}", pkg.name, pkg.full_version()));
    pkg.licenses.clone_from(&raw.licenses);
    pkg.maintainer.clone_from(&raw.supplier);
    pkg.digest.clone_from(&raw.digest);
    pkg.src_name = raw.props.get("SrcName").cloned().unwrap_or_default();
    if let Some(v) = raw.props.get("SrcVersion") {
        if raw.props.contains_key("SrcRelease") || raw.props.contains_key("SrcEpoch") || !os_like {
            pkg.src_version.clone_from(v);
        } else {
            // One string holding the whole source version (Syft, SPDX `sourceInfo`).
            let (e, v, r) = split_version(v, os_like);
            (pkg.src_epoch, pkg.src_version, pkg.src_release) = (e, v, r);
        }
    }
    if let Some(r) = raw.props.get("SrcRelease") {
        pkg.src_release.clone_from(r);
    }
    if let Some(e) = raw.props.get("SrcEpoch") {
        pkg.src_epoch = e.parse().unwrap_or(0);
    }
    pkg.layer = PackageLayer {
        digest: raw.props.get("LayerDigest").and_then(|d| d.parse().ok()),
        diff_id: raw.props.get("LayerDiffID").and_then(|d| d.parse().ok()),
        created_by: None,
    };
    if !eco.is_os() {
        pkg.file_path = raw.props.get("FilePath").cloned().unwrap_or_default();
        pkg.owned_by = raw.props.get("OwnedBy").cloned().unwrap_or_default();
    }
    let pkg_type = raw
        .props
        .get("PkgType")
        .cloned()
        .unwrap_or_else(|| default_app_type(eco).to_owned());
    Some((pkg, pkg_type))
}

/// Builds the inventory of a graph (see the module documentation for the rules).
pub(crate) fn assemble(mut g: Graph) -> Inventory {
    let mut warnings = std::mem::take(&mut g.warnings);
    let mut pkgs: Vec<Option<(Package, String)>> = g
        .packages
        .iter()
        .map(|r| to_package(r, &mut warnings))
        .collect();
    let index: BTreeMap<&str, usize> = g
        .packages
        .iter()
        .enumerate()
        .map(|(i, r)| (r.node.as_str(), i))
        .collect();

    // Dependency edges, as package IDs.
    for (i, raw) in g.packages.iter().enumerate() {
        let deps: Vec<String> = g
            .depends
            .get(&raw.node)
            .into_iter()
            .flatten()
            .filter_map(|d| index.get(d.as_str()))
            .filter_map(|&j| pkgs[j].as_ref().map(|(p, _)| p.id.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if let Some((p, _)) = pkgs[i].as_mut() {
            p.depends_on = deps;
        }
    }

    let os = g.os.as_ref().and_then(|(name, version)| {
        let family = OsFamily::from_name(&name.to_ascii_lowercase());
        if family.is_none() {
            warn(&mut warnings, format!("Operating system `{name}` is not one atalaia knows; its packages are kept without it"));
        }
        family.map(|family| OsRelease { family, version: version.clone(), pretty_name: None, source: None, eosl: None })
    });

    let mut os_packages = Vec::new();
    for slot in &mut pkgs {
        if slot.as_ref().is_some_and(|(p, _)| p.ecosystem.is_os()) {
            if let Some((p, _)) = slot.take() {
                os_packages.push(p);
            }
        }
    }

    let mut applications = Vec::new();
    for app in &g.apps {
        let mut members = Vec::new();
        let mut queue: VecDeque<&str> = VecDeque::from([app.node.as_str()]);
        let mut seen: BTreeSet<&str> = BTreeSet::from([app.node.as_str()]);
        while let Some(n) = queue.pop_front() {
            for child in g.contains.get(n).into_iter().flatten() {
                if !seen.insert(child.as_str()) {
                    continue;
                }
                if let Some(&j) = index.get(child.as_str()) {
                    if let Some(p) = pkgs[j].take() {
                        members.push(p);
                    }
                    queue.push_back(child.as_str());
                }
            }
        }
        if members.is_empty() {
            continue;
        }
        let app_type = if app.app_type.is_empty() {
            members[0].1.clone()
        } else {
            app.app_type.clone()
        };
        let mut packages: Vec<Package> = members.into_iter().map(|(p, _)| p).collect();
        packages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.version.cmp(&b.version)));
        applications.push(Application {
            app_type,
            file_path: app.file_path.clone(),
            packages,
        });
    }

    let mut loose: BTreeMap<String, Vec<Package>> = BTreeMap::new();
    for (p, ty) in pkgs.into_iter().flatten() {
        loose.entry(ty).or_default().push(p);
    }
    for (app_type, mut packages) in loose {
        packages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.version.cmp(&b.version)));
        applications.push(Application {
            app_type,
            file_path: String::new(),
            packages,
        });
    }

    os_packages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.version.cmp(&b.version)));
    Inventory {
        os,
        os_packages: if os_packages.is_empty() {
            Vec::new()
        } else {
            vec![OsPackageDb {
                file_path: String::new(),
                packages: os_packages,
            }]
        },
        applications,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_versions() {
        assert_eq!(
            split_version("1:2.38.1-5+deb12u3", true),
            (1, "2.38.1".into(), "5+deb12u3".into())
        );
        assert_eq!(
            split_version("12.4+deb12u8", true),
            (0, "12.4+deb12u8".into(), String::new())
        );
        assert_eq!(
            split_version("1.2.5-r0", false),
            (0, "1.2.5-r0".into(), String::new())
        );
        assert_eq!(
            split_version("x:1-", true),
            (0, "x:1-".into(), String::new())
        );
    }
}
