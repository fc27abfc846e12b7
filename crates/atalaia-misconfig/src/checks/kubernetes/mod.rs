//! Kubernetes checks (`KSV-…`), one file each, and the helpers they share (Trivy's
//! `lib.kubernetes` equivalents).

use crate::checks::{Cause, KubernetesCheck, BINDINGS, ROLES, WORKLOADS};
use crate::kubernetes::{Container, Resource};
use crate::yaml::Node;

pub(crate) mod ksv001_allow_privilege_escalation;
pub(crate) mod ksv002_apparmor_profile;
pub(crate) mod ksv003_capabilities_no_drop_all;
pub(crate) mod ksv004_capabilities_no_drop_any;
pub(crate) mod ksv005_sys_admin_capability;
pub(crate) mod ksv006_docker_socket_mounted;
pub(crate) mod ksv007_host_aliases;
pub(crate) mod ksv008_host_ipc;
pub(crate) mod ksv009_host_network;
pub(crate) mod ksv010_host_pid;
pub(crate) mod ksv011_cpu_not_limited;
pub(crate) mod ksv012_runs_as_root;
pub(crate) mod ksv013_image_tag_latest;
pub(crate) mod ksv014_root_fs_not_read_only;
pub(crate) mod ksv015_cpu_requests_not_specified;
pub(crate) mod ksv016_memory_requests_not_specified;
pub(crate) mod ksv017_privileged;
pub(crate) mod ksv018_memory_not_limited;
pub(crate) mod ksv020_uid_le_10000;
pub(crate) mod ksv021_gid_le_10000;
pub(crate) mod ksv022_non_default_capabilities;
pub(crate) mod ksv023_host_path_volumes;
pub(crate) mod ksv024_host_ports;
pub(crate) mod ksv025_selinux_custom_options;
pub(crate) mod ksv026_unsafe_sysctls;
pub(crate) mod ksv027_proc_mount;
pub(crate) mod ksv028_non_core_volume_types;
pub(crate) mod ksv030_runtime_default_seccomp;
pub(crate) mod ksv036_service_account_token_mounted;
pub(crate) mod ksv037_kube_system_namespace;
pub(crate) mod ksv038_network_policy_selectors;
pub(crate) mod ksv041_manage_secrets;
pub(crate) mod ksv042_delete_pod_logs;
pub(crate) mod ksv043_impersonate_groups;
pub(crate) mod ksv044_wildcard_verb_resource;
pub(crate) mod ksv045_wildcard_verb;
pub(crate) mod ksv046_manage_all_resources;
pub(crate) mod ksv047_node_proxy;
pub(crate) mod ksv048_manage_workloads;
pub(crate) mod ksv049_manage_configmaps;
pub(crate) mod ksv050_manage_rbac;
pub(crate) mod ksv051_create_rolebinding_bind_any;
pub(crate) mod ksv052_create_clusterrolebinding_bind_any;
pub(crate) mod ksv053_exec_into_pods;
pub(crate) mod ksv054_attach_to_pods;
pub(crate) mod ksv055_rolebinding_add_users;
pub(crate) mod ksv056_manage_networking;
pub(crate) mod ksv102_tiller_deployed;
pub(crate) mod ksv103_host_process;
pub(crate) mod ksv104_seccomp_unconfined;
pub(crate) mod ksv105_run_as_root_uid;
pub(crate) mod ksv106_drop_all_add_only_bind;
pub(crate) mod ksv110_default_namespace;
pub(crate) mod ksv111_admin_role_binding;
pub(crate) mod ksv112_manage_namespace_resources;
pub(crate) mod ksv113_manage_namespace_secrets;
pub(crate) mod ksv114_manage_webhooks;
pub(crate) mod ksv115_manage_eks_aws_auth;
pub(crate) mod ksv116_root_group;
pub(crate) mod ksv117_privileged_ports;
pub(crate) mod ksv118_default_security_context;
pub(crate) mod ksv119_net_raw_capability;
pub(crate) mod ksv120_sys_module_capability;
pub(crate) mod ksv121_disallowed_host_paths;
pub(crate) mod ksv122_anonymous_user_binding;
pub(crate) mod ksv123_system_masters_binding;
pub(crate) mod ksv125_untrusted_registry;

