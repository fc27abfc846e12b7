//! KSV-0008, KSV-0009, KSV-0010 on Compose services: `ipc: host`, `network_mode: host`,
//! `pid: host`.

use crate::checks::Cause;
use crate::compose::ComposeFile;
use crate::yaml::Node;

fn host(f: &ComposeFile<'_>, key: &str, out: &mut Vec<Cause>) {
    for s in &f.services {
        if s.node.get(key).and_then(Node::as_str) == Some("host") {
            out.push(Cause::new(
                format!("Service '{}' should not set '{key}' to 'host'", s.name),
                Some(s.lines_of(key)),
            ));
        }
    }
}

/// `ipc: host`.
pub(super) fn run_ipc(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    host(f, "ipc", out);
}

/// `network_mode: host`.
pub(super) fn run_network(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    host(f, "network_mode", out);
}

/// `pid: host`.
pub(super) fn run_pid(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    host(f, "pid", out);
}
