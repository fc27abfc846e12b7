//! One parser per run: the kind is named by the `ATALAIA_FUZZ_KIND` environment variable (the
//! `Debug` name of a `LangFile`, e.g. `YarnLock`), so every kind gets its own fuzzing budget and
//! corpus. `run.sh` runs this target once per kind.
#![no_main]

use std::sync::OnceLock;

use atalaia_lang::{classify, parse_with_warnings, LangFile};
use libfuzzer_sys::fuzz_target;

/// A path that `classify` maps to each kind (some parsers read their path: `.egg-info`, jars).
const PATHS: &[&str] = &[
    "usr/lib/python3/site-packages/x-1.0.dist-info/METADATA",
    "app/poetry.lock",
    "app/requirements.txt",
    "app/Pipfile.lock",
    "app/node_modules/x/package.json",
    "app/package-lock.json",
    "app/yarn.lock",
    "app/lib/x-1.0.jar",
    "app/pnpm-lock.yaml",
    "app/go.mod",
    "app/Cargo.lock",
    "app/Gemfile.lock",
    "app/composer.lock",
    "app/uv.lock",
    "app/pdm.lock",
    "app/deno.lock",
    "usr/lib/ruby/gems/3.1.0/specifications/x-1.0.gemspec",
    "app/vendor/composer/installed.json",
    "app/packages.lock.json",
    "app/x.deps.json",
    "app/pubspec.lock",
    "app/Package.resolved",
    "app/Podfile.lock",
    "app/conan.lock",
    "app/mix.lock",
    "app/rebar.lock",
    "app/Manifest.toml",
    "opt/conda/conda-meta/x-1.0-0.json",
    "app/.terraform.lock.hcl",
    "app/pylock.toml",
    "usr/lib/python3/site-packages/x-1.0-py3.9.egg",
    "app/bun.lock",
    "app/gradle.lockfile",
    "app/build.sbt.lock",
    "app/packages.config",
    "var/lib/pacman/local/x-1.0-1/desc",
    "app/environment.yml",
    "app/pom.xml",
    "app/Directory.Packages.props",
];

/// The kind under test and the path handed to the parser.
fn target() -> (LangFile, &'static str) {
    static TARGET: OnceLock<(LangFile, &'static str)> = OnceLock::new();
    *TARGET.get_or_init(|| {
        let name = std::env::var("ATALAIA_FUZZ_KIND").unwrap_or_default();
        let Some(kind) = LangFile::ALL
            .iter()
            .copied()
            .find(|k| format!("{k:?}") == name)
        else {
            let names: Vec<String> = LangFile::ALL.iter().map(|k| format!("{k:?}")).collect();
            eprintln!("set ATALAIA_FUZZ_KIND to one of: {}", names.join(" "));
            std::process::exit(2);
        };
        if kind == LangFile::Executable {
            return (kind, "usr/bin/x");
        }
        let path = PATHS
            .iter()
            .copied()
            .find(|p| classify(p, 1024, 0o644) == Some(kind))
            .unwrap_or("fuzz/input");
        (kind, path)
    })
}

fuzz_target!(|data: &[u8]| {
    let (kind, path) = target();
    let _ = parse_with_warnings(kind, path, data);
});
