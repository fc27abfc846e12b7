//! The built-in checks, one file each, with Trivy's IDs and metadata.
//!
//! A check is a static [`Meta`] (ID, title, severity, description, resolution, references,
//! exactly as Trivy's check metadata has them) and a function that appends a [`Cause`] per
//! failure. A check that appends nothing passes.

use crate::dockerfile::Dockerfile;
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) mod aws;
pub(crate) mod azure;
pub(crate) mod compose;
pub(crate) mod dockerfile;
pub(crate) mod google;
pub(crate) mod kubernetes;

/// A check's metadata.
#[derive(Debug)]
pub(crate) struct Meta {
    /// Trivy's ID, e.g. `DS-0002`.
    pub(crate) id: &'static str,
    /// The legacy short ID, e.g. `DS002`.
    pub(crate) short_id: &'static str,
    /// The AVD ID, e.g. `AVD-DS-0002`.
    pub(crate) avd_id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    pub(crate) resolution: &'static str,
    pub(crate) severity: Severity,
    /// Related resources (the primary URL is added after them).
    pub(crate) references: &'static [&'static str],
    /// Rego package, e.g. `builtin.dockerfile.DS002`.
    pub(crate) namespace: &'static str,
}

/// One failure of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cause {
    pub(crate) message: String,
    /// 1-based inclusive line range; `None` for whole-file findings.
    pub(crate) lines: Option<(usize, usize)>,
}

impl Cause {
    pub(crate) fn new(message: impl Into<String>, lines: Option<(usize, usize)>) -> Cause {
        Cause {
            message: message.into(),
            lines,
        }
    }
}

/// A Dockerfile check.
pub(crate) struct DockerfileCheck {
    pub(crate) meta: &'static Meta,
    pub(crate) run: fn(&Dockerfile, &mut Vec<Cause>),
}

/// A cloud (AWS) check over the common model.
pub(crate) struct CloudCheck {
    pub(crate) meta: &'static Meta,
    pub(crate) run: fn(&crate::cloud::Aws, &mut Vec<Cause>),
}

/// A Terraform-only check (Google Cloud, Azure) over a file's resource instances.
pub(crate) struct TfCheck {
    pub(crate) meta: &'static Meta,
    pub(crate) run: fn(&[&crate::terraform::TfResource], &mut Vec<Cause>),
}

/// A Kubernetes check, scoped to the kinds it is about.
pub(crate) struct KubernetesCheck {
    pub(crate) meta: &'static Meta,
    /// Lower-case kinds the check applies to; `None` means every kind.
    pub(crate) kinds: Option<&'static [&'static str]>,
    pub(crate) run: fn(&Resource, &mut Vec<Cause>),
}

/// The workload kinds of most pod checks (Trivy's `subtypes` selector).
pub(crate) const WORKLOADS: &[&str] = &[
    "pod",
    "replicaset",
    "replicationcontroller",
    "deployment",
    "deploymentconfig",
    "statefulset",
    "daemonset",
    "cronjob",
    "job",
];

/// Role kinds.
pub(crate) const ROLES: &[&str] = &["role", "clusterrole"];

/// Binding kinds.
pub(crate) const BINDINGS: &[&str] = &["rolebinding", "clusterrolebinding"];

impl KubernetesCheck {
    pub(crate) fn applies_to(&self, kind_lower: &str) -> bool {
        self.kinds.is_none_or(|k| k.contains(&kind_lower))
    }
}

/// Every check's metadata (for ID lookups and documentation). Compose checks reuse the
/// Kubernetes checks' metadata and IDs.
pub(crate) fn all_meta() -> impl Iterator<Item = &'static Meta> {
    dockerfile::CHECKS
        .iter()
        .map(|c| c.meta)
        .chain(kubernetes::CHECKS.iter().map(|c| c.meta))
        .chain(aws::CHECKS.iter().map(|c| c.meta))
        .chain(google::CHECKS.iter().map(|c| c.meta))
        .chain(azure::CHECKS.iter().map(|c| c.meta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for m in all_meta() {
            assert!(seen.insert(m.id), "duplicate {}", m.id);
            assert_eq!(m.avd_id, format!("AVD-{}", m.id));
            let (prefix, num) = m.id.split_once('-').unwrap();
            assert_eq!(num.len(), 4, "{}", m.id);
            let n: u32 = num.parse().unwrap();
            let short = if n < 1000 {
                format!("{prefix}{n:03}")
            } else {
                format!("{prefix}{n}")
            };
            assert!(
                m.short_id == short || m.short_id == format!("{prefix}{num}"),
                "{}",
                m.id
            );
            // `builtin.dockerfile.DS002`, `builtin.aws.s3.aws0086`, `builtin.google.sql.google0014`.
            assert!(
                m.namespace.ends_with(m.short_id) || m.namespace.ends_with(num),
                "{}",
                m.namespace
            );
            assert!(!m.title.is_empty() && !m.description.is_empty() && !m.resolution.is_empty());
        }
    }
}
