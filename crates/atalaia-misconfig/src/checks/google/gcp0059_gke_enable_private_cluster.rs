//! GCP-0059: Clusters should be set to private
//!
//! Enabling private nodes on a cluster ensures the nodes are only available internally as they will only be assigned internal addresses.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0059",
    short_id: "GCP0059",
    avd_id: "AVD-GCP-0059",
    title: "Clusters should be set to private",
    description: "Enabling private nodes on a cluster ensures the nodes are only available internally as they will only be assigned internal addresses.",
    resolution: "Enable private cluster",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.google.gke.google0059",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        match r.body.block("private_cluster_config") {
            None => out.push(Cause::new(
                "Cluster does not have private nodes.",
                Some(r.lines),
            )),
            Some(p) => require_true(
                &p.body,
                "enable_private_nodes",
                p.lines,
                "Cluster does not have private nodes.",
                out,
            ),
        }
    }
}
