//! Docker credential helpers: `docker-credential-<name> get` with the server URL on stdin
//! answers `{"ServerURL": …, "Username": …, "Secret": …}` on stdout (a `Username` of `<token>`
//! makes `Secret` an identity token). A helper that knows nothing of the server says
//! `credentials not found` and exits non-zero.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::{Credentials, RegistryError};

/// The most of a helper's output read.
const MAX_HELPER_OUTPUT: usize = 1 << 20;

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Asks `docker-credential-<helper>` for the credentials of `server_url`. `Ok(None)` when the
/// helper has none for it.
pub(crate) fn get(helper: &str, server_url: &str) -> Result<Option<Credentials>, RegistryError> {
    let program = format!("docker-credential-{helper}");
    let failed = |reason: String| RegistryError::CredentialHelper {
        helper: program.clone(),
        registry: server_url.to_owned(),
        reason,
    };
    if helper.contains(['/', '\\']) || helper.is_empty() {
        return Err(failed("the helper name is not a plain name".to_owned()));
    }
    tracing::debug!(helper = %program, server = server_url, "asking a credential helper");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot run it: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading is judged by its exit status below.
        let _ = stdin.write_all(server_url.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| failed(format!("cannot read its answer: {e}")))?;
    parse_answer(&out.stdout, &out.stderr, out.status.success()).map_err(failed)
}

/// Reads a helper's answer. Error texts quote only the helper's messages, never a secret.
fn parse_answer(
    stdout: &[u8],
    stderr: &[u8],
    success: bool,
) -> Result<Option<Credentials>, String> {
    if !success {
        let text = String::from_utf8_lossy(&stdout[..stdout.len().min(MAX_HELPER_OUTPUT)]);
        if text.to_ascii_lowercase().contains("credentials not found") {
            return Ok(None);
        }
        let err = String::from_utf8_lossy(&stderr[..stderr.len().min(MAX_HELPER_OUTPUT)]);
        let message = [text.trim(), err.trim()]
            .into_iter()
            .find(|t| !t.is_empty())
            .and_then(|t| t.lines().next())
            .unwrap_or("no message")
            .chars()
            .take(200)
            .collect::<String>();
        return Err(format!("it failed: {message}"));
    }
    if stdout.len() > MAX_HELPER_OUTPUT {
        return Err(format!(
            "its answer is larger than {MAX_HELPER_OUTPUT} bytes"
        ));
    }
    // serde_json's messages give positions, never the input.
    let answer: HelperAnswer = serde_json::from_slice(stdout)
        .map_err(|e| format!("its answer is not the expected JSON: {e}"))?;
    if answer.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials::new(answer.username, answer.secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_of_helpers() {
        let c = parse_answer(
            br#"{"ServerURL":"r.example","Username":"u","Secret":"s3cret"}"#,
            b"",
            true,
        )
        .unwrap()
        .unwrap();
        assert_eq!((c.username.as_str(), c.password.as_str()), ("u", "s3cret"));
        let t = parse_answer(br#"{"Username":"<token>","Secret":"idt"}"#, b"", true)
            .unwrap()
            .unwrap();
        assert!(t.is_identity_token());
        assert_eq!(
            parse_answer(b"credentials not found in native keychain\n", b"", false),
            Ok(None)
        );
        assert_eq!(parse_answer(br#"{"Username":"u"}"#, b"", true), Ok(None));
    }

    #[test]
    fn malformed_answers_are_errors_without_the_output() {
        let err = parse_answer(br#"{"Username":"u","Secret":"s3cret""#, b"", true).unwrap_err();
        assert!(err.contains("not the expected JSON"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert!(parse_answer(b"\xff\xfe", b"", true).is_err());
        assert!(parse_answer(br#"{"Secret":7}"#, b"", true).is_err());
        let err = parse_answer(b"", b"keychain locked\nmore", false).unwrap_err();
        assert_eq!(err, "it failed: keychain locked");
        assert_eq!(
            parse_answer(b"", b"", false).unwrap_err(),
            "it failed: no message"
        );
    }

    #[test]
    fn missing_helper_is_an_error_naming_it() {
        let err = get("atalaia-no-such-helper", "r.example").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("docker-credential-atalaia-no-such-helper") && msg.contains("r.example"),
            "{msg}"
        );
        assert!(get("../evil", "r.example").is_err());
    }
}
