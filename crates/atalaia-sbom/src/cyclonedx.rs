//! CycloneDX 1.6 JSON, written from an inventory.
//!
//! The layout mirrors Trivy's CycloneDX output so that consumers see the same tree:
//!
//! - `metadata.component` is the artifact (`container` for images, `application` otherwise),
//!   with `pkg:oci/…` as purl when a registry digest is known and properties `atalaia:DiffID`,
//!   `atalaia:ImageID`, `atalaia:RepoDigest`, `atalaia:RepoTag`, `atalaia:SchemaVersion`,
//!   `atalaia:Size` (Trivy's `aquasecurity:trivy:*` set, under atalaia's prefix).
//! - One `operating-system` component for the OS; one `application` component per lockfile or
//!   binary (named by its file); packages are `library` components. Packages of the aggregated
//!   installed-package types (`python-pkg`, `node-pkg`, …) hang directly below the artifact.
//! - A package's `bom-ref` is its purl, unless two packages share a purl: then each of those gets
//!   a UUID derived from the serial number and the package, so refs are unique and reproducible.
//! - `version` is the full version as the package manager writes it (`1:2.38.1-5+deb12u3`);
//!   `group` is the Maven groupId or npm scope; `supplier` the package maintainer; the package
//!   digest becomes `hashes`; a license text that is exactly an SPDX license id is written as
//!   `license.id`, any other as `license.name`, except that a package whose only license is an
//!   SPDX expression (`GPL-2.0-only AND BSD-2-Clause`) gets it as `expression` (1.6 allows an
//!   expression only as the single entry).
//! - Package properties: `atalaia:FilePath`, `atalaia:LayerDiffID`, `atalaia:LayerDigest`,
//!   `atalaia:OwnedBy` (the OS package that installed a language package's file),
//!   `atalaia:PkgID`, `atalaia:PkgType` (OS family or application type), `atalaia:SrcEpoch`,
//!   `atalaia:SrcName`, `atalaia:SrcRelease`, `atalaia:SrcVersion`, sorted by name.
//! - `dependencies`: the artifact depends on the OS, the applications and the aggregated
//!   packages that no other package depends on; the OS and each application depend on their
//!   packages that no other package of theirs depends on; each package on its `depends_on`
//!   (resolved inside its group). Every component has an entry, sorted by ref.
//!
//! # Vulnerabilities
//!
//! [`write_with_vulnerabilities`] adds CycloneDX's `vulnerabilities` section for a report's
//! findings (see the `vulnerability` module for the mapping: one entry per vulnerability ID
//! with `source`, `ratings` per source, `cwes`, `advisories`, `references` for aliases,
//! `published`/`updated`, `analysis` from the vendor status, and `affects` pointing at the
//! bom-refs of the affected components). Without findings the document is unchanged.

use std::collections::BTreeMap;
use std::io::Write;

use atalaia_detect::DetectedVulnerability;
use atalaia_types::{ArtifactKind, ArtifactMetadata, Ecosystem, Inventory, Package};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use crate::artifact::{artifact_properties, oci_purl};
use crate::graph::{groups, GroupKind};
use crate::hash::HashNames;
use crate::license::{is_listed_expression, spdx_id};
use crate::vulnerability::{vulnerabilities, PackageRef};
pub use crate::vulnerability::{
    Advisory, Affect, AffectedVersion, Analysis, Rating, Reference, Vulnerability,
    VulnerabilitySource,
};
use crate::{SbomError, WriteOptions};

/// The prefix of atalaia's CycloneDX property names.
pub const PROPERTY_PREFIX: &str = "atalaia:";

/// A CycloneDX BOM (the subset atalaia writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bom {
    /// The JSON schema of the specification version.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Always `CycloneDX`.
    pub bom_format: String,
    /// Always `1.6`.
    pub spec_version: String,
    /// `urn:uuid:<serial>`.
    pub serial_number: String,
    /// Always 1.
    pub version: u32,
    /// Timestamp, tool and the artifact.
    pub metadata: BomMetadata,
    /// The OS, applications and packages.
    #[serde(default)]
    pub components: Vec<Component>,
    /// The dependency graph.
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Known vulnerabilities of the components (only written when there are some).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerabilities: Vec<Vulnerability>,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BomMetadata {
    /// When the BOM was made (RFC 3339).
    pub timestamp: String,
    /// The tool that made it.
    pub tools: Tools,
    /// The artifact the BOM describes.
    pub component: Component,
}

