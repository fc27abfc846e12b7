//! Project manifests read beside lockfiles (`pyproject.toml`, `package.json`, `Cargo.toml`,
//! `composer.json`): the first byte picks the file name, the rest is the file. What parses is
//! then applied to a small yarn application (relationships, the added root package), which must
//! not panic either.
#![no_main]

use atalaia_lang::{apply_manifest, parse, parse_manifest, LangFile};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "app/pyproject.toml",
    "app/package.json",
    "app/Cargo.toml",
    "app/composer.json",
];

const YARN: &[u8] = b"# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2\"\n\nb@^2:\n  version \"2.0.0\"\n";

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let path = NAMES[usize::from(selector) % NAMES.len()];
    if let Ok(deps) = parse_manifest(path, bytes) {
        if let Ok(mut app) = parse(LangFile::YarnLock, "app/yarn.lock", YARN) {
            apply_manifest(&mut app, &deps);
        }
    }
});
