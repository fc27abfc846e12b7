//! PyPI rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `pypi-upload-token`: PyPI upload token.
///
/// ## What it checks
/// A PyPI API token: the macaroon prefix `pypi-AgEIcHlwaS5vcmc` (base64 of the issuer `pypi.org`) and at least 50 more characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `PyPI`, severity `HIGH`, as in Trivy.
pub(crate) const PYPI_UPLOAD_TOKEN: BuiltinRule = BuiltinRule {
    id: "pypi-upload-token",
    category: "PyPI",
    title: "PyPI upload token",
    severity: Severity::High,
    pattern: Pattern::Raw(r#"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9\-_]{50,1000}"#),
    secret_group: None,
    keywords: &[cs("pypi-AgEIcHlwaS5vcmc")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["password = pypi-AgEIcHlwaS5vcmcqEHV6yru0uLsvbnUkztlfttckEqLiNNCBjOm4J2AutcUrGmKS5A7GWZkYDfN\n"],
    counter_examples: &["password = pypi-AgEIcHlwaS5vcmcnWfahirJQYnQc8A8jFRW\n"],
};
