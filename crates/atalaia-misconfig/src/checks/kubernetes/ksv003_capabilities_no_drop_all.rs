//! KSV-0003 (KSV003): Default capabilities: some containers do not drop all
//!
//! ## What it checks
//! A container does not drop `ALL` capabilities.
//!
//! ## Why it matters
//! The container should drop all default capabilities and add only those that are needed for its execution.

use super::{container_msg, drops, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0003",
    short_id: "KSV003",
    avd_id: "AVD-KSV-0003",
    title: "Default capabilities: some containers do not drop all",
    description: "The container should drop all default capabilities and add only those that are needed for its execution.",
    resolution: "Add 'ALL' to containers[].securityContext.capabilities.drop.",
    severity: Severity::Low,
    references: &["https://kubesec.io/basics/containers-securitycontext-capabilities-drop-index-all/"],
    namespace: "builtin.kubernetes.KSV003",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| !drops(c, "all"),
        |c| {
            container_msg(
                res,
                c,
                "should add 'ALL' to 'securityContext.capabilities.drop'",
            )
        },
    );
}
