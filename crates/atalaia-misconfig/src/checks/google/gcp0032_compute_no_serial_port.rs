//! GCP-0032: Disable serial port connectivity for all instances
//!
//! When serial port access is enabled, the access is not governed by network security rules meaning the port can be exposed publicly.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0032",
    short_id: "GCP0032",
    avd_id: "AVD-GCP-0032",
    title: "Disable serial port connectivity for all instances",
    description: "When serial port access is enabled, the access is not governed by network security rules meaning the port can be exposed publicly.",
    resolution: "Disable serial port access",
    severity: Severity::Medium,
    references: &[],
    namespace: "builtin.google.compute.google0032",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_compute_instance") {
        if let Some(a) = r.body.attr("metadata") {
            if let V::Map(m) = &a.v {
                if m.get("serial-port-enable").is_some_and(V::is_true) {
                    out.push(Cause::new(
                        "Instance has serial port enabled.",
                        Some(a.lines),
                    ));
                }
            }
        }
    }
}
