//! GCP-0015: SSL connections to a SQL database instance should be enforced.
//!
//! In-transit data should be encrypted so that if traffic is intercepted data will not be exposed in plaintext to attackers.

use super::util::*;
use crate::checks::Meta;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "GCP-0015",
    short_id: "GCP0015",
    avd_id: "AVD-GCP-0015",
    title: "SSL connections to a SQL database instance should be enforced.",
    description: "In-transit data should be encrypted so that if traffic is intercepted data will not be exposed in plaintext to attackers.",
    resolution: "Enforce SSL for all connections",
    severity: Severity::High,
    references: &["https://cloud.google.com/sql/docs/mysql/configure-ssl-instance"],
    namespace: "builtin.google.sql.google0015",
};

pub(crate) fn run(res: &[&TfResource], out: &mut Vec<Cause>) {
    for r in of(res, "google_sql_database_instance") {
        let Some(settings) = r.body.block("settings") else {
            out.push(Cause::new(
                "Database instance does not require TLS for all connections.",
                Some(r.lines),
            ));
            continue;
        };
        let Some(ip) = settings.body.block("ip_configuration") else {
            out.push(Cause::new(
                "Database instance does not require TLS for all connections.",
                Some(settings.lines),
            ));
            continue;
        };
        let ssl_mode = ip.body.attr("ssl_mode").and_then(|m| m.v.text());
        if ssl_mode.as_deref() == Some("TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
            || ssl_mode.as_deref() == Some("ENCRYPTED_ONLY")
        {
            continue;
        }
        if ip.body.attr("ssl_mode").is_some_and(|m| m.v == V::Unknown) {
            continue;
        }
        require_true(
            &ip.body,
            "require_ssl",
            ip.lines,
            "Database instance does not require TLS for all connections.",
            out,
        );
    }
}
