//! KSV-0036 (KSV036): Protecting Pod service account tokens
//!
//! ## What it checks
//! The object's `spec` sets `automountServiceAccountToken: true`, or (when unset) a container mounts the service account token path.
//!
//! ## Why it matters
//! ensure that Pod specifications disable the secret token being mounted by setting automountServiceAccountToken: false

use super::spec_cause;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0036",
    short_id: "KSV036",
    avd_id: "AVD-KSV-0036",
    title: "Protecting Pod service account tokens",
    description: "ensure that Pod specifications disable the secret token being mounted by setting automountServiceAccountToken: false",
    resolution: "Disable the mounting of service account secret token by setting automountServiceAccountToken to false",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#serviceaccount-admission-controller"],
    namespace: "builtin.kubernetes.KSV036",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let Some(spec) = res.node.get("spec") else {
        return;
    };
    let mounted = match spec.get("automountServiceAccountToken") {
        Some(v) => v.as_bool() == Some(true),
        None => res.containers().iter().any(|c| {
            c.node.get("volumeMounts").is_some_and(|m| {
                m.items().iter().any(|m| {
                    m.get("mountPath").and_then(Node::as_str)
                        == Some("/var/run/secrets/kubernetes.io/serviceaccount")
                })
            })
        }),
    };
    if mounted {
        out.push(spec_cause(
            res,
            format!(
                "Container of {} '{}' should set 'spec.automountServiceAccountToken' to false",
                res.kind, res.name
            ),
        ));
    }
}
