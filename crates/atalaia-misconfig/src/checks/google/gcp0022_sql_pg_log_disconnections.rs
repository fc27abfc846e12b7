//! GCP-0022: Ensure that logging of disconnections is enabled.
//!
//! Logging disconnections provides useful diagnostic data such as session length, which can identify performance issues in an application and potential DoS vectors.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0022",
    short_id: "GCP0022",
    avd_id: "AVD-GCP-0022",
    title: "Ensure that logging of disconnections is enabled.",
    description: "Logging disconnections provides useful diagnostic data such as session length, which can identify performance issues in an application and potential DoS vectors.",
    resolution: "Enable disconnection logging.",
    severity: Severity::Medium,
    references: &["https://www.postgresql.org/docs/13/runtime-config-logging.html#GUC-LOG-DISCONNECTIONS"],
    namespace: "builtin.google.sql.google0022",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        if !is_postgres(r) {
            continue;
        }
        pg_flag(
            r,
            "log_disconnections",
            "on",
            "Database instance is not configured to log disconnections.",
            out,
        );
    }
}
