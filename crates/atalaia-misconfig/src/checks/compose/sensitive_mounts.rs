//! KSV-0006 on Compose services: the Docker socket mounted into a container.

use crate::checks::Cause;
use crate::compose::ComposeFile;

/// A `volumes` entry whose source is `/var/run/docker.sock` (or `/run/docker.sock`).
pub(super) fn run(f: &ComposeFile<'_>, out: &mut Vec<Cause>) {
    for s in &f.services {
        let mounted = s.strings("volumes").iter().any(|v| {
            let src = v.split(':').next().unwrap_or("");
            src == "/var/run/docker.sock" || src == "/run/docker.sock"
        });
        if mounted {
            out.push(Cause::new(
                format!(
                    "Service '{}' should not mount '/var/run/docker.sock'",
                    s.name
                ),
                Some(s.lines_of("volumes")),
            ));
        }
    }
}
