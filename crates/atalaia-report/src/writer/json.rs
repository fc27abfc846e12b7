//! The JSON writer: Trivy's report layout, byte for byte where the data agree.
//!
//! Trivy marshals with Go's `json.MarshalIndent(report, "", "  ")` and a trailing newline. Go
//! also escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings (`\u003c` …); this writer does
//! the same, so that a diff against Trivy's output shows only real differences (image history
//! lines such as `apk add … && rm …` are full of `&`).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::{Report, ReportError};

/// A pretty formatter (two-space indent) that escapes strings like Go's `encoding/json`.
struct GoFormatter<'a>(PrettyFormatter<'a>);

impl Formatter for GoFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let esc = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            w.write_all(&fragment.as_bytes()[start..i])?;
            w.write_all(esc.as_bytes())?;
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    // Everything else is the pretty formatter's.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Serialises any value the way Trivy's JSON writer would: two-space indent, Go's string
/// escaping, and a trailing newline. Other writers (the SBOM formats) may reuse it.
pub fn write_value<T: Serialize + ?Sized>(
    value: &T,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        GoFormatter(PrettyFormatter::with_indent(b"  ")),
    );
    value
        .serialize(&mut ser)
        .map_err(|err| ReportError::Serialize {
            format: "json",
            err,
        })?;
    buf.push(b'\n');
    out.write_all(&buf).map_err(|err| ReportError::Io {
        format: "json",
        err,
    })
}

/// Writes the report as Trivy-compatible JSON.
pub fn write(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    write_value(report, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let mut out = Vec::new();
        write_value(
            &serde_json::json!({"a": "x && <y> \u{2028} é \"q\""}),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": \"x \\u0026\\u0026 \\u003cy\\u003e \\u2028 é \\\"q\\\"\"\n}\n"
        );
    }

    #[test]
    fn reports_a_refusing_destination() {
        struct Refuse;
        impl Write for Refuse {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write_value(&1, &mut Refuse).unwrap_err();
        assert!(
            matches!(err, ReportError::Io { format: "json", .. }),
            "{err:?}"
        );
    }
}