/// Every Kubernetes check.
pub(crate) static CHECKS: &[KubernetesCheck] = &[
    KubernetesCheck {
        meta: &ksv001_allow_privilege_escalation::META,
        kinds: Some(WORKLOADS),
        run: ksv001_allow_privilege_escalation::run,
    },
    KubernetesCheck {
        meta: &ksv002_apparmor_profile::META,
        kinds: Some(WORKLOADS),
        run: ksv002_apparmor_profile::run,
    },
    KubernetesCheck {
        meta: &ksv003_capabilities_no_drop_all::META,
        kinds: Some(WORKLOADS),
        run: ksv003_capabilities_no_drop_all::run,
    },
    KubernetesCheck {
        meta: &ksv004_capabilities_no_drop_any::META,
        kinds: Some(WORKLOADS),
        run: ksv004_capabilities_no_drop_any::run,
    },
    KubernetesCheck {
        meta: &ksv005_sys_admin_capability::META,
        kinds: Some(WORKLOADS),
        run: ksv005_sys_admin_capability::run,
    },
    KubernetesCheck {
        meta: &ksv006_docker_socket_mounted::META,
        kinds: Some(WORKLOADS),
        run: ksv006_docker_socket_mounted::run,
    },
    KubernetesCheck {
        meta: &ksv007_host_aliases::META,
        kinds: Some(WORKLOADS),
        run: ksv007_host_aliases::run,
    },
    KubernetesCheck {
        meta: &ksv008_host_ipc::META,
        kinds: Some(WORKLOADS),
        run: ksv008_host_ipc::run,
    },
    KubernetesCheck {
        meta: &ksv009_host_network::META,
        kinds: Some(WORKLOADS),
        run: ksv009_host_network::run,
    },
    KubernetesCheck {
        meta: &ksv010_host_pid::META,
        kinds: Some(WORKLOADS),
        run: ksv010_host_pid::run,
    },
    KubernetesCheck {
        meta: &ksv011_cpu_not_limited::META,
        kinds: Some(WORKLOADS),
        run: ksv011_cpu_not_limited::run,
    },
    KubernetesCheck {
        meta: &ksv012_runs_as_root::META,
        kinds: Some(WORKLOADS),
        run: ksv012_runs_as_root::run,
    },
    KubernetesCheck {
        meta: &ksv013_image_tag_latest::META,
        kinds: Some(WORKLOADS),
        run: ksv013_image_tag_latest::run,
    },
    KubernetesCheck {
        meta: &ksv014_root_fs_not_read_only::META,
        kinds: Some(WORKLOADS),
        run: ksv014_root_fs_not_read_only::run,
    },
    KubernetesCheck {
        meta: &ksv015_cpu_requests_not_specified::META,
        kinds: Some(WORKLOADS),
        run: ksv015_cpu_requests_not_specified::run,
    },
    KubernetesCheck {
        meta: &ksv016_memory_requests_not_specified::META,
        kinds: Some(WORKLOADS),
        run: ksv016_memory_requests_not_specified::run,
    },
    KubernetesCheck {
        meta: &ksv017_privileged::META,
        kinds: Some(WORKLOADS),
        run: ksv017_privileged::run,
    },
    KubernetesCheck {
        meta: &ksv018_memory_not_limited::META,
        kinds: Some(WORKLOADS),
        run: ksv018_memory_not_limited::run,
    },
    KubernetesCheck {
        meta: &ksv020_uid_le_10000::META,
        kinds: Some(WORKLOADS),
        run: ksv020_uid_le_10000::run,
    },
    KubernetesCheck {
        meta: &ksv021_gid_le_10000::META,
        kinds: Some(WORKLOADS),
        run: ksv021_gid_le_10000::run,
    },
    KubernetesCheck {
        meta: &ksv022_non_default_capabilities::META,
        kinds: Some(WORKLOADS),
        run: ksv022_non_default_capabilities::run,
    },
    KubernetesCheck {
        meta: &ksv023_host_path_volumes::META,
        kinds: Some(WORKLOADS),
        run: ksv023_host_path_volumes::run,
    },
    KubernetesCheck {
        meta: &ksv024_host_ports::META,
        kinds: Some(WORKLOADS),
        run: ksv024_host_ports::run,
    },
    KubernetesCheck {
        meta: &ksv025_selinux_custom_options::META,
        kinds: Some(WORKLOADS),
        run: ksv025_selinux_custom_options::run,
    },
    KubernetesCheck {
        meta: &ksv026_unsafe_sysctls::META,
        kinds: Some(WORKLOADS),
        run: ksv026_unsafe_sysctls::run,
    },
    KubernetesCheck {
        meta: &ksv027_proc_mount::META,
        kinds: Some(WORKLOADS),
        run: ksv027_proc_mount::run,
    },
    KubernetesCheck {
        meta: &ksv028_non_core_volume_types::META,
        kinds: Some(WORKLOADS),
        run: ksv028_non_core_volume_types::run,
    },
    KubernetesCheck {
        meta: &ksv030_runtime_default_seccomp::META,
        kinds: Some(WORKLOADS),
        run: ksv030_runtime_default_seccomp::run,
    },
    KubernetesCheck {
        meta: &ksv036_service_account_token_mounted::META,
        kinds: None,
        run: ksv036_service_account_token_mounted::run,
    },
    KubernetesCheck {
        meta: &ksv037_kube_system_namespace::META,
        kinds: None,
        run: ksv037_kube_system_namespace::run,
    },
    KubernetesCheck {
        meta: &ksv038_network_policy_selectors::META,
        kinds: Some(&["networkpolicy"]),
        run: ksv038_network_policy_selectors::run,
    },
    KubernetesCheck {
        meta: &ksv041_manage_secrets::META,
        kinds: Some(&["clusterrole"]),
        run: ksv041_manage_secrets::run,
    },
    KubernetesCheck {
        meta: &ksv042_delete_pod_logs::META,
        kinds: Some(ROLES),
        run: ksv042_delete_pod_logs::run,
    },
    KubernetesCheck {
        meta: &ksv043_impersonate_groups::META,
        kinds: None,
        run: ksv043_impersonate_groups::run,
    },
    KubernetesCheck {
        meta: &ksv044_wildcard_verb_resource::META,
        kinds: None,
        run: ksv044_wildcard_verb_resource::run,
    },
    KubernetesCheck {
        meta: &ksv045_wildcard_verb::META,
        kinds: None,
        run: ksv045_wildcard_verb::run,
    },
    KubernetesCheck {
        meta: &ksv046_manage_all_resources::META,
        kinds: Some(ROLES),
        run: ksv046_manage_all_resources::run,
    },
    KubernetesCheck {
        meta: &ksv047_node_proxy::META,
        kinds: None,
        run: ksv047_node_proxy::run,
    },
    KubernetesCheck {
        meta: &ksv048_manage_workloads::META,
        kinds: Some(ROLES),
        run: ksv048_manage_workloads::run,
    },
    KubernetesCheck {
        meta: &ksv049_manage_configmaps::META,
        kinds: Some(ROLES),
        run: ksv049_manage_configmaps::run,
    },
    KubernetesCheck {
        meta: &ksv050_manage_rbac::META,
        kinds: Some(ROLES),
        run: ksv050_manage_rbac::run,
    },
    KubernetesCheck {
        meta: &ksv051_create_rolebinding_bind_any::META,
        kinds: None,
        run: ksv051_create_rolebinding_bind_any::run,
    },
    KubernetesCheck {
        meta: &ksv052_create_clusterrolebinding_bind_any::META,
        kinds: None,
        run: ksv052_create_clusterrolebinding_bind_any::run,
    },
    KubernetesCheck {
        meta: &ksv053_exec_into_pods::META,
        kinds: Some(ROLES),
        run: ksv053_exec_into_pods::run,
    },
    KubernetesCheck {
        meta: &ksv054_attach_to_pods::META,
        kinds: None,
        run: ksv054_attach_to_pods::run,
    },
    KubernetesCheck {
        meta: &ksv055_rolebinding_add_users::META,
        kinds: None,
        run: ksv055_rolebinding_add_users::run,
    },
    KubernetesCheck {
        meta: &ksv056_manage_networking::META,
        kinds: Some(ROLES),
        run: ksv056_manage_networking::run,
    },
    KubernetesCheck {
        meta: &ksv102_tiller_deployed::META,
        kinds: None,
        run: ksv102_tiller_deployed::run,
    },
    KubernetesCheck {
        meta: &ksv103_host_process::META,
        kinds: Some(WORKLOADS),
        run: ksv103_host_process::run,
    },
    KubernetesCheck {
        meta: &ksv104_seccomp_unconfined::META,
        kinds: Some(WORKLOADS),
        run: ksv104_seccomp_unconfined::run,
    },
    KubernetesCheck {
        meta: &ksv105_run_as_root_uid::META,
        kinds: None,
        run: ksv105_run_as_root_uid::run,
    },
    KubernetesCheck {
        meta: &ksv106_drop_all_add_only_bind::META,
        kinds: None,
        run: ksv106_drop_all_add_only_bind::run,
    },
    KubernetesCheck {
        meta: &ksv110_default_namespace::META,
        kinds: Some(WORKLOADS),
        run: ksv110_default_namespace::run,
    },
    KubernetesCheck {
        meta: &ksv111_admin_role_binding::META,
        kinds: Some(BINDINGS),
        run: ksv111_admin_role_binding::run,
    },
    KubernetesCheck {
        meta: &ksv112_manage_namespace_resources::META,
        kinds: Some(&["role"]),
        run: ksv112_manage_namespace_resources::run,
    },
    KubernetesCheck {
        meta: &ksv113_manage_namespace_secrets::META,
        kinds: Some(&["role"]),
        run: ksv113_manage_namespace_secrets::run,
    },
    KubernetesCheck {
        meta: &ksv114_manage_webhooks::META,
        kinds: Some(ROLES),
        run: ksv114_manage_webhooks::run,
    },
    KubernetesCheck {
        meta: &ksv115_manage_eks_aws_auth::META,
        kinds: Some(ROLES),
        run: ksv115_manage_eks_aws_auth::run,
    },
    KubernetesCheck {
        meta: &ksv116_root_group::META,
        kinds: Some(WORKLOADS),
        run: ksv116_root_group::run,
    },
    KubernetesCheck {
        meta: &ksv117_privileged_ports::META,
        kinds: Some(WORKLOADS),
        run: ksv117_privileged_ports::run,
    },
    KubernetesCheck {
        meta: &ksv118_default_security_context::META,
        kinds: Some(WORKLOADS),
        run: ksv118_default_security_context::run,
    },
    KubernetesCheck {
        meta: &ksv119_net_raw_capability::META,
        kinds: Some(WORKLOADS),
        run: ksv119_net_raw_capability::run,
    },
    KubernetesCheck {
        meta: &ksv120_sys_module_capability::META,
        kinds: Some(WORKLOADS),
        run: ksv120_sys_module_capability::run,
    },
    KubernetesCheck {
        meta: &ksv121_disallowed_host_paths::META,
        kinds: Some(WORKLOADS),
        run: ksv121_disallowed_host_paths::run,
    },
    KubernetesCheck {
        meta: &ksv122_anonymous_user_binding::META,
        kinds: Some(BINDINGS),
        run: ksv122_anonymous_user_binding::run,
    },
    KubernetesCheck {
        meta: &ksv123_system_masters_binding::META,
        kinds: Some(BINDINGS),
        run: ksv123_system_masters_binding::run,
    },
    KubernetesCheck {
        meta: &ksv125_untrusted_registry::META,
        kinds: Some(WORKLOADS),
        run: ksv125_untrusted_registry::run,
    },
];

