//! `atalaia repo` (r9): a git repository the test creates (`git init` + commits: a lockfile, a
//! secret, a Dockerfile), scanned in place, through `file://`, at an older `--commit`, a
//! `--branch` and a `--tag`; clones are removed; bad URLs are exit 2 without credentials.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::{command, stderr};

const TOKEN: &str = "ghp_g9StIM459ZDgeZmw4Vh2DjaPoYID4GuNHJYK";

const GEMFILE_LOCK: &str = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.0.7)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rack (= 2.0.7)\n\nBUNDLED WITH\n   2.1.4\n";

/// Whether `git` runs; outside CI a missing git skips the test with a note.
fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "`git` is missing; CI installs it with .ci/deps/imgmisconf.sh"
        );
        #[allow(clippy::print_stderr)]
        {
            eprintln!("note: git not found; the repo test is skipped");
        }
    }
    ok
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A repository with two commits on `main`: the first adds a lockfile, a `.env` holding a
/// token and a Dockerfile, and is tagged `v1` and branched as `old`; the second deletes the
/// `.env`. Returns the first commit's hash.
fn make_repo(dir: &Path) -> String {
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(dir.join("Gemfile.lock"), GEMFILE_LOCK).unwrap();
    std::fs::write(dir.join(".env"), format!("GITHUB_TOKEN={TOKEN}\n")).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM alpine:latest\nRUN apk add curl\n",
    )
    .unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "--quiet", "-m", "first"]);
    let first = git(dir, &["rev-parse", "HEAD"]);
    git(dir, &["tag", "v1"]);
    git(dir, &["branch", "old"]);
    git(dir, &["rm", "--quiet", ".env"]);
    git(dir, &["commit", "--quiet", "-m", "drop the secret"]);
    first
}

fn run(cache: &Path, args: &[&str]) -> Output {
    command(args)
        .env("ATALAIA_CACHE_DIR", cache)
        .output()
        .expect("run atalaia")
}

