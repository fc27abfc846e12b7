//! GCP-0063: Kubernetes should have 'Automatic repair' enabled
//!
//! Automatic repair will monitor nodes and attempt repair when a node fails multiple subsequent health checks

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0063",
    short_id: "GCP0063",
    avd_id: "AVD-GCP-0063",
    title: "Kubernetes should have 'Automatic repair' enabled",
    description: "Automatic repair will monitor nodes and attempt repair when a node fails multiple subsequent health checks",
    resolution: "Enable automatic repair",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0063",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_node_pool") {
        match r.body.block("management") {
            None => out.push(Cause::new(
                "Node pool does not have auto-repair enabled.",
                Some(r.lines),
            )),
            Some(m) => require_true(
                &m.body,
                "auto_repair",
                m.lines,
                "Node pool does not have auto-repair enabled.",
                out,
            ),
        }
    }
}
