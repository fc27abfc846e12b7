//! KSV-0122 (KSV122): Anonymous user access binding
//!
//! ## What it checks
//! A RoleBinding binds `system:unauthenticated` or `system:anonymous` (Trivy's check compares the kind with `ClusterRolebinding`, so ClusterRoleBindings never match; this keeps that).
//!
//! ## Why it matters
//! Binding to anonymous user to any clusterrole or role is a security risk.

use super::subjects_named;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0122",
    short_id: "KSV122",
    avd_id: "AVD-KSV-0122",
    title: "Anonymous user access binding",
    description: "Binding to anonymous user to any clusterrole or role is a security risk.",
    resolution: "Remove anonymous user binding from clusterrolebinding or rolebinding.",
    severity: Severity::Critical,
    references: &["https://blog.aquasec.com/kubernetes-exposed-one-yaml-away-from-disaster"],
    namespace: "appshield.kubernetes.KSV122",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    if res.kind != "RoleBinding" {
        return;
    }
    if subjects_named(res, &["system:unauthenticated", "system:anonymous"]) {
        out.push(Cause::new(
            format!("{} '{}' should not bind to roles [\"system:unauthenticated\", \"system:anonymous\"]", res.kind, res.name),
            res.metadata_lines(),
        ));
    }
}
