//! KSV-0014 (KSV014): Root file system is not read-only
//!
//! ## What it checks
//! A container does not set `securityContext.readOnlyRootFilesystem: true`.
//!
//! ## Why it matters
//! An immutable root file system prevents applications from writing to their local disk. This can limit intrusions, as attackers will not be able to tamper with the file system or write foreign executables to disk.

use super::{container_msg, each_container};
use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0014",
    short_id: "KSV014",
    avd_id: "AVD-KSV-0014",
    title: "Root file system is not read-only",
    description: "An immutable root file system prevents applications from writing to their local disk. This can limit intrusions, as attackers will not be able to tamper with the file system or write foreign executables to disk.",
    resolution: "Change 'containers[].securityContext.readOnlyRootFilesystem' to 'true'.",
    severity: Severity::High,
    references: &["https://kubesec.io/basics/containers-securitycontext-readonlyrootfilesystem-true/"],
    namespace: "builtin.kubernetes.KSV014",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    each_container(
        res,
        out,
        |c| c.sc(&["readOnlyRootFilesystem"]).and_then(Node::as_bool) != Some(true),
        |c| {
            container_msg(
                res,
                c,
                "should set 'securityContext.readOnlyRootFilesystem' to true",
            )
        },
    );
}
