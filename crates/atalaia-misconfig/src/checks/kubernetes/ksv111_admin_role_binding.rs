//! KSV-0111 (KSV111): User with admin access
//!
//! ## What it checks
//! A (Cluster)RoleBinding binds `cluster-admin`, `admin` or `edit`.
//!
//! ## Why it matters
//! Either cluster-admin or those granted powerful permissions.

use crate::checks::{Cause, Meta};
use crate::kubernetes::Resource;
use crate::yaml::Node;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "KSV-0111",
    short_id: "KSV111",
    avd_id: "AVD-KSV-0111",
    title: "User with admin access",
    description: "Either cluster-admin or those granted powerful permissions.",
    resolution: "Remove binding for clusterrole 'cluster-admin', 'admin' or 'edit'",
    severity: Severity::Medium,
    references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
    namespace: "builtin.kubernetes.KSV111",
};

pub(crate) fn run(res: &Resource, out: &mut Vec<Cause>) {
    let role = res.node.path(&["roleRef", "name"]).and_then(Node::as_str);
    if role.is_some_and(|r| ["cluster-admin", "admin", "edit"].contains(&r)) {
        out.push(Cause::new(
            format!(
                "{} '{}' should not bind to roles [\"cluster-admin\", \"admin\", \"edit\"]",
                res.kind, res.name
            ),
            res.metadata_lines(),
        ));
    }
}
