//! DS-0017 (DS017): 'RUN `<package-manager>` update' instruction alone
//!
//! ## What it checks
//! A `RUN` runs `<package-manager> update` without an install after it in the same `RUN`.
//!
//! ## Why it matters
//! The instruction 'RUN `<package-manager>` update' should always be followed by '`<package-manager>` install' in the same RUN statement.

use super::{cause, command_indexes, parse_commands, runs};
use crate::checks::{Cause, Meta};
use crate::dockerfile::Dockerfile;
use crate::Severity;

pub(crate) static META: Meta = Meta {
    id: "DS-0017",
    short_id: "DS017",
    avd_id: "AVD-DS-0017",
    title: "'RUN <package-manager> update' instruction alone",
    description: "The instruction 'RUN <package-manager> update' should always be followed by '<package-manager> install' in the same RUN statement.",
    resolution: "Combine '<package-manager> update' and '<package-manager> install' instructions to single one",
    severity: Severity::High,
    references: &["https://docs.docker.com/develop/develop-images/instructions/#run"],
    namespace: "builtin.dockerfile.DS017",
};

pub(crate) fn run(df: &Dockerfile, out: &mut Vec<Cause>) {
    const INSTALL: &[&str] = &[
        "upgrade",
        "install",
        "source-install",
        "reinstall",
        "groupinstall",
        "localinstall",
        "add",
    ];
    const UPDATE: &[&str] = &["update", "up"];
    const MANAGERS: &[&[&str]] = &[
        &["apt-get", "apt"],
        &["yum"],
        &["apk"],
        &["dnf"],
        &["zypper"],
    ];
    for ins in runs(df) {
        let cmds = parse_commands(&ins.value.join(" "));
        let alone = MANAGERS.iter().any(|pm| {
            let updates = command_indexes(&cmds, UPDATE, pm);
            let installs = command_indexes(&cmds, INSTALL, pm);
            !updates.is_empty() && !updates.iter().any(|u| installs.iter().any(|i| u < i))
        });
        if alone {
            out.push(cause("The instruction 'RUN <package-manager> update' should always be followed by '<package-manager> install' in the same RUN statement.", ins));
        }
    }
}
