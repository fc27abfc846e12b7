//! Layers merged into the final filesystem, lowest first, with OCI semantics: a whiteout deletes
//! a path and everything under it from lower layers, an opaque directory hides all lower content
//! under it, an upper entry at a path replaces a lower one (a non-directory replaces a whole lower
//! directory tree), and entry paths are resolved through directory symlinks of lower layers, as
//! extracting the layers onto a disk would.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use crate::layer::{LayerAnalysis, Node};

/// Symlinks followed while resolving one path before giving up (Linux's `MAXSYMLINKS`).
const MAX_SYMLINK_HOPS: usize = 40;

/// One path of the final filesystem.
#[derive(Debug, Clone, Copy)]
pub struct MergedNode<'a> {
    /// The index (0-based, lowest first) of the layer the entry comes from.
    pub layer: usize,
    /// The entry's path inside that layer (differs from its final path only when the layer wrote
    /// it through a directory symlink of a lower layer).
    pub layer_path: &'a str,
    /// What is there.
    pub node: &'a Node,
}

/// The final filesystem of a stack of layers.
#[derive(Debug, Clone, Default)]
pub struct MergedFs<'a> {
    nodes: BTreeMap<Cow<'a, str>, MergedNode<'a>>,
    symlinks: usize,
}

impl<'a> MergedFs<'a> {
    /// Merges `layers`, lowest first.
    pub fn new(layers: &'a [LayerAnalysis]) -> Self {
        let mut fs = MergedFs::default();
        for (i, layer) in layers.iter().enumerate() {
            fs.apply(i, layer);
        }
        fs
    }

    fn apply(&mut self, index: usize, layer: &'a LayerAnalysis) {
        // Parents resolved in this layer (entries are sorted, so siblings share one lookup).
        let mut parents: HashMap<String, String> = HashMap::new();
        // Deletions apply to the lower layers only, so they go first.
        // A symlink added or removed invalidates the resolved parents.
        let mut symlinks = self.symlinks;
        for dir in &layer.opaque_dirs {
            let dir = self.canonical_parent(dir, &mut parents);
            self.remove_under(&dir);
            if self.symlinks != symlinks {
                (symlinks, parents) = (self.symlinks, HashMap::new());
            }
        }
        for path in &layer.whiteouts {
            let path = self.canonical_parent(path, &mut parents);
            self.remove(&path);
            self.remove_under(&path);
            if self.symlinks != symlinks {
                (symlinks, parents) = (self.symlinks, HashMap::new());
            }
        }
        for (path, node) in &layer.entries {
            let key = match self.canonical_parent(path, &mut parents) {
                Cow::Borrowed(_) => Cow::Borrowed(path.as_str()),
                Cow::Owned(p) => Cow::Owned(p),
            };
            if !matches!(node, Node::Dir) {
                // A file, link or device replaces whatever tree was there.
                self.remove_under(&key);
            }
            let merged = MergedNode {
                layer: index,
                layer_path: path,
                node,
            };
            if matches!(node, Node::Symlink(_)) {
                self.symlinks += 1;
            }
            if let Some(old) = self.nodes.insert(key, merged) {
                if matches!(old.node, Node::Symlink(_)) {
                    self.symlinks -= 1;
                    // Replaced by another symlink: the count alone would not tell.
                    parents.clear();
                }
            }
            if self.symlinks != symlinks {
                (symlinks, parents) = (self.symlinks, HashMap::new());
            }
        }
    }

    fn remove(&mut self, path: &str) {
        if let Some(old) = self.nodes.remove(path) {
            if matches!(old.node, Node::Symlink(_)) {
                self.symlinks -= 1;
            }
        }
    }

