//! GCP-0020: Ensure that logging of lock waits is enabled.
//!
//! Lock waits are often an indication of poor performance and often an indicator of a potential denial of service vulnerability, therefore occurrences should be logged for analysis.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0020",
    short_id: "GCP0020",
    avd_id: "AVD-GCP-0020",
    title: "Ensure that logging of lock waits is enabled.",
    description: "Lock waits are often an indication of poor performance and often an indicator of a potential denial of service vulnerability, therefore occurrences should be logged for analysis.",
    resolution: "Enable lock wait logging.",
    severity: Severity::Medium,
    references: &["https://www.postgresql.org/docs/13/runtime-config-logging.html#GUC-LOG-LOCK-WAITS"],
    namespace: "builtin.google.sql.google0020",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        if !is_postgres(r) {
            continue;
        }
        pg_flag(
            r,
            "log_lock_waits",
            "on",
            "Database instance is not configured to log lock waits.",
            out,
        );
    }
}
