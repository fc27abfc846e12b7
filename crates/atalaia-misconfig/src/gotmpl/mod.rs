//! A Go `text/template` compatible engine with the Helm and sprig functions charts use.
//!
//! Written here rather than taken from a crate: the Rust ports of Go templates (`gtmpl`) are
//! unmaintained and lack most of what charts need (trim markers everywhere, `block`, `break`,
//! lazy `and`/`or`, shared mutable maps for sprig's `set`/`merge`, Helm's `include`/`tpl`).
//!
//! ```text
//! source ──► parse (lexer + parser, nesting capped) ──► TemplateSet (files + defines)
//!                                                          │ render(name, data, Limits)
//!                                                          ▼
//!                        exec: Go's truth, printing and scoping; include/tpl depth,
//!                              output size and step budgets ──► String
//! ```
//!
//! Semantics follow Go's documentation: missing map keys are `nil` and print as nothing (Helm
//! removes `<no value>`), field access on `nil` is an error, maps range in sorted key order,
//! `{{-`/`-}}` trim all adjacent white space, variables are scoped to their control structure.

mod exec;
mod funcs;
mod parse;
pub mod semver;
pub mod value;
mod yamlout;

use std::collections::HashMap;
use std::rc::Rc;

pub use exec::Limits;
pub use funcs::is_known_function;
pub use parse::MAX_PARSE_DEPTH;
pub use value::Value;

/// A template error: the template name, the line, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The source is not a valid template.
    #[error("template: {name}:{line}: {msg}")]
    Parse {
        /// Template (file) name.
        name: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// Executing failed (bad field access, wrong argument, unknown template...).
    #[error("template: {name}:{line}: {msg}")]
    Exec {
        /// Template name.
        name: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// The template called `fail` or `required` failed.
    #[error("execution error: {0}")]
    Fail(String),
    /// A limit was reached (include depth, output size, steps).
    #[error("limit reached: {0}")]
    Limit(String),
    /// A function the engine does not know.
    #[error("template: {name}: function {func:?} not defined")]
    UnknownFunction {
        /// Template name.
        name: String,
        /// The function.
        func: String,
    },
}

/// Parsed templates: each file's body under its name, and every `define`/`block`.
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    templates: HashMap<String, Rc<Vec<parse::Node>>>,
}

impl TemplateSet {
    /// An empty set.
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    /// Parse `src` and add it under `name`, with the templates it defines (a later
    /// definition replaces an earlier one, as in Go). Every function it names must exist.
    pub fn add(&mut self, name: &str, src: &str) -> Result<(), TemplateError> {
        let parsed = parse::parse(name, src)?;
        if let Some(func) = exec::unknown_function(&parsed) {
            return Err(TemplateError::UnknownFunction {
                name: name.to_string(),
                func,
            });
        }
        for (n, body) in parsed.defines {
            self.templates.insert(n, body);
        }
        self.templates
            .insert(name.to_string(), Rc::new(parsed.root));
        Ok(())
    }

    /// Whether a template of this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// Execute the template `name` with `data` as dot (and `$`).
    pub fn render(
        &self,
        name: &str,
        data: &Value,
        limits: &Limits,
    ) -> Result<String, TemplateError> {
        exec::Exec::new(self, limits.clone()).render(name, data)
    }
}

/// Parse and execute a single template source (no other templates), for tests and `tpl`-like
/// uses.
pub fn render_str(src: &str, data: &Value) -> Result<String, TemplateError> {
    let mut set = TemplateSet::new();
    set.add("tpl", src)?;
    set.render("tpl", data, &Limits::default())
}

#[cfg(test)]
mod tests;
