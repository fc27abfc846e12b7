//! HuggingFace rules.

use super::{cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `hugging-face-access-token`: Hugging Face Access Token.
///
/// ## What it checks
/// A Hugging Face user access token: `hf_` and 34 to 40 letters or digits, standing alone as a word.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `HuggingFace`, severity `CRITICAL`, as in Trivy.
pub(crate) const HUGGING_FACE_ACCESS_TOKEN: BuiltinRule = BuiltinRule {
    id: "hugging-face-access-token",
    category: "HuggingFace",
    title: "Hugging Face Access Token",
    severity: Severity::Critical,
    pattern: Pattern::Bounded(r"hf_[A-Za-z0-9]{34,40}"),
    secret_group: Some("secret"),
    keywords: &[cs("hf_")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["HF_TOKEN=\"hf_4Zm9hacCT1nuubaVbViKtOtac0nvu2fAp6\"\n"],
    counter_examples: &[
        "HF_TOKEN=\"hf_2a3RgHGmE6WT0A5hBGje\"\n",
        "hf_jQTX8YQTw7MBQdqASQmbseXFuSkodz0StqtHrMbzYnTSS\n",
    ],
};
