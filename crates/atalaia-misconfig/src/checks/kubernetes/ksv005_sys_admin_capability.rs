//! KSV-0005 (KSV005): SYS_ADMIN capability added
//!
//! ## What it checks
//! A container adds the `SYS_ADMIN` capability.
//!
//! ## Why it matters
//! SYS_ADMIN gives the processes running inside the container privileges that are equivalent to root.

use super::{adds, container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0005",
    short_id: "KSV005",
    avd_id: "AVD-KSV-0005",
    title: "SYS_ADMIN capability added",
    description: "SYS_ADMIN gives the processes running inside the container privileges that are equivalent to root.",
    resolution: "Remove the SYS_ADMIN capability from 'containers[].securityContext.capabilities.add'.",
    severity: Severity::High,
    references: &["https://kubesec.io/basics/containers-securitycontext-capabilities-add-index-sys-admin/"],
    namespace: "builtin.kubernetes.KSV005",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| adds(c, "SYS_ADMIN"),
        |c| {
            container_msg(
                res,
                c,
                "should not include 'SYS_ADMIN' in 'securityContext.capabilities.add'",
            )
        },
    );
}
