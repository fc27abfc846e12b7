//! Arguments, help and errors that need no image.

use crate::{atalaia, stderr};

#[test]
fn help_and_version_exit_zero() {
    let out = atalaia(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("image"));
    let out = atalaia(&["version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Version: "));
}

#[test]
fn unknown_flag_is_exit_two() {
    let out = atalaia(&["image", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_input_names_the_file() {
    let out = atalaia(&["image", "--input", "/nonexistent/image.tar"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/nonexistent/image.tar"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn not_a_tar_is_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.tar");
    std::fs::write(
        &path,
        b"this is not a tar archive at all, just some text\n".repeat(40),
    )
    .unwrap();
    let out = atalaia(&["image", "--input", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("garbage.tar"), "{}", stderr(&out));
}

#[test]
fn image_by_name_explains_the_alternative() {
    let out = atalaia(&["image", "alpine:3.20"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--input"), "{}", stderr(&out));
}

#[test]
fn fs_on_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    let out = atalaia(&["fs", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a directory"), "{}", stderr(&out));
}