/// `metadata.tools`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tools {
    /// The tools, as components.
    pub components: Vec<Component>,
}

/// A component (artifact, OS, application or package).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Component {
    /// The unique reference of the component in the BOM.
    #[serde(rename = "bom-ref", default, skip_serializing_if = "String::is_empty")]
    pub bom_ref: String,
    /// `application`, `container`, `operating-system`, `library`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The supplier (the package maintainer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Supplier>,
    /// The group (Maven groupId, npm scope).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// The name.
    pub name: String,
    /// The version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Hashes of the package's file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
    /// Licenses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    /// The package URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purl: String,
    /// Name/value properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// An organisational entity (only the name is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplier {
    /// The name.
    pub name: String,
}

/// A hash of a component's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hash {
    /// `SHA-1`, `SHA-256`, `SHA-512`, `MD5`.
    pub alg: String,
    /// Lower-case hex.
    pub content: String,
}

/// One entry of a component's `licenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseChoice {
    /// A license (an SPDX id or a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    /// An SPDX expression: only as the single entry of a component's licenses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// A license: an SPDX id or a free-text name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// An SPDX license id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A license name that is not an SPDX id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A name/value property.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Property {
    /// The name (`atalaia:PkgType`).
    pub name: String,
    /// The value.
    pub value: String,
}

/// A node of the dependency graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    /// The component.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The components it depends on.
    #[serde(default)]
    pub depends_on: Vec<String>,
}

fn prop(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: format!("{PROPERTY_PREFIX}{name}"),
        value: value.into(),
    }
}

fn hash_of(digest: &str) -> Option<Hash> {
    crate::hash::to_format(digest, HashNames::CycloneDx).map(|(alg, content)| Hash {
        alg: alg.to_owned(),
        content,
    })
}

fn licenses(pkg: &Package) -> Vec<LicenseChoice> {
    let texts: Vec<&str> = pkg
        .licenses
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if let [only] = texts[..] {
        if spdx_id(only).is_none() && is_listed_expression(only) {
            return vec![LicenseChoice {
                license: None,
                expression: Some(only.to_owned()),
            }];
        }
    }
    texts
        .into_iter()
        .map(|l| {
            let license = match spdx_id(l) {
                Some(id) => License {
                    id: Some(id.to_owned()),
                    name: None,
                },
                None => License {
                    id: None,
                    name: Some(l.to_owned()),
                },
            };
            LicenseChoice {
                license: Some(license),
                expression: None,
            }
        })
        .collect()
}

fn package_component(pkg: &Package, bom_ref: String, pkg_type: &str, file_path: &str) -> Component {
    let (group, name) = match pkg.ecosystem {
        Ecosystem::Maven | Ecosystem::Npm if !pkg.purl.namespace.is_empty() => {
            (pkg.purl.namespace.clone(), pkg.purl.name.clone())
        }
        _ => (String::new(), pkg.name.clone()),
    };
    let mut properties = Vec::new();
    if !file_path.is_empty() {
        properties.push(prop("FilePath", file_path));
    }
    if let Some(d) = &pkg.layer.diff_id {
        properties.push(prop("LayerDiffID", d.to_string()));
    }
    if let Some(d) = &pkg.layer.digest {
        properties.push(prop("LayerDigest", d.to_string()));
    }
    if !pkg.owned_by.is_empty() {
        properties.push(prop("OwnedBy", pkg.owned_by.clone()));
    }
    if !pkg.id.is_empty() {
        properties.push(prop("PkgID", pkg.id.clone()));
    }
    if !pkg_type.is_empty() {
        properties.push(prop("PkgType", pkg_type));
    }
    if pkg.src_epoch != 0 {
        properties.push(prop("SrcEpoch", pkg.src_epoch.to_string()));
    }
    if !pkg.src_name.is_empty() {
        properties.push(prop("SrcName", pkg.src_name.clone()));
    }
    if !pkg.src_release.is_empty() {
        properties.push(prop("SrcRelease", pkg.src_release.clone()));
    }
    if !pkg.src_version.is_empty() {
        properties.push(prop("SrcVersion", pkg.src_version.clone()));
    }
    properties.sort();
    Component {
        bom_ref,
        ty: "library".to_owned(),
        supplier: (!pkg.maintainer.trim().is_empty()).then(|| Supplier {
            name: pkg.maintainer.trim().to_owned(),
        }),
        group,
        name,
        version: pkg.full_version(),
        hashes: hash_of(&pkg.digest).into_iter().collect(),
        licenses: licenses(pkg),
        purl: pkg.purl.to_string(),
        properties,
    }
}

