//! The bearer-token flow, `Retry-After` on 429 and the plain-HTTP fallback for an insecure local
//! registry, against a small in-process HTTP server (the Debian registry only does htpasswd
//! without a token service).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use atalaia_registry::{Client, Credentials, Descriptor, Reference, RegistryError};

const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#;

struct Mock {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

/// Serves `/token` (Basic `user:secret` → `tok-123`), and under `/v2/` wants `Bearer tok-123`;
/// the first blob request gets a 429 with `Retry-After: 1`.
fn start() -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    std::thread::spawn(move || {
        let mut throttled = false;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err()
                || !line.starts_with(|c: char| c.is_ascii_uppercase())
            {
                continue; // a TLS ClientHello: drop it
            }
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some(v) = h
                    .strip_prefix("Authorization: ")
                    .or_else(|| h.strip_prefix("authorization: "))
                {
                    auth = v.trim().to_owned();
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(format!(
                "{} {path} [{auth}]",
                line.split_whitespace().next().unwrap_or("")
            ));
            if path.starts_with("/token") {
                if auth == "Basic dXNlcjpzZWNyZXQ=" {
                    respond(&mut stream, "200 OK", &[], br#"{"token":"tok-123"}"#);
                } else {
                    respond(
                        &mut stream,
                        "401 Unauthorized",
                        &[],
                        br#"{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}"#,
                    );
                }
                continue;
            }
            if auth != "Bearer tok-123" {
                let challenge = format!(
                    r#"Bearer realm="http://127.0.0.1:{port}/token",service="mock",scope="repository:team/app:pull""#
                );
                respond(
                    &mut stream,
                    "401 Unauthorized",
                    &[("WWW-Authenticate", challenge)],
                    b"",
                );
                continue;
            }
            if path.contains("/manifests/") {
                let digest = Descriptor::of("", MANIFEST.as_bytes()).digest.to_string();
                respond(
                    &mut stream,
                    "200 OK",
                    &[
                        (
                            "Content-Type",
                            "application/vnd.oci.image.manifest.v1+json".to_owned(),
                        ),
                        ("Docker-Content-Digest", digest),
                    ],
                    MANIFEST.as_bytes(),
                );
            } else if path.contains("/blobs/") {
                if !throttled {
                    throttled = true;
                    respond(
                        &mut stream,
                        "429 Too Many Requests",
                        &[("Retry-After", "1".to_owned())],
                        b"",
                    );
                } else {
                    respond(&mut stream, "200 OK", &[], b"{}");
                }
            } else {
                respond(&mut stream, "404 Not Found", &[], b"");
            }
        }
    });
    Mock { port, requests }
}

fn reference(m: &Mock) -> Reference {
    format!("127.0.0.1:{}/team/app:v1", m.port).parse().unwrap()
}

#[test]
fn bearer_token_flow_with_retry_after_over_local_plain_http() {
    let m = start();
    let c = Client::builder()
        .use_docker_config(false)
        .insecure(true)
        .credentials(Some(Credentials::new("user", "secret")))
        .build()
        .unwrap();
    let r = reference(&m);
    let fetched = c.manifest(&r).unwrap();
    assert_eq!(
        fetched.digest,
        Descriptor::of("", MANIFEST.as_bytes()).digest
    );
    let config = Descriptor::of("application/vnd.oci.empty.v1+json", b"{}");
    let mut out = Vec::new();
    c.fetch_blob(&r, &config, &mut out, &mut |_| {}).unwrap();
    assert_eq!(out, b"{}");

    let requests = m.requests.lock().unwrap().clone();
    let token_requests: Vec<_> = requests.iter().filter(|r| r.contains("/token")).collect();
    assert_eq!(token_requests.len(), 1, "{requests:#?}");
    assert!(token_requests[0].contains("service=mock"), "{requests:#?}");
    assert!(
        token_requests[0].contains("scope=repository%3Ateam%2Fapp%3Apull"),
        "{requests:#?}"
    );
    // The token is reused: one 401 only, then the throttled blob retried once.
    assert_eq!(
        requests.iter().filter(|r| r.ends_with("[]")).count(),
        1,
        "{requests:#?}"
    );
    assert_eq!(
        requests.iter().filter(|r| r.contains("/blobs/")).count(),
        2,
        "{requests:#?}"
    );
}

#[test]
fn bad_credentials_at_the_token_service_are_an_auth_error() {
    let m = start();
    let c = Client::builder()
        .use_docker_config(false)
        .insecure(true)
        .credentials(Some(Credentials::new("user", "wrong-secret")))
        .build()
        .unwrap();
    let err = c.manifest(&reference(&m)).unwrap_err();
    assert!(err.is_auth(), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("authentication failed for 127.0.0.1:{}", m.port)
    );
    assert!(!format!("{err:?}").contains("wrong-secret"));
}

#[test]
fn plain_http_needs_insecure() {
    let m = start();
    let c = Client::builder()
        .use_docker_config(false)
        .retries(1)
        .build()
        .unwrap();
    let err = c.manifest(&reference(&m)).unwrap_err();
    assert!(matches!(err, RegistryError::Transport { .. }), "{err:?}");
}
