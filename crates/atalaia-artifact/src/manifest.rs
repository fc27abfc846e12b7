//! What every source that fetches an image's documents itself (a registry, containerd's content
//! store) decides the same way as [`crate::resolve_image`]: which entry of a multi-platform index
//! to follow, which media types of manifest, config and layer are handled, and what the config
//! says about the layers (diff IDs, history lines).
//!
//! ```text
//! index ─ select_platform(entries, wanted) ─► manifest ─ check_image_manifest(…)
//!   ─► config bytes ─ ImageDescription::from_config(…) ─► diff IDs + LayerInfos ─► metadata(…)
//! ```
//!
//! The sources keep their own document types and error types: these functions take borrowed
//! views ([`PlatformRef`], [`BlobRef`]) and report a [`DocumentFault`] that the caller names the
//! image in.

use atalaia_types::{ArtifactMetadata, Digest, LayerInfo};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

/// Whether a layer media type is one this crate reads (plain, gzip or zstd tar; OCI, OCI
/// non-distributable or Docker).
pub fn is_layer_media_type(mt: &str) -> bool {
    matches!(
        mt,
        "application/vnd.oci.image.layer.v1.tar"
            | "application/vnd.oci.image.layer.v1.tar+gzip"
            | "application/vnd.oci.image.layer.v1.tar+zstd"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
            | "application/vnd.docker.image.rootfs.diff.tar"
            | "application/vnd.docker.image.rootfs.diff.tar.gzip"
            | "application/vnd.docker.image.rootfs.diff.tar.zstd"
            | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    )
}

/// `x86_64` is `amd64`, `aarch64` is `arm64`.
pub(crate) fn normalize_arch(arch: &str) -> &str {
    match arch {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    }
}

/// A platform (`os/arch[/variant]`) as an index entry or a request gives it, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformRef<'a> {
    /// Operating system (`linux`).
    pub os: &'a str,
    /// CPU architecture (`amd64`, `x86_64`, `arm64`).
    pub architecture: &'a str,
    /// CPU variant (`v8`).
    pub variant: Option<&'a str>,
}

impl<'a> PlatformRef<'a> {
    /// `os/architecture[/variant]`.
    pub fn new(os: &'a str, architecture: &'a str, variant: Option<&'a str>) -> Self {
        PlatformRef {
            os,
            architecture,
            variant,
        }
    }

    /// Whether an index entry's platform `entry` satisfies this one, the platform asked for:
    /// the same OS and architecture (`x86_64` is `amd64`, `aarch64` is `arm64`), and the same
    /// variant when one is asked for, except that `linux/arm64/v8` accepts an arm64 entry that
    /// names no variant.
    pub fn accepts(&self, entry: PlatformRef<'_>) -> bool {
        let arch = normalize_arch(self.architecture);
        if entry.os != self.os || normalize_arch(entry.architecture) != arch {
            return false;
        }
        match (self.variant, entry.variant) {
            (None, _) => true,
            (Some(w), Some(v)) => w == v,
            (Some(w), None) => arch == "arm64" && w == "v8",
        }
    }
}

/// The entry of an index to follow for `wanted`: the first whose platform it
/// [accepts](PlatformRef::accepts), else the only entry when it names no platform. `platform`
/// gives an entry's platform. `None` when no entry fits (the caller says which were there).
pub fn select_platform<'e, T>(
    entries: &'e [T],
    wanted: PlatformRef<'_>,
    platform: impl Fn(&T) -> Option<PlatformRef<'_>>,
) -> Option<&'e T> {
    entries
        .iter()
        .find(|e| platform(e).is_some_and(|p| wanted.accepts(p)))
        .or_else(|| match entries {
            [only] if platform(only).is_none() => Some(only),
            _ => None,
        })
}

/// A descriptor of a blob (config or layer), borrowed from the source's own document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobRef<'a> {
    /// Its media type as the manifest gives it.
    pub media_type: &'a str,
    /// Its digest.
    pub digest: &'a Digest,
    /// Its size in bytes.
    pub size: u64,
}

impl<'a> BlobRef<'a> {
    /// A blob of `media_type`, `digest` and `size`.
    pub fn new(media_type: &'a str, digest: &'a Digest, size: u64) -> Self {
        BlobRef {
            media_type,
            digest,
            size,
        }
    }
}

