//! KSV-0017 and KSV-0022 on Compose services: `privileged: true`, and `cap_add` beyond the
//! Pod Security Standards baseline capabilities.

use crate::checks::Cause;
use crate::compose::ComposeFile;
use crate::yaml::Node;

/// `privileged: true`.
pub(super) fn run(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    for s in &f.services {
        if s.node.get("privileged").and_then(Node::as_bool) == Some(true) {
            out.push(Cause::new(
                format!("Service '{}' should not set 'privileged' to true", s.name),
                Some(s.lines_of("privileged")),
            ));
        }
    }
}

/// `cap_add` with a capability outside the baseline list.
pub(super) fn run_caps(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    const ALLOWED: &[&str] = &[
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    ];
    for s in &f.services {
        let caps = s.strings("cap_add");
        let extra: Vec<&String> = caps
            .iter()
            .filter(|c| !ALLOWED.contains(&c.trim_start_matches("CAP_")))
            .collect();
        if !extra.is_empty() {
            out.push(Cause::new(
                format!(
                    "Service '{}' should not add capabilities {extra:?} with 'cap_add'",
                    s.name
                ),
                Some(s.lines_of("cap_add")),
            ));
        }
    }
}
