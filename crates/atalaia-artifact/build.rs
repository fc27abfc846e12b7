//! Compiles the ISA-L inflate shim (`csrc/isal_shim.c`) when the `isal` feature is on and the
//! library's header is installed (Debian: `libisal-dev`), and then sets `cfg(atalaia_isal)`.
//!
//! When the header cannot be found or the shim does not compile, the build goes on without it
//! (a cargo warning says so) and gzip layers are inflated by flate2 + zlib-rs, the fallback that
//! is always compiled in. `atalaia_artifact::gzip_backend()` tells which one a build uses, and a
//! test fails when `CI` is set and ISA-L is missing, so CI never benchmarks the slow path silently.
//! Set `ATALAIA_NO_ISAL=1` to build without ISA-L even when the feature is on.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(atalaia_isal)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=csrc/isal_shim.c");
    println!("cargo::rerun-if-env-changed=ATALAIA_NO_ISAL");
    println!("cargo::rerun-if-env-changed=PKG_CONFIG_PATH");
    if env::var_os("CARGO_FEATURE_ISAL").is_none() {
        return;
    }
    if env::var_os("ATALAIA_NO_ISAL").is_some_and(|v| !v.is_empty() && v != "0") {
        println!("cargo::warning=ATALAIA_NO_ISAL is set: gzip layers use zlib-rs");
        return;
    }
    let (includes, lib_dirs) = pkg_config_paths();
    let mut build = cc::Build::new();
    build.file("csrc/isal_shim.c").opt_level(2).warnings(true);
    for dir in &includes {
        build.include(dir);
    }
    if let Err(e) = build.try_compile("atalaia_isal_shim") {
        println!(
            "cargo::warning=ISA-L (isa-l/igzip_lib.h, Debian package libisal-dev) not usable, \
             gzip layers use zlib-rs: {e}"
        );
        return;
    }
    for dir in &lib_dirs {
        println!("cargo::rustc-link-search=native={}", dir.display());
    }
    println!("cargo::rustc-link-lib=isal");
    println!("cargo::rustc-cfg=atalaia_isal");
}

/// Include and library directories of `libisal` from pkg-config, when pkg-config knows it
/// (nothing is needed for the system directories, where Debian puts it).
fn pkg_config_paths() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let out = Command::new(env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".into()))
        .args(["--cflags-only-I", "--libs-only-L", "libisal"])
        .output();
    let mut includes = Vec::new();
    let mut libs = Vec::new();
    if let Ok(out) = out {
        if out.status.success() {
            for word in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                if let Some(d) = word.strip_prefix("-I") {
                    includes.push(PathBuf::from(d));
                } else if let Some(d) = word.strip_prefix("-L") {
                    libs.push(PathBuf::from(d));
                }
            }
        }
    }
    (includes, libs)
}