/// What is wrong with an image's manifest or config. The caller reports it in its own error
/// type, naming the image; `what` names the document (`manifest sha256:…`, `config sha256:…`,
/// `layer sha256:…`). Not `non_exhaustive`: a new fault must be mapped by every caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentFault {
    /// A manifest, config or layer has a media type this crate does not handle.
    UnsupportedMediaType {
        /// The document or blob.
        what: String,
        /// Its media type.
        media_type: String,
    },
    /// A document says something impossible.
    Invalid {
        /// The document.
        what: String,
        /// What is wrong.
        problem: String,
    },
}

/// Checks, in this order, that the manifest `manifest_digest` is an OCI or Docker v2 image
/// manifest (`media_type`, when it gives one), that its config is an image config (an empty media
/// type is accepted) of at most `max_config_bytes` when that is given, and that every layer is a
/// plain, gzip or zstd tar.
pub fn check_image_manifest(
    manifest_digest: &Digest,
    media_type: Option<&str>,
    config: BlobRef<'_>,
    max_config_bytes: Option<u64>,
    layers: &[BlobRef<'_>],
) -> Result<(), DocumentFault> {
    if let Some(mt) = media_type.filter(|mt| *mt != OCI_MANIFEST && *mt != DOCKER_MANIFEST) {
        return Err(DocumentFault::UnsupportedMediaType {
            what: format!("manifest {manifest_digest}"),
            media_type: mt.to_owned(),
        });
    }
    if !(config.media_type.is_empty()
        || config.media_type == OCI_CONFIG
        || config.media_type == DOCKER_CONFIG)
    {
        return Err(DocumentFault::UnsupportedMediaType {
            what: format!("config {}", config.digest),
            media_type: config.media_type.to_owned(),
        });
    }
    if let Some(limit) = max_config_bytes.filter(|limit| config.size > *limit) {
        return Err(DocumentFault::Invalid {
            what: format!("config {}", config.digest),
            problem: format!(
                "{} bytes is larger than the {limit}-byte limit",
                config.size
            ),
        });
    }
    match layers.iter().find(|l| !is_layer_media_type(l.media_type)) {
        Some(l) => Err(DocumentFault::UnsupportedMediaType {
            what: format!("layer {}", l.digest),
            media_type: l.media_type.to_owned(),
        }),
        None => Ok(()),
    }
}

/// An image as its manifest and config describe it: what [`ArtifactMetadata`] needs but the
/// names the source knows the image by.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageDescription {
    /// The image ID: the config's digest.
    pub image_id: Digest,
    /// The config, parsed.
    pub config: serde_json::Value,
    /// `rootfs.diff_ids` of the config, one per layer.
    pub diff_ids: Vec<Digest>,
    /// The layers, lowest first: the manifest's digests and sizes, the config's diff IDs and
    /// history lines (those of history entries that are not `empty_layer`, in order).
    pub layers: Vec<LayerInfo>,
}

