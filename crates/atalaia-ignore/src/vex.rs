//! VEX documents: OpenVEX and CycloneDX VEX (JSON), matched as Trivy's `pkg/vex` does.
//!
//! Format detection follows Trivy's order: `bomFormat: "CycloneDX"` is CycloneDX, a non-empty
//! `@context` is OpenVEX; CSAF and anything else is an [`IgnoreError::UnknownVexFormat`].
//!
//! **OpenVEX** (go-vex semantics). A statement is about a finding when its vulnerability `name`,
//! `@id` or one of its `aliases` is the finding's ID (atalaia: or one of the finding's aliases and
//! vendor IDs), and one of its products matches: the product's `@id` equal to the package purl
//! or, when it is a purl, matching it general-to-specific (see *Purl matching* in the [crate docs](crate)); same for
//! `identifiers.purl`. A product with `subcomponents` is also matched at the level of an enclosing
//! artifact ([`VexContext::products`], e.g. the image's `pkg:oci/…` purl): the product must match
//! the artifact and one subcomponent the package. Among the statements that match at one level,
//! the one with the latest timestamp (a statement without one takes the document's) decides; on
//! equal timestamps the first in the document wins (go-vex sorts a reversed list stably).
//! `not_affected` and `fixed` suppress; `affected`, `under_investigation` and unknown statuses keep.
//! The OpenVEX 0.0.1 shapes (vulnerability and products as plain strings) are read too.
//!
//! **CycloneDX VEX.** Each `vulnerabilities[]` entry is a statement about `id` (and the IDs in its
//! `references[]`), for the components in `affects[].ref`. A ref is resolved through the
//! document's own components (`bom-ref` → `purl`, nested components included); a ref that is a
//! purl is used as is; a BOM-Link (`urn:cdx:serial/version#bom-ref`) is resolved by its fragment.
//! Trivy accepts only BOM-Links into the scanned SBOM and compares purls exactly; atalaia also
//! accepts refs into the VEX document itself and compares purls general-to-specific, as for
//! OpenVEX. `analysis.state` `not_affected`, `false_positive`, `resolved` and
//! `resolved_with_pedigree` suppress; `exploitable`, `in_triage` and a missing analysis keep. The
//! first matching entry in document order decides.

use std::collections::HashMap;
use std::path::Path;

use atalaia_types::Purl;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::date::parse_rfc3339;
use crate::{purls, IgnoreError};

/// Which VEX format a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VexFormat {
    /// <https://github.com/openvex/spec>.
    #[serde(rename = "openvex")]
    OpenVex,
    /// CycloneDX `vulnerabilities` with `analysis`.
    #[serde(rename = "cyclonedx")]
    CycloneDx,
}

/// A statement's status, in OpenVEX's words (CycloneDX states are mapped as Trivy maps them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VexStatus {
    /// The product is not affected: suppresses.
    NotAffected,
    /// The product is affected: keeps.
    Affected,
    /// The vulnerability is fixed in the product: suppresses.
    Fixed,
    /// Not known yet: keeps.
    UnderInvestigation,
    /// A status this crate does not know, or none: keeps.
    Unknown,
}

impl VexStatus {
    /// Whether a finding with this status is suppressed.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }

    fn from_openvex(s: &str) -> VexStatus {
        match s {
            "not_affected" => VexStatus::NotAffected,
            "affected" => VexStatus::Affected,
            "fixed" => VexStatus::Fixed,
            "under_investigation" => VexStatus::UnderInvestigation,
            _ => VexStatus::Unknown,
        }
    }

    fn from_cyclonedx(s: &str) -> VexStatus {
        match s {
            "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
            "exploitable" => VexStatus::Affected,
            "in_triage" => VexStatus::UnderInvestigation,
            "false_positive" | "not_affected" => VexStatus::NotAffected,
            _ => VexStatus::Unknown,
        }
    }
}

/// Something a statement names: a product or a subcomponent.
#[derive(Debug, Clone, Default)]
pub struct VexComponent {
    /// Identifiers compared exactly (`@id`, CPEs, hashes, unresolved CycloneDX refs).
    pub ids: Vec<String>,
    /// Purls compared general-to-specific.
    pub purls: Vec<Purl>,
}

