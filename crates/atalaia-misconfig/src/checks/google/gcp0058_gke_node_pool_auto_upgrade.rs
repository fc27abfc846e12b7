//! GCP-0058: Kubernetes should have 'Automatic upgrade' enabled
//!
//! Automatic updates keep nodes updated with the latest cluster master version.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0058",
    short_id: "GCP0058",
    avd_id: "AVD-GCP-0058",
    title: "Kubernetes should have 'Automatic upgrade' enabled",
    description: "Automatic updates keep nodes updated with the latest cluster master version.",
    resolution: "Enable automatic upgrades",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0058",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_node_pool") {
        match r.body.block("management") {
            None => out.push(Cause::new(
                "Node pool does not have auto-upgraade enabled.",
                Some(r.lines),
            )),
            Some(m) => require_true(
                &m.body,
                "auto_upgrade",
                m.lines,
                "Node pool does not have auto-upgraade enabled.",
                out,
            ),
        }
    }
}
