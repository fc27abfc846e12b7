//! An image's configuration as a Dockerfile, so the Dockerfile checks can judge an image
//! whose Dockerfile is not at hand.
//!
//! Trivy rebuilds the Dockerfile from the config's `history` (`created_by` of each step after
//! the base image), adds `USER` from the config when no step set one, and runs the Dockerfile
//! checks on it. This module does the same, with the same guess of where the base image ends
//! (the last `CMD` that is an empty layer, after skipping the trailing empty layers).

use crate::{scan_file, FileResult, Options};

/// One entry of an image config's `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryEntry<'a> {
    /// `created_by`, e.g. `/bin/sh -c #(nop)  CMD ["sh"]` or `RUN /bin/sh -c make # buildkit`.
    pub created_by: &'a str,
    /// `empty_layer`.
    pub empty_layer: bool,
}

/// The parts of an image config the rebuilt Dockerfile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig<'a> {
    /// `history`, oldest first.
    pub history: Vec<HistoryEntry<'a>>,
    /// `config.User`.
    pub user: Option<&'a str>,
    /// `config.Healthcheck.Test` (e.g. `["CMD-SHELL", "curl -f localhost"]`).
    pub healthcheck: Option<Vec<String>>,
}

const OTHER_INSTRUCTIONS: &[&str] = &[
    "ARG",
    "ENV",
    "ENTRYPOINT",
    "CMD",
    "EXPOSE",
    "WORKDIR",
    "VOLUME",
    "LABEL",
    "STOPSIGNAL",
    "SHELL",
    "ONBUILD",
    "MAINTAINER",
    "ADD",
    "COPY",
    "RUN",
];

/// Index of the last history entry of the base image, if it can be told.
fn base_image_index(history: &[HistoryEntry<'_>]) -> Option<usize> {
    let mut found_non_empty = false;
    for (i, h) in history.iter().enumerate().rev() {
        if !found_non_empty {
            if h.empty_layer {
                continue;
            }
            found_non_empty = true;
        }
        if !h.empty_layer {
            continue;
        }
        if h.created_by.starts_with("/bin/sh -c #(nop)  CMD") || h.created_by.starts_with("CMD") {
            return Some(i);
        }
    }
    None
}

/// Rebuild a Dockerfile from an image config (the steps after the base image).
pub fn dockerfile_from_image_config(cfg: &ImageConfig<'_>) -> String {
    let start = base_image_index(&cfg.history).map_or(0, |i| i + 1);
    let mut out = String::new();
    let mut user_found = false;
    for h in &cfg.history[start.min(cfg.history.len())..] {
        let by = h.created_by;
        let line = if let Some(rest) = by.strip_prefix("/bin/sh -c #(nop)") {
            rest.to_string()
        } else if by.starts_with("/bin/sh -c") {
            by.replace("/bin/sh -c", "RUN")
        } else if let Some(rest) = by.strip_suffix("# buildkit") {
            if by.starts_with("RUN /bin/sh -c") {
                rest.replace("RUN /bin/sh -c", "RUN")
            } else {
                rest.to_string()
            }
        } else if by.starts_with("USER") {
            by.to_string()
        } else if by.starts_with("HEALTHCHECK") {
            healthcheck(cfg.healthcheck.as_deref()).unwrap_or_default()
        } else if OTHER_INSTRUCTIONS.iter().any(|p| by.starts_with(p)) {
            by.to_string()
        } else {
            String::new()
        };
        let line = line.trim();
        if line.starts_with("USER") {
            user_found = true;
        }
        // A rebuilt step is one line: newlines inside a RUN become continuations.
        out.push_str(&line.replace('\n', " \\\n"));
        out.push('\n');
    }
    if let Some(user) = cfg.user.filter(|u| !user_found && !u.is_empty()) {
        out.push_str("USER ");
        out.push_str(user);
        out.push('\n');
    }
    out
}

fn healthcheck(test: Option<&[String]>) -> Option<String> {
    let test = test?;
    if test.is_empty() {
        return None;
    }
    Some(format!(
        "HEALTHCHECK {}",
        test.join(" ").replace("CMD-SHELL", "CMD")
    ))
}

/// Rebuild the Dockerfile of an image config and run the Dockerfile checks on it. `target`
/// names the result (e.g. the image reference).
pub fn scan_image_config(target: &str, cfg: &ImageConfig<'_>, opts: &Options) -> FileResult {
    let text = dockerfile_from_image_config(cfg);
    let mut r = scan_file("Dockerfile", text.as_bytes(), opts);
    r.target = target.to_string();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(created_by: &str, empty_layer: bool) -> HistoryEntry<'_> {
        HistoryEntry {
            created_by,
            empty_layer,
        }
    }

    #[test]
    fn rebuilds_after_the_base_image() {
        let cfg = ImageConfig {
            history: vec![
                entry("/bin/sh -c #(nop) ADD file:abc in / ", false),
                entry("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", true),
                entry("/bin/sh -c apk add curl", false),
                entry("COPY app /app # buildkit", false),
                entry("RUN /bin/sh -c make # buildkit", false),
                entry("EXPOSE map[22/tcp:{}]", true),
                entry(
                    "HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] 0s 0s 0s 0s 0}",
                    true,
                ),
                entry("CMD [\"/app\"]", true),
            ],
            user: Some("root"),
            healthcheck: Some(vec!["CMD-SHELL".into(), "curl -f localhost".into()]),
        };
        let df = dockerfile_from_image_config(&cfg);
        assert_eq!(
            df,
            "RUN apk add curl\nCOPY app /app\nRUN make\nEXPOSE map[22/tcp:{}]\nHEALTHCHECK CMD curl -f localhost\nCMD [\"/app\"]\nUSER root\n"
        );
        let r = scan_image_config("img:1", &cfg, &Options::default());
        assert_eq!(r.target, "img:1");
        let ids: Vec<&str> = r.failures().map(|m| m.id.as_str()).collect();
        assert!(ids.contains(&"DS-0002"), "{ids:?}");
        assert!(ids.contains(&"DS-0025"), "{ids:?}");
        assert!(!ids.contains(&"DS-0026"), "{ids:?}");
    }

    #[test]
    fn no_base_image_guess_keeps_everything() {
        let cfg = ImageConfig {
            history: vec![entry("/bin/sh -c #(nop) USER app", true)],
            user: Some("root"),
            healthcheck: None,
        };
        assert_eq!(dockerfile_from_image_config(&cfg), "USER app\n");
        assert_eq!(dockerfile_from_image_config(&ImageConfig::default()), "");
    }
}
