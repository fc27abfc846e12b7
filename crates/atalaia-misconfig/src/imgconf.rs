//! An image's configuration as a Dockerfile, so the Dockerfile checks can judge an image
//! whose Dockerfile is not at hand (Trivy's `--image-config-scanners misconfig`).
//!
//! The rebuilt Dockerfile follows Trivy 0.76 line for line, so check IDs and line numbers
//! agree:
//!
//! - the steps of the base image are left out: walking the history from the end, the trailing
//!   empty layers are skipped, then the first empty-layer `CMD` (`/bin/sh -c #(nop)  CMD` or
//!   BuildKit's `CMD`) ends the base image; without one every step is kept;
//! - every remaining history entry gives exactly one line (an empty one when the step is not
//!   kept), so line `n` is the `n`-th step after the base image:
//!   - `/bin/sh -c #(nop) X` (the classic builder's non-`RUN` steps) gives `X`, with
//!     `COPY file:<hash> in <dest>` / `ADD dir:<hash> in <dest>` written `COPY file:<hash> <dest>`;
//!   - `/bin/sh -c X` (the classic builder's `RUN`) gives `RUN X`;
//!   - `… # buildkit` (BuildKit's `RUN`, `COPY`, `ADD`) loses the marker, and a `RUN` its
//!     `/bin/sh -c` (and any build arguments before it: `RUN |1 A=b /bin/sh -c X` gives `RUN X`);
//!   - BuildKit's `USER`, `ARG` and `ENTRYPOINT` are kept as they are; `ENV k=v` is written
//!     `ENV k="v"` (Go quoting) so a legacy `ENV k v1 v2` stays one variable; `HEALTHCHECK`
//!     is rebuilt from the config's `Healthcheck` (options `--interval`, `--timeout`,
//!     `--startPeriod`, `--retries` when set, `CMD-SHELL` written `CMD`);
//!   - anything else (BuildKit's `EXPOSE`, `WORKDIR`, `CMD`, `COPY` without the marker,
//!     a plain `RUN …`, a tool's own text…) gives an empty line;
//!   - build metadata suffixes (`|key=value`, written by Buildah) are removed;
//! - `USER <config.User>` is appended (without a newline) whenever the config sets a user,
//!   since `docker run --user` or the config itself may override the history;
//! - failures of DS-0007 (several `ENTRYPOINT`) and DS-0016 (several `CMD`) are dropped: a
//!   history holds the base image's instructions too, so they would always fire.
//!
//! A step with an embedded newline (a heredoc) is written as is, as Trivy does; when that makes
//! the Dockerfile unparsable, there is no result, as with Trivy.

use serde_json::Value;

use crate::{scan_file, FileResult, Options, Status};

/// One entry of an image config's `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryEntry<'a> {
    /// `created_by`, e.g. `/bin/sh -c #(nop)  CMD ["sh"]` or `RUN /bin/sh -c make # buildkit`.
    pub created_by: &'a str,
    /// `empty_layer`.
    pub empty_layer: bool,
}

/// `config.Healthcheck` of an image config (durations in nanoseconds, as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthConfig {
    /// `Test`, e.g. `["CMD-SHELL", "curl -f localhost"]`.
    pub test: Vec<String>,
    /// `Interval`.
    pub interval: i64,
    /// `Timeout`.
    pub timeout: i64,
    /// `StartPeriod`.
    pub start_period: i64,
    /// `Retries`.
    pub retries: i64,
}

/// The parts of an image config the rebuilt Dockerfile uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig<'a> {
    /// `history`, oldest first.
    pub history: Vec<HistoryEntry<'a>>,
    /// `config.User`.
    pub user: Option<&'a str>,
    /// `config.Healthcheck`.
    pub healthcheck: Option<HealthConfig>,
}