/// Builds the CycloneDX BOM of an artifact.
pub fn document(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    options: &WriteOptions,
) -> Bom {
    document_with_vulnerabilities(name, kind, meta, inv, &[], options)
}

/// Builds the CycloneDX BOM of an artifact with a `vulnerabilities` section for the findings
/// (see the module documentation); with no findings it is [`document`].
pub fn document_with_vulnerabilities(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    vulns: &[&DetectedVulnerability],
    options: &WriteOptions,
) -> Bom {
    let groups = groups(inv);
    let mut refs_of: Vec<PackageRef> = Vec::new();

    // Purls shared by more than one package cannot be bom-refs.
    let mut purl_count: BTreeMap<String, usize> = BTreeMap::new();
    for g in &groups {
        for n in &g.nodes {
            *purl_count.entry(n.pkg.purl.to_string()).or_default() += 1;
        }
    }

    let artifact_purl = oci_purl(kind, meta)
        .map(|p| p.to_string())
        .unwrap_or_default();
    let artifact_ref = options.derived_uuid("artifact").to_string();
    let artifact = Component {
        bom_ref: artifact_ref.clone(),
        ty: if kind == ArtifactKind::ContainerImage {
            "container"
        } else {
            "application"
        }
        .to_owned(),
        name: name.to_owned(),
        purl: artifact_purl,
        properties: artifact_properties(meta)
            .into_iter()
            .map(|(k, v)| prop(k, v))
            .collect(),
        ..Component::default()
    };

    let mut components = Vec::new();
    let mut packages = Vec::new();
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut artifact_deps = Vec::new();

    for g in &groups {
        let refs: Vec<String> = g
            .nodes
            .iter()
            .map(|n| {
                let purl = n.pkg.purl.to_string();
                if purl_count.get(&purl).copied().unwrap_or(0) > 1 {
                    options.derived_uuid(&n.key).to_string()
                } else {
                    purl
                }
            })
            .collect();
        let top: Vec<String> = g
            .nodes
            .iter()
            .zip(&refs)
            .filter(|(n, _)| !n.has_parent)
            .map(|(_, r)| r.clone())
            .collect();
        match g.kind {
            GroupKind::Os => {
                let os_ref = options.derived_uuid(&g.key).to_string();
                let (os_name, os_version) = match &inv.os {
                    Some(os) => (os.family.to_string(), os.version.clone()),
                    None => ("unknown".to_owned(), String::new()),
                };
                let mut properties = vec![prop("Class", "os-pkgs")];
                if !g.ty.is_empty() {
                    properties.push(prop("Type", g.ty.clone()));
                }
                components.push(Component {
                    bom_ref: os_ref.clone(),
                    ty: "operating-system".to_owned(),
                    name: os_name,
                    version: os_version,
                    properties,
                    ..Component::default()
                });
                artifact_deps.push(os_ref.clone());
                deps.insert(os_ref, top);
            }
            GroupKind::App => {
                let app_ref = options.derived_uuid(&g.key).to_string();
                components.push(Component {
                    bom_ref: app_ref.clone(),
                    ty: "application".to_owned(),
                    name: g.file_path.clone(),
                    properties: vec![prop("Class", "lang-pkgs"), prop("Type", g.ty.clone())],
                    ..Component::default()
                });
                artifact_deps.push(app_ref.clone());
                deps.insert(app_ref, top);
            }
            GroupKind::Aggregated => artifact_deps.extend(top),
        }
        for (n, r) in g.nodes.iter().zip(&refs) {
            refs_of.push(PackageRef {
                purl: n.pkg.purl.to_string(),
                id: n.pkg.id.clone(),
                name: n.pkg.name.clone(),
                version: n.pkg.full_version(),
                file_path: n.file_path.clone(),
                bom_ref: r.clone(),
            });
            packages.push(package_component(
                n.pkg,
                r.clone(),
                &n.pkg_type,
                &n.file_path,
            ));
            deps.insert(
                r.clone(),
                n.depends_on.iter().map(|&j| refs[j].clone()).collect(),
            );
        }
    }
    components.extend(packages);
    deps.insert(artifact_ref, artifact_deps);

    let dependencies = deps
        .into_iter()
        .map(|(reference, mut depends_on)| {
            depends_on.sort();
            depends_on.dedup();
            Dependency {
                reference,
                depends_on,
            }
        })
        .collect();

    Bom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json".to_owned(),
        bom_format: "CycloneDX".to_owned(),
        spec_version: "1.6".to_owned(),
        serial_number: format!("urn:uuid:{}", options.serial),
        version: 1,
        metadata: BomMetadata {
            timestamp: options.timestamp.format(&Rfc3339).unwrap_or_default(),
            tools: Tools {
                components: vec![Component {
                    ty: "application".to_owned(),
                    name: "atalaia".to_owned(),
                    version: env!("CARGO_PKG_VERSION").to_owned(),
                    ..Component::default()
                }],
            },
            component: artifact,
        },
        components,
        dependencies,
        vulnerabilities: vulnerabilities(vulns, &refs_of),
    }
}

