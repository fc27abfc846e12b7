//! SPDX 2.3 JSON, written from an inventory.
//!
//! - The document `DESCRIBES` the artifact package (`primaryPackagePurpose` `CONTAINER` for
//!   images, `APPLICATION` otherwise), which `CONTAINS` the OS package (`OPERATING-SYSTEM`), each
//!   application (`APPLICATION`, named by its type, `sourceInfo` its file) and the packages of the
//!   aggregated installed-package types; the OS and applications `CONTAIN` their packages
//!   (`LIBRARY`); a package `DEPENDS_ON` what its `depends_on` resolves to in its group.
//! - `SPDXID`s are `SPDXRef-<Kind>-<16 hex>` from a hash of the package and its place, so they
//!   are unique, stable and use only allowed characters.
//! - `versionInfo` is the full version; `supplier` is `Organization: <maintainer>`;
//!   `downloadLocation` is `NOASSERTION`; `filesAnalyzed` is false; `licenseConcluded` is
//!   `NOASSERTION`; `licenseDeclared` joins the licenses with `AND` (texts that are not SPDX
//!   expressions become `LicenseRef-…` declared in `hasExtractedLicensingInfos`); the purl is a
//!   `PACKAGE-MANAGER` external reference; the package digest a checksum; `sourceInfo` names the
//!   source package (`built package from: …`); annotations carry what Trivy puts there
//!   (`PkgType`, `PkgID`, `FilePath`, `LayerDigest`, `LayerDiffID`).

use std::collections::BTreeSet;
use std::io::Write;

use atalaia_types::{ArtifactKind, ArtifactMetadata, Inventory, Package};
use serde::{Deserialize, Serialize};
use time::macros::format_description;

use crate::artifact::{artifact_properties, oci_purl};
use crate::graph::{groups, hash_hex, GroupKind};
use crate::hash::HashNames;
use crate::license::LicenseRefs;
use crate::{SbomError, WriteOptions};

/// The base of `documentNamespace` URIs; the artifact name and the serial complete it.
pub const NAMESPACE_BASE: &str = "https://atalaia.invalid/spdxdocs";

/// An SPDX 2.3 document (the subset atalaia writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// Always `SPDX-2.3`.
    pub spdx_version: String,
    /// Always `CC0-1.0`.
    pub data_license: String,
    /// Always `SPDXRef-DOCUMENT`.
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    /// The artifact name.
    pub name: String,
    /// A unique URI.
    pub document_namespace: String,
    /// Who made it and when.
    pub creation_info: CreationInfo,
    /// The artifact, the OS, applications and packages.
    pub packages: Vec<SpdxPackage>,
    /// Edges between the document and packages.
    pub relationships: Vec<Relationship>,
    /// Licenses referred to as `LicenseRef-…`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub has_extracted_licensing_infos: Vec<ExtractedLicense>,
}

/// `creationInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationInfo {
    /// `Organization: …`, `Tool: atalaia-<version>`.
    pub creators: Vec<String>,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub created: String,
    /// The version of the SPDX license list used.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub license_list_version: String,
}

/// A package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpdxPackage {
    /// `SPDXRef-…`.
    #[serde(rename = "SPDXID")]
    pub spdx_id: String,
    /// The name.
    pub name: String,
    /// The version.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version_info: String,
    /// `Organization: …` or absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub supplier: String,
    /// Always `NOASSERTION`.
    pub download_location: String,
    /// Always false.
    pub files_analyzed: bool,
    /// Checksums of the package's file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<Checksum>,
    /// Where the package was built from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_info: String,
    /// Always `NOASSERTION`.
    pub license_concluded: String,
    /// The declared licenses as an SPDX expression, or `NOASSERTION`.
    pub license_declared: String,
    /// Always `NOASSERTION`.
    pub copyright_text: String,
    /// The purl.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    /// `CONTAINER`, `APPLICATION`, `OPERATING-SYSTEM`, `LIBRARY`.
    pub primary_package_purpose: String,
    /// Extra facts (layer, file, type).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

/// A checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checksum {
    /// `SHA1`, `SHA256`, `SHA512`, `MD5`.
    pub algorithm: String,
    /// Lower-case hex.
    pub checksum_value: String,
}

