//! Directory scans: a root filesystem and a project tree generated in a temporary directory.

use atalaia_analyze::{analyze_dir, AnalyzeOptions, ScanMode};
use atalaia_types::OsFamily;

use crate::common::{apk_db, ALPINE_OS_RELEASE};

fn write(root: &std::path::Path, path: &str, content: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

#[test]
fn rootfs_with_os_release_and_apk_database() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "etc/os-release", ALPINE_OS_RELEASE);
    write(
        root,
        "lib/apk/db/installed",
        &apk_db(&[
            ("zlib", "1.3.1-r1", "zlib"),
            ("musl-utils", "1.2.5-r0", "musl"),
        ]),
    );
    write(root, "home/user/notes.txt", "not a package database\n");
    for mode in [ScanMode::Rootfs, ScanMode::Fs] {
        let inv = analyze_dir(root, mode, &AnalyzeOptions::default()).unwrap();
        let os = inv.os.as_ref().expect("os");
        assert_eq!(
            (os.family, os.version.as_str(), os.source.as_deref()),
            (OsFamily::Alpine, "3.20.3", Some("/etc/os-release"))
        );
        let pkgs = &inv.os_packages[0].packages;
        let names: Vec<&str> = pkgs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["musl-utils", "zlib"]);
        assert!(
            pkgs.iter().all(|p| p.layer.is_empty()),
            "no layers outside images"
        );
        assert_eq!(
            pkgs[0].purl.to_string(),
            "pkg:apk/alpine/musl-utils@1.2.5-r0?arch=x86_64&distro=3.20.3"
        );
        assert!(inv.warnings.is_empty());
    }
}

#[test]
fn rootfs_symlinked_os_release() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "usr/lib/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
    );
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release")).unwrap();
    write(root, "etc/debian_version", "12.15\n");
    let inv = analyze_dir(root, ScanMode::Rootfs, &AnalyzeOptions::default()).unwrap();
    let os = inv.os.unwrap();
    assert_eq!(
        (os.family, os.version.as_str(), os.pretty_name.as_deref()),
        (
            OsFamily::Debian,
            "12.15",
            Some("Debian GNU/Linux 12 (bookworm)")
        )
    );
}

#[test]
fn empty_tree_has_no_os() {
    let dir = tempfile::tempdir().unwrap();
    let inv = analyze_dir(dir.path(), ScanMode::Repo, &AnalyzeOptions::default()).unwrap();
    assert_eq!(inv, atalaia_types::Inventory::default());
}

#[test]
fn missing_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(analyze_dir(
        &dir.path().join("nope"),
        ScanMode::Fs,
        &AnalyzeOptions::default()
    )
    .is_err());
}

#[test]
fn project_tree_reads_lockfiles_not_installed_metadata() {
    // The corpus build inputs: package-lock.json, yarn.lock, poetry.lock, requirements.txt,
    // Cargo.lock, and a package.json (installed-tree metadata, read in image scans only).
    let inputs = atalaia_test::corpus_dir().join("inputs");
    let inv = analyze_dir(&inputs, ScanMode::Fs, &AnalyzeOptions::default()).unwrap();
    assert_eq!(inv.os, None, "a project has no OS");
    let apps: Vec<(&str, &str, usize)> = inv
        .applications
        .iter()
        .map(|a| (a.app_type.as_str(), a.file_path.as_str(), a.packages.len()))
        .collect();
    assert_eq!(
        apps,
        [
            ("cargo", "rust/Cargo.lock", 16),
            ("npm", "node/package-lock.json", 70),
            ("pip", "python/requirements.txt", 16),
            ("poetry", "python/poetry.lock", 16),
            // 71 locked packages + the project itself from package.json, as Trivy reports it.
            ("yarn", "node/yarn.lock", 72),
        ]
    );
    assert!(inv.packages().all(|p| p.layer.is_empty()));
}
