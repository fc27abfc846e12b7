//! Manifests, indexes and descriptors (OCI image spec 1.1 and Docker v2 schema 2, which share
//! one JSON shape).

use std::collections::BTreeMap;
use std::fmt;

use atalaia_types::Digest;
use serde::{Deserialize, Serialize};

/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker v2 schema 2 manifest.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list (a multi-platform index).
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// The empty JSON config of OCI artifacts (`{}`).
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";

/// Every manifest type the client accepts, for the `Accept` header.
pub const ACCEPTED_MANIFESTS: &[&str] = &[
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
];

/// A content descriptor: what a blob or manifest is, its digest and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// The media type of the content.
    pub media_type: String,
    /// Its digest.
    pub digest: Digest,
    /// Its size in bytes.
    pub size: u64,
    /// Artifact type (in index entries of artifacts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The platform (in index entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl Descriptor {
    /// A descriptor of `bytes` with `media_type`.
    pub fn of(media_type: impl Into<String>, bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        Descriptor {
            media_type: media_type.into(),
            digest: Digest::sha256_from_bytes(&sha2::Sha256::digest(bytes)),
            size: bytes.len() as u64,
            artifact_type: None,
            platform: None,
            annotations: BTreeMap::new(),
        }
    }
}

/// An OS/architecture pair, as in index entries and image configs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    /// CPU architecture (`amd64`, `arm64`).
    pub architecture: String,
    /// Operating system (`linux`).
    pub os: String,
    /// CPU variant (`v8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// OS version (Windows images).
    #[serde(
        default,
        rename = "os.version",
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
}

impl Platform {
    /// Parses `os/arch[/variant]`.
    pub fn parse(s: &str) -> Option<Platform> {
        let mut parts = s.split('/');
        let os = parts.next().filter(|p| !p.is_empty())?;
        let architecture = parts.next().filter(|p| !p.is_empty())?;
        let variant = parts.next().map(str::to_owned);
        if parts.next().is_some() || variant.as_deref() == Some("") {
            return None;
        }
        Some(Platform {
            architecture: architecture.to_owned(),
            os: os.to_owned(),
            variant,
            os_version: None,
        })
    }

    /// Whether an index entry's platform satisfies this one: same OS and architecture, and the
    /// same variant when this one names a variant (`linux/arm64` accepts `linux/arm64/v8`).
    pub fn matches(&self, other: &Platform) -> bool {
        self.os == other.os
            && self.architecture == other.architecture
            && (self.variant.is_none() || self.variant == other.variant)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// An image (or artifact) manifest: a config and layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    /// Always 2.
    pub schema_version: u32,
    /// The manifest's media type (OCI or Docker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The artifact type (OCI 1.1 artifacts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    /// The config blob.
    pub config: Descriptor,
    /// The layers, in order.
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An image index (or Docker manifest list): manifests per platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageIndex {
    /// Always 2.
    pub schema_version: u32,
    /// The index's media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The manifests.
    pub manifests: Vec<Descriptor>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A manifest as fetched: its bytes, digest and media type, parsed.
#[derive(Debug, Clone)]
pub struct FetchedManifest {
    /// The digest of the bytes (verified when the reference had a digest).
    pub digest: Digest,
    /// The media type the registry declared (or found in the body).
    pub media_type: String,
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// The parsed content.
    pub content: ManifestContent,
}

/// What a manifest holds.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one per fetch, never stored in bulk
pub enum ManifestContent {
    /// An image or artifact manifest.
    Image(ImageManifest),
    /// An index of manifests.
    Index(ImageIndex),
}

/// Parses manifest bytes by media type (the header's, else the body's `mediaType`, else by
/// shape: `manifests` makes an index).
pub(crate) fn parse_manifest(
    header_type: Option<&str>,
    bytes: &[u8],
) -> Result<(String, ManifestContent), String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        schema_version: Option<u32>,
        media_type: Option<String>,
        manifests: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if probe.schema_version != Some(2) {
        return Err(format!(
            "schemaVersion is {}, only 2 is supported",
            probe
                .schema_version
                .map_or_else(|| "missing".to_owned(), |v| v.to_string())
        ));
    }
    let header_type = header_type
        .map(|h| h.split(';').next().unwrap_or(h).trim())
        .filter(|h| ACCEPTED_MANIFESTS.contains(h));
    let media_type = header_type
        .map(str::to_owned)
        .or(probe.media_type)
        .unwrap_or_else(|| {
            if probe.manifests.is_some() {
                OCI_INDEX.to_owned()
            } else {
                OCI_MANIFEST.to_owned()
            }
        });
    let content = match media_type.as_str() {
        OCI_INDEX | DOCKER_MANIFEST_LIST => {
            ManifestContent::Index(serde_json::from_slice(bytes).map_err(|e| e.to_string())?)
        }
        OCI_MANIFEST | DOCKER_MANIFEST => {
            ManifestContent::Image(serde_json::from_slice(bytes).map_err(|e| e.to_string())?)
        }
        other => return Err(format!("unsupported manifest media type `{other}`")),
    };
    Ok((media_type, content))
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    #[test]
    fn parses_oci_and_docker_manifests_and_indexes() {
        let m = format!(
            r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}","config":{{"mediaType":"x","digest":"{D}","size":3}},"layers":[{{"mediaType":"l","digest":"{D}","size":5}}]}}"#
        );
        let (t, c) = parse_manifest(None, m.as_bytes()).unwrap();
        assert_eq!(t, DOCKER_MANIFEST);
        let ManifestContent::Image(img) = c else {
            panic!("not an image")
        };
        assert_eq!(img.layers[0].size, 5);

        let i = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"{OCI_MANIFEST}","digest":"{D}","size":3,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#
        );
        let (t, c) = parse_manifest(
            Some("application/vnd.oci.image.index.v1+json; charset=utf-8"),
            i.as_bytes(),
        )
        .unwrap();
        assert_eq!(t, OCI_INDEX);
        let ManifestContent::Index(idx) = c else {
            panic!("not an index")
        };
        let p = idx.manifests[0].platform.as_ref().unwrap();
        assert!(Platform::parse("linux/arm64").unwrap().matches(p));
        assert!(!Platform::parse("linux/arm64/v7").unwrap().matches(p));
        assert_eq!(p.to_string(), "linux/arm64/v8");
    }

    #[test]
    fn malformed_manifests_are_errors() {
        for bad in [
            &b""[..],
            b"not json",
            b"{}",
            br#"{"schemaVersion":1}"#,
            br#"{"schemaVersion":2,"mediaType":"text/plain"}"#,
            br#"{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:zz","size":1}}"#,
            br#"{"schemaVersion":2,"manifests":[{"size":-1}]}"#,
        ] {
            assert!(
                parse_manifest(None, bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(Platform::parse("linux").is_none());
        assert!(Platform::parse("linux/amd64/").is_none());
        assert!(Platform::parse("a/b/c/d").is_none());
    }
}
