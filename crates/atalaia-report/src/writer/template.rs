//! `--format template`: a report rendered through a user's template, Jinja syntax (`minijinja`).
//!
//! Trivy renders Go templates over its results (`--template "@contrib/junit.tpl"`); atalaia
//! renders Jinja templates over the same data, so a Trivy template ports by syntax alone:
//!
//! ```text
//! {% for r in results %}{{ r.Target }}: {{ r.Vulnerabilities | length }}
//! {% for v in r.Vulnerabilities %}  {{ v.VulnerabilityID }} {{ v.Severity }} {{ v.Title | escape_xml }}
//! {% endfor %}{% endfor %}
//! ```
//!
//! The context holds `report` (the whole report with the JSON writer's field names:
//! `report.ArtifactName`, `report.Metadata.OS.Family`, …) and `results` (`report.Results`,
//! empty when there are none). Fields the JSON writer leaves out when empty are undefined, and
//! an undefined value iterates as nothing and prints as nothing, like a nil in Go templates.
//!
//! Besides minijinja's built-in filters (`length`, `upper`, `lower`, `join`, `default`,
//! `tojson`, …) the templates Trivy users carry need these filters:
//!
//! - `escape_xml`: XML-escapes text as Trivy's `escapeXML` (Go's `xml.EscapeText`);
//! - `to_json`: the value as compact JSON, `<`, `>` and `&` escaped as Go does;
//! - `severity_to_level`: a severity as a SARIF level (`error`, `warning`, `note`);
//! - `end_with_period`: appends `.` unless the text already ends with one.
//!
//! Output is not auto-escaped (templates write XML, JSON and Markdown alike) and keeps the
//! template's trailing newline. Nothing in the context varies between runs (no clock, no
//! random), so identical reports give identical bytes. Errors name the template and the line.

use std::io::Write;
use std::path::Path;

use minijinja::{context, AutoEscape, Environment, Value};

use crate::{Report, ReportError};

/// A template to render a report with: its name (the file it came from, for errors) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    source: String,
}

impl Template {
    /// A template given inline (`--template '{{ ... }}'`); errors name it `<inline>`.
    pub fn inline(source: impl Into<String>) -> Template {
        Template {
            name: "<inline>".to_owned(),
            source: source.into(),
        }
    }

    /// Reads a template file.
    pub fn from_file(path: &Path) -> Result<Template, ReportError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|err| ReportError::Template {
            location: format!("`{name}`"),
            err: Box::new(err),
        })?;
        let source = String::from_utf8(bytes).map_err(|err| ReportError::Template {
            location: format!("`{name}`"),
            err: Box::new(err),
        })?;
        Ok(Template { name, source })
    }

    /// The `--template` argument as Trivy reads it: `@PATH` names a file, anything else is the
    /// template itself.
    pub fn from_arg(arg: &str) -> Result<Template, ReportError> {
        match arg.strip_prefix('@') {
            Some(path) => Template::from_file(Path::new(path)),
            None => Ok(Template::inline(arg)),
        }
    }

    /// The name errors use (the file path, or `<inline>`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The text of a value as a filter reads it: strings as they are, undefined and none as
/// nothing (Trivy's templates see empty strings where atalaia leaves a field out), anything
/// else as it prints.
fn text(v: &Value) -> String {
    if v.is_undefined() || v.is_none() {
        String::new()
    } else if let Some(s) = v.as_str() {
        s.to_owned()
    } else {
        v.to_string()
    }
}

fn escape_xml(v: &Value) -> String {
    super::junit::escape_xml(&text(v))
}

fn to_json(v: &Value) -> Result<String, minijinja::Error> {
    let text = serde_json::to_string(v).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "value cannot be written as JSON",
        )
        .with_source(e)
    })?;
    Ok(text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

fn severity_to_level(v: &Value) -> &'static str {
    super::sarif::level(&text(v).to_ascii_uppercase())
}

fn end_with_period(v: &Value) -> String {
    let s = text(v);
    if s.ends_with('.') {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_filter("escape_xml", escape_xml);
    env.add_filter("to_json", to_json);
    env.add_filter("severity_to_level", severity_to_level);
    env.add_filter("end_with_period", end_with_period);
    env
}

fn template_error(template: &Template, err: minijinja::Error) -> ReportError {
    let name = err.name().unwrap_or(&template.name).to_owned();
    let location = match err.line() {
        Some(line) => format!("`{name}` at line {line}"),
        None => format!("`{name}`"),
    };
    ReportError::Template {
        location,
        err: Box::new(err),
    }
}

/// Renders the report through the template.
pub fn render(report: &Report, template: &Template) -> Result<String, ReportError> {
    let env = environment();
    let tmpl = env
        .template_from_named_str(&template.name, &template.source)
        .map_err(|e| template_error(template, e))?;
    let ctx = context! {
        report => Value::from_serialize(report),
        results => Value::from_serialize(&report.results),
    };
    tmpl.render(ctx).map_err(|e| template_error(template, e))
}

/// Writes the report rendered through the template.
pub fn write(report: &Report, template: &Template, out: &mut dyn Write) -> Result<(), ReportError> {
    let text = render(report, template)?;
    out.write_all(text.as_bytes())
        .map_err(|err| ReportError::Io {
            format: "template",
            err,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        assert_eq!(end_with_period(&Value::from("a")), "a.");
        assert_eq!(end_with_period(&Value::from("a.")), "a.");
        assert_eq!(end_with_period(&Value::UNDEFINED), ".");
        assert_eq!(escape_xml(&Value::UNDEFINED), "");
        assert_eq!(escape_xml(&Value::from(3)), "3");
        assert_eq!(escape_xml(&Value::from("<")), "&lt;");
        assert_eq!(severity_to_level(&Value::from("high")), "error");
        assert_eq!(severity_to_level(&Value::from("MEDIUM")), "warning");
        assert_eq!(
            to_json(&Value::from_serialize(serde_json::json!({"a": "<&>"}))).unwrap(),
            r#"{"a":"\u003c\u0026\u003e"}"#
        );
    }

    #[test]
    fn args_name_files_or_inline_text() {
        assert_eq!(Template::from_arg("{{ x }}").unwrap().name(), "<inline>");
        let err = Template::from_arg("@/nonexistent/atalaia.tpl").unwrap_err();
        assert!(
            err.to_string().contains("`/nonexistent/atalaia.tpl`"),
            "{err}"
        );
    }
}
