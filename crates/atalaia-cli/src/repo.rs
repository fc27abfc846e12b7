//! `atalaia repo PATH_OR_URL`: a git repository, scanned as `fs` scans a project (lockfiles,
//! secrets, and configuration files with `--scanners misconfig`), reported as a `repository`.
//!
//! A local work tree without `--branch`, `--tag` or `--commit` is scanned in place. Anything
//! else — a `file://`, `https://`, `ssh://` or `user@host:path` URL, or a local repository at
//! another revision — is cloned with the `git` command line into a temporary directory under
//! the cache directory (`<cache-dir>/repo/`), which is removed when the scan ends, whatever its
//! outcome. The user's repository is never touched. Credentials written in a URL
//! (`https://user:token@host/…`) never reach a message or the report: they are replaced by
//! `***` everywhere the URL is shown, git's own messages included.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::args::RepoArgs;
use crate::printer::Hinted;
use crate::settings::ScanSettings;
use crate::ExitStatus;

/// Lines of git's error output kept in an error message.
const GIT_ERROR_LINES: usize = 6;

/// The revision to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Revision {
    /// The default branch (or, for a local work tree, the tree as it is).
    Default,
    /// `--branch` or `--tag`: a name `git clone --branch` takes.
    Named(String),
    /// `--commit`: a commit hash (or anything `git checkout` resolves).
    Commit(String),
}

impl Revision {
    fn from_args(args: &RepoArgs) -> anyhow::Result<Revision> {
        // A revision is never read as an option of git.
        for (flag, value) in [
            ("--branch", &args.branch),
            ("--tag", &args.tag),
            ("--commit", &args.commit),
        ] {
            if let Some(v) = value
                .as_deref()
                .filter(|v| v.is_empty() || v.starts_with('-'))
            {
                bail!("`{flag} {v}` is not a revision name");
            }
        }
        match (&args.branch, &args.tag, &args.commit) {
            (None, None, None) => Ok(Revision::Default),
            (Some(b), None, None) => Ok(Revision::Named(b.clone())),
            (None, Some(t), None) => Ok(Revision::Named(t.clone())),
            (None, None, Some(c)) => Ok(Revision::Commit(c.clone())),
            _ => bail!("Give at most one of `--branch`, `--tag` and `--commit`"),
        }
    }
}

/// Whether `target` is a URL git clones (rather than a local path).
fn is_url(target: &str) -> bool {
    if let Some((scheme, _)) = target.split_once("://") {
        return !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    }
    // scp-like `user@host:path` (no slash before the colon).
    match (target.find('@'), target.find(':')) {
        (Some(at), Some(colon)) => at < colon && !target[..colon].contains('/'),
        _ => false,
    }
}

/// `text` with the credentials of every URL in it replaced by `***`
/// (`https://user:token@host/x` → `https://***@host/x`).
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        // The authority ends at the first `/`, whitespace or quote.
        let end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || matches!(c, '\'' | '"' | '`'))
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// A git command that never prompts (no terminal, no askpass) and speaks English.
fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "")
        .env("SSH_ASKPASS", "")
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null());
    cmd
}

/// Runs a git command; an error carries git's last lines of stderr, redacted.
fn run_git(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = match cmd.output() {
        Ok(out) => out,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Hinted::new(
                "The `git` command was not found",
                "Install git (`apt-get install git`) to scan repositories",
            )
            .into())
        }
        Err(err) => return Err(err).with_context(|| format!("Failed to run git to {what}")),
    };
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(GIT_ERROR_LINES)..].join("; ");
    let cause = if tail.is_empty() {
        format!("git exited with {}", out.status)
    } else {
        redact(&tail)
    };
    Err(anyhow::Error::msg(cause).context(format!("Failed to {what}")))
}

/// The checkout to scan; a clone is removed when this is dropped.
#[derive(Debug)]
struct Checkout {
    path: PathBuf,
    _clone: Option<tempfile::TempDir>,
}

