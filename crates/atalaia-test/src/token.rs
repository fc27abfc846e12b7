//! A bearer-token issuer for a [`TestRegistry`](crate::registry::TestRegistry) configured with
//! distribution's `auth: token` (see distribution's "Token Authentication Specification" and
//! "Token Authentication Implementation"): HTTPS on 127.0.0.1 (the registry's test certificate),
//! `GET /token?service=…&scope=…` with Basic credentials, and the OAuth2 form (`POST /token`,
//! `grant_type=refresh_token` with an identity token, or `grant_type=password`).
//!
//! Tokens are JWTs signed ES256 with a key of their own whose self-signed certificate is the
//! registry's `rootcertbundle`; the header carries it in `x5c`, which distribution 2.8 checks
//! against that bundle. Claims: `iss`, `sub`, `aud` (the service), `exp`, `nbf`, `iat`, `jti`
//! and `access` (every scope asked for, granted in full).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::rand::SecureRandom as _;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The `issuer` the registry trusts.
pub const ISSUER: &str = "atalaia-test-issuer";
/// The `service` the registry names in its challenges.
pub const SERVICE: &str = "atalaia-test-registry";
/// The largest request head or body read.
const MAX_REQUEST: usize = 64 << 10;

/// A running token issuer. Stopped on drop.
pub struct TokenIssuer {
    /// `https://127.0.0.1:PORT/token`.
    pub realm: String,
    /// The certificate (PEM) of the key that signs the tokens: the registry's `rootcertbundle`.
    pub root_cert_file: PathBuf,
    /// The identity token (OAuth2 refresh token) the issuer accepts for `username`.
    pub identity_token: String,
    state: Arc<State>,
    addr: String,
    stop: Arc<AtomicBool>,
}

struct State {
    username: String,
    password: String,
    identity_token: String,
    key: EcdsaKeyPair,
    cert_der: Vec<u8>,
    /// One line per request: `GET ok`, `GET denied`, `POST refresh_token ok`, …
    events: Mutex<Vec<String>>,
}

/// The server's TLS certificate and key (DER), shared with the registry.
pub struct ServerIdentity {
    /// The certificate chain, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The PKCS#8 private key.
    pub key: Vec<u8>,
}

impl TokenIssuer {
    /// Starts an issuer that grants tokens to `username`/`password` (and to the identity token
    /// it makes up), serving TLS with `tls`; writes its signing certificate into `dir`.
    pub fn start(dir: &Path, tls: &ServerIdentity, username: &str, password: &str) -> TokenIssuer {
        let signing = rcgen::KeyPair::generate().expect("token signing key");
        let mut params = rcgen::CertificateParams::new(vec!["atalaia-token-issuer".to_owned()])
            .expect("token certificate params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "atalaia test token issuer");
        let cert = params.self_signed(&signing).expect("token certificate");
        let root_cert_file = dir.join("token-root.pem");
        std::fs::write(&root_cert_file, cert.pem()).expect("write token-root.pem");
        let rng = ring::rand::SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &signing.serialize_der(),
            &rng,
        )
        .expect("ring reads rcgen's P-256 key");
        let identity_token = format!("idt-{}", random_hex(12));
        let state = Arc::new(State {
            username: username.to_owned(),
            password: password.to_owned(),
            identity_token: identity_token.clone(),
            key,
            cert_der: cert.der().to_vec(),
            events: Mutex::new(Vec::new()),
        });
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                tls.chain
                    .iter()
                    .map(|c| CertificateDer::from(c.clone()))
                    .collect(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(tls.key.clone())),
            )
            .expect("TLS server config");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the token issuer");
        let addr = listener.local_addr().expect("issuer address").to_string();
        let stop = Arc::new(AtomicBool::new(false));
        {
            let state = state.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let state = state.clone();
                    let config = config.clone();
                    std::thread::spawn(move || serve(conn, &config, &state));
                }
            });
        }
        TokenIssuer {
            realm: format!("https://{addr}/token"),
            root_cert_file,
            identity_token,
            state,
            addr,
            stop,
        }
    }

    /// A token for the user granting `scopes` (`repository:NAME:pull`), as the issuer hands
    /// them out: for tests of clients given a token directly.
    pub fn mint(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        self.state.token(&self.state.username, &scopes)
    }

    /// What the issuer answered so far, one line per request (`GET ok`, `GET denied`,
    /// `POST refresh_token ok`).
    pub fn events(&self) -> Vec<String> {
        self.state
            .events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl Drop for TokenIssuer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop up so it sees the flag.
        let _ = TcpStream::connect(&self.addr);
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .expect("random bytes");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl State {
    /// A signed token for `subject` granting every scope in `scopes`.
    fn token(&self, subject: &str, scopes: &[String]) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let access: Vec<String> = scopes
            .iter()
            .filter_map(|scope| {
                // `repository:name/with/slashes:pull,push` (names may not hold `:` but a host
                // port could: split at the first and last colon).
                let (kind, rest) = scope.split_once(':')?;
                let (name, actions) = rest.rsplit_once(':')?;
                let actions: Vec<String> = actions
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(json_string)
                    .collect();
                Some(format!(
                    r#"{{"type":{},"name":{},"actions":[{}]}}"#,
                    json_string(kind),
                    json_string(name),
                    actions.join(",")
                ))
            })
            .collect();
        let header = format!(
            r#"{{"typ":"JWT","alg":"ES256","x5c":[{}]}}"#,
            json_string(&base64::engine::general_purpose::STANDARD.encode(&self.cert_der))
        );
        let claims = format!(
            r#"{{"iss":{},"sub":{},"aud":{},"exp":{},"nbf":{},"iat":{},"jti":{},"access":[{}]}}"#,
            json_string(ISSUER),
            json_string(subject),
            json_string(SERVICE),
            now + 600,
            now.saturating_sub(60),
            now,
            json_string(&random_hex(8)),
            access.join(",")
        );
        let signing_input = format!(
            "{}.{}",
            b64url(header.as_bytes()),
            b64url(claims.as_bytes())
        );
        let sig = self
            .key
            .sign(&ring::rand::SystemRandom::new(), signing_input.as_bytes())
            .expect("ES256 signature");
        format!("{signing_input}.{}", b64url(sig.as_ref()))
    }

    fn event(&self, line: String) {
        self.events
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(line);
    }
}

