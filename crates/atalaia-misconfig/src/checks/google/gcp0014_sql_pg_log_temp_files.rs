//! GCP-0014: Temporary file logging should be enabled for all temporary files.
//!
//! Temporary files are not logged by default. To log all temporary files, a value of `0` should set in the `log_temp_files` flag - as all files greater in size than the number of bytes set in this flag will be logged.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0014",
    short_id: "GCP0014",
    avd_id: "AVD-GCP-0014",
    title: "Temporary file logging should be enabled for all temporary files.",
    description: "Temporary files are not logged by default. To log all temporary files, a value of `0` should set in the `log_temp_files` flag - as all files greater in size than the number of bytes set in this flag will be logged.",
    resolution: "Enable temporary file logging for all files",
    severity: Severity::Medium,
    references: &["https://postgresqlco.nf/doc/en/param/log_temp_files/"],
    namespace: "builtin.google.sql.google0014",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        if !is_postgres(r) {
            continue;
        }
        pg_flag(
            r,
            "log_temp_files",
            "0",
            "Database instance has temporary file logging disabled.",
            out,
        );
    }
}