/// Writes the CycloneDX BOM of an artifact as pretty JSON (two-space indent, trailing newline).
pub fn write(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    options: &WriteOptions,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let bom = document(name, kind, meta, inv, options);
    crate::write_json(&bom, "CycloneDX", name, out)
}

/// Writes the CycloneDX BOM of an artifact with a `vulnerabilities` section for the findings
/// (every result's [`DetectedVulnerability`] of a report); with no findings the output is
/// byte for byte that of [`write()`].
pub fn write_with_vulnerabilities(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    vulns: &[&DetectedVulnerability],
    options: &WriteOptions,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let bom = document_with_vulnerabilities(name, kind, meta, inv, vulns, options);
    crate::write_json(&bom, "CycloneDX", name, out)
}

/// What the reader accepts: a lenient view of any CycloneDX 1.x JSON document.
mod input {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Bom {
        #[serde(default)]
        pub(super) bom_format: String,
        #[serde(default)]
        pub(super) spec_version: String,
        #[serde(default)]
        pub(super) metadata: Option<Metadata>,
        #[serde(default)]
        pub(super) components: Vec<Component>,
        #[serde(default)]
        pub(super) dependencies: Vec<Dependency>,
    }

    #[derive(Deserialize)]
    pub(super) struct Metadata {
        #[serde(default)]
        pub(super) component: Option<Component>,
    }

    #[derive(Deserialize, Default)]
    pub(super) struct Component {
        #[serde(rename = "bom-ref", default)]
        pub(super) bom_ref: String,
        #[serde(rename = "type", default)]
        pub(super) ty: String,
        #[serde(default)]
        pub(super) supplier: Option<Entity>,
        #[serde(default)]
        pub(super) publisher: String,
        #[serde(default)]
        pub(super) name: String,
        #[serde(default)]
        pub(super) version: String,
        #[serde(default)]
        pub(super) hashes: Vec<Hash>,
        #[serde(default)]
        pub(super) licenses: Vec<LicenseChoice>,
        #[serde(default)]
        pub(super) purl: String,
        #[serde(default)]
        pub(super) properties: Vec<Property>,
        /// Nested components (CycloneDX allows a tree); read as if they were top-level.
        #[serde(default)]
        pub(super) components: Vec<Component>,
    }

    #[derive(Deserialize)]
    pub(super) struct Entity {
        #[serde(default)]
        pub(super) name: String,
    }

    #[derive(Deserialize)]
    pub(super) struct Hash {
        #[serde(default)]
        pub(super) alg: String,
        #[serde(default)]
        pub(super) content: String,
    }

    #[derive(Deserialize)]
    pub(super) struct LicenseChoice {
        #[serde(default)]
        pub(super) license: Option<License>,
        #[serde(default)]
        pub(super) expression: Option<String>,
    }

    #[derive(Deserialize)]
    pub(super) struct License {
        #[serde(default)]
        pub(super) id: Option<String>,
        #[serde(default)]
        pub(super) name: Option<String>,
    }

