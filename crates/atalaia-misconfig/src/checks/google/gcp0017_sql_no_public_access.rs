//! GCP-0017: Ensure that Cloud SQL Database Instances are not publicly exposed
//!
//! Database instances should be configured so that they are not available over the public internet, but to internal compute resources which access them.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0017",
    short_id: "GCP0017",
    avd_id: "AVD-GCP-0017",
    title: "Ensure that Cloud SQL Database Instances are not publicly exposed",
    description: "Database instances should be configured so that they are not available over the public internet, but to internal compute resources which access them.",
    resolution: "Remove public access from database instances",
    severity: Severity::High,
    references: &["https://www.cloudconformity.com/knowledge-base/gcp/CloudSQL/publicly-accessible-cloud-sql-instances.html"],
    namespace: "builtin.google.sql.google0017",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        let Some(ip) = r
            .body
            .block("settings")
            .and_then(|s| s.body.block("ip_configuration"))
        else {
            continue;
        };
        if let Some(a) = ip.body.attr("ipv4_enabled").filter(|a| a.v.is_true()) {
            out.push(Cause::new(
                "Database instance is granted a public internet address.",
                Some(a.lines),
            ));
        }
        for n in ip.body.blocks("authorized_networks") {
            if let Some(a) = n.body.attr("value") {
                if a.v.text().is_some_and(|c| is_public_cidr(&c)) {
                    out.push(Cause::new(
                        "Database instance allows access from the public internet.",
                        Some(a.lines),
                    ));
                }
            }
        }
    }
}
