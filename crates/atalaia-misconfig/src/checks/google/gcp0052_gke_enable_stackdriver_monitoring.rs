//! GCP-0052: Stackdriver Monitoring should be enabled
//!
//! StackDriver monitoring aggregates logs, events, and metrics from your Kubernetes environment on GKE to help you understand your application's behavior in production.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0052",
    short_id: "GCP0052",
    avd_id: "AVD-GCP-0052",
    title: "Stackdriver Monitoring should be enabled",
    description: "StackDriver monitoring aggregates logs, events, and metrics from your Kubernetes environment on GKE to help you understand your application's behavior in production.",
    resolution: "Enable StackDriver monitoring",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0052",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        if let Some(a) = r.body.attr("monitoring_service") {
            if a.v
                .text()
                .is_some_and(|s| s != "monitoring.googleapis.com/kubernetes")
            {
                out.push(Cause::new("Cluster does not use the monitoring.googleapis.com/kubernetes StackDriver monitoring service.", Some(a.lines)));
            }
        }
    }
}
