//! The inventory: everything analysis found in one artifact, merged over its layers.

use serde::{Deserialize, Serialize};

use crate::{Digest, OsRelease, Package, PackageLayer};

/// What kind of artifact was scanned (Trivy's `ArtifactType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ArtifactKind {
    ContainerImage,
    Filesystem,
    Repository,
    Cyclonedx,
    Spdx,
}

/// One layer of an image, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LayerInfo {
    /// Size of the blob as stored, in bytes.
    pub size: u64,
    /// The blob digest (compressed), as the manifest names it.
    pub digest: Digest,
    /// The digest of the uncompressed tar, as the image config's `rootfs.diff_ids` names it.
    #[serde(rename = "DiffID")]
    pub diff_id: Digest,
    /// The image history entry that made this layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

impl LayerInfo {
    /// The reference a package carries to this layer.
    pub fn as_package_layer(&self) -> PackageLayer {
        PackageLayer {
            digest: Some(self.digest.clone()),
            diff_id: Some(self.diff_id.clone()),
            created_by: self.created_by.clone(),
        }
    }
}

/// What is known about the artifact itself (Trivy's `Metadata`, less the OS).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ArtifactMetadata {
    /// Total size of the layers as stored, in bytes.
    #[serde(default)]
    pub size: u64,
    /// The image ID: the digest of the image config blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<Digest>,
    /// The image's layer diff IDs, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diff_ids: Vec<Digest>,
    /// Tags the image is known by (`alpine:3.20`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_tags: Vec<String>,
    /// Digests the image is known by (`alpine@sha256:…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repo_digests: Vec<String>,
    /// The manifest digest, when the image was chosen from a layout or registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<Digest>,
    /// The image config blob as JSON, passed through unchanged (`ImageConfig`).
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub image_config: serde_json::Value,
    /// The layers, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerInfo>,
}

/// The OS packages found in one package database file (Trivy's `PackageInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsPackageDb {
    /// The database file (`/var/lib/dpkg/status`, `/lib/apk/db/installed`, or the
    /// `status.d` directory for distroless images).
    pub file_path: String,
    /// The packages it lists, sorted by name then version.
    pub packages: Vec<Package>,
}

/// One application: a lockfile or an installed tree, with its packages (Trivy's `Application`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The analyzer type, as Trivy names it (`python-pkg`, `npm`, `gobinary`, `jar`, `cargo`).
    pub app_type: String,
    /// The file the application was read from; empty for an aggregated installed tree.
    pub file_path: String,
    /// The packages.
    pub packages: Vec<Package>,
}

/// Something analysis could not read, recorded instead of aborting the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanWarning {
    /// The file (inside the artifact) that could not be read, if the warning is about one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_path: String,
    /// The layer the file is in, inside images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Digest>,
    /// What went wrong, in one line.
    pub message: String,
}

/// Everything analysis found in one artifact: the contract between analysis and everything else.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Inventory {
    /// The detected OS; `None` when no OS could be identified (never guessed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<OsRelease>,
    /// OS package databases with their packages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub os_packages: Vec<OsPackageDb>,
    /// Language applications with their packages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<Application>,
    /// Files and layers that could not be fully analysed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ScanWarning>,
}

impl Inventory {
    /// Every package, OS first, in a stable order.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.os_packages
            .iter()
            .flat_map(|db| db.packages.iter())
            .chain(self.applications.iter().flat_map(|a| a.packages.iter()))
    }
}