/// `Container '<name>' of <Kind> '<resource>' <what>`.
pub(super) fn container_msg(res: &Resource, c: &Container<'_>, what: &str) -> String {
    format!(
        "Container '{}' of {} '{}' {what}",
        c.name, res.kind, res.name
    )
}

/// One cause per container for which `fails` holds, on the container's lines.
pub(super) fn each_container(
    res: &Resource,
    out: &mut Vec<Cause>,
    fails: impl Fn(&Container<'_>) -> bool,
    msg: impl Fn(&Container<'_>) -> String,
) {
    for c in res.containers() {
        if fails(&c) {
            out.push(Cause::new(msg(&c), Some(c.lines())));
        }
    }
}

/// Whether the container drops capability `cap` (case-insensitive).
pub(super) fn drops(c: &Container<'_>, cap: &str) -> bool {
    c.sc(&["capabilities", "drop"]).is_some_and(|d| {
        d.items()
            .iter()
            .any(|x| x.as_str().is_some_and(|s| s.eq_ignore_ascii_case(cap)))
    })
}

/// Whether a path of keys leads to a value that Rego would find truthy.
pub(super) fn has(node: &Node, path: &[&str]) -> bool {
    node.path(path).is_some_and(Node::truthy)
}

/// A cause on the object's top-level `spec` (where Trivy puts pod-level findings).
pub(super) fn spec_cause(res: &Resource, msg: String) -> Cause {
    Cause::new(msg, res.spec_lines())
}

/// `hostIPC`, `hostNetwork`, `hostPID` set to `true` on a pod.
pub(super) fn pod_flag(res: &Resource, flag: &str, out: &mut Vec<Cause>) {
    let on = res
        .pods()
        .iter()
        .any(|p| p.spec.and_then(|s| s.get(flag)).and_then(Node::as_bool) == Some(true));
    if on {
        out.push(spec_cause(
            res,
            format!(
                "{} '{}' should not set 'spec.template.spec.{flag}' to true",
                res.kind, res.name
            ),
        ));
    }
}

/// Whether `rule.<key>` lists one of `values`.
pub(super) fn rule_has(rule: &Node, key: &str, values: &[&str]) -> bool {
    rule.get(key).is_some_and(|l| {
        l.items()
            .iter()
            .any(|i| i.as_str().is_some_and(|s| values.contains(&s)))
    })
}

/// The rules of a `Role` or `ClusterRole` (exact kind names, as Trivy's checks compare
/// them); empty for other kinds.
pub(super) fn role_rules(res: &Resource) -> &[Node] {
    if res.kind == "Role" || res.kind == "ClusterRole" {
        rules(res)
    } else {
        &[]
    }
}

/// A list as Rego's `sprintf("%v")` prints it: `["a", "b"]`.
pub(super) fn rego_list(items: &[&str]) -> String {
    let inner: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", inner.join(", "))
}

/// Whether the container adds capability `cap`.
pub(super) fn adds(c: &Container<'_>, cap: &str) -> bool {
    c.sc(&["capabilities", "add"])
        .is_some_and(|a| a.items().iter().any(|x| x.as_str() == Some(cap)))
}

/// Whether a binding has a subject with one of `names`.
pub(super) fn subjects_named(res: &Resource, names: &[&str]) -> bool {
    res.node.get("subjects").is_some_and(|s| {
        s.items().iter().any(|x| {
            x.get("name")
                .and_then(Node::as_str)
                .is_some_and(|n| names.contains(&n))
        })
    })
}

/// The `rules` of a Role or ClusterRole.
pub(super) fn rules(res: &Resource) -> &[Node] {
    res.node.get("rules").map(Node::items).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(id: &str, text: &str) -> Vec<Cause> {
        let rs = crate::kubernetes::parse_resources(text).unwrap();
        let check = CHECKS.iter().find(|c| c.meta.id == id).unwrap();
        let mut out = Vec::new();
        for r in &rs {
            if check.applies_to(&r.kind_lower()) {
                (check.run)(r, &mut out);
            }
        }
        out
    }

    const HARDENED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: app\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: c\n    image: gcr.io/x/app:1.0\n    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      seccompProfile: {type: RuntimeDefault}\n      runAsUser: 20000\n      runAsGroup: 20000\n      capabilities:\n        drop: [ALL]\n    resources:\n      limits: {cpu: 1, memory: 1Gi}\n      requests: {cpu: 1, memory: 1Gi}\n    ports:\n    - containerPort: 8080\n";

    // Trivy's KSV-0104 ignores the pod-level profile of a Pod (only a controller's template
    // counts), so the container sets its own.
    #[test]
    fn hardened_pod_passes_everything() {
        for check in CHECKS {
            assert!(
                fails(check.meta.id, HARDENED).is_empty(),
                "{} fails",
                check.meta.id
            );
        }
    }

    #[test]
    fn bare_pod_and_scoping() {
        let bare = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: be\nspec:\n  containers:\n  - image: nginx\n    name: be\n";
        for id in [
            "KSV-0001", "KSV-0003", "KSV-0004", "KSV-0011", "KSV-0012", "KSV-0013", "KSV-0014",
            "KSV-0015", "KSV-0016", "KSV-0018", "KSV-0020", "KSV-0021", "KSV-0030", "KSV-0104",
            "KSV-0106", "KSV-0110", "KSV-0118",
        ] {
            let f = fails(id, bare);
            assert!(!f.is_empty(), "{id}");
            assert!(f.iter().all(|c| c.lines.is_some()), "{id}");
        }
        let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  containers:\n  - name: x\n";
        for check in CHECKS {
            assert!(
                fails(check.meta.id, svc).is_empty(),
                "{} fires on a Service",
                check.meta.id
            );
        }
    }

    #[test]
    fn host_settings_and_rbac() {
        let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      hostPID: true\n      hostIPC: true\n      volumes:\n      - name: s\n        hostPath:\n          path: /var/run/docker.sock\n      - name: e\n        hostPath: {path: /etc}\n      containers:\n      - name: c\n        image: a:1\n        securityContext:\n          privileged: true\n          capabilities: {add: [SYS_ADMIN]}\n        ports:\n        - {containerPort: 80, hostPort: 80}\n";
        for id in [
            "KSV-0006", "KSV-0008", "KSV-0009", "KSV-0010", "KSV-0017", "KSV-0022", "KSV-0023",
            "KSV-0024", "KSV-0117", "KSV-0121",
        ] {
            assert!(!fails(id, ds).is_empty(), "{id}");
        }
        assert_eq!(fails("KSV-0009", ds)[0].lines, Some((5, 24)));
        assert!(fails("KSV-0121", ds)[0].message.ends_with("{\"/etc\"}"));
        let rbac = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef: {kind: ClusterRole, name: cluster-admin}\n";
        assert_eq!(fails("KSV-0046", rbac)[0].lines, Some((5, 7)));
        assert_eq!(fails("KSV-0111", rbac)[0].lines, Some((11, 12)));
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn count(id: &str, text: &str) -> usize {
        let rs = crate::kubernetes::parse_resources(text).unwrap();
        let check = CHECKS.iter().find(|c| c.meta.id == id).unwrap();
        let mut out = Vec::new();
        for r in &rs {
            if check.applies_to(&r.kind_lower()) {
                (check.run)(r, &mut out);
            }
        }
        out.len()
    }

    fn pod(spec: &str, container: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: unconfined\nspec:\n{spec}  containers:\n  - name: c\n    image: a:1\n{container}")
    }

    fn role(kind: &str, rules: &str) -> String {
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: r\nrules:\n{rules}")
    }

    #[test]
    fn pod_security_checks() {
        let plain = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: a:1\n";
        let cases: &[(&str, String)] = &[
            ("KSV-0002", pod("", "")),
            ("KSV-0005", pod("", "    securityContext:\n      capabilities:\n        add: [SYS_ADMIN]\n")),
            ("KSV-0007", pod("  hostAliases:\n  - ip: 1.2.3.4\n", "")),
            ("KSV-0025", pod("  securityContext:\n    seLinuxOptions:\n      type: spc_t\n", "")),
            ("KSV-0026", pod("  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: '1'\n", "")),
            ("KSV-0027", pod("", "    securityContext:\n      procMount: Unmasked\n")),
            ("KSV-0036", pod("  automountServiceAccountToken: true\n", "")),
            ("KSV-0103", pod("", "    securityContext:\n      windowsOptions:\n        hostProcess: true\n")),
            ("KSV-0116", pod("  securityContext:\n    fsGroup: 0\n", "")),
            ("KSV-0119", pod("", "    securityContext:\n      capabilities:\n        add: [NET_RAW]\n")),
            ("KSV-0120", pod("", "    securityContext:\n      capabilities:\n        add: [SYS_MODULE]\n")),
            ("KSV-0102", pod("", "    env: []\n").replace("image: a:1", "image: gcr.io/kubernetes-helm/tiller:v2")),
        ];
        for (id, bad) in cases {
            assert_eq!(count(id, bad), 1, "{id} on\n{bad}");
            assert_eq!(count(id, plain), 0, "{id} on a plain pod");
        }
        let sys = plain.replace("name: p\n", "name: p\n  namespace: kube-system\n");
        assert_eq!(count("KSV-0037", &sys), 1);
        assert_eq!(count("KSV-0037", plain), 0);
        let np = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: n\nspec:\n  policyTypes: [Ingress]\n";
        assert_eq!(count("KSV-0038", np), 1);
        assert_eq!(
            count(
                "KSV-0038",
                &np.replace(
                    "spec:\n",
                    "spec:\n  podSelector:\n    matchLabels: {app: a}\n"
                )
            ),
            0
        );
    }

    #[test]
    fn rbac_checks() {
        let cases: &[(&str, &str, &str)] = &[
            ("KSV-0041", "ClusterRole", "- resources: [secrets]\n  verbs: [get]\n"),
            ("KSV-0042", "Role", "- resources: [pods/log]\n  verbs: [delete]\n"),
            ("KSV-0043", "Role", "- apiGroups: ['*']\n  resources: [groups]\n  verbs: [impersonate]\n"),
            ("KSV-0044", "Role", "- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n"),
            ("KSV-0045", "Role", "- resources: [pods]\n  verbs: ['*']\n"),
            ("KSV-0047", "ClusterRole", "- resources: [nodes/proxy]\n  verbs: [get]\n"),
            ("KSV-0048", "Role", "- resources: [deployments]\n  verbs: [create]\n"),
            ("KSV-0049", "Role", "- resources: [configmaps]\n  verbs: [update]\n"),
            ("KSV-0050", "Role", "- resources: [rolebindings]\n  verbs: [create]\n"),
            ("KSV-0051", "Role", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [create]\n- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind]\n  resourceNames: ['*']\n"),
            ("KSV-0052", "ClusterRole", "- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterrolebindings]\n  verbs: [create]\n- resources: [clusterroles]\n  verbs: [bind]\n  resourceNames: ['*']\n"),
            ("KSV-0053", "Role", "- resources: [pods/exec]\n  verbs: [create]\n"),
            ("KSV-0054", "Role", "- apiGroups: ['*']\n  resources: [pods/attach]\n  verbs: [create]\n- apiGroups: ['*']\n  resources: [pods]\n  verbs: [get]\n"),
            ("KSV-0055", "Role", "- apiGroups: ['*']\n  resources: [rolebindings]\n  verbs: [get, patch]\n"),
            ("KSV-0056", "Role", "- resources: [services]\n  verbs: [patch]\n"),
            ("KSV-0112", "Role", "- resources: ['*']\n  verbs: [list]\n"),
            ("KSV-0113", "Role", "- resources: [secrets]\n  verbs: [list]\n"),
            ("KSV-0114", "ClusterRole", "- resources: [mutatingwebhookconfigurations]\n  verbs: [create]\n"),
            ("KSV-0115", "Role", "- resources: [configmaps]\n  resourceNames: [aws-auth]\n  verbs: [update]\n"),
        ];
        let harmless = "- resources: [pods]\n  verbs: [list]\n";
        for (id, kind, rules) in cases {
            assert_eq!(count(id, &role(kind, rules)), 1, "{id}");
            assert_eq!(
                count(id, &role(kind, harmless)),
                0,
                "{id} on a harmless rule"
            );
        }
        assert_eq!(rego_list(&["a", "b"]), "[\"a\", \"b\"]");
        let binding = |kind: &str, subject: &str| {
            format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: b\nsubjects:\n- kind: Group\n  name: {subject}\nroleRef: {{kind: Role, name: r}}\n")
        };
        assert_eq!(
            count("KSV-0122", &binding("RoleBinding", "system:anonymous")),
            1
        );
        assert_eq!(count("KSV-0122", &binding("RoleBinding", "devs")), 0);
        assert_eq!(
            count("KSV-0123", &binding("RoleBinding", "system:masters")),
            1
        );
        assert_eq!(
            count("KSV-0123", &binding("ClusterRoleBinding", "system:masters")),
            0
        );
    }
}
