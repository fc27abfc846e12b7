//! AWS-0038: EKS Clusters should have cluster control plane logging turned on
//!
//! By default cluster control plane logging is not turned on. Logging is available for audit, api, authenticator, controllerManager and scheduler. All logging should be turned on for cluster control plane.

use crate::checks::{Cause, Meta};
use crate::cloud::Aws;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "AWS-0038",
    short_id: "AWS0038",
    avd_id: "AVD-AWS-0038",
    title: "EKS Clusters should have cluster control plane logging turned on",
    description: "By default cluster control plane logging is not turned on. Logging is available for audit, api, authenticator, controllerManager and scheduler. All logging should be turned on for cluster control plane.",
    resolution: "Enable logging for the EKS control plane",
    severity: Severity::Medium,
    references: &["https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"],
    namespace: "builtin.aws.eks.aws0038",
};

pub(crate) fn run(aws: &Aws, out: &mut Vec<Cause>) {
    const TYPES: &[(&str, &str)] = &[
        ("api", "API"),
        ("audit", "audit"),
        ("authenticator", "authenticator"),
        ("controllerManager", "controller manager"),
        ("scheduler", "scheduler"),
    ];
    for c in &aws.eks_clusters {
        let (enabled, lines) = match c.log_types.as_ref() {
            None => (Some(Vec::new()), c.range),
            Some(l) => (l.items.clone(), l.lines),
        };
        let Some(enabled) = enabled else { continue };
        for (ty, name) in TYPES {
            if !enabled.iter().any(|e| e == ty) {
                out.push(Cause::new(
                    format!("Control plane {name} logging is not enabled."),
                    Some(lines),
                ));
            }
        }
    }
}
