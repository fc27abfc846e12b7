//! GCP-0030: Disable project-wide SSH keys for all instances
//!
//! Use of project-wide SSH keys means that a compromise of any one of these key pairs can result in all instances being compromised. It is recommended to use instance-level keys.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0030",
    short_id: "GCP0030",
    avd_id: "AVD-GCP-0030",
    title: "Disable project-wide SSH keys for all instances",
    description: "Use of project-wide SSH keys means that a compromise of any one of these key pairs can result in all instances being compromised. It is recommended to use instance-level keys.",
    resolution: "Disable project-wide SSH keys",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.google.compute.google0030",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        let blocked = r.body.attr("metadata").is_some_and(|a| match &a.v {
            V::Map(m) => m
                .get("block-project-ssh-keys")
                .is_some_and(|v| v.is_true() || *v == V::Unknown),
            _ => true,
        });
        if !blocked {
            let lines = r.body.attr("metadata").map_or(r.lines, |a| a.lines);
            out.push(Cause::new(
                "Instance allows use of project-level SSH keys.",
                Some(lines),
            ));
        }
    }
}