    /// Removes everything strictly under `dir` (everything, for the root `""`).
    fn remove_under(&mut self, dir: &str) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let doomed: Vec<Cow<'a, str>> = self
            .nodes
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.remove(&k);
        }
    }

    /// `path` with its parent directories resolved through symlinks (the last component is
    /// kept as is), as extracting the entry onto the lower layers would place it. Borrowed when
    /// nothing changed, which is the rule.
    fn canonical_parent<'p>(
        &self,
        path: &'p str,
        memo: &mut HashMap<String, String>,
    ) -> Cow<'p, str> {
        if self.symlinks == 0 {
            return Cow::Borrowed(path);
        }
        let Some((parent, name)) = path.rsplit_once('/') else {
            return Cow::Borrowed(path);
        };
        let resolved = match memo.get(parent) {
            Some(r) => r.as_str(),
            None => {
                // A loop leaves the path as written.
                let r = self.walk(parent, true).unwrap_or_else(|| parent.to_owned());
                memo.entry(parent.to_owned()).or_insert(r).as_str()
            }
        };
        if resolved == parent {
            Cow::Borrowed(path)
        } else if resolved.is_empty() {
            Cow::Owned(name.to_owned())
        } else {
            Cow::Owned(format!("{resolved}/{name}"))
        }
    }

    /// The entry at exactly `path` (no symlink resolution).
    pub fn get(&self, path: &str) -> Option<&MergedNode<'a>> {
        self.nodes.get(path)
    }

    /// Every entry of the final filesystem, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &MergedNode<'a>)> {
        self.nodes.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Whether `path` exists as a directory (an entry, or implied by entries under it).
    fn is_dir(&self, path: &str) -> bool {
        if path.is_empty() {
            return true;
        }
        match self.nodes.get(path) {
            Some(n) => matches!(n.node, Node::Dir),
            None => {
                let prefix = format!("{path}/");
                self.nodes
                    .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
                    .next()
                    .is_some_and(|(k, _)| k.starts_with(&prefix))
            }
        }
    }

    /// Resolves `path` (relative to the root, with or without a leading `/`) through symlinks,
    /// within the root (`..` stops at `/`, absolute targets start at the root). Returns the real
    /// path, which exists, or `None` for a dangling link, a missing path or a symlink loop.
    pub fn resolve(&self, path: &str) -> Option<String> {
        self.walk(path, false)
    }

    /// Resolves `path`; with `lenient`, a missing component ends the resolution and the rest of
    /// the path is appended as written (where a new entry would be created).
    fn walk(&self, path: &str, lenient: bool) -> Option<String> {
        let mut hops = 0usize;
        // Components still to walk, in reverse order (a stack), and the resolved prefix.
        let mut todo: Vec<String> = path
            .split('/')
            .rev()
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let mut done: Vec<String> = Vec::new();
        while let Some(comp) = todo.pop() {
            match comp.as_str() {
                "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(comp);
            let current = done.join("/");
            match self.nodes.get(current.as_str()).map(|n| n.node) {
                Some(Node::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return None;
                    }
                    done.pop();
                    if target.starts_with('/') {
                        done.clear();
                    }
                    todo.extend(
                        target
                            .split('/')
                            .rev()
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned),
                    );
                }
                Some(Node::Dir) => {}
                Some(_) => {
                    // A file: only the last component may be one.
                    if !todo.is_empty() {
                        return None;
                    }
                }
                None if self.is_dir(&current) => {}
                None if lenient => {
                    while let Some(rest) = todo.pop() {
                        match rest.as_str() {
                            "." => {}
                            ".." => {
                                done.pop();
                            }
                            _ => done.push(rest),
                        }
                    }
                }
                None => return None,
            }
        }
        Some(done.join("/"))
    }

    /// The entry `path` resolves to (see [`MergedFs::resolve`]), with its real path.
    pub fn lookup(&self, path: &str) -> Option<(String, &MergedNode<'a>)> {
        let real = self.resolve(path)?;
        let node = self.nodes.get(real.as_str())?;
        Some((real, node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::FileNode;
    use crate::Finding;

    pub(crate) fn file(tag: &str) -> Node {
        Node::File(FileNode {
            analyzed: true,
            findings: vec![Finding::Warning {
                message: tag.into(),
            }],
            warnings: vec![],
        })
    }

    fn layer(entries: &[(&str, Node)], whiteouts: &[&str], opaque: &[&str]) -> LayerAnalysis {
        LayerAnalysis {
            entries: entries
                .iter()
                .map(|(p, n)| ((*p).to_owned(), n.clone()))
                .collect(),
            whiteouts: whiteouts.iter().map(|s| (*s).to_owned()).collect(),
            opaque_dirs: opaque.iter().map(|s| (*s).to_owned()).collect(),
            ..LayerAnalysis::default()
        }
    }

    fn tag(fs: &MergedFs<'_>, path: &str) -> Option<String> {
        let (_, n) = fs.lookup(path)?;
        match n.node.findings().first() {
            Some(Finding::Warning { message }) => Some(message.clone()),
            _ => None,
        }
    }

    #[test]
    fn whiteout_deletes_path_and_subtree() {
        let layers = vec![
            layer(
                &[
                    ("a", Node::Dir),
                    ("a/x", file("x1")),
                    ("a/y/z", file("z1")),
                    ("ab", file("ab1")),
                ],
                &[],
                &[],
            ),
            layer(&[], &["a"], &[]),
        ];
        let fs = MergedFs::new(&layers);
        assert!(fs.get("a").is_none() && fs.get("a/x").is_none() && fs.get("a/y/z").is_none());
        assert_eq!(
            tag(&fs, "ab").as_deref(),
            Some("ab1"),
            "a sibling sharing the name prefix survives"
        );
    }

    #[test]
    fn opaque_dir_hides_lower_content_only() {
        let layers = vec![
            layer(&[("d/old", file("old")), ("d/keep", file("k1"))], &[], &[]),
            layer(
                &[
                    ("d", Node::Dir),
                    ("d/keep", file("k2")),
                    ("d/new", file("new")),
                ],
                &[],
                &["d"],
            ),
        ];
        let fs = MergedFs::new(&layers);
        assert!(fs.get("d/old").is_none());
        assert_eq!(tag(&fs, "d/keep").as_deref(), Some("k2"));
        assert_eq!(tag(&fs, "d/new").as_deref(), Some("new"));
        assert_eq!(fs.get("d/new").unwrap().layer, 1);
    }

    #[test]
    fn upper_file_replaces_lower_and_readd_after_whiteout() {
        let layers = vec![
            layer(&[("f", file("v1")), ("t/a", file("a"))], &[], &[]),
            layer(&[], &["f"], &[]),
            layer(&[("f", file("v3")), ("t", file("t-is-a-file"))], &[], &[]),
        ];
        let fs = MergedFs::new(&layers);
        assert_eq!(tag(&fs, "f").as_deref(), Some("v3"));
        assert_eq!(fs.get("f").unwrap().layer, 2);
        assert!(
            fs.get("t/a").is_none(),
            "a file replacing a directory drops its tree"
        );
    }

    #[test]
    fn symlinks_resolve_within_root() {
        let layers = vec![layer(
            &[
                ("etc/os-release", file("os")),
                (
                    "usr/lib/os-release",
                    Node::Symlink("/etc/os-release".into()),
                ),
                ("app/config/key", Node::Symlink("../certs/k".into())),
                ("app/certs/k", file("k")),
                ("escape", Node::Symlink("../../../../etc/os-release".into())),
                ("loop1", Node::Symlink("loop2".into())),
                ("loop2", Node::Symlink("loop1".into())),
                ("dangling", Node::Symlink("/nope".into())),
                ("lib", Node::Symlink("usr/lib".into())),
            ],
            &[],
            &[],
        )];
        let fs = MergedFs::new(&layers);
        assert_eq!(
            fs.resolve("usr/lib/os-release").as_deref(),
            Some("etc/os-release")
        );
        assert_eq!(
            fs.resolve("/lib/os-release").as_deref(),
            Some("etc/os-release"),
            "through a dir symlink"
        );
        assert_eq!(fs.resolve("app/config/key").as_deref(), Some("app/certs/k"));
        assert_eq!(
            fs.resolve("escape").as_deref(),
            Some("etc/os-release"),
            "`..` stops at the root"
        );
        assert_eq!(fs.resolve("loop1"), None);
        assert_eq!(fs.resolve("dangling"), None);
        assert_eq!(
            fs.resolve("etc/os-release/x"),
            None,
            "a file is not a directory"
        );
        assert_eq!(tag(&fs, "lib/os-release").as_deref(), Some("os"));
    }

    #[test]
    fn upper_entries_written_through_lower_dir_symlink() {
        let layers = vec![
            layer(
                &[
                    ("lib", Node::Symlink("usr/lib".into())),
                    ("usr/lib/x", file("x1")),
                ],
                &[],
                &[],
            ),
            layer(&[("lib/x", file("x2"))], &[], &[]),
        ];
        let fs = MergedFs::new(&layers);
        assert_eq!(tag(&fs, "usr/lib/x").as_deref(), Some("x2"));
        let n = fs.get("usr/lib/x").unwrap();
        assert_eq!((n.layer, n.layer_path), (1, "lib/x"));
    }

    #[test]
    fn new_directories_under_a_lower_dir_symlink() {
        let layers = vec![
            layer(
                &[
                    ("lib", Node::Symlink("usr/lib".into())),
                    ("usr/lib/x", file("x1")),
                ],
                &[],
                &[],
            ),
            layer(&[("lib/apk/db/installed", file("db"))], &[], &[]),
        ];
        let fs = MergedFs::new(&layers);
        assert_eq!(tag(&fs, "usr/lib/apk/db/installed").as_deref(), Some("db"));
        assert_eq!(tag(&fs, "lib/apk/db/installed").as_deref(), Some("db"));
        assert!(fs.get("lib/apk/db/installed").is_none());
    }
}