/// One request per connection (the answer closes it).
fn serve(conn: TcpStream, config: &Arc<rustls::ServerConfig>, state: &State) {
    let Ok(tls) = rustls::ServerConnection::new(config.clone()) else {
        return;
    };
    let mut stream = rustls::StreamOwned::new(tls, conn);
    let Some((method, target, headers, body)) = read_request(&mut stream) else {
        return;
    };
    let (status, body) = answer(state, &method, &target, &headers, &body);
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

type Request = (String, String, Vec<(String, String)>, Vec<u8>);

fn read_request(stream: &mut impl Read) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    let mut total = line.len();
    loop {
        let mut h = String::new();
        let n = reader.read_line(&mut h).ok()?;
        total += n;
        if n == 0 || total > MAX_REQUEST {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if len > MAX_REQUEST {
        return None;
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((method, target, headers, body))
}

fn unauthorized(message: &str) -> (&'static str, String) {
    (
        "401 Unauthorized",
        format!(
            r#"{{"errors":[{{"code":"UNAUTHORIZED","message":{}}}]}}"#,
            json_string(message)
        ),
    )
}

fn answer(
    state: &State,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (&'static str, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/token" {
        return ("404 Not Found", r#"{"errors":[]}"#.to_owned());
    }
    let pairs: Vec<(String, String)> = match method {
        "GET" => url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
        "POST" => url::form_urlencoded::parse(body).into_owned().collect(),
        _ => return ("405 Method Not Allowed", r#"{"errors":[]}"#.to_owned()),
    };
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let scopes: Vec<String> = pairs
        .iter()
        .filter(|(n, _)| n == "scope")
        .flat_map(|(_, v)| v.split(' ').map(str::to_owned))
        .filter(|s| !s.is_empty())
        .collect();
    if get("service").is_some_and(|s| s != SERVICE) {
        state.event(format!("{method} wrong service"));
        return unauthorized("unknown service");
    }
    let subject = if method == "GET" {
        let basic = headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .and_then(|(_, v)| v.strip_prefix("Basic "))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok());
        match basic.as_deref().and_then(|b| b.split_once(':')) {
            Some((u, p)) if u == state.username && p == state.password => Some(u.to_owned()),
            _ => None,
        }
    } else {
        match get("grant_type") {
            Some("refresh_token") if get("refresh_token") == Some(&state.identity_token) => {
                Some(state.username.clone())
            }
            Some("password")
                if get("username") == Some(&state.username)
                    && get("password") == Some(&state.password) =>
            {
                Some(state.username.clone())
            }
            _ => None,
        }
    };
    let kind = get("grant_type").unwrap_or("basic");
    let Some(subject) = subject else {
        state.event(format!("{method} {kind} denied"));
        return unauthorized("invalid credentials");
    };
    state.event(format!("{method} {kind} ok"));
    let token = state.token(&subject, &scopes);
    (
        "200 OK",
        format!(
            r#"{{"token":{t},"access_token":{t},"expires_in":600}}"#,
            t = json_string(&token)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_junk_is_refused() {
        let raw = b"POST /token HTTP/1.1\r\nContent-Length: 3\r\nHost: x\r\n\r\nabc";
        let (m, t, h, b) = read_request(&mut &raw[..]).unwrap();
        assert_eq!(
            (m.as_str(), t.as_str(), b.as_slice()),
            ("POST", "/token", &b"abc"[..])
        );
        assert_eq!(h[0], ("content-length".to_owned(), "3".to_owned()));
        assert!(read_request(&mut &b""[..]).is_none());
        assert!(read_request(&mut &b"GET / HTTP/1.1\r\nno-colon\r\n\r\n"[..]).is_none());
        assert!(
            read_request(&mut &b"GET / HTTP/1.1\r\nContent-Length: 99\r\n\r\nshort"[..]).is_none()
        );
        assert_eq!(json_string("a\"b\\\n"), r#""a\"b\\\u000a""#);
    }
}
