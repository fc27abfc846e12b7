//! Maven poms with a local parent: the input is split at its first NUL byte into a module's
//! `pom.xml` and its parent's; both are read and the module is resolved with the parent
//! (properties, dependency management and dependencies inherited). Never a panic.
#![no_main]

use atalaia_lang::{read_pom, resolve_pom};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (child, parent) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(child) = read_pom("app/module/pom.xml", child) else {
        return;
    };
    let _ = child.parent_path();
    match read_pom("app/pom.xml", parent) {
        Ok(parent) => {
            if let Some(p) = child.parent.as_ref() {
                let _ = parent.is(p);
            }
            let _ = resolve_pom(&child, &[&parent]);
        }
        Err(_) => {
            let _ = resolve_pom(&child, &[]);
        }
    }
});
