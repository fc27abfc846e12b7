//! GCP-0016: Ensure that logging of connections is enabled.
//!
//! Logging connections provides useful diagnostic data such as session length, which can identify performance issues in an application and potential DoS vectors.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0016",
    short_id: "GCP0016",
    avd_id: "AVD-GCP-0016",
    title: "Ensure that logging of connections is enabled.",
    description: "Logging connections provides useful diagnostic data such as session length, which can identify performance issues in an application and potential DoS vectors.",
    resolution: "Enable connection logging.",
    severity: Severity::Medium,
    references: &["https://www.postgresql.org/docs/13/runtime-config-logging.html#GUC-LOG-CONNECTIONS"],
    namespace: "builtin.google.sql.google0016",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        if !is_postgres(r) {
            continue;
        }
        pg_flag(
            r,
            "log_connections",
            "on",
            "Database instance is not configured to log connections.",
            out,
        );
    }
}