impl ImageDescription {
    /// Reads the config `config` (its bytes `bytes`, already checked against its digest) of a
    /// manifest listing `layers`. The config must be JSON, list one SHA-256 diff ID per layer,
    /// and hold a `history` list if it has one.
    pub fn from_config(
        config: BlobRef<'_>,
        bytes: &[u8],
        layers: &[BlobRef<'_>],
    ) -> Result<ImageDescription, DocumentFault> {
        let bad = |problem: String| DocumentFault::Invalid {
            what: format!("config {}", config.digest),
            problem,
        };
        let parsed: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| bad(format!("not JSON: {e}")))?;
        let diff_ids: Vec<Digest> = match parsed.pointer("/rootfs/diff_ids") {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|v| match v.as_str().map(str::parse::<Digest>) {
                    Some(Ok(d)) if d.algorithm() == "sha256" => Ok(d),
                    _ => Err(bad(format!(
                        "`rootfs.diff_ids` holds `{v}`, not a sha256 digest"
                    ))),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(bad("it has no `rootfs.diff_ids` list".to_owned())),
        };
        if diff_ids.len() != layers.len() {
            return Err(bad(format!(
                "it lists {} diff IDs for {} layers",
                diff_ids.len(),
                layers.len()
            )));
        }
        let mut created = match parsed.get("history") {
            Some(serde_json::Value::Array(h)) => h.as_slice(),
            Some(serde_json::Value::Null) | None => &[],
            Some(other) => return Err(bad(format!("`history` is `{other}`, not a list"))),
        }
        .iter()
        .filter(|h| {
            !h.get("empty_layer")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        })
        .map(|h| {
            h.get("created_by")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        });
        let infos = layers
            .iter()
            .zip(&diff_ids)
            .map(|(l, diff_id)| LayerInfo {
                size: l.size,
                digest: l.digest.clone(),
                diff_id: diff_id.clone(),
                created_by: created.next().flatten(),
            })
            .collect();
        Ok(ImageDescription {
            image_id: config.digest.clone(),
            config: parsed,
            diff_ids,
            layers: infos,
        })
    }

    /// The image's metadata, as reports carry it, with the names the source knows it by and the
    /// digest of the manifest read.
    pub fn into_metadata(
        self,
        repo_tags: Vec<String>,
        repo_digests: Vec<String>,
        manifest_digest: Digest,
    ) -> ArtifactMetadata {
        ArtifactMetadata {
            size: self.layers.iter().map(|l| l.size).sum(),
            image_id: Some(self.image_id),
            diff_ids: self.diff_ids,
            repo_tags,
            repo_digests,
            manifest_digest: Some(manifest_digest),
            image_config: self.config,
            layers: self.layers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PlatformRef<'_> {
        let mut parts = s.split('/');
        PlatformRef {
            os: parts.next().unwrap(),
            architecture: parts.next().unwrap(),
            variant: parts.next(),
        }
    }

    #[test]
    fn platforms_match_as_docker_chooses_them() {
        assert!(p("linux/amd64").accepts(p("linux/x86_64")));
        assert!(p("linux/x86_64").accepts(p("linux/amd64")));
        assert!(p("linux/arm64/v8").accepts(p("linux/arm64")));
        assert!(p("linux/arm64").accepts(p("linux/arm64/v8")));
        assert!(p("linux/aarch64/v8").accepts(p("linux/arm64")));
        assert!(!p("linux/arm/v7").accepts(p("linux/arm/v6")));
        assert!(!p("linux/arm/v7").accepts(p("linux/arm")));
        assert!(!p("linux/amd64").accepts(p("windows/amd64")));
        assert!(!p("linux/amd64").accepts(p("linux/arm64")));
    }

    #[test]
    fn the_first_fitting_entry_or_the_only_unnamed_one_is_chosen() {
        let entries = [
            ("a", Some("linux/arm64/v8")),
            ("b", Some("linux/amd64")),
            ("c", Some("linux/amd64")),
        ];
        fn platform<'x>(e: &'x (&str, Option<&'static str>)) -> Option<PlatformRef<'x>> {
            e.1.map(p)
        }
        let pick = |w: &str| select_platform(&entries, p(w), platform).map(|e| e.0);
        assert_eq!(pick("linux/amd64"), Some("b"));
        assert_eq!(pick("linux/arm64"), Some("a"));
        assert_eq!(pick("linux/s390x"), None);
        let only = [("x", None)];
        assert_eq!(
            select_platform(&only, p("linux/amd64"), platform).map(|e| e.0),
            Some("x")
        );
        let two = [("x", None), ("y", None)];
        assert_eq!(select_platform(&two, p("linux/amd64"), platform), None);
        let none: [(&str, Option<&str>); 0] = [];
        assert_eq!(select_platform(&none, p("linux/amd64"), platform), None);
    }

    fn digest(c: char) -> Digest {
        format!("sha256:{}", c.to_string().repeat(64))
            .parse()
            .unwrap()
    }

    #[test]
    fn manifests_are_checked_in_order() {
        let (m, c, l) = (digest('a'), digest('b'), digest('c'));
        let config = BlobRef {
            media_type: OCI_CONFIG,
            digest: &c,
            size: 100,
        };
        let layer = BlobRef {
            media_type: "application/vnd.oci.image.layer.v1.tar+gzip",
            digest: &l,
            size: 5,
        };
        let check = |mt, config, limit, layers: &[BlobRef<'_>]| {
            check_image_manifest(&m, mt, config, limit, layers)
        };
        assert_eq!(check(None, config, None, &[layer]), Ok(()));
        assert_eq!(check(Some(DOCKER_MANIFEST), config, Some(100), &[]), Ok(()));
        let err = check(Some("text/plain"), config, None, &[layer]).unwrap_err();
        assert_eq!(
            err,
            DocumentFault::UnsupportedMediaType {
                what: format!("manifest {m}"),
                media_type: "text/plain".to_owned()
            }
        );
        let odd = BlobRef {
            media_type: "application/x-helm",
            ..config
        };
        assert!(matches!(
            check(None, odd, None, &[layer]),
            Err(DocumentFault::UnsupportedMediaType { what, .. }) if what.starts_with("config ")
        ));
        let bad_layer = BlobRef {
            media_type: "application/x-tar+lz4",
            ..layer
        };
        // The config's size is checked before the layers.
        assert!(matches!(
            check(None, config, Some(99), &[bad_layer]),
            Err(DocumentFault::Invalid { problem, .. }) if problem.contains("99-byte limit")
        ));
        assert!(matches!(
            check(None, config, None, &[layer, bad_layer]),
            Err(DocumentFault::UnsupportedMediaType { what, .. }) if what == format!("layer {l}")
        ));
    }

    #[test]
    fn configs_give_diff_ids_and_history_lines() {
        let (c, l1, l2) = (digest('b'), digest('c'), digest('d'));
        let config = BlobRef {
            media_type: "",
            digest: &c,
            size: 1,
        };
        let layers = [
            BlobRef {
                media_type: "",
                digest: &l1,
                size: 10,
            },
            BlobRef {
                media_type: "",
                digest: &l2,
                size: 20,
            },
        ];
        let bytes = serde_json::to_vec(&serde_json::json!({
            "rootfs": {"type": "layers", "diff_ids": [digest('e').as_str(), digest('f').as_str()]},
            "history": [
                {"created_by": "ADD x"},
                {"created_by": "ENV y", "empty_layer": true},
                {"comment": "no command"}
            ]
        }))
        .unwrap();
        let img = ImageDescription::from_config(config, &bytes, &layers).unwrap();
        assert_eq!(img.image_id, c);
        assert_eq!(img.diff_ids, vec![digest('e'), digest('f')]);
        assert_eq!(img.layers[0].created_by.as_deref(), Some("ADD x"));
        assert_eq!(img.layers[1].created_by, None);
        assert_eq!(img.layers[1].diff_id, digest('f'));
        assert_eq!(img.layers[1].size, 20);
        let meta = img.into_metadata(vec!["t".to_owned()], Vec::new(), digest('a'));
        assert_eq!(meta.size, 30);
        assert_eq!(meta.image_id, Some(c.clone()));
        assert_eq!(meta.manifest_digest, Some(digest('a')));
        assert_eq!(meta.layers.len(), 2);
    }

    #[test]
    fn malformed_configs_are_faults_naming_the_config() {
        let c = digest('b');
        let l = digest('c');
        let config = BlobRef {
            media_type: "",
            digest: &c,
            size: 1,
        };
        let layers = [BlobRef {
            media_type: "",
            digest: &l,
            size: 1,
        }];
        let cases: [(&[u8], &str); 7] = [
            (b"{not json", "not JSON"),
            (b"{}", "no `rootfs.diff_ids` list"),
            (br#"{"rootfs": {"diff_ids": "x"}}"#, "no `rootfs.diff_ids` list"),
            (br#"{"rootfs": {"diff_ids": [3]}}"#, "not a sha256 digest"),
            (br#"{"rootfs": {"diff_ids": []}}"#, "0 diff IDs for 1 layers"),
            (
                br#"{"rootfs": {"diff_ids": ["sha512:abc"]}}"#,
                "not a sha256 digest",
            ),
            (
                br#"{"rootfs": {"diff_ids": ["sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"]}, "history": 7}"#,
                "`history` is `7`, not a list",
            ),
        ];
        for (bytes, expect) in cases {
            match ImageDescription::from_config(config, bytes, &layers) {
                Err(DocumentFault::Invalid { what, problem }) => {
                    assert_eq!(what, format!("config {c}"));
                    assert!(problem.contains(expect), "{expect}: {problem}");
                }
                other => panic!("{expect}: {other:?}"),
            }
        }
        for garbage in [&b""[..], b"\xff\xfe", b"[]", b"null", b"{\"rootfs\": null}"] {
            assert!(ImageDescription::from_config(config, garbage, &layers).is_err());
        }
    }
}
