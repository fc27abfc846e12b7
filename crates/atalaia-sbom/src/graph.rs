//! The shape both SBOM formats share: the artifact, its OS, its applications and their packages,
//! with dependency edges resolved inside each group.
//!
//! Groups follow Trivy's SBOM layout: OS packages hang below one operating-system node; each
//! lockfile or binary (an application) is its own node with its packages below it; the
//! installed-package types Trivy aggregates (`python-pkg`, `node-pkg`, `gemspec`, `conda-pkg`,
//! `jar`) have no node of their own, their packages hang directly below the artifact.

use std::collections::{BTreeMap, BTreeSet};

use atalaia_types::{Application, Inventory, Package};
use sha2::{Digest as _, Sha256};

/// Application types whose packages have no application node (Trivy's `AggregatingTypes`).
pub(crate) const AGGREGATED_TYPES: &[&str] =
    &["python-pkg", "conda-pkg", "gemspec", "node-pkg", "jar"];

/// What a group of packages hangs below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// The operating system's packages.
    Os,
    /// An application node (lockfile, binary).
    App,
    /// Installed packages that hang below the artifact itself.
    Aggregated,
}

/// One package with what the writers need besides the package itself.
pub(crate) struct Node<'a> {
    pub(crate) pkg: &'a Package,
    /// The type Trivy records as `PkgType`: the OS family for OS packages, else the app type.
    pub(crate) pkg_type: String,
    /// The file path of the package, falling back to its application's file for aggregated types.
    pub(crate) file_path: String,
    /// A stable hex key unique in the document (hash of group, package fields and position).
    pub(crate) key: String,
    /// Indices (into the group's nodes) of the packages it depends on.
    pub(crate) depends_on: Vec<usize>,
    /// Whether another package of the group depends on it.
    pub(crate) has_parent: bool,
}

/// A group of packages.
pub(crate) struct Group<'a> {
    pub(crate) kind: GroupKind,
    /// `os-pkgs`/`lang-pkgs` type: the OS family or the application type.
    pub(crate) ty: String,
    /// The application's file (empty for the OS and aggregated groups).
    pub(crate) file_path: String,
    /// A stable hex key for the group's own node.
    pub(crate) key: String,
    pub(crate) nodes: Vec<Node<'a>>,
}

pub(crate) fn hash_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(&h.finalize()[..8])
}

fn sort_key(p: &Package, file_path: &str) -> (String, String, String) {
    (p.name.clone(), p.full_version(), file_path.to_owned())
}

fn build_group<'a>(
    kind: GroupKind,
    ty: String,
    file_path: String,
    pkgs: Vec<(&'a Package, String)>,
    pkg_type: &str,
) -> Group<'a> {
    let key = hash_hex(&["group", kind_name(kind), &ty, &file_path]);
    let mut pkgs = pkgs;
    pkgs.sort_by_cached_key(|(p, fp)| sort_key(p, fp));
    let mut nodes: Vec<Node<'a>> = pkgs
        .into_iter()
        .enumerate()
        .map(|(i, (pkg, fp))| Node {
            pkg,
            pkg_type: pkg_type.to_owned(),
            key: hash_hex(&[
                &key,
                &pkg.id,
                &pkg.name,
                &pkg.full_version(),
                &pkg.purl.to_string(),
                &fp,
                &i.to_string(),
            ]),
            file_path: fp,
            depends_on: Vec::new(),
            has_parent: false,
        })
        .collect();
    // Package IDs resolve to the first package with that ID in the group.
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, n) in nodes.iter().enumerate() {
        by_id.entry(n.pkg.id.as_str()).or_insert(i);
    }
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let set: BTreeSet<usize> = n
                .pkg
                .depends_on
                .iter()
                .filter_map(|d| by_id.get(d.as_str()).copied())
                .filter(|&j| j != i)
                .collect();
            set.into_iter().collect()
        })
        .collect();
    for (i, e) in edges.into_iter().enumerate() {
        for &j in &e {
            nodes[j].has_parent = true;
        }
        nodes[i].depends_on = e;
    }
    Group {
        kind,
        ty,
        file_path,
        key,
        nodes,
    }
}

fn kind_name(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Os => "os",
        GroupKind::App => "app",
        GroupKind::Aggregated => "aggregated",
    }
}

/// The groups of an inventory, in document order: OS, then applications by type and file path,
/// with aggregated types merged into one group per type.
pub(crate) fn groups(inv: &Inventory) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    let os_pkgs: Vec<(&Package, String)> = inv
        .os_packages
        .iter()
        .flat_map(|db| db.packages.iter())
        .map(|p| (p, p.file_path.clone()))
        .collect();
    if !os_pkgs.is_empty() || inv.os.is_some() {
        let family = inv
            .os
            .as_ref()
            .map(|o| o.family.to_string())
            .unwrap_or_default();
        out.push(build_group(
            GroupKind::Os,
            family.clone(),
            String::new(),
            os_pkgs,
            &family,
        ));
    }
    let mut apps: Vec<&Application> = inv
        .applications
        .iter()
        .filter(|a| !a.packages.is_empty())
        .collect();
    apps.sort_by(|a, b| {
        a.app_type
            .cmp(&b.app_type)
            .then_with(|| a.file_path.cmp(&b.file_path))
    });
    let mut aggregated: BTreeMap<&str, Vec<(&Package, String)>> = BTreeMap::new();
    for app in apps {
        if AGGREGATED_TYPES.contains(&app.app_type.as_str()) {
            aggregated
                .entry(app.app_type.as_str())
                .or_default()
                .extend(app.packages.iter().map(|p| {
                    let fp = if p.file_path.is_empty() {
                        app.file_path.clone()
                    } else {
                        p.file_path.clone()
                    };
                    (p, fp)
                }));
        } else {
            let pkgs = app
                .packages
                .iter()
                .map(|p| (p, p.file_path.clone()))
                .collect();
            out.push(build_group(
                GroupKind::App,
                app.app_type.clone(),
                app.file_path.clone(),
                pkgs,
                &app.app_type,
            ));
        }
    }
    for (ty, pkgs) in aggregated {
        out.push(build_group(
            GroupKind::Aggregated,
            ty.to_owned(),
            String::new(),
            pkgs,
            ty,
        ));
    }
    // Two applications of one type in one file (a malformed inventory) must still get distinct
    // keys; package keys already include the group key.
    let mut seen = BTreeSet::new();
    for (i, g) in out.iter_mut().enumerate() {
        if !seen.insert(g.key.clone()) {
            let key = hash_hex(&[&g.key, &i.to_string()]);
            for n in &mut g.nodes {
                n.key = hash_hex(&[&key, &n.key]);
            }
            g.key = key;
            seen.insert(g.key.clone());
        }
    }
    out
}
