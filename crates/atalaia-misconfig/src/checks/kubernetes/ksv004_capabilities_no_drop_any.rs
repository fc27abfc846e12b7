//! KSV-0004 (KSV004): Default capabilities: some containers do not drop any
//!
//! ## What it checks
//! A container drops no capability at all.
//!
//! ## Why it matters
//! Security best practices require containers to run with minimal required capabilities.

use super::each_container;
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0004",
    short_id: "KSV004",
    avd_id: "AVD-KSV-0004",
    title: "Default capabilities: some containers do not drop any",
    description: "Security best practices require containers to run with minimal required capabilities.",
    resolution: "Specify at least one unneeded capability in 'containers[].securityContext.capabilities.drop'",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-securitycontext-capabilities-drop-index-all/"],
    namespace: "builtin.kubernetes.KSV004",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| {
            c.sc(&["capabilities", "drop"])
                .is_none_or(|d| d.items().is_empty())
        },
        |c| {
            format!("Container '{}' of '{}' '{}' in '{}' namespace should set securityContext.capabilities.drop", c.name, res.kind_lower(), res.name, res.namespace)
        },
    );
}
