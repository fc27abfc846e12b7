//! GCP-0024: Enable automated backups to recover from data-loss
//!
//! Automated backups are not enabled by default. Backups are an easy way to restore data in a corruption or data-loss scenario.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0024",
    short_id: "GCP0024",
    avd_id: "AVD-GCP-0024",
    title: "Enable automated backups to recover from data-loss",
    description: "Automated backups are not enabled by default. Backups are an easy way to restore data in a corruption or data-loss scenario.",
    resolution: "Enable automated backups",
    severity: Severity::Medium,
    references: &["https://cloud.google.com/sql/docs/mysql/backup-recovery/backups"],
    namespace: "builtin.google.sql.google0024",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        // Read replicas are backed up through their primary.
        if r.body.attr("master_instance_name").is_some() {
            continue;
        }
        let Some(settings) = r.body.block("settings") else {
            out.push(Cause::new(
                "Database instance does not have backups enabled.",
                Some(r.lines),
            ));
            continue;
        };
        match settings.body.block("backup_configuration") {
            None => out.push(Cause::new(
                "Database instance does not have backups enabled.",
                Some(settings.lines),
            )),
            Some(b) => require_true(
                &b.body,
                "enabled",
                b.lines,
                "Database instance does not have backups enabled.",
                out,
            ),
        }
    }
}