impl VexComponent {
    fn from_id(id: &str) -> VexComponent {
        let mut c = VexComponent::default();
        c.add(id);
        c
    }

    fn add(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        if id.starts_with("pkg:") {
            if let Some(p) = purls::parse(id) {
                self.purls.push(p);
            }
        }
        self.ids.push(id.to_owned());
    }

    /// Whether `identifier` (a purl string, parsed as `purl` when it is one) is this component.
    pub(crate) fn matches(&self, identifier: &str, purl: Option<&Purl>) -> bool {
        self.ids.iter().any(|i| i == identifier)
            || purl.is_some_and(|target| self.purls.iter().any(|p| purls::vex_matches(p, target)))
    }
}

/// A product of a statement, with the subcomponents it narrows the statement to.
#[derive(Debug, Clone, Default)]
pub struct VexProduct {
    /// The product.
    pub component: VexComponent,
    /// Its subcomponents (empty: the statement is about the product itself).
    pub subcomponents: Vec<VexComponent>,
}

/// One statement of a VEX document.
#[derive(Debug, Clone)]
pub struct VexStatement {
    /// 0-based position in the document (`statements[i]` or `vulnerabilities[i]`).
    pub index: usize,
    /// The vulnerability's main name (OpenVEX `name`, CycloneDX `id`).
    pub vulnerability: String,
    /// Every ID the statement answers to: name, `@id`, aliases (CycloneDX: `id` and `references[].id`).
    pub vulnerability_ids: Vec<String>,
    /// The products.
    pub products: Vec<VexProduct>,
    /// The status.
    pub status: VexStatus,
    /// The justification (`component_not_present`, `code_not_reachable`, …), empty if none.
    pub justification: String,
    /// Free text: OpenVEX `impact_statement` or `status_notes`, CycloneDX `analysis.detail`.
    pub impact_statement: String,
    /// When the statement was made (OpenVEX; the document's timestamp when it has none).
    pub timestamp: Option<OffsetDateTime>,
}

/// A parsed VEX document.
#[derive(Debug, Clone)]
pub struct VexDocument {
    /// The file, as the caller named it.
    pub source: String,
    /// Its format.
    pub format: VexFormat,
    /// Its statements, in document order.
    pub statements: Vec<VexStatement>,
}

/// Where the packages of the findings sit, for statements about an enclosing product.
#[derive(Debug, Clone, Default)]
pub struct VexContext {
    /// Purls of the artifacts that contain the packages, innermost first: for an image scan the
    /// image's `pkg:oci/name@sha256:…?repository_url=…` purl, for an application inside it the
    /// application's purl before it.
    pub products: Vec<String>,
}

/// The statement that decided a finding.
#[derive(Debug, Clone)]
pub(crate) struct VexMatch<'a> {
    pub(crate) statement: &'a VexStatement,
    /// The product identifier that matched (the package purl, or an enclosing artifact's).
    pub(crate) product: String,
}

impl VexDocument {
    /// Reads and parses a VEX file. The path is kept as given (Trivy writes it so in `Source`).
    pub fn load(path: &Path) -> Result<VexDocument, IgnoreError> {
        let source = path.to_string_lossy().into_owned();
        let bytes = std::fs::read(path).map_err(|err| IgnoreError::Read {
            source_name: source.clone(),
            err,
        })?;
        VexDocument::parse(&source, &bytes)
    }

    /// Parses a VEX document; `source` names it in errors and suppressions.
    pub fn parse(source: &str, bytes: &[u8]) -> Result<VexDocument, IgnoreError> {
        let json_err = |err: serde_json::Error| IgnoreError::VexJson {
            source_name: source.to_owned(),
            line: (err.line() > 0).then(|| err.line()),
            err,
        };
        let probe: Probe = serde_json::from_slice(bytes).map_err(json_err)?;
        if probe.bom_format.as_deref() == Some("CycloneDX") {
            let raw: RawCdx = serde_json::from_slice(bytes).map_err(json_err)?;
            return Ok(cyclonedx(source, raw));
        }
        if probe
            .context
            .as_ref()
            .is_some_and(|c| !c.is_null() && c.as_str() != Some(""))
        {
            let raw: RawOpenVex = serde_json::from_slice(bytes).map_err(json_err)?;
            return openvex(source, raw);
        }
        let reason = if probe.document.is_some() {
            "CSAF documents are not supported; use OpenVEX or CycloneDX VEX".to_owned()
        } else {
            "neither OpenVEX (`@context`) nor CycloneDX (`bomFormat`)".to_owned()
        };
        Err(IgnoreError::UnknownVexFormat {
            source_name: source.to_owned(),
            reason,
        })
    }

