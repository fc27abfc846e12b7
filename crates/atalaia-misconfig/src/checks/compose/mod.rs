//! Docker Compose checks. Trivy has no Compose checks of its own; these are the Kubernetes
//! checks whose subject exists in a Compose service too, under the same IDs (so one ignore
//! entry covers both), one file each.

use crate::checks::{Cause, Meta};
use crate::compose::ComposeFile;

mod host_namespaces;
mod privileged;
mod sensitive_mounts;

/// A Compose check.
pub(crate) struct ComposeCheck {
    pub(crate) meta: &'static Meta,
    pub(crate) run: fn(&ComposeFile<'_>, &mut Vec<Cause>),
}

/// Every Compose check.
pub(crate) static CHECKS: &[ComposeCheck] = &[
    ComposeCheck {
        meta: &super::kubernetes::ksv017_privileged::META,
        run: privileged::run,
    },
    ComposeCheck {
        meta: &super::kubernetes::ksv022_non_default_capabilities::META,
        run: privileged::run_caps,
    },
    ComposeCheck {
        meta: &super::kubernetes::ksv008_host_ipc::META,
        run: host_namespaces::run_ipc,
    },
    ComposeCheck {
        meta: &super::kubernetes::ksv009_host_network::META,
        run: host_namespaces::run_network,
    },
    ComposeCheck {
        meta: &super::kubernetes::ksv010_host_pid::META,
        run: host_namespaces::run_pid,
    },
    ComposeCheck {
        meta: &super::kubernetes::ksv006_docker_socket_mounted::META,
        run: sensitive_mounts::run,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    #[test]
    fn compose_checks() {
        let text = "services:\n  a:\n    image: x\n    privileged: true\n    network_mode: host\n    pid: host\n    ipc: host\n    cap_add: [SYS_ADMIN]\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n  b:\n    image: y\n    cap_add: [NET_BIND_SERVICE]\n";
        let docs = parse_documents(text).unwrap();
        let f = ComposeFile::from_node(&docs[0]);
        for c in CHECKS {
            let mut out = Vec::new();
            (c.run)(&f, &mut out);
            assert_eq!(out.len(), 1, "{}", c.meta.id);
            assert!(
                out[0].lines.is_some_and(|(s, _)| (4..=10).contains(&s)),
                "{}: {:?}",
                c.meta.id,
                out[0]
            );
        }
    }
}
