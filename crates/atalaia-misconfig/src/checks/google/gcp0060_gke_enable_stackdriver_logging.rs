//! GCP-0060: Stackdriver Logging should be enabled
//!
//! StackDriver logging provides a useful interface to all of stdout/stderr for each container and should be enabled for moitoring, debugging, etc.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0060",
    short_id: "GCP0060",
    avd_id: "AVD-GCP-0060",
    title: "Stackdriver Logging should be enabled",
    description: "StackDriver logging provides a useful interface to all of stdout/stderr for each container and should be enabled for moitoring, debugging, etc.",
    resolution: "Enable StackDriver logging",
    severity: Severity::Low,
    references: &[],
    namespace: "builtin.google.gke.google0060",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_container_cluster") {
        if let Some(a) = r.body.attr("logging_service") {
            if a.v
                .text()
                .is_some_and(|s| s != "logging.googleapis.com/kubernetes")
            {
                out.push(Cause::new("Cluster does not use the logging.googleapis.com/kubernetes StackDriver logging service.", Some(a.lines)));
            }
        }
    }
}