    /// The statement that decides about a vulnerability known by `ids` (its ID first) in the
    /// package `purl`, checking the package itself, then each enclosing product in `ctx` with the
    /// package as subcomponent. Returns the first level whose deciding statement suppresses, else
    /// `None`.
    pub(crate) fn decide<'a>(
        &'a self,
        ids: &[&str],
        purl: &str,
        ctx: &VexContext,
    ) -> Option<VexMatch<'a>> {
        if purl.is_empty() {
            return None;
        }
        let leaf = purls::parse(purl);
        let about: Vec<&VexStatement> = self
            .statements
            .iter()
            .filter(|s| {
                s.vulnerability_ids
                    .iter()
                    .any(|v| ids.contains(&v.as_str()))
            })
            .collect();
        if about.is_empty() {
            return None;
        }
        // The package itself.
        let hits = about.iter().copied().filter(|s| {
            s.products
                .iter()
                .any(|p| p.component.matches(purl, leaf.as_ref()))
        });
        if let Some(s) = self.effective(hits) {
            if s.status.suppresses() {
                return Some(VexMatch {
                    statement: s,
                    product: purl.to_owned(),
                });
            }
        }
        // Each enclosing product, with the package as subcomponent.
        for product in &ctx.products {
            let ppurl = purls::parse(product);
            let hits = about.iter().copied().filter(|s| {
                s.products.iter().any(|p| {
                    p.component.matches(product, ppurl.as_ref())
                        && (p.subcomponents.is_empty()
                            || p.subcomponents
                                .iter()
                                .any(|c| c.matches(purl, leaf.as_ref())))
                })
            });
            if let Some(s) = self.effective(hits) {
                if s.status.suppresses() {
                    return Some(VexMatch {
                        statement: s,
                        product: product.clone(),
                    });
                }
            }
        }
        None
    }

    fn effective<'a>(
        &self,
        hits: impl Iterator<Item = &'a VexStatement>,
    ) -> Option<&'a VexStatement> {
        match self.format {
            // First in document order.
            VexFormat::CycloneDx => hits.into_iter().next(),
            // Latest timestamp; the first in the document among equals.
            VexFormat::OpenVex => {
                let mut best: Option<&VexStatement> = None;
                for s in hits {
                    best = match best {
                        Some(b) if s.timestamp > b.timestamp => Some(s),
                        None => Some(s),
                        keep => keep,
                    };
                }
                best
            }
        }
    }
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat", default)]
    bom_format: Option<String>,
    #[serde(rename = "@context", default)]
    context: Option<serde_json::Value>,
    #[serde(default)]
    document: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct RawOpenVex {
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    statements: Option<Vec<RawStatement>>,
}