/// An external reference (a purl).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRef {
    /// `PACKAGE-MANAGER`.
    pub reference_category: String,
    /// `purl`.
    pub reference_type: String,
    /// The purl.
    pub reference_locator: String,
}

/// An annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    /// `Tool: atalaia-<version>`.
    pub annotator: String,
    /// The document's creation time.
    pub annotation_date: String,
    /// `OTHER`.
    pub annotation_type: String,
    /// `Name: value`.
    pub comment: String,
}

/// A relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Relationship {
    /// The subject.
    pub spdx_element_id: String,
    /// `DESCRIBES`, `CONTAINS`, `DEPENDS_ON`.
    pub relationship_type: String,
    /// The object.
    pub related_spdx_element: String,
}

/// A license that is not on the SPDX list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractedLicense {
    /// `LicenseRef-…`.
    pub license_id: String,
    /// The text as the package declared it.
    pub extracted_text: String,
    /// The same text, as the license's name.
    pub name: String,
}

fn rel(a: &str, ty: &str, b: &str) -> Relationship {
    Relationship {
        spdx_element_id: a.to_owned(),
        relationship_type: ty.to_owned(),
        related_spdx_element: b.to_owned(),
    }
}

fn checksum(digest: &str) -> Option<Checksum> {
    crate::hash::to_format(digest, HashNames::Spdx).map(|(alg, hex)| Checksum {
        algorithm: alg.to_owned(),
        checksum_value: hex,
    })
}

/// Characters allowed in an SPDX `name`-like free text are anything; in an SPDXID only
/// letters, digits, `.` and `-`.
fn spdx_ref(kind: &str, key: &str) -> String {
    format!("SPDXRef-{kind}-{key}")
}

struct Ctx {
    annotator: String,
    created: String,
}

impl Ctx {
    fn annotation(&self, name: &str, value: &str) -> Annotation {
        Annotation {
            annotator: self.annotator.clone(),
            annotation_date: self.created.clone(),
            annotation_type: "OTHER".to_owned(),
            comment: format!("{name}: {value}"),
        }
    }

    fn bare(&self, id: String, name: String, version: String, purpose: &str) -> SpdxPackage {
        SpdxPackage {
            spdx_id: id,
            name,
            version_info: version,
            supplier: String::new(),
            download_location: "NOASSERTION".to_owned(),
            files_analyzed: false,
            checksums: Vec::new(),
            source_info: String::new(),
            license_concluded: "NOASSERTION".to_owned(),
            license_declared: "NOASSERTION".to_owned(),
            copyright_text: "NOASSERTION".to_owned(),
            external_refs: Vec::new(),
            primary_package_purpose: purpose.to_owned(),
            annotations: Vec::new(),
        }
    }
}

fn purl_ref(purl: String) -> ExternalRef {
    ExternalRef {
        reference_category: "PACKAGE-MANAGER".to_owned(),
        reference_type: "purl".to_owned(),
        reference_locator: purl,
    }
}

fn package(
    ctx: &Ctx,
    refs: &mut LicenseRefs,
    id: String,
    pkg: &Package,
    pkg_type: &str,
    file_path: &str,
) -> SpdxPackage {
    let mut p = ctx.bare(id, pkg.name.clone(), pkg.full_version(), "LIBRARY");
    if !pkg.maintainer.trim().is_empty() {
        p.supplier = format!("Organization: {}", pkg.maintainer.trim());
    }
    p.checksums = checksum(&pkg.digest).into_iter().collect();
    if !pkg.src_name.is_empty() {
        let v = pkg.full_src_version();
        p.source_info = if v.is_empty() {
            format!("built package from: {}", pkg.src_name)
        } else {
            format!("built package from: {} {v}", pkg.src_name)
        };
    }
    p.license_declared = refs.expression(&pkg.licenses);
    p.external_refs = vec![purl_ref(pkg.purl.to_string())];
    let mut notes = Vec::new();
    if !file_path.is_empty() {
        notes.push(("FilePath", file_path.to_owned()));
    }
    if let Some(d) = &pkg.layer.diff_id {
        notes.push(("LayerDiffID", d.to_string()));
    }
    if let Some(d) = &pkg.layer.digest {
        notes.push(("LayerDigest", d.to_string()));
    }
    if !pkg.owned_by.is_empty() {
        notes.push(("OwnedBy", pkg.owned_by.clone()));
    }
    if !pkg.id.is_empty() {
        notes.push(("PkgID", pkg.id.clone()));
    }
    if !pkg_type.is_empty() {
        notes.push(("PkgType", pkg_type.to_owned()));
    }
    p.annotations = notes.iter().map(|(k, v)| ctx.annotation(k, v)).collect();
    p
}

