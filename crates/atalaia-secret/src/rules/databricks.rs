//! Databricks rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `databricks-api-token`: Databricks API token.
///
/// ## What it checks
/// A Databricks personal access token: `dapi` and 32 characters from `a-h0-9`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Databricks`, severity `MEDIUM`, as in Trivy.
pub(crate) const DATABRICKS_API_TOKEN: BuiltinRule = BuiltinRule {
    id: "databricks-api-token",
    category: "Databricks",
    title: "Databricks API token",
    severity: Severity::Medium,
    pattern: Pattern::Raw(r"dapi[a-h0-9]{32}"),
    secret_group: None,
    keywords: &[cs("dapi")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["DATABRICKS_TOKEN=dapif8d6af4cfdafa2e662e5fah394bf9de6\n"],
    counter_examples: &["DATABRICKS_TOKEN=dapixxyzxxxyyxyxxzyxxyxxzxzxxxxzyyzz\n"],
};