    #[derive(Deserialize)]
    pub(super) struct Property {
        #[serde(default)]
        pub(super) name: String,
        #[serde(default)]
        pub(super) value: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Dependency {
        #[serde(rename = "ref")]
        pub(super) reference: String,
        #[serde(default)]
        pub(super) depends_on: Vec<String>,
    }
}

fn flatten(components: Vec<input::Component>, out: &mut Vec<input::Component>) {
    for mut c in components {
        let children = std::mem::take(&mut c.components);
        out.push(c);
        flatten(children, out);
    }
}

fn raw_package(c: input::Component) -> crate::decode::RawPackage {
    use crate::decode::{property_name, RawPackage};
    let mut props = BTreeMap::new();
    for p in &c.properties {
        if let Some(n) = property_name(&p.name) {
            props.entry(n.to_owned()).or_insert_with(|| p.value.clone());
        }
    }
    let licenses = c
        .licenses
        .iter()
        .filter_map(|l| match (&l.license, &l.expression) {
            (Some(lic), _) => lic.id.clone().or_else(|| lic.name.clone()),
            (None, Some(expr)) => Some(expr.clone()),
            (None, None) => None,
        })
        .collect();
    let digest = c
        .hashes
        .iter()
        .find_map(|h| crate::hash::from_format(&h.alg, &h.content, HashNames::CycloneDx))
        .unwrap_or_default();
    let supplier = c
        .supplier
        .map(|s| s.name)
        .filter(|s| !s.is_empty())
        .unwrap_or(c.publisher);
    RawPackage {
        node: c.bom_ref,
        name: c.name,
        version: c.version,
        purl: c.purl,
        licenses,
        supplier,
        digest,
        props,
    }
}

/// Reads a CycloneDX JSON document (any 1.x version; Trivy's, Syft's and atalaia's own) back
/// into an inventory. `source_name` names the document in errors.
///
/// Library components become packages (see `decode` for the grouping rules); the first
/// `operating-system` component becomes the OS; `application` components become applications
/// owning the packages their dependency entries reach. Components that cannot become a package
/// are listed in the inventory's warnings, not turned into errors.
pub fn read(bytes: &[u8], source_name: &str) -> Result<crate::Decoded, SbomError> {
    use crate::decode::{artifact_meta, assemble, AppNode, Graph};
    let bom: input::Bom = serde_json::from_slice(bytes).map_err(|err| SbomError::Parse {
        format: "CycloneDX",
        source_name: source_name.to_owned(),
        err,
    })?;
    let not = |reason: String| SbomError::NotFormat {
        format: "CycloneDX",
        source_name: source_name.to_owned(),
        reason,
    };
    if bom.bom_format != "CycloneDX" {
        return Err(not(format!(
            "`bomFormat` is `{}`, not `CycloneDX`",
            bom.bom_format
        )));
    }
    if !bom.spec_version.starts_with("1.") {
        return Err(not(format!(
            "`specVersion` `{}` is not a 1.x version",
            bom.spec_version
        )));
    }

    let root = bom.metadata.and_then(|m| m.component).unwrap_or_default();
    let meta = artifact_meta(
        root.properties
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str())),
    );
    let name = root.name.clone();

    let mut components = Vec::new();
    flatten(bom.components, &mut components);
    let mut g = Graph::default();
    for (i, mut c) in components.into_iter().enumerate() {
        if c.bom_ref.is_empty() {
            // Components without a ref cannot take part in the graph but are still packages.
            c.bom_ref = format!("#component-{i}");
        }
        match c.ty.as_str() {
            "operating-system" if g.os.is_none() => g.os = Some((c.name, c.version)),
            "application" if c.purl.is_empty() => {
                let app_type = c
                    .properties
                    .iter()
                    .find(|p| crate::decode::property_name(&p.name) == Some("Type"))
                    .map(|p| p.value.clone())
                    .unwrap_or_default();
                g.apps.push(AppNode {
                    node: c.bom_ref,
                    app_type,
                    file_path: c.name,
                });
            }
            "library" | "application" | "framework" => g.packages.push(raw_package(c)),
            _ => {}
        }
    }
    for d in bom.dependencies {
        g.contains.insert(d.reference.clone(), d.depends_on.clone());
        g.depends.insert(d.reference, d.depends_on);
    }
    Ok(crate::Decoded {
        name,
        meta,
        inventory: assemble(g),
    })
}
