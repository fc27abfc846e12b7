//! What a run reads and produces: containers, findings, events, run records. The events
//! serialise (PascalCase, as atalaia's JSON reports) into the generic webhook's body.

use std::collections::BTreeMap;

use atalaia_detect::Severity;
use atalaia_host::{ContainerReport, Exposure, HostReport};
use serde::{Deserialize, Serialize};

/// A container as the daemon lists it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerInfo {
    /// The container ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its name (without the leading `/`).
    pub name: String,
    /// The image as the container names it (`nginx:1.25`).
    pub image: String,
    /// The image ID (`sha256:…`): the key of the stored inventory.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// What it exposes.
    pub exposure: Exposure,
}

impl From<&ContainerReport> for ContainerInfo {
    fn from(c: &ContainerReport) -> Self {
        ContainerInfo {
            id: c.id.clone(),
            name: c.name.clone(),
            image: c.image.clone(),
            image_id: c.image_id.clone(),
            exposure: c.exposure.clone(),
        }
    }
}

/// The containers of an `atalaia host` report.
pub fn containers_of(report: &HostReport) -> Vec<ContainerInfo> {
    report.containers.iter().map(ContainerInfo::from).collect()
}

/// One vulnerability of one package of an image. Keyed by (`VulnerabilityID`, `PkgID`,
/// `InstalledVersion`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Finding {
    /// `CVE-…`, `GHSA-…`.
    #[serde(rename = "VulnerabilityID")]
    pub vulnerability_id: String,
    /// The package ID (`name@version`, or the name when the detector gave none).
    #[serde(rename = "PkgID")]
    pub pkg_id: String,
    /// The package name.
    pub pkg_name: String,
    /// The installed version.
    pub installed_version: String,
    /// The fixed version, empty when there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fixed_version: String,
    /// The severity.
    pub severity: Severity,
    /// In CISA's Known Exploited Vulnerabilities catalog.
    #[serde(rename = "KEV", default)]
    pub kev: bool,
    /// The vulnerability's title, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

impl Finding {
    /// The key findings are diffed on.
    pub fn key(&self) -> (&str, &str, &str) {
        (
            &self.vulnerability_id,
            &self.pkg_id,
            &self.installed_version,
        )
    }
}

/// A container, named in an event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerRef {
    /// The container ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its name.
    pub name: String,
}

/// Findings that appeared (or disappeared) in one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImageFindings {
    /// The image ID.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// The image as its containers name it.
    pub image: String,
    /// The containers running it now.
    pub containers: Vec<ContainerRef>,
    /// The findings, most severe first.
    pub findings: Vec<Finding>,
}

/// Counts of an image's current findings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FindingCounts {
    /// Per severity (`CRITICAL`, `HIGH`, …; only severities present).
    pub vulnerabilities: BTreeMap<String, u64>,
    /// Known exploited.
    #[serde(rename = "KEV")]
    pub kev: u64,
}

/// A container that appeared or is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerEvent {
    /// The container ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its image.
    pub image: String,
    /// Its image ID.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// Reachable from the network (a port on every interface, or the host's network).
    pub exposed: bool,
    /// What it exposes.
    pub exposure: Exposure,
    /// Its image's current findings (for an appearing container).
    #[serde(default)]
    pub findings: FindingCounts,
}

/// What changed since the last run: what is notified.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Events {
    /// New findings, per image.
    pub new_findings: Vec<ImageFindings>,
    /// Findings no longer present (fixed by a rebuilt image, or withdrawn advisories), per image.
    pub fixed_findings: Vec<ImageFindings>,
    /// Containers seen for the first time (exposed ones have `Exposed: true`).
    pub containers_appeared: Vec<ContainerEvent>,
    /// Containers no longer listed (reported once).
    pub containers_gone: Vec<ContainerEvent>,
}

impl Events {
    /// Nothing to notify.
    pub fn is_empty(&self) -> bool {
        self.new_findings.is_empty()
            && self.fixed_findings.is_empty()
            && self.containers_appeared.is_empty()
            && self.containers_gone.is_empty()
    }

    /// The number of new findings over every image.
    pub fn new_finding_count(&self) -> usize {
        self.new_findings.iter().map(|i| i.findings.len()).sum()
    }

    /// The number of fixed findings over every image.
    pub fn fixed_finding_count(&self) -> usize {
        self.fixed_findings.iter().map(|i| i.findings.len()).sum()
    }
}

/// The body of a notification: one run's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Notification {
    /// The run that produced it.
    pub run: i64,
    /// When the run started (RFC 3339, UTC).
    pub time: String,
    /// The vulnerability database identity matched with.
    pub database: String,
    /// What changed.
    #[serde(flatten)]
    pub events: Events,
}

/// One past run, as `atalaia watch --history` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunRecord {
    /// The run's number.
    #[serde(rename = "ID")]
    pub id: i64,
    /// When it started (RFC 3339, UTC).
    pub started_at: String,
    /// When its state was committed.
    pub finished_at: String,
    /// The vulnerability database identity.
    pub database: String,
    /// Containers listed.
    pub containers: i64,
    /// Distinct images among them.
    pub images: i64,
    /// Images scanned (never seen before).
    pub scanned: i64,
    /// Images matched (new ones, and stored ones after a database change).
    pub matched: i64,
    /// New findings.
    pub new_findings: i64,
    /// Fixed findings.
    pub fixed_findings: i64,
    /// Containers appeared.
    pub containers_appeared: i64,
    /// Containers gone.
    pub containers_gone: i64,
    /// Notifications delivered (of this run's, possibly on a later run).
    pub notifications_sent: i64,
    /// Notifications of this run still in the outbox.
    pub notifications_pending: i64,
    /// Images that could not be scanned or matched (`image: reason`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}
