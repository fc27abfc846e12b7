//! GCP-0051: Clusters should be configured with Labels
//!
//! Labels make it easier to manage assets and differentiate between clusters and environments, allowing the mapping of computational resources to the wider organisational structure.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0051",
    short_id: "GCP0051",
    avd_id: "AVD-GCP-0051",
    title: "Clusters should be configured with Labels",
    description: "Labels make it easier to manage assets and differentiate between clusters and environments, allowing the mapping of computational resources to the wider organisational structure.",
    resolution: "Set cluster resource labels",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0051",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        match r.body.attr("resource_labels") {
            None => out.push(Cause::new(
                "Cluster does not use GCE resource labels.",
                Some(r.lines),
            )),
            Some(a) if matches!(&a.v, V::Map(m) if m.is_empty()) => out.push(Cause::new(
                "Cluster does not use GCE resource labels.",
                Some(a.lines),
            )),
            Some(_) => {}
        }
    }
}