/// The SPDX license list version as SPDX wants it (`3.26`, not `3.26.0`).
fn license_list_version() -> String {
    ::spdx::license_version()
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".")
}

fn namespace_slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "artifact".to_owned()
    } else {
        s
    }
}

/// Builds the SPDX document of an artifact.
pub fn document(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    options: &WriteOptions,
) -> Document {
    let created = options
        .timestamp
        .to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ));
    let ctx = Ctx {
        annotator: format!("Tool: atalaia-{}", env!("CARGO_PKG_VERSION")),
        created: created.unwrap_or_default(),
    };
    let mut refs = LicenseRefs::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut unique = |id: String| -> String {
        let mut candidate = id.clone();
        let mut n = 1;
        while !used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{id}-{n}");
        }
        candidate
    };

    let (artifact_kind, purpose) = match kind {
        ArtifactKind::ContainerImage => ("ContainerImage", "CONTAINER"),
        ArtifactKind::Filesystem => ("Filesystem", "APPLICATION"),
        ArtifactKind::Repository => ("Repository", "SOURCE"),
        ArtifactKind::Cyclonedx | ArtifactKind::Spdx => ("SBOM", "APPLICATION"),
    };
    let artifact_id = unique(spdx_ref(artifact_kind, &hash_hex(&["artifact", name])));
    let mut artifact = ctx.bare(artifact_id.clone(), name.to_owned(), String::new(), purpose);
    if let Some(purl) = oci_purl(kind, meta) {
        artifact.external_refs.push(purl_ref(purl.to_string()));
    }
    artifact.annotations = artifact_properties(meta)
        .iter()
        .map(|(k, v)| ctx.annotation(k, v))
        .collect();

    let mut packages = vec![artifact];
    let mut relationships = vec![rel("SPDXRef-DOCUMENT", "DESCRIBES", &artifact_id)];

    for g in groups(inv) {
        let parent = match g.kind {
            GroupKind::Os => {
                let id = unique(spdx_ref("OperatingSystem", &g.key));
                let (n, v) = match &inv.os {
                    Some(os) => (os.family.to_string(), os.version.clone()),
                    None => ("unknown".to_owned(), String::new()),
                };
                packages.push(ctx.bare(id.clone(), n, v, "OPERATING-SYSTEM"));
                relationships.push(rel(&artifact_id, "CONTAINS", &id));
                id
            }
            GroupKind::App => {
                let id = unique(spdx_ref("Application", &g.key));
                let mut app = ctx.bare(id.clone(), g.ty.clone(), String::new(), "APPLICATION");
                app.source_info = g.file_path.clone();
                packages.push(app);
                relationships.push(rel(&artifact_id, "CONTAINS", &id));
                id
            }
            GroupKind::Aggregated => artifact_id.clone(),
        };
        let ids: Vec<String> = g
            .nodes
            .iter()
            .map(|n| unique(spdx_ref("Package", &n.key)))
            .collect();
        for (n, id) in g.nodes.iter().zip(&ids) {
            packages.push(package(
                &ctx,
                &mut refs,
                id.clone(),
                n.pkg,
                &n.pkg_type,
                &n.file_path,
            ));
            relationships.push(rel(&parent, "CONTAINS", id));
        }
        for (n, id) in g.nodes.iter().zip(&ids) {
            for &j in &n.depends_on {
                relationships.push(rel(id, "DEPENDS_ON", &ids[j]));
            }
        }
    }

    Document {
        spdx_version: "SPDX-2.3".to_owned(),
        data_license: "CC0-1.0".to_owned(),
        spdx_id: "SPDXRef-DOCUMENT".to_owned(),
        name: name.to_owned(),
        document_namespace: format!(
            "{NAMESPACE_BASE}/{}-{}",
            namespace_slug(name),
            options.serial
        ),
        creation_info: CreationInfo {
            creators: vec!["Organization: atalaia".to_owned(), ctx.annotator.clone()],
            created: ctx.created.clone(),
            license_list_version: license_list_version(),
        },
        packages,
        relationships,
        has_extracted_licensing_infos: refs
            .declared()
            .map(|(id, text)| ExtractedLicense {
                license_id: id.to_owned(),
                extracted_text: text.to_owned(),
                name: text.to_owned(),
            })
            .collect(),
    }
}

