//! GCP-0025: Ensure that logging of checkpoints is enabled.
//!
//! Logging checkpoints provides useful diagnostic data, which can identify performance issues in an application and potential DoS vectors.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0025",
    short_id: "GCP0025",
    avd_id: "AVD-GCP-0025",
    title: "Ensure that logging of checkpoints is enabled.",
    description: "Logging checkpoints provides useful diagnostic data, which can identify performance issues in an application and potential DoS vectors.",
    resolution: "Enable checkpoints logging.",
    severity: Severity::Medium,
    references: &["https://www.postgresql.org/docs/13/runtime-config-logging.html#GUC-LOG-CHECKPOINTS"],
    namespace: "builtin.google.sql.google0025",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        if !is_postgres(r) {
            continue;
        }
        pg_flag(
            r,
            "log_checkpoints",
            "on",
            "Database instance is not configured to log checkpoints.",
            out,
        );
    }
}