impl Checkout {
    fn prepare(target: &str, revision: &Revision, cache_dir: &Path) -> anyhow::Result<Checkout> {
        let shown = redact(target);
        let local = Path::new(target);
        if !is_url(target) {
            let meta = std::fs::metadata(local)
                .with_context(|| format!("`{shown}` is neither a local directory nor a git URL"))?;
            if !meta.is_dir() {
                bail!("`{shown}` is not a directory");
            }
            if *revision == Revision::Default {
                return Ok(Checkout {
                    path: local.to_path_buf(),
                    _clone: None,
                });
            }
        }
        let parent = cache_dir.join("repo");
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("Failed to create `{}`", parent.display()))?;
        let tmp = tempfile::Builder::new()
            .prefix("clone-")
            .tempdir_in(&parent)
            .with_context(|| format!("Failed to create a directory in `{}`", parent.display()))?;
        let dest = tmp.path().join("work");
        // A local path is cloned through `file://` so `--depth` applies to it as well.
        let source = if is_url(target) {
            target.to_owned()
        } else {
            let abs = std::fs::canonicalize(local)
                .with_context(|| format!("Failed to open `{shown}`"))?;
            format!("file://{}", abs.display())
        };
        let mut clone = git();
        clone.args(["clone", "--quiet"]);
        match revision {
            Revision::Default => {
                clone.args(["--depth", "1"]);
            }
            Revision::Named(name) => {
                clone.args(["--depth", "1", "--branch", name]);
            }
            Revision::Commit(_) => {
                clone.arg("--no-checkout");
            }
        }
        clone.arg("--").arg(&source).arg(&dest);
        tracing::debug!(repository = %redact(&source), "cloning");
        run_git(&mut clone, &format!("clone `{shown}`"))?;
        if let Revision::Commit(commit) = revision {
            let mut checkout = git();
            checkout
                .arg("-C")
                .arg(&dest)
                .args(["checkout", "--quiet", "--detach", commit, "--"]);
            run_git(
                &mut checkout,
                &format!("check out commit `{commit}` of `{shown}`"),
            )?;
        }
        Ok(Checkout {
            path: dest,
            _clone: Some(tmp),
        })
    }
}

/// The output of a git query in `dir`, trimmed; empty when git fails (not a repository, no
/// remote, an unborn branch).
fn query(dir: &Path, args: &[&str]) -> String {
    git()
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Trivy's repository facts of the checkout at `dir` (all empty outside a git work tree).
fn repo_metadata(dir: &Path) -> atalaia_report::RepoMetadata {
    let commit = query(dir, &["rev-parse", "--verify", "--quiet", "HEAD"]);
    if commit.is_empty() {
        return atalaia_report::RepoMetadata::default();
    }
    let branch = query(dir, &["symbolic-ref", "--quiet", "--short", "HEAD"]);
    atalaia_report::RepoMetadata {
        repo_url: redact(&query(dir, &["remote", "get-url", "origin"])),
        branch,
        tags: query(dir, &["tag", "--points-at", "HEAD"])
            .lines()
            .map(str::to_owned)
            .collect(),
        commit_msg: query(dir, &["log", "-1", "--format=%B"]),
        author: query(dir, &["log", "-1", "--format=%an <%ae>"]),
        committer: query(dir, &["log", "-1", "--format=%cn <%ce>"]),
        commit,
    }
}

/// `atalaia repo`: prepares the checkout, scans it, removes any clone.
pub(crate) fn run(args: &RepoArgs) -> anyhow::Result<ExitStatus> {
    let revision = Revision::from_args(args)?;
    let cache_dir = crate::vulndb::cache_dir(args.scan.cache_dir.as_deref())?;
    let checkout = Checkout::prepare(&args.repository, &revision, &cache_dir)?;
    let meta = repo_metadata(&checkout.path);
    let settings =
        ScanSettings::for_repo(&checkout.path, &redact(&args.repository), meta, &args.scan)?;
    let status = crate::scan::run(settings);
    drop(checkout);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        for url in [
            "https://github.com/a/b",
            "file:///tmp/repo",
            "ssh://git@host/x.git",
            "git@github.com:a/b.git",
            "git+ssh://host/x",
        ] {
            assert!(is_url(url), "{url}");
        }
        for path in ["/tmp/repo", "repo", "./a:b", "dir/user@x:y", "://x", ""] {
            assert!(!is_url(path), "{path}");
        }
    }

    #[test]
    fn credentials_are_redacted_everywhere() {
        assert_eq!(
            redact("fatal: repository 'https://me:s3cret@host/x.git/' not found"),
            "fatal: repository 'https://***@host/x.git/' not found"
        );
        assert_eq!(
            redact("https://tok@a.b/x and http://u:p@c.d"),
            "https://***@a.b/x and http://***@c.d"
        );
        assert_eq!(redact("https://host/x"), "https://host/x");
        assert_eq!(redact("no url : here @"), "no url : here @");
        assert_eq!(redact("trailing ://"), "trailing ://");
    }
}