/// Writes the SPDX document of an artifact as pretty JSON (two-space indent, trailing newline).
pub fn write(
    name: &str,
    kind: ArtifactKind,
    meta: &ArtifactMetadata,
    inv: &Inventory,
    options: &WriteOptions,
    out: &mut dyn Write,
) -> Result<(), SbomError> {
    let doc = document(name, kind, meta, inv, options);
    crate::write_json(&doc, "SPDX", name, out)
}

/// What the reader accepts: a lenient view of an SPDX 2.x JSON document.
mod input {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Document {
        #[serde(default)]
        pub(super) spdx_version: String,
        #[serde(default)]
        pub(super) name: String,
        #[serde(default)]
        pub(super) packages: Vec<Package>,
        #[serde(default)]
        pub(super) relationships: Vec<Relationship>,
        #[serde(default)]
        pub(super) has_extracted_licensing_infos: Vec<Extracted>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Package {
        #[serde(rename = "SPDXID", default)]
        pub(super) spdx_id: String,
        #[serde(default)]
        pub(super) name: String,
        #[serde(default)]
        pub(super) version_info: String,
        #[serde(default)]
        pub(super) supplier: String,
        #[serde(default)]
        pub(super) checksums: Vec<Checksum>,
        #[serde(default)]
        pub(super) source_info: String,
        #[serde(default)]
        pub(super) license_declared: String,
        #[serde(default)]
        pub(super) external_refs: Vec<ExternalRef>,
        #[serde(default)]
        pub(super) primary_package_purpose: String,
        #[serde(default)]
        pub(super) annotations: Vec<Annotation>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Checksum {
        #[serde(default)]
        pub(super) algorithm: String,
        #[serde(default)]
        pub(super) checksum_value: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct ExternalRef {
        #[serde(default)]
        pub(super) reference_type: String,
        #[serde(default)]
        pub(super) reference_locator: String,
    }

    #[derive(Deserialize)]
    pub(super) struct Annotation {
        #[serde(default)]
        pub(super) comment: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Relationship {
        #[serde(default)]
        pub(super) spdx_element_id: String,
        #[serde(default)]
        pub(super) relationship_type: String,
        #[serde(default)]
        pub(super) related_spdx_element: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Extracted {
        #[serde(default)]
        pub(super) license_id: String,
        #[serde(default)]
        pub(super) extracted_text: String,
        #[serde(default)]
        pub(super) name: String,
    }
}

/// Splits an expression at its top-level `AND`s (outside parentheses), dropping one pair of
/// parentheses around each part.
fn split_and(expr: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b' ' if depth == 0 && expr[i..].starts_with(" AND ") => {
                parts.push(expr[start..i].to_owned());
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(expr[start..].to_owned());
    parts
        .into_iter()
        .map(|p| {
            let p = p.trim();
            match p.strip_prefix('(').and_then(|q| q.strip_suffix(')')) {
                Some(inner) if !inner.contains('(') => inner.to_owned(),
                _ => p.to_owned(),
            }
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Reads an SPDX 2.x JSON document (atalaia's own, Trivy's, Syft's) back into an inventory.
/// `source_name` names the document in errors.
///
/// Packages with a purl become packages; the `OPERATING-SYSTEM` package becomes the OS;
/// `APPLICATION` packages without a purl (other than the described artifact) become
/// applications owning what they `CONTAIN`; `DEPENDS_ON` edges become `depends_on`. Declared
/// licenses are split at top-level `AND`s and `LicenseRef-`s are replaced by their extracted
/// text, so atalaia's own documents read back to the licenses they were written from.
pub fn read(bytes: &[u8], source_name: &str) -> Result<crate::Decoded, SbomError> {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::decode::{artifact_meta, assemble, property_name, AppNode, Graph, RawPackage};

    let doc: input::Document = serde_json::from_slice(bytes).map_err(|err| SbomError::Parse {
        format: "SPDX",
        source_name: source_name.to_owned(),
        err,
    })?;
    if !doc.spdx_version.starts_with("SPDX-2.") {
        return Err(SbomError::NotFormat {
            format: "SPDX",
            source_name: source_name.to_owned(),
            reason: format!("`spdxVersion` is `{}`, not `SPDX-2.x`", doc.spdx_version),
        });
    }
    let extracted: BTreeMap<&str, &str> = doc
        .has_extracted_licensing_infos
        .iter()
        .map(|e| {
            (
                e.license_id.as_str(),
                if e.extracted_text.is_empty() {
                    e.name.as_str()
                } else {
                    e.extracted_text.as_str()
                },
            )
        })
        .collect();
    let described: BTreeSet<&str> = doc
        .relationships
        .iter()
        .filter(|r| r.relationship_type == "DESCRIBES" && r.spdx_element_id == "SPDXRef-DOCUMENT")
        .map(|r| r.related_spdx_element.as_str())
        .collect();

    let mut g = Graph::default();
    let mut meta = ArtifactMetadata::default();
    for r in &doc.relationships {
        let (from, to) = match r.relationship_type.as_str() {
            "CONTAINS" | "DEPENDS_ON" => (&r.spdx_element_id, &r.related_spdx_element),
            "CONTAINED_BY" | "DEPENDENCY_OF" => (&r.related_spdx_element, &r.spdx_element_id),
            _ => continue,
        };
        g.contains.entry(from.clone()).or_default().push(to.clone());
        if matches!(r.relationship_type.as_str(), "DEPENDS_ON" | "DEPENDENCY_OF") {
            g.depends.entry(from.clone()).or_default().push(to.clone());
        }
    }
    for p in &doc.packages {
        let purl = p
            .external_refs
            .iter()
            .find(|r| r.reference_type == "purl")
            .map(|r| r.reference_locator.clone())
            .unwrap_or_default();
        let notes: Vec<(&str, &str)> = p
            .annotations
            .iter()
            .filter_map(|a| a.comment.split_once(": "))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        if described.contains(p.spdx_id.as_str()) {
            // Annotations carry bare names (`ImageID: sha256:…`).
            meta = artifact_meta(notes.iter().copied());
            continue;
        }
        if p.primary_package_purpose == "OPERATING-SYSTEM" && purl.is_empty() {
            if g.os.is_none() {
                g.os = Some((p.name.clone(), p.version_info.clone()));
            }
            continue;
        }
        if p.primary_package_purpose == "APPLICATION" && purl.is_empty() {
            g.apps.push(AppNode {
                node: p.spdx_id.clone(),
                app_type: p.name.clone(),
                file_path: p.source_info.clone(),
            });
            continue;
        }
        let mut props = BTreeMap::new();
        for (k, v) in &notes {
            let key = property_name(k).unwrap_or(k);
            props
                .entry(key.to_owned())
                .or_insert_with(|| (*v).to_owned());
        }
        if let Some(src) = p.source_info.strip_prefix("built package from: ") {
            let mut it = src.splitn(2, ' ');
            if let Some(n) = it.next().filter(|n| !n.is_empty()) {
                props
                    .entry("SrcName".to_owned())
                    .or_insert_with(|| n.to_owned());
            }
            if let Some(v) = it.next().filter(|v| !v.is_empty()) {
                props
                    .entry("SrcVersion".to_owned())
                    .or_insert_with(|| v.to_owned());
            }
        }
        let licenses = match p.license_declared.trim() {
            "" | "NOASSERTION" | "NONE" => Vec::new(),
            expr => split_and(expr)
                .into_iter()
                .map(|part| {
                    extracted
                        .get(part.as_str())
                        .map_or(part.clone(), |t| (*t).to_owned())
                })
                .collect(),
        };
        let supplier = match p.supplier.trim() {
            "" | "NOASSERTION" => String::new(),
            s => s
                .strip_prefix("Organization:")
                .or_else(|| s.strip_prefix("Person:"))
                .unwrap_or(s)
                .trim()
                .to_owned(),
        };
        let digest = p
            .checksums
            .iter()
            .find_map(|c| {
                crate::hash::from_format(&c.algorithm, &c.checksum_value, HashNames::Spdx)
            })
            .unwrap_or_default();
        g.packages.push(RawPackage {
            node: p.spdx_id.clone(),
            name: p.name.clone(),
            version: p.version_info.clone(),
            purl,
            licenses,
            supplier,
            digest,
            props,
        });
    }
    Ok(crate::Decoded {
        name: doc.name,
        meta,
        inventory: assemble(g),
    })
}
