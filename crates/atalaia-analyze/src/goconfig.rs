//! The image config as Trivy's image-config secret analyzer sees it: go-containerregistry's
//! `v1.ConfigFile` struct, marshalled by Go's `json.MarshalIndent(config, "  ", "")`.
//!
//! Why bother: a secret's `StartLine`, `Offset` and code lines are positions in that text, so
//! users (and ignore files keyed on lines) get the same numbers from atalaia as from Trivy only
//! if the text is the same. That means Go's rules, not serde's: fields in the Go struct's order
//! (unknown fields dropped), `omitempty` (which never omits a struct, so a missing `created`
//! becomes Go's zero time), map keys sorted, `<`, `>` and `&` escaped as `\u003c`…, and
//! every line after the first prefixed by two spaces with no nesting indent.

use serde_json::Value;

/// Go's zero `time.Time`, as it marshals.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The fields of go-containerregistry's `v1.Config`, in struct order.
const CONFIG_FIELDS: &[&str] = &[
    "AttachStderr",
    "AttachStdin",
    "AttachStdout",
    "Cmd",
    "Healthcheck",
    "Domainname",
    "Entrypoint",
    "Env",
    "Hostname",
    "Image",
    "Labels",
    "OnBuild",
    "OpenStdin",
    "StdinOnce",
    "Tty",
    "User",
    "Volumes",
    "WorkingDir",
    "ExposedPorts",
    "ArgsEscaped",
    "NetworkDisabled",
    "MacAddress",
    "StopSignal",
    "Shell",
];

/// The fields of `v1.HealthConfig`, in struct order.
const HEALTH_FIELDS: &[&str] = &[
    "Test",
    "Interval",
    "Timeout",
    "StartPeriod",
    "StartInterval",
    "Retries",
];

/// A JSON value in the shape Go would marshal: objects keep the order they are built in.
enum Go {
    Object(Vec<(&'static str, Go)>),
    /// A map (Go sorts its keys).
    Map(Vec<(String, Go)>),
    Array(Vec<Go>),
    Raw(Value),
}

/// Renders `config` (an image config blob, parsed) exactly as Trivy hands it to the secret
/// scanner.
pub(crate) fn render(config: &Value) -> String {
    let mut out = String::new();
    write(&mut out, &config_file(config));
    out
}

fn config_file(c: &Value) -> Go {
    let mut o: Vec<(&'static str, Go)> = Vec::new();
    o.push(("architecture", string_or_empty(c.get("architecture"))));
    push_nonempty(&mut o, "author", c.get("author"));
    push_nonempty(&mut o, "container", c.get("container"));
    o.push(("created", time(c.get("created"))));
    push_nonempty(&mut o, "docker_version", c.get("docker_version"));
    if let Some(Value::Array(h)) = c.get("history") {
        if !h.is_empty() {
            o.push(("history", Go::Array(h.iter().map(history).collect())));
        }
    }
    o.push(("os", string_or_empty(c.get("os"))));
    let rootfs = c.get("rootfs");
    o.push((
        "rootfs",
        Go::Object(vec![
            ("type", string_or_empty(rootfs.and_then(|r| r.get("type")))),
            (
                "diff_ids",
                match rootfs.and_then(|r| r.get("diff_ids")) {
                    Some(v @ Value::Array(_)) => Go::Raw(v.clone()),
                    _ => Go::Raw(Value::Null),
                },
            ),
        ]),
    ));
    o.push(("config", config(c.get("config"))));
    push_nonempty(&mut o, "os.version", c.get("os.version"));
    push_nonempty(&mut o, "variant", c.get("variant"));
    push_nonempty(&mut o, "os.features", c.get("os.features"));
    Go::Object(o)
}

fn history(h: &Value) -> Go {
    let mut o = Vec::new();
    push_nonempty(&mut o, "author", h.get("author"));
    o.push(("created", time(h.get("created"))));
    push_nonempty(&mut o, "created_by", h.get("created_by"));
    push_nonempty(&mut o, "comment", h.get("comment"));
    push_nonempty(&mut o, "empty_layer", h.get("empty_layer"));
    Go::Object(o)
}

fn config(c: Option<&Value>) -> Go {
    let mut o = Vec::new();
    for &field in CONFIG_FIELDS {
        let v = c.and_then(|c| c.get(field));
        match field {
            "Healthcheck" => {
                if let Some(Value::Object(h)) = v {
                    let mut hc = Vec::new();
                    for &f in HEALTH_FIELDS {
                        push_nonempty(&mut hc, f, h.get(f));
                    }
                    o.push((field, Go::Object(hc)));
                }
            }
            "Labels" | "Volumes" | "ExposedPorts" => {
                if let Some(Value::Object(m)) = v {
                    if !m.is_empty() {
                        let mut entries: Vec<(String, Go)> = m
                            .iter()
                            .map(|(k, v)| {
                                let v = if field == "Labels" {
                                    string_or_empty(Some(v))
                                } else {
                                    // map[string]struct{}: every value is `{}`.
                                    Go::Object(Vec::new())
                                };
                                (k.clone(), v)
                            })
                            .collect();
                        entries.sort_by(|a, b| a.0.cmp(&b.0));
                        o.push((field, Go::Map(entries)));
                    }
                }
            }
            _ => push_nonempty(&mut o, field, v),
        }
    }
    Go::Object(o)
}

/// Adds `key` unless the value is what Go's `omitempty` leaves out (null, false, 0, "", [], {}).
fn push_nonempty(o: &mut Vec<(&'static str, Go)>, key: &'static str, v: Option<&Value>) {
    let empty = match v {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(m)) => m.is_empty(),
    };
    if let (false, Some(v)) = (empty, v) {
        o.push((key, Go::Raw(v.clone())));
    }
}

fn string_or_empty(v: Option<&Value>) -> Go {
    match v {
        Some(Value::String(s)) => Go::Raw(Value::String(s.clone())),
        _ => Go::Raw(Value::String(String::new())),
    }
}

/// A timestamp as Go re-marshals it (RFC 3339 with nanoseconds, trailing zeros trimmed, a zero
/// UTC offset as `Z`); Go's zero time when missing.
fn time(v: Option<&Value>) -> Go {
    let Some(Value::String(s)) = v else {
        return Go::Raw(Value::String(ZERO_TIME.to_owned()));
    };
    Go::Raw(Value::String(go_time(s)))
}

fn go_time(s: &str) -> String {
    // Split off the zone (`Z` or `±hh:mm`), then trim the fraction's trailing zeros.
    let (body, zone) = match s.rfind(['Z', '+', '-']) {
        Some(i) if i >= 19 => (&s[..i], &s[i..]),
        _ => return s.to_owned(),
    };
    let zone = if zone == "+00:00" || zone == "-00:00" {
        "Z"
    } else {
        zone
    };
    let body = match body.split_once('.') {
        Some((secs, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                secs.to_owned()
            } else {
                format!("{secs}.{frac}")
            }
        }
        None => body.to_owned(),
    };
    format!("{body}{zone}")
}

/// Go's `MarshalIndent(v, "  ", "")`: after every newline the prefix, never an indent.
fn write(out: &mut String, v: &Go) {
    match v {
        Go::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Go::Object(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                out.push_str(if i == 0 { "\n  " } else { ",\n  " });
                write_str(out, k);
                out.push_str(": ");
                write(out, v);
            }
            out.push_str("\n  }");
        }
        Go::Map(fields) if fields.is_empty() => out.push_str("{}"),
        Go::Map(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                out.push_str(if i == 0 { "\n  " } else { ",\n  " });
                write_str(out, k);
                out.push_str(": ");
                write(out, v);
            }
            out.push_str("\n  }");
        }
        Go::Array(items) if items.is_empty() => out.push_str("[]"),
        Go::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n  " } else { ",\n  " });
                write(out, v);
            }
            out.push_str("\n  ]");
        }
        Go::Raw(v) => write_value(out, v),
    }
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(out, s),
        Value::Array(a) => write(
            out,
            &Go::Array(a.iter().map(|v| Go::Raw(v.clone())).collect()),
        ),
        Value::Object(m) => {
            let mut entries: Vec<(String, Go)> = m
                .iter()
                .map(|(k, v)| (k.clone(), Go::Raw(v.clone())))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            write(out, &Go::Map(entries));
        }
    }
}

