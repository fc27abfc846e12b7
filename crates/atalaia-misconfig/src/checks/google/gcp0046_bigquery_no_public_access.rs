//! GCP-0046: BigQuery datasets should only be accessible within the organisation
//!
//! Using 'allAuthenticatedUsers' provides any GCP user - even those outside of your organisation - access to your BigQuery dataset.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0046",
    short_id: "GCP0046",
    avd_id: "AVD-GCP-0046",
    title: "BigQuery datasets should only be accessible within the organisation",
    description: "Using 'allAuthenticatedUsers' provides any GCP user - even those outside of your organisation - access to your BigQuery dataset.",
    resolution: "Configure access permissions with higher granularity",
    severity: Severity::Critical,
    references: &[],
    namespace: "builtin.google.bigquery.google0046",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_bigquery_dataset") {
        for a in r.body.blocks("access") {
            if let Some(g) = a.body.attr("special_group") {
                if g.v.text().as_deref() == Some("allAuthenticatedUsers") {
                    out.push(Cause::new(
                        "Dataset grants access to all authenticated GCP users.",
                        Some(g.lines),
                    ));
                }
            }
        }
    }
}