impl<'a> ImageConfig<'a> {
    /// Reads the parts it needs from an image config blob (the OCI/Docker config JSON). Fields
    /// that are missing or of the wrong type are read as absent, never an error.
    pub fn from_json(config: &'a Value) -> ImageConfig<'a> {
        let history = config["history"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| HistoryEntry {
                created_by: h["created_by"].as_str().unwrap_or_default(),
                empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
            })
            .collect();
        let hc = &config["config"]["Healthcheck"];
        let healthcheck = hc.is_object().then(|| HealthConfig {
            test: hc["Test"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            interval: hc["Interval"].as_i64().unwrap_or(0),
            timeout: hc["Timeout"].as_i64().unwrap_or(0),
            start_period: hc["StartPeriod"].as_i64().unwrap_or(0),
            retries: hc["Retries"].as_i64().unwrap_or(0),
        });
        ImageConfig {
            history,
            user: config["config"]["User"].as_str(),
            healthcheck,
        }
    }
}

/// Checks a rebuilt Dockerfile does not report (see the module documentation).
const DISABLED_CHECKS: &[&str] = &["DS-0007", "DS-0016"];

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

/// `RUN` plus what follows the first `/bin/sh -c`; `s` unchanged without one.
fn run_instruction(s: &str) -> String {
    const SHELL: &str = "/bin/sh -c";
    match s.find(SHELL) {
        Some(pos) => format!("RUN{}", &s[pos + SHELL.len()..]),
        None => s.to_owned(),
    }
}

/// Go's `\s` (ASCII only).
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// `file:<hash> in <dest>` and `dir:<hash> in <dest>` written without the `in`.
fn normalize_copy(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let at_boundary = i == 0 || !is_word_byte(bytes[i - 1]);
        let prefix = ["file:", "dir:"]
            .into_iter()
            .find(|p| at_boundary && s[i..].starts_with(p));
        if let Some(prefix) = prefix {
            let run_start = i + prefix.len();
            let run_end = bytes[run_start..]
                .iter()
                .position(|&b| is_go_space(b))
                .map_or(bytes.len(), |n| run_start + n);
            if run_end > run_start && s[run_end..].starts_with(" in ") {
                out.push_str(&s[copied..run_end]);
                out.push(' ');
                i = run_end + " in ".len();
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Removes build metadata suffixes `|key=value` (key `[A-Za-z0-9_-]+`, value up to the next
/// space or tab).
fn strip_build_metadata(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'|' {
            let key_end = bytes[i + 1..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
                .map_or(bytes.len(), |n| i + 1 + n);
            if key_end > i + 1 && bytes.get(key_end) == Some(&b'=') {
                let value_end = bytes[key_end + 1..]
                    .iter()
                    .position(|&b| b == b' ' || b == b'\t')
                    .map_or(bytes.len(), |n| key_end + 1 + n);
                if value_end > key_end + 1 {
                    out.push_str(&s[copied..i]);
                    i = value_end;
                    copied = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// `ENV k=v` written `ENV k="v"` with Go's `%q` quoting.
fn restore_env_line(s: &str) -> String {
    match s.split_once('=') {
        Some((k, v)) => format!("{k}={}", go_quote(v)),
        None => s.to_owned(),
    }
}

/// Go's `strconv.Quote`.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `time.Duration.String` for `ns` nanoseconds.
fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".to_owned();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let u = ns.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    let body = if u < SEC {
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        format!("{}{unit}", decimal(u, div))
    } else {
        let secs = u / SEC;
        let (h, m) = (secs / 3600, (secs / 60) % 60);
        let s = decimal((secs % 60) * SEC + u % SEC, SEC);
        if h > 0 {
            format!("{h}h{m}m{s}s")
        } else if m > 0 {
            format!("{m}m{s}s")
        } else {
            format!("{s}s")
        }
    };
    format!("{sign}{body}")
}

/// `v / div` as a decimal number without trailing zeros (`div` a power of ten).
fn decimal(v: u64, div: u64) -> String {
    let (int, rem) = (v / div, v % div);
    if rem == 0 {
        return int.to_string();
    }
    let width = div.ilog10() as usize;
    let frac = format!("{rem:0width$}");
    format!("{int}.{}", frac.trim_end_matches('0'))
}

/// The `HEALTHCHECK` line rebuilt from the config.
fn healthcheck_instruction(h: &HealthConfig) -> String {
    let mut out = String::from("HEALTHCHECK ");
    if h.interval != 0 {
        out.push_str(&format!("--interval={} ", go_duration(h.interval)));
    }
    if h.timeout != 0 {
        out.push_str(&format!("--timeout={} ", go_duration(h.timeout)));
    }
    if h.start_period != 0 {
        out.push_str(&format!("--startPeriod={} ", go_duration(h.start_period)));
    }
    if h.retries != 0 {
        out.push_str(&format!("--retries={} ", h.retries));
    }
    out.push_str(&h.test.join(" ").replace("CMD-SHELL", "CMD"));
    out
}

/// The Dockerfile line of one history step (possibly empty; see the module documentation).
fn step_line(by: &str, cfg: &ImageConfig<'_>) -> String {
    let line = if let Some(rest) = by.strip_prefix("/bin/sh -c #(nop)") {
        if rest.starts_with(" COPY") || rest.starts_with(" ADD") {
            normalize_copy(rest)
        } else {
            rest.to_owned()
        }
    } else if by.starts_with("/bin/sh -c") {
        run_instruction(by)
    } else if let Some(rest) = by.strip_suffix("# buildkit") {
        run_instruction(rest)
    } else if by.starts_with("USER") || by.starts_with("ARG") || by.starts_with("ENTRYPOINT") {
        by.to_owned()
    } else if by.starts_with("HEALTHCHECK") {
        // Without a `Healthcheck` in the config there is nothing to rebuild (Trivy would
        // dereference a nil pointer here).
        cfg.healthcheck
            .as_ref()
            .map(healthcheck_instruction)
            .unwrap_or_default()
    } else if by.starts_with("ENV") {
        restore_env_line(by)
    } else {
        String::new()
    };
    strip_build_metadata(&line).trim().to_owned()
}

/// Rebuild a Dockerfile from an image config (the steps after the base image, one line each,
/// then the config's user).
pub fn dockerfile_from_image_config(cfg: &ImageConfig<'_>) -> String {
    let start = base_image_index(&cfg.history).map_or(0, |i| i + 1);
    let mut out = String::new();
    for h in cfg.history.get(start..).unwrap_or_default() {
        out.push_str(&step_line(h.created_by, cfg));
        out.push('\n');
    }
    if let Some(user) = cfg.user.filter(|u| !u.is_empty()) {
        out.push_str("USER ");
        out.push_str(user);
    }
    out
}

/// Rebuild the Dockerfile of an image config and run the Dockerfile checks on it. `target`
/// names the result (e.g. the image reference). Failures of the checks a history always
/// trips (DS-0007, DS-0016) are dropped, as Trivy does.
pub fn scan_image_config(target: &str, cfg: &ImageConfig<'_>, opts: &Options) -> FileResult {
    let text = dockerfile_from_image_config(cfg);
    let mut r = scan_file("Dockerfile", text.as_bytes(), opts);
    r.target = target.to_string();
    let before = r.misconfigurations.len();
    r.misconfigurations
        .retain(|m| !(m.status == Status::Fail && DISABLED_CHECKS.contains(&m.id.as_str())));
    r.misconf_summary.failures = r
        .misconf_summary
        .failures
        .saturating_sub(before - r.misconfigurations.len());
    r
}

/// [`scan_image_config`] on an image config blob, or `None` when the rebuilt Dockerfile is
/// blank (no step after the base image is an instruction, and no user: Trivy reports nothing
/// then either) or cannot be parsed (a step with a heredoc, as with Trivy).
pub fn scan_image_config_json(target: &str, config: &Value, opts: &Options) -> Option<FileResult> {
    let cfg = ImageConfig::from_json(config);
    if dockerfile_from_image_config(&cfg).trim().is_empty() {
        return None;
    }
    let r = scan_image_config(target, &cfg, opts);
    r.kind.is_some().then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Misconfiguration;

    fn entry(created_by: &str, empty_layer: bool) -> HistoryEntry<'_> {
        HistoryEntry {
            created_by,
            empty_layer,
        }
    }

    fn failures(r: &FileResult) -> Vec<(&str, usize)> {
        r.failures()
            .map(|m| (m.id.as_str(), m.cause_metadata.start_line))
            .collect()
    }

    #[test]
    fn classic_and_buildkit_steps_become_trivys_lines() {
        let cfg = ImageConfig {
            history: vec![
                entry("/bin/sh -c #(nop) ADD file:abc in / ", false),
                entry("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", true),
                entry("/bin/sh -c apk add curl", false),
                entry("/bin/sh -c #(nop) COPY file:def in /app ", false),
                entry("/bin/sh -c #(nop)  EXPOSE 22|force-mtime=10", true),
                entry("RUN |1 X=y /bin/sh -c sudo ls # buildkit", false),
                entry("EXPOSE map[23/tcp:{}]", true),
                entry("ENV A=hello \"world\"", true),
                entry("WORKDIR app", true),
                entry("COPY x /x # buildkit", false),
                entry(
                    "HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"10s\" \"3s\" \"0s\" '\\x00'}",
                    true,
                ),
                entry("MAINTAINER y", true),
                entry("USER root", true),
                entry("ARG X=y", true),
                entry("ENTRYPOINT [\"a\"]", true),
                entry("RUN apk add wget", false),
                entry("CMD [\"x\"]", true),
            ],
            user: Some("app"),
            healthcheck: Some(HealthConfig {
                test: vec!["CMD-SHELL".into(), "curl -f localhost".into()],
                interval: 10_000_000_000,
                timeout: 3_000_000_000,
                start_period: 90_000_000_000,
                retries: 3,
            }),
        };
        assert_eq!(
            dockerfile_from_image_config(&cfg),
            "RUN apk add curl\n\
             COPY file:def /app\n\
             EXPOSE 22\n\
             RUN sudo ls\n\
             \n\
             ENV A=\"hello \\\"world\\\"\"\n\
             \n\
             COPY x /x\n\
             HEALTHCHECK --interval=10s --timeout=3s --startPeriod=1m30s --retries=3 CMD curl -f localhost\n\
             \n\
             USER root\n\
             ARG X=y\n\
             ENTRYPOINT [\"a\"]\n\
             \n\
             \n\
             USER app"
        );
        let r = scan_image_config("img:1", &cfg, &Options::default());
        assert_eq!(r.target, "img:1");
        // The config's user comes last: no DS-0002; no DS-0026 (a HEALTHCHECK is there).
        assert_eq!(
            failures(&r),
            [("DS-0025", 1), ("DS-0004", 3), ("DS-0010", 4)]
        );
    }

    #[test]
    fn checks_a_history_always_trips_are_dropped() {
        let cfg = ImageConfig {
            history: vec![
                entry("ENTRYPOINT [\"a\"]", true),
                entry("/bin/sh -c #(nop)  ENTRYPOINT [\"b\"]", true),
                entry("/bin/sh -c #(nop)  CMD [\"x\"]", true),
                entry("/bin/sh -c #(nop)  CMD [\"y\"]", true),
            ],
            user: Some("app"),
            healthcheck: None,
        };
        let all = scan_file(
            "Dockerfile",
            dockerfile_from_image_config(&cfg).as_bytes(),
            &Options::default(),
        );
        let ids: Vec<&str> = all.failures().map(|m| m.id.as_str()).collect();
        assert!(
            ids.contains(&"DS-0007") && ids.contains(&"DS-0016"),
            "{ids:?}"
        );
        let r = scan_image_config("img", &cfg, &Options::default());
        let ids: Vec<&str> = r.failures().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["DS-0026"]);
        assert_eq!(r.misconf_summary.failures, 1);
    }

    #[test]
    fn base_image_guess() {
        // No CMD: every step is kept; the trailing empty CMD is not the base image's.
        let h = [entry("ARG A=1", true), entry("CMD [\"x\"]", true)];
        assert_eq!(base_image_index(&h), None);
        let h = [
            entry("ADD x /", false),
            entry("CMD [\"sh\"]", true),
            entry("RUN /bin/sh -c ls # buildkit", false),
            entry("CMD [\"app\"]", true),
        ];
        assert_eq!(base_image_index(&h), Some(1));
        let cfg = ImageConfig {
            history: h.to_vec(),
            ..ImageConfig::default()
        };
        assert_eq!(dockerfile_from_image_config(&cfg), "RUN ls\n\n");
        assert_eq!(dockerfile_from_image_config(&ImageConfig::default()), "");
    }

    #[test]
    fn helpers_follow_go() {
        assert_eq!(go_duration(10_000_000_000), "10s");
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(1_500_000), "1.5ms");
        assert_eq!(go_duration(2_000), "2µs");
        assert_eq!(go_duration(7), "7ns");
        assert_eq!(go_duration(-2_000_000_000), "-2s");
        assert_eq!(go_duration(i64::MIN), "-2562047h47m16.854775808s");
        assert_eq!(
            strip_build_metadata("HEALTHCHECK NONE|unsetLabel=true|inheritLabels=false x"),
            "HEALTHCHECK NONE x"
        );
        assert_eq!(strip_build_metadata("a | b |=c |k="), "a | b |=c |k=");
        assert_eq!(
            normalize_copy(" COPY file:abc in /a dir:def in /b"),
            " COPY file:abc /a dir:def /b"
        );
        assert_eq!(normalize_copy(" ADD xfile:abc in /"), " ADD xfile:abc in /");
        assert_eq!(normalize_copy(" ADD file: in /"), " ADD file: in /");
        assert_eq!(
            restore_env_line("ENV tags=latest v0"),
            "ENV tags=\"latest v0\""
        );
        assert_eq!(restore_env_line("ENV"), "ENV");
        assert_eq!(go_quote("a\\b\n\u{1}é"), "\"a\\\\b\\n\\x01é\"");
        assert_eq!(run_instruction("COPY a b "), "COPY a b ");
    }

    #[test]
    fn config_json_of_any_shape_never_panics() {
        let opts = Options::default();
        for bad in [
            serde_json::json!(null),
            serde_json::json!([1, 2]),
            serde_json::json!({"history": "x", "config": []}),
            serde_json::json!({"history": [1, {"created_by": 5}], "config": {"User": 3,
                "Healthcheck": {"Test": "x", "Interval": "10s", "Retries": -1}}}),
            serde_json::json!({"history": [{"created_by": "HEALTHCHECK &{}"}]}),
            serde_json::json!({"history": [{"created_by": "\u{0}\u{ffff}|=|a=\u{fe0f}"}]}),
        ] {
            assert!(
                scan_image_config_json("img", &bad, &opts).is_none(),
                "{bad}"
            );
        }
        // A heredoc step breaks the Dockerfile (as with Trivy): no result.
        let heredoc = serde_json::json!({"history": [
            {"created_by": "RUN /bin/sh -c set -e\napk add curl # buildkit"},
            {"created_by": "/bin/sh -c #(nop)  EXPOSE 22", "empty_layer": true}
        ]});
        assert!(scan_image_config_json("img", &heredoc, &opts).is_none());
        // A malformed healthcheck is read as far as it goes.
        let v = serde_json::json!({"config": {"Healthcheck": {"Test": ["NONE", 3], "Timeout": 1}}});
        let cfg = ImageConfig::from_json(&v);
        assert_eq!(
            cfg.healthcheck,
            Some(HealthConfig {
                test: vec!["NONE".into()],
                timeout: 1,
                ..HealthConfig::default()
            })
        );
    }

    #[test]
    fn whole_file_findings_round_trip_through_json() {
        let cfg = ImageConfig {
            history: vec![entry("RUN /bin/sh -c ls # buildkit", false)],
            user: Some("app"),
            healthcheck: None,
        };
        let r = scan_image_config("img", &cfg, &Options::default());
        let whole: Vec<&Misconfiguration> = r
            .failures()
            .filter(|m| m.cause_metadata.start_line == 0)
            .collect();
        assert_eq!(whole.len(), 1, "DS-0026 is about the whole file");
        let json = serde_json::to_value(whole[0]).unwrap();
        assert!(json["CauseMetadata"].get("StartLine").is_none(), "{json}");
        assert!(json.get("Layer").is_none(), "{json}");
        let back: Misconfiguration = serde_json::from_value(json).unwrap();
        assert_eq!(&back, whole[0]);
    }
}