fn json(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// `(Class, Target, finding ID)` of every finding of the report.
fn findings(report: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for r in report["Results"].as_array().into_iter().flatten() {
        let class = r["Class"].as_str().unwrap().to_owned();
        let target = r["Target"].as_str().unwrap().to_owned();
        for (list, key) in [
            ("Vulnerabilities", "VulnerabilityID"),
            ("Secrets", "RuleID"),
            ("Misconfigurations", "ID"),
        ] {
            for f in r[list].as_array().into_iter().flatten() {
                out.insert((
                    class.clone(),
                    target.clone(),
                    f[key].as_str().unwrap().to_owned(),
                ));
            }
        }
    }
    out
}

fn has(found: &BTreeSet<(String, String, String)>, class: &str, target: &str, id: &str) -> bool {
    found.contains(&(class.to_owned(), target.to_owned(), id.to_owned()))
}

/// Whether the cache directory's clone area is empty (or absent).
fn no_clone_left(cache: &Path) -> bool {
    std::fs::read_dir(cache.join("repo")).map_or(true, |mut d| d.next().is_none())
}

#[test]
fn r9_repo_in_place_and_through_file_url() {
    if !have_git() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    make_repo(repo.path());
    let cache = tempfile::tempdir().unwrap();
    let path = repo.path().to_str().unwrap();
    // Default scanners (as Trivy's `repo`): vulnerabilities and secrets, no misconfigurations.
    let report = json(&run(cache.path(), &["repo", path, "--format", "json"]));
    assert_eq!(report["ArtifactType"], "repository");
    assert_eq!(report["ArtifactName"], path);
    // Trivy's repository metadata.
    let meta = &report["Metadata"];
    assert_eq!(
        meta["Commit"],
        git(repo.path(), &["rev-parse", "HEAD"]).as_str()
    );
    assert_eq!(meta["Branch"], "main");
    assert_eq!(meta["CommitMsg"], "drop the secret");
    assert_eq!(meta["Author"], "t <t@example.com>");
    assert!(meta.get("RepoURL").is_none(), "no remote: {meta}");
    let found = findings(&report);
    assert!(
        has(&found, "lang-pkgs", "Gemfile.lock", "CVE-2019-16782"),
        "{found:?}"
    );
    assert!(!found.iter().any(|(c, _, _)| c == "config"), "{found:?}");
    // The work tree in place: `.env` was deleted in the last commit, so no secret.
    assert!(!found.iter().any(|(c, _, _)| c == "secret"), "{found:?}");
    assert!(report.get("MisconfCoverage").is_none());

    let url = format!("file://{path}");
    let report = json(&run(
        cache.path(),
        &[
            "repo",
            &url,
            "--format",
            "json",
            "--scanners",
            "vuln,secret,misconfig",
        ],
    ));
    assert_eq!(report["ArtifactName"], url.as_str());
    assert_eq!(report["Metadata"]["RepoURL"], url.as_str());
    let found = findings(&report);
    assert!(has(&found, "lang-pkgs", "Gemfile.lock", "CVE-2019-16782"));
    for id in ["DS-0001", "DS-0002", "DS-0025"] {
        assert!(has(&found, "config", "Dockerfile", id), "{id}: {found:?}");
    }
    assert_eq!(report["MisconfCoverage"]["FilesEvaluated"], 1);
    assert!(no_clone_left(cache.path()), "the clone was not removed");
    // The user's repository is untouched.
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
}

#[test]
fn r9_repo_at_an_older_commit_branch_or_tag() {
    if !have_git() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let first = make_repo(repo.path());
    let cache = tempfile::tempdir().unwrap();
    let path = repo.path().to_str().unwrap();
    let url = format!("file://{path}");
    for (source, flag, value) in [
        (path, "--commit", first.as_str()),
        (url.as_str(), "--commit", first.as_str()),
        (path, "--branch", "old"),
        (url.as_str(), "--tag", "v1"),
    ] {
        let report = json(&run(
            cache.path(),
            &["repo", source, flag, value, "--format", "json"],
        ));
        let found = findings(&report);
        assert!(
            has(&found, "secret", ".env", "github-pat"),
            "{source} {flag} {value}: {found:?}"
        );
        let meta = &report["Metadata"];
        assert_eq!(meta["Commit"], first.as_str(), "{source} {flag}");
        assert_eq!(meta["CommitMsg"], "first", "{source} {flag}");
        if flag == "--tag" {
            assert_eq!(meta["Tags"], serde_json::json!(["v1"]), "{meta}");
        }
        if flag == "--branch" {
            assert_eq!(meta["Branch"], value, "{meta}");
        }
        assert!(has(&found, "lang-pkgs", "Gemfile.lock", "CVE-2019-16782"));
        assert!(no_clone_left(cache.path()), "{source} {flag}: clone left");
    }
    // The user's checkout stays on `main`, at the second commit.
    assert_eq!(
        git(repo.path(), &["rev-parse", "--abbrev-ref", "HEAD"]),
        "main"
    );
    assert_ne!(git(repo.path(), &["rev-parse", "HEAD"]), first);
}

#[test]
fn r9_repo_bad_sources_are_exit_2_without_credentials() {
    if !have_git() {
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    make_repo(repo.path());
    let path = repo.path().to_str().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["file:///nonexistent/atalaia-repo.git".into()],
            "Failed to clone `file:///nonexistent/atalaia-repo.git`",
        ),
        (
            vec!["https://me:s3cr3t-t0ken@127.0.0.1:1/x.git".into()],
            "Failed to clone `https://***@127.0.0.1:1/x.git`",
        ),
        (
            vec![path.into(), "--commit".into(), "0123456789abcdef".into()],
            "Failed to check out commit `0123456789abcdef`",
        ),
        (
            vec![path.into(), "--branch".into(), "no-such-branch".into()],
            "Failed to clone",
        ),
        (
            vec!["/nonexistent/atalaia-repo".into()],
            "is neither a local directory nor a git URL",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["repo"];
        args.extend(extra.iter().map(String::as_str));
        let out = run(cache.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("s3cr3t"), "credentials leaked: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(no_clone_left(cache.path()), "{args:?}: clone left");
    }
    // `--branch` and `--commit` together are a usage error.
    let out = run(
        cache.path(),
        &["repo", path, "--branch", "main", "--commit", "abc"],
    );
    assert_eq!(out.status.code(), Some(2));
}
