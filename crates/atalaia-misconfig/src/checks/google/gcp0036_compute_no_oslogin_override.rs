//! GCP-0036: Instances should not override the project setting for OS Login
//!
//! OS Login automatically revokes the relevant SSH keys when an IAM user has their access revoked.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0036",
    short_id: "GCP0036",
    avd_id: "AVD-GCP-0036",
    title: "Instances should not override the project setting for OS Login",
    description: "OS Login automatically revokes the relevant SSH keys when an IAM user has their access revoked.",
    resolution: "Enable OS Login at project level and remove instance-level overrides",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.google.compute.google0036",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        if let Some(a) = r.body.attr("metadata") {
            if let V::Map(m) = &a.v {
                if m.get("enable-oslogin").is_some_and(V::is_false) {
                    out.push(Cause::new("Instance has OS Login disabled.", Some(a.lines)));
                }
            }
        }
    }
}
