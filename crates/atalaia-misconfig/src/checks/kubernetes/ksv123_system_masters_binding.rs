//! KSV-0123 (KSV0123): system:authenticate group access binding
//!
//! ## What it checks
//! A RoleBinding binds the `system:masters` group (as in Trivy, ClusterRoleBindings are not matched).
//!
//! ## Why it matters
//! Binding to system:authenticate group to any clusterrole or role is a security risk.

use super::subjects_named;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0123",
    short_id: "KSV0123",
    avd_id: "AVD-KSV-0123",
    title: "system:authenticate group access binding",
    description:
        "Binding to system:authenticate group to any clusterrole or role is a security risk.",
    resolution: "Remove system:authenticated group binding from clusterrolebinding or rolebinding.",
    severity: Severity::Critical,
    references: &["https://orca.security/resources/blog/sys-all-google-kubernetes-engine-risk/"],
    namespace: "appshield.kubernetes.KSV0123",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if res.kind != "RoleBinding" {
        return;
    }
    if subjects_named(res, &["system:masters"]) {
        out.push(Cause::new(
            format!(
                "{} '{}' should not bind to roles [\"system:masters\"]",
                res.kind, res.name
            ),
            res.metadata_lines(),
        ));
    }
}
