//! Facts about the scanned artifact both formats write.

use atalaia_types::{ArtifactKind, ArtifactMetadata, Purl};

/// The `pkg:oci/…` purl of an image, when a registry digest names it: from the first
/// `RepoDigests` entry (`registry/ns/name@sha256:…`), with `repository_url` and the image
/// config's `arch`, as Trivy writes it. `None` for other artifacts and images known only locally.
pub(crate) fn oci_purl(kind: ArtifactKind, meta: &ArtifactMetadata) -> Option<Purl> {
    if kind != ArtifactKind::ContainerImage {
        return None;
    }
    let (repo, digest) = meta.repo_digests.first()?.split_once('@')?;
    let name = repo
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())?
        .to_ascii_lowercase();
    if !digest.contains(':') {
        return None;
    }
    let arch = meta
        .image_config
        .get("architecture")
        .and_then(|a| a.as_str())
        .unwrap_or_default();
    Some(
        Purl::new("oci", "", &name, digest)
            .with_qualifier("arch", arch)
            .with_qualifier("repository_url", repo),
    )
}

/// Properties describing the artifact, as (name, value) pairs without prefix, sorted.
pub(crate) fn artifact_properties(meta: &ArtifactMetadata) -> Vec<(&'static str, String)> {
    let mut props: Vec<(&'static str, String)> = Vec::new();
    for d in &meta.diff_ids {
        props.push(("DiffID", d.to_string()));
    }
    if let Some(id) = &meta.image_id {
        props.push(("ImageID", id.to_string()));
    }
    for d in &meta.repo_digests {
        props.push(("RepoDigest", d.clone()));
    }
    for t in &meta.repo_tags {
        props.push(("RepoTag", t.clone()));
    }
    props.push(("SchemaVersion", "2".to_owned()));
    if meta.size != 0 {
        props.push(("Size", meta.size.to_string()));
    }
    props.sort();
    props
}