/// A string as Go's encoder writes it (HTML-safe escaping on).
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_go_marshal_indent_with_a_prefix() {
        let config = serde_json::json!({
            "os": "linux",
            "architecture": "amd64",
            "unknown": "dropped",
            "history": [{"created_by": "echo a > b && c", "empty_layer": true}],
            "rootfs": {"type": "layers", "diff_ids": ["sha256:aa"]},
            "config": {"Env": ["A=1"], "Labels": {"z": "1", "a": "2"}, "ExposedPorts": {"80/tcp": {}},
                       "Tty": false, "Healthcheck": {"Test": ["CMD", "true"], "Retries": 3}},
            "created": "2024-05-22T18:18:12.052034400+00:00"
        });
        let expected = r#"{
  "architecture": "amd64",
  "created": "2024-05-22T18:18:12.0520344Z",
  "history": [
  {
  "created": "0001-01-01T00:00:00Z",
  "created_by": "echo a \u003e b \u0026\u0026 c",
  "empty_layer": true
  }
  ],
  "os": "linux",
  "rootfs": {
  "type": "layers",
  "diff_ids": [
  "sha256:aa"
  ]
  },
  "config": {
  "Healthcheck": {
  "Test": [
  "CMD",
  "true"
  ],
  "Retries": 3
  },
  "Env": [
  "A=1"
  ],
  "Labels": {
  "a": "2",
  "z": "1"
  },
  "ExposedPorts": {
  "80/tcp": {}
  }
  }
  }"#;
        assert_eq!(render(&config), expected);
    }

    #[test]
    fn odd_configs_render_without_panicking() {
        for v in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({"config": null, "rootfs": 3, "history": "x", "created": "bad"}),
            serde_json::json!({"created": "2024-01-01T00:00:00.000Z", "config": {"Labels": {}}}),
        ] {
            let text = render(&v);
            assert!(text.starts_with("{\n  \"architecture\": \"\""), "{text}");
        }
        assert_eq!(go_time("2024-01-01T00:00:00.000Z"), "2024-01-01T00:00:00Z");
        assert_eq!(
            go_time("2024-01-01T00:00:00-07:00"),
            "2024-01-01T00:00:00-07:00"
        );
        assert_eq!(go_time("bad"), "bad");
    }
}