#[derive(Deserialize)]
struct RawStatement {
    #[serde(default)]
    vulnerability: Option<RawVuln>,
    #[serde(default)]
    products: Option<Vec<RawProduct>>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    impact_statement: Option<String>,
    #[serde(default)]
    status_notes: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawVuln {
    Name(String),
    Object {
        #[serde(rename = "@id", default)]
        id: Option<String>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        aliases: Option<Vec<String>>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawProduct {
    Id(String),
    Object {
        #[serde(flatten)]
        component: RawComponent,
        #[serde(default)]
        subcomponents: Option<Vec<RawSub>>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSub {
    Id(String),
    Object(RawComponent),
}

#[derive(Deserialize, Default)]
struct RawComponent {
    #[serde(rename = "@id", default)]
    id: Option<String>,
    #[serde(default)]
    identifiers: Option<HashMap<String, String>>,
    #[serde(default)]
    hashes: Option<HashMap<String, String>>,
}

impl RawComponent {
    fn into_component(self) -> VexComponent {
        let mut c = VexComponent::default();
        if let Some(id) = &self.id {
            c.add(id);
        }
        let mut idents: Vec<(String, String)> =
            self.identifiers.unwrap_or_default().into_iter().collect();
        idents.sort();
        for (kind, value) in idents {
            if kind == "purl" {
                c.add(&value);
            } else {
                c.ids.push(value);
            }
        }
        let mut hashes: Vec<String> = self.hashes.unwrap_or_default().into_values().collect();
        hashes.sort();
        c.ids.extend(hashes);
        c
    }
}

fn openvex(source: &str, raw: RawOpenVex) -> Result<VexDocument, IgnoreError> {
    let bad_time = |location: String, value: &str| IgnoreError::VexValue {
        source_name: source.to_owned(),
        location,
        reason: format!("timestamp `{value}` is not an RFC 3339 date-time"),
    };
    let doc_time = match raw.timestamp.as_deref() {
        None | Some("") => None,
        Some(t) => Some(parse_rfc3339(t).ok_or_else(|| bad_time("document".to_owned(), t))?),
    };
    let mut statements = Vec::new();
    for (index, s) in raw.statements.unwrap_or_default().into_iter().enumerate() {
        let (vulnerability, vulnerability_ids) = match s.vulnerability {
            None => (String::new(), Vec::new()),
            Some(RawVuln::Name(n)) => (n.clone(), vec![n]),
            Some(RawVuln::Object { id, name, aliases }) => {
                let name = name.unwrap_or_default();
                let mut ids: Vec<String> = Vec::new();
                ids.extend(std::iter::once(name.clone()).filter(|n| !n.is_empty()));
                ids.extend(id.filter(|i| !i.is_empty()));
                ids.extend(
                    aliases
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|a| !a.is_empty()),
                );
                (name, ids)
            }
        };
        let products = s
            .products
            .unwrap_or_default()
            .into_iter()
            .map(|p| match p {
                RawProduct::Id(id) => VexProduct {
                    component: VexComponent::from_id(&id),
                    subcomponents: Vec::new(),
                },
                RawProduct::Object {
                    component,
                    subcomponents,
                } => VexProduct {
                    component: component.into_component(),
                    subcomponents: subcomponents
                        .unwrap_or_default()
                        .into_iter()
                        .map(|s| match s {
                            RawSub::Id(id) => VexComponent::from_id(&id),
                            RawSub::Object(c) => c.into_component(),
                        })
                        .collect(),
                },
            })
            .collect();
        let timestamp = match s.timestamp.as_deref() {
            None | Some("") => doc_time,
            Some(t) => {
                Some(parse_rfc3339(t).ok_or_else(|| bad_time(format!("statements[{index}]"), t))?)
            }
        };
        let impact = s
            .impact_statement
            .filter(|x| !x.is_empty())
            .or(s.status_notes)
            .unwrap_or_default();
        statements.push(VexStatement {
            index,
            vulnerability,
            vulnerability_ids,
            products,
            status: VexStatus::from_openvex(s.status.as_deref().unwrap_or("")),
            justification: s.justification.unwrap_or_default(),
            impact_statement: impact,
            timestamp,
        });
    }
    Ok(VexDocument {
        source: source.to_owned(),
        format: VexFormat::OpenVex,
        statements,
    })
}

#[derive(Deserialize)]
struct RawCdx {
    #[serde(default)]
    metadata: Option<RawCdxMetadata>,
    #[serde(default)]
    components: Option<Vec<RawCdxComponent>>,
    #[serde(default)]
    vulnerabilities: Option<Vec<RawCdxVuln>>,
}

#[derive(Deserialize)]
struct RawCdxMetadata {
    #[serde(default)]
    component: Option<RawCdxComponent>,
}

#[derive(Deserialize)]
struct RawCdxComponent {
    #[serde(rename = "bom-ref", default)]
    bom_ref: Option<String>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    components: Option<Vec<RawCdxComponent>>,
}

#[derive(Deserialize)]
struct RawCdxVuln {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    references: Option<Vec<RawCdxReference>>,
    #[serde(default)]
    analysis: Option<RawCdxAnalysis>,
    #[serde(default)]
    affects: Option<Vec<RawCdxAffects>>,
}

#[derive(Deserialize)]
struct RawCdxReference {
    #[serde(default)]
    id: Option<String>,
}

#[derive(Deserialize)]
struct RawCdxAnalysis {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

#[derive(Deserialize)]
struct RawCdxAffects {
    #[serde(rename = "ref", default)]
    reference: Option<String>,
}

fn collect_refs(c: &RawCdxComponent, out: &mut HashMap<String, String>, depth: usize) {
    if let (Some(r), Some(p)) = (&c.bom_ref, &c.purl) {
        out.entry(r.clone()).or_insert_with(|| p.clone());
    }
    // Nesting deeper than this is not a real SBOM; stop rather than exhaust the stack.
    if depth < 64 {
        for child in c.components.iter().flatten() {
            collect_refs(child, out, depth + 1);
        }
    }
}

/// The fragment of a BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`), percent-decoded.
fn bom_link_fragment(r: &str) -> Option<String> {
    let rest = r.strip_prefix("urn:cdx:")?;
    let (_, frag) = rest.split_once('#')?;
    let bytes = frag.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = frag
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn cyclonedx(source: &str, raw: RawCdx) -> VexDocument {
    let mut refs = HashMap::new();
    if let Some(c) = raw.metadata.as_ref().and_then(|m| m.component.as_ref()) {
        collect_refs(c, &mut refs, 0);
    }
    for c in raw.components.iter().flatten() {
        collect_refs(c, &mut refs, 0);
    }
    let mut statements = Vec::new();
    for (index, v) in raw
        .vulnerabilities
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let id = v.id.unwrap_or_default();
        let mut vulnerability_ids: Vec<String> = std::iter::once(id.clone())
            .filter(|i| !i.is_empty())
            .collect();
        for r in v.references.unwrap_or_default() {
            if let Some(rid) = r.id.filter(|i| !i.is_empty()) {
                vulnerability_ids.push(rid);
            }
        }
        let products = v
            .affects
            .unwrap_or_default()
            .into_iter()
            .filter_map(|a| a.reference)
            .map(|r| {
                let mut component = VexComponent::default();
                let local = bom_link_fragment(&r).unwrap_or_else(|| r.clone());
                if let Some(p) = refs.get(&local) {
                    component.add(p);
                } else if local.starts_with("pkg:") {
                    component.add(&local);
                }
                if !component.ids.contains(&r) {
                    component.ids.push(r);
                }
                VexProduct {
                    component,
                    subcomponents: Vec::new(),
                }
            })
            .collect();
        let analysis = v.analysis;
        let (status, justification, detail) = match analysis {
            None => (VexStatus::Unknown, String::new(), String::new()),
            Some(a) => (
                VexStatus::from_cyclonedx(a.state.as_deref().unwrap_or("")),
                a.justification.unwrap_or_default(),
                a.detail.unwrap_or_default(),
            ),
        };
        statements.push(VexStatement {
            index,
            vulnerability: id,
            vulnerability_ids,
            products,
            status,
            justification,
            impact_statement: detail,
            timestamp: None,
        });
    }
    VexDocument {
        source: source.to_owned(),
        format: VexFormat::CycloneDx,
        statements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENVEX: &str = r#"{
      "@context": "https://openvex.dev/ns/v0.2.0",
      "@id": "https://example.com/vex-1",
      "author": "Example",
      "timestamp": "2024-01-01T00:00:00Z",
      "version": 1,
      "statements": [
        {
          "vulnerability": {"name": "CVE-2023-0001", "aliases": ["GHSA-aaaa-bbbb-cccc"]},
          "products": [{"@id": "pkg:npm/lodash@4.17.20"}],
          "status": "not_affected",
          "justification": "vulnerable_code_not_in_execute_path"
        },
        {
          "vulnerability": {"name": "CVE-2023-0002"},
          "products": [{"@id": "pkg:oci/app?repository_url=example.com%2Fapp",
                        "subcomponents": [{"@id": "pkg:deb/debian/bash"}]}],
          "status": "fixed"
        },
        {
          "vulnerability": {"name": "CVE-2023-0003"},
          "products": [{"identifiers": {"purl": "pkg:pypi/requests"}}],
          "status": "not_affected",
          "justification": "component_not_present",
          "timestamp": "2024-02-01T00:00:00Z"
        },
        {
          "vulnerability": {"name": "CVE-2023-0003"},
          "products": [{"identifiers": {"purl": "pkg:pypi/requests"}}],
          "status": "affected",
          "action_statement": "upgrade",
          "timestamp": "2024-03-01T00:00:00Z"
        },
        {
          "vulnerability": "CVE-2023-0004",
          "products": ["pkg:golang/example.com/m"],
          "status": "under_investigation"
        }
      ]
    }"#;

    #[test]
    fn openvex_parses_all_shapes() {
        let d = VexDocument::parse("vex.json", OPENVEX.as_bytes()).unwrap();
        assert_eq!(d.format, VexFormat::OpenVex);
        assert_eq!(d.statements.len(), 5);
        assert_eq!(
            d.statements[0].vulnerability_ids,
            ["CVE-2023-0001", "GHSA-aaaa-bbbb-cccc"]
        );
        assert_eq!(d.statements[0].status, VexStatus::NotAffected);
        assert_eq!(d.statements[1].products[0].subcomponents.len(), 1);
        assert_eq!(d.statements[4].vulnerability_ids, ["CVE-2023-0004"]);
        assert_eq!(d.statements[4].products[0].component.purls.len(), 1);
        // Statements without a timestamp take the document's.
        assert_eq!(
            d.statements[0].timestamp,
            parse_rfc3339("2024-01-01T00:00:00Z")
        );
    }

    #[test]
    fn openvex_decisions() {
        let d = VexDocument::parse("vex.json", OPENVEX.as_bytes()).unwrap();
        let none = VexContext::default();
        let m = d
            .decide(&["CVE-2023-0001"], "pkg:npm/lodash@4.17.20", &none)
            .unwrap();
        assert_eq!(m.statement.index, 0);
        assert!(d
            .decide(&["CVE-2023-0001"], "pkg:npm/lodash@4.17.21", &none)
            .is_none());
        // Alias of the statement.
        assert!(d
            .decide(&["GHSA-aaaa-bbbb-cccc"], "pkg:npm/lodash@4.17.20", &none)
            .is_some());
        // Subcomponent: only through the enclosing product.
        let bash = "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12";
        assert!(d.decide(&["CVE-2023-0002"], bash, &none).is_none());
        let ctx = VexContext {
            products: vec!["pkg:oci/app@sha256%3Aabc?repository_url=example.com%2Fapp".to_owned()],
        };
        let m = d.decide(&["CVE-2023-0002"], bash, &ctx).unwrap();
        assert_eq!(m.statement.index, 1);
        assert_eq!(m.product, ctx.products[0]);
        // The later `affected` statement wins over the earlier `not_affected`.
        assert!(d
            .decide(&["CVE-2023-0003"], "pkg:pypi/requests@2.0.0", &none)
            .is_none());
        // under_investigation keeps.
        assert!(d
            .decide(&["CVE-2023-0004"], "pkg:golang/example.com/m@v1.0.0", &none)
            .is_none());
        // No purl, no decision.
        assert!(d.decide(&["CVE-2023-0001"], "", &none).is_none());
    }

    #[test]
    fn equal_timestamps_first_statement_wins() {
        let doc = r#"{"@context":"https://openvex.dev/ns/v0.2.0","timestamp":"2024-01-01T00:00:00Z","statements":[
          {"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"not_affected","justification":"x"},
          {"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"affected"}]}"#;
        let d = VexDocument::parse("v.json", doc.as_bytes()).unwrap();
        let m = d
            .decide(&["CVE-1"], "pkg:npm/a@1.0.0", &VexContext::default())
            .unwrap();
        assert_eq!(m.statement.index, 0);
    }

    const CDX: &str = r#"{
      "bomFormat": "CycloneDX",
      "specVersion": "1.5",
      "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
      "version": 1,
      "metadata": {"component": {"bom-ref": "app", "name": "app", "purl": "pkg:oci/app"}},
      "components": [
        {"bom-ref": "jackson", "name": "jackson-databind",
         "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4",
         "components": [{"bom-ref": "nested", "purl": "pkg:npm/nested@1.0.0"}]}
      ],
      "vulnerabilities": [
        {"id": "CVE-2022-42003", "references": [{"id": "GHSA-jjjh-jjxp-wpff", "source": {"name": "GitHub"}}],
         "analysis": {"state": "not_affected", "justification": "code_not_reachable", "detail": "not used"},
         "affects": [{"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#jackson"}]},
        {"id": "CVE-2022-1111", "analysis": {"state": "exploitable"}, "affects": [{"ref": "jackson"}]},
        {"id": "CVE-2022-2222", "analysis": {"state": "resolved"}, "affects": [{"ref": "pkg:npm/direct@2.0.0"}]},
        {"id": "CVE-2022-3333", "analysis": {"state": "false_positive"}, "affects": [{"ref": "nested"}]},
        {"id": "CVE-2022-4444", "affects": [{"ref": "nested"}]}
      ]
    }"#;

    #[test]
    fn cyclonedx_decisions() {
        let d = VexDocument::parse("bom.vex.json", CDX.as_bytes()).unwrap();
        assert_eq!(d.format, VexFormat::CycloneDx);
        assert_eq!(d.statements.len(), 5);
        let none = VexContext::default();
        let jackson = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4";
        let m = d.decide(&["CVE-2022-42003"], jackson, &none).unwrap();
        assert_eq!(m.statement.justification, "code_not_reachable");
        assert!(d.decide(&["GHSA-jjjh-jjxp-wpff"], jackson, &none).is_some());
        assert!(d.decide(&["CVE-2022-1111"], jackson, &none).is_none());
        let m = d
            .decide(&["CVE-2022-2222"], "pkg:npm/direct@2.0.0", &none)
            .unwrap();
        assert_eq!(m.statement.status, VexStatus::Fixed);
        assert!(d
            .decide(&["CVE-2022-2222"], "pkg:npm/direct@2.0.1", &none)
            .is_none());
        assert!(d
            .decide(&["CVE-2022-3333"], "pkg:npm/nested@1.0.0", &none)
            .is_some());
        assert!(d
            .decide(&["CVE-2022-4444"], "pkg:npm/nested@1.0.0", &none)
            .is_none());
    }

    #[test]
    fn malformed_documents_are_errors() {
        let e = VexDocument::parse("v.json", b"{\n\"@context\": ").unwrap_err();
        assert!(
            matches!(e, IgnoreError::VexJson { line: Some(2), .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("`v.json`"));
        let e = VexDocument::parse("v.json", b"{\"foo\": 1}").unwrap_err();
        assert!(matches!(e, IgnoreError::UnknownVexFormat { .. }), "{e:?}");
        let e =
            VexDocument::parse("v.json", br#"{"document": {"csaf_version": "2.0"}}"#).unwrap_err();
        assert!(e.to_string().contains("CSAF"), "{e}");
        let e = VexDocument::parse("v.json", b"[1, 2]").unwrap_err();
        assert!(e.to_string().contains("v.json"), "{e}");
        let e = VexDocument::parse(
            "v.json",
            br#"{"@context": "https://openvex.dev/ns", "statements": [{"timestamp": "yesterday"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("statements[0]") && e.to_string().contains("yesterday"),
            "{e}"
        );
        let e = VexDocument::parse(
            "v.json",
            br#"{"bomFormat": "CycloneDX", "vulnerabilities": 3}"#,
        )
        .unwrap_err();
        assert!(matches!(e, IgnoreError::VexJson { .. }), "{e:?}");
        let e = VexDocument::parse("v.json", b"").unwrap_err();
        assert!(matches!(e, IgnoreError::VexJson { .. }), "{e:?}");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let nested = |n: usize| {
            let mut s = String::from(r#"{"bomFormat":"CycloneDX","components":["#);
            for _ in 0..n {
                s.push_str(r#"{"bom-ref":"x","components":["#);
            }
            for _ in 0..n {
                s.push_str("]}");
            }
            s.push_str("]}");
            s
        };
        assert!(VexDocument::parse("v.json", nested(50).as_bytes()).is_ok());
        // Deeper than serde_json's recursion limit: an error, not a stack overflow.
        assert!(VexDocument::parse("v.json", nested(5000).as_bytes()).is_err());
    }
}
