//! The client: one `ureq` agent over rustls, the auth dance, manifests and blobs.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use atalaia_types::Digest;
use serde::Deserialize;

use crate::auth::{parse_challenge, server_url, Challenge, Credentials, DockerConfig};
use crate::manifest::{
    parse_manifest, Descriptor, FetchedManifest, ImageManifest, ManifestContent, Platform,
    ACCEPTED_MANIFESTS,
};
use crate::{tls, Reference, RegistryError};

/// Largest manifest or token answer read (the distribution spec suggests 4 MiB for manifests).
const MAX_MANIFEST_BYTES: u64 = 4 << 20;
/// Largest error body read for its message.
const MAX_ERROR_BODY: u64 = 64 << 10;
/// Blobs up to this size are uploaded in one PUT; larger ones in PATCH chunks of this size.
const DEFAULT_CHUNK_SIZE: u64 = 64 << 20;

/// Builds a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    ca_files: Vec<PathBuf>,
    insecure: bool,
    credentials: Option<Credentials>,
    registry_token: Option<String>,
    docker_config: Option<PathBuf>,
    use_docker_config: bool,
    user_agent: String,
    timeout: Duration,
    chunk_size: u64,
    retries: u32,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            ca_files: Vec::new(),
            insecure: false,
            credentials: None,
            registry_token: None,
            docker_config: None,
            use_docker_config: true,
            user_agent: concat!("atalaia/", env!("CARGO_PKG_VERSION")).to_owned(),
            timeout: Duration::from_secs(30),
            chunk_size: DEFAULT_CHUNK_SIZE,
            retries: 3,
        }
    }
}

impl ClientBuilder {
    /// Trusts the CA certificates (PEM or DER) in `path` besides the built-in Mozilla roots.
    #[must_use]
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_files.push(path.into());
        self
    }

    /// Accepts any TLS certificate, and plain HTTP for registries on this machine.
    #[must_use]
    pub fn insecure(mut self, insecure: bool) -> Self {
        self.insecure = insecure;
        self
    }

    /// Uses these credentials for every registry (they win over the Docker config).
    #[must_use]
    pub fn credentials(mut self, credentials: Option<Credentials>) -> Self {
        self.credentials = credentials;
        self
    }

    /// Answers every `Bearer` challenge with this token instead of asking the token service
    /// (Trivy's `--registry-token`).
    #[must_use]
    pub fn registry_token(mut self, token: Option<String>) -> Self {
        self.registry_token = token.filter(|t| !t.is_empty());
        self
    }

    /// Reads credentials from this Docker config file instead of the default location.
    #[must_use]
    pub fn docker_config(mut self, path: impl Into<PathBuf>) -> Self {
        self.docker_config = Some(path.into());
        self.use_docker_config = true;
        self
    }

    /// Whether to look up credentials in the Docker config at all (default yes).
    #[must_use]
    pub fn use_docker_config(mut self, yes: bool) -> Self {
        self.use_docker_config = yes;
        self
    }

    /// Sets the `User-Agent`.
    #[must_use]
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Timeout to connect and between reads (not for a whole blob).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Blobs larger than this are uploaded in chunks of this size (default 64 MiB).
    #[must_use]
    pub fn chunk_size(mut self, bytes: u64) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// Attempts of idempotent requests on 429, 5xx and connection errors (default 3).
    #[must_use]
    pub fn retries(mut self, attempts: u32) -> Self {
        self.retries = attempts.max(1);
        self
    }

    /// Builds the client: loads the CA files and the Docker config.
    pub fn build(self) -> Result<Client, RegistryError> {
        let tls = tls::client_config(&self.ca_files, self.insecure)?;
        let agent = ureq::AgentBuilder::new()
            .tls_config(tls)
            .user_agent(&self.user_agent)
            .timeout_connect(self.timeout)
            .timeout_read(self.timeout)
            .timeout_write(self.timeout)
            .redirects(5)
            .build();
        // Explicit credentials win for every registry: the Docker config is not even read.
        let explicit = self.credentials.is_some() || self.registry_token.is_some();
        let docker_config = if self.use_docker_config && !explicit {
            match self.docker_config.or_else(DockerConfig::default_path) {
                Some(p) => DockerConfig::load(&p)?,
                None => DockerConfig::default(),
            }
        } else {
            DockerConfig::default()
        };
        Ok(Client {
            agent,
            insecure: self.insecure,
            credentials: self.credentials,
            registry_token: self.registry_token,
            docker_config,
            helper_answers: Mutex::new(HashMap::new()),
            chunk_size: self.chunk_size,
            retries: self.retries,
            auth: Mutex::new(HashMap::new()),
            plain_http: Mutex::new(HashSet::new()),
        })
    }
}

/// A blocking OCI Distribution API client. Cheap to share by reference across threads; it keeps
/// connections and tokens.
pub struct Client {
    agent: ureq::Agent,
    insecure: bool,
    credentials: Option<Credentials>,
    registry_token: Option<String>,
    docker_config: DockerConfig,
    /// What the credential helpers answered, by registry (each is asked once).
    helper_answers: Mutex<HashMap<String, Option<Credentials>>>,
    chunk_size: u64,
    retries: u32,
    /// `Authorization` values by `host scope`.
    auth: Mutex<HashMap<String, String>>,
    /// Hosts that answered only over plain HTTP (local insecure registries).
    plain_http: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("insecure", &self.insecure)
            .field("credentials", &self.credentials)
            .field(
                "registry_token",
                &self.registry_token.as_ref().map(|_| "<redacted>"),
            )
            .finish_non_exhaustive()
    }
}

/// What a request needs: pull or pull and push on a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Pull,
    Push,
}

enum Body<'a> {
    Empty,
    Bytes(&'a [u8]),
    Reader(&'a mut dyn Read, u64),
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorsBody {
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The registry's error message from an error body (`CODE: message; …`), never the body itself.
fn error_detail(resp: ureq::Response) -> String {
    let mut buf = Vec::new();
    let _ = resp
        .into_reader()
        .take(MAX_ERROR_BODY)
        .read_to_end(&mut buf);
    match serde_json::from_slice::<ErrorsBody>(&buf) {
        Ok(b) => b
            .errors
            .iter()
            .map(|e| {
                if e.message.is_empty() {
                    e.code.clone()
                } else {
                    format!("{}: {}", e.code, e.message)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => String::new(),
    }
}

fn read_limited(
    resp: ureq::Response,
    limit: u64,
    registry: &str,
    what: &str,
) -> Result<Vec<u8>, RegistryError> {
    let mut buf = Vec::new();
    resp.into_reader()
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|source| RegistryError::Io {
            registry: registry.to_owned(),
            action: format!("reading {what}"),
            source,
        })?;
    if buf.len() as u64 > limit {
        return Err(RegistryError::BadResponse {
            registry: registry.to_owned(),
            what: what.to_owned(),
            reason: format!("larger than {limit} bytes"),
        });
    }
    Ok(buf)
}

/// A streaming SHA-256/512 hasher for a digest's algorithm.
pub(crate) enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub(crate) fn for_digest(d: &Digest) -> Hasher {
        use sha2::Digest as _;
        if d.algorithm() == "sha512" {
            Hasher::Sha512(sha2::Sha512::new())
        } else {
            Hasher::Sha256(sha2::Sha256::new())
        }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest as _;
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    pub(crate) fn finish(self) -> Digest {
        use sha2::Digest as _;
        match self {
            Hasher::Sha256(h) => Digest::sha256_from_bytes(&h.finalize()),
            Hasher::Sha512(h) => {
                let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
                format!("sha512:{hex}")
                    .parse()
                    .unwrap_or_else(|_| Digest::sha256_from_bytes(&[]))
            }
        }
    }
}

fn retry_after(resp: &ureq::Response) -> Option<Duration> {
    resp.header("retry-after")?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(30)))
}

impl Client {
    /// A builder with the defaults: Mozilla roots, Docker config credentials, 30 s timeouts.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The credentials for `registry`: the explicit ones, else the Docker config's credential
    /// helper for it (asked once), else its `auths` entry. A helper that fails is a warning
    /// and the `auths` entry is used, as when it has nothing for the registry.
    fn credentials_for(&self, registry: &str) -> Option<Credentials> {
        if let Some(c) = &self.credentials {
            return Some(c.clone());
        }
        if let Some(helper) = self.docker_config.helper_for(registry) {
            let cached = lock(&self.helper_answers).get(registry).cloned();
            let answer = match cached {
                Some(answer) => answer,
                None => {
                    let answer = match crate::helper::get(helper, &server_url(registry)) {
                        Ok(answer) => answer,
                        Err(err) => {
                            tracing::warn!("{err}");
                            None
                        }
                    };
                    lock(&self.helper_answers).insert(registry.to_owned(), answer.clone());
                    answer
                }
            };
            if answer.is_some() {
                return answer;
            }
        }
        self.docker_config.credentials_for(registry)
    }

    fn base(&self, r: &Reference) -> String {
        let host = r.api_host();
        let scheme = if lock(&self.plain_http).contains(host) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{host}")
    }

    fn url(&self, r: &Reference, tail: &str) -> String {
        format!("{}/v2/{}/{tail}", self.base(r), r.repository())
    }

    fn auth_key(r: &Reference, access: Access) -> String {
        let action = match access {
            Access::Pull => "pull",
            Access::Push => "pull,push",
        };
        format!("{} repository:{}:{action}", r.api_host(), r.repository())
    }

    fn transport(r: &Reference, t: Box<ureq::Transport>) -> RegistryError {
        RegistryError::Transport {
            registry: r.registry().to_owned(),
            source: t,
        }
    }

    /// Sends one request (no auth handling), turning HTTP error statuses into responses.
    fn send_once(
        &self,
        method: &'static str,
        url: &str,
        headers: &[(&str, &str)],
        auth: Option<&str>,
        body: &mut Body<'_>,
    ) -> Result<ureq::Response, Box<ureq::Transport>> {
        let mut req = self.agent.request(method, url);
        for (k, v) in headers {
            req = req.set(k, v);
        }
        if let Some(a) = auth {
            req = req.set("Authorization", a);
        }
        tracing::debug!(method, url, "registry request");
        let res = match body {
            Body::Empty => {
                if matches!(method, "PUT" | "POST" | "PATCH") {
                    req.set("Content-Length", "0").send_bytes(&[])
                } else {
                    req.call()
                }
            }
            Body::Bytes(b) => req.send_bytes(b),
            Body::Reader(r, len) => req.set("Content-Length", &len.to_string()).send(r),
        };
        match res {
            Ok(resp) => Ok(resp),
            Err(ureq::Error::Status(_, resp)) => Ok(resp),
            Err(ureq::Error::Transport(t)) => Err(Box::new(t)),
        }
    }

    /// Sends a request with auth (answering one challenge), plain-HTTP fallback for insecure
    /// local registries, and retries for idempotent requests. `tail` is a path under
    /// `/v2/<repo>/` or an absolute URL (upload locations).
    #[allow(clippy::too_many_arguments)]
    fn send(
        &self,
        r: &Reference,
        access: Access,
        method: &'static str,
        tail: &str,
        headers: &[(&str, &str)],
        mut body: Body<'_>,
    ) -> Result<ureq::Response, RegistryError> {
        let key = Self::auth_key(r, access);
        let idempotent = matches!(method, "GET" | "HEAD") && matches!(body, Body::Empty);
        let mut attempt = 0;
        let mut answered_challenge = false;
        loop {
            attempt += 1;
            let url = if tail.starts_with("http://") || tail.starts_with("https://") {
                tail.to_owned()
            } else {
                self.url(r, tail)
            };
            let auth = lock(&self.auth).get(&key).cloned();
            let resp = match self.send_once(method, &url, headers, auth.as_deref(), &mut body) {
                Ok(resp) => resp,
                Err(t) => {
                    if self.insecure
                        && r.is_localhost()
                        && url.starts_with("https://")
                        && !tail.starts_with("https://")
                        && lock(&self.plain_http).insert(r.api_host().to_owned())
                    {
                        tracing::debug!(registry = r.registry(), "falling back to plain HTTP");
                        attempt -= 1;
                        continue;
                    }
                    if idempotent && attempt < self.retries {
                        std::thread::sleep(Duration::from_millis(250 << attempt));
                        continue;
                    }
                    return Err(Self::transport(r, t));
                }
            };
            let status = resp.status();
            if status == 401 {
                let replayable = !matches!(body, Body::Reader(..));
                if answered_challenge || !replayable {
                    return Err(RegistryError::AuthFailed {
                        registry: r.registry().to_owned(),
                        detail: error_detail(resp),
                    });
                }
                let challenge = resp.header("www-authenticate").map(str::to_owned);
                let _ = error_detail(resp);
                let header = self.answer_challenge(r, access, challenge.as_deref())?;
                lock(&self.auth).insert(key.clone(), header);
                answered_challenge = true;
                attempt -= 1;
                continue;
            }
            if idempotent && (status == 429 || status >= 500) && attempt < self.retries {
                let wait =
                    retry_after(&resp).unwrap_or_else(|| Duration::from_millis(250 << attempt));
                let _ = error_detail(resp);
                tracing::debug!(status, ?wait, "registry busy, retrying");
                std::thread::sleep(wait);
                continue;
            }
            return Ok(resp);
        }
    }

    /// Works out the `Authorization` value for a `WWW-Authenticate` challenge.
    fn answer_challenge(
        &self,
        r: &Reference,
        access: Access,
        challenge: Option<&str>,
    ) -> Result<String, RegistryError> {
        let failed = |detail: &str| RegistryError::AuthFailed {
            registry: r.registry().to_owned(),
            detail: detail.to_owned(),
        };
        let parsed = challenge.and_then(parse_challenge);
        if let (Some(token), Some(Challenge::Bearer { .. })) = (&self.registry_token, &parsed) {
            return Ok(format!("Bearer {token}"));
        }
        let creds = self.credentials_for(r.registry());
        match parsed {
            Some(Challenge::Basic) => match creds {
                Some(c) if c.is_identity_token() => Err(failed(
                    "the registry asks for a password and only an identity token was given",
                )),
                Some(c) => Ok(c.basic_header()),
                None => Err(failed(
                    "the registry requires credentials and none were given",
                )),
            },
            Some(Challenge::Bearer {
                realm,
                service,
                scope,
            }) => {
                let action = match access {
                    Access::Pull => "pull",
                    Access::Push => "pull,push",
                };
                let ours = format!("repository:{}:{action}", r.repository());
                let mut url = url::Url::parse(&realm).map_err(|e| RegistryError::BadResponse {
                    registry: r.registry().to_owned(),
                    what: "token realm".to_owned(),
                    reason: e.to_string(),
                })?;
                {
                    let mut q = url.query_pairs_mut();
                    if let Some(s) = &service {
                        q.append_pair("service", s);
                    }
                    q.append_pair("scope", &ours);
                    if let Some(s) = scope.filter(|s| *s != ours) {
                        q.append_pair("scope", &s);
                    }
                }
                let realm_host = url.host_str().unwrap_or("").to_owned();
                if url.scheme() == "http" && !(self.insecure && r.is_localhost()) {
                    return Err(RegistryError::InsecureRefused {
                        registry: realm_host,
                    });
                }
                let resp = match creds {
                    // OAuth2: the identity token is a refresh token, POSTed with the scope.
                    Some(c) if c.is_identity_token() => {
                        let mut form = url::form_urlencoded::Serializer::new(String::new());
                        form.append_pair("grant_type", "refresh_token")
                            .append_pair("client_id", "atalaia")
                            .append_pair("refresh_token", &c.password);
                        for (k, v) in url.query_pairs() {
                            form.append_pair(&k, &v);
                        }
                        let body = form.finish();
                        let mut post = url.clone();
                        post.set_query(None);
                        self.send_once(
                            "POST",
                            post.as_str(),
                            &[("Content-Type", "application/x-www-form-urlencoded")],
                            None,
                            &mut Body::Bytes(body.as_bytes()),
                        )
                    }
                    creds => {
                        let auth = creds.map(|c| c.basic_header());
                        self.send_once("GET", url.as_str(), &[], auth.as_deref(), &mut Body::Empty)
                    }
                }
                .map_err(|t| Self::transport(r, t))?;
                match resp.status() {
                    200 => {}
                    401 | 403 => return Err(failed(&error_detail(resp))),
                    status => {
                        return Err(RegistryError::Status {
                            registry: realm_host,
                            method: "GET",
                            path: url.path().to_owned(),
                            status,
                            detail: error_detail(resp),
                        })
                    }
                }
                let body = read_limited(resp, MAX_MANIFEST_BYTES, &realm_host, "token answer")?;
                let answer: TokenAnswer =
                    serde_json::from_slice(&body).map_err(|e| RegistryError::BadResponse {
                        registry: realm_host.clone(),
                        what: "token answer".to_owned(),
                        reason: e.to_string(),
                    })?;
                let token = answer
                    .token
                    .filter(|t| !t.is_empty())
                    .or(answer.access_token.filter(|t| !t.is_empty()))
                    .ok_or_else(|| RegistryError::BadResponse {
                        registry: realm_host,
                        what: "token answer".to_owned(),
                        reason: "it has no `token`".to_owned(),
                    })?;
                Ok(format!("Bearer {token}"))
            }
            None => Err(failed(
                "the registry asked for authentication with no challenge this client supports",
            )),
        }
    }

    fn status_error(
        r: &Reference,
        method: &'static str,
        what: impl FnOnce() -> String,
        resp: ureq::Response,
    ) -> RegistryError {
        let status = resp.status();
        let path = url::Url::parse(resp.get_url())
            .map(|u| u.path().to_owned())
            .unwrap_or_default();
        match status {
            404 => RegistryError::NotFound {
                registry: r.registry().to_owned(),
                what: what(),
            },
            403 => RegistryError::Denied {
                registry: r.registry().to_owned(),
                repository: r.repository().to_owned(),
            },
            _ => RegistryError::Status {
                registry: r.registry().to_owned(),
                method,
                path,
                status,
                detail: error_detail(resp),
            },
        }
    }

    /// Sends `method` (`GET` or `HEAD`) for the manifest `r` names, accepting every manifest
    /// type; any status but 200 is an error.
    fn request_manifest(
        &self,
        r: &Reference,
        method: &'static str,
    ) -> Result<ureq::Response, RegistryError> {
        let accept = ACCEPTED_MANIFESTS.join(", ");
        let tail = format!("manifests/{}", r.target());
        let resp = self.send(
            r,
            Access::Pull,
            method,
            &tail,
            &[("Accept", &accept)],
            Body::Empty,
        )?;
        if resp.status() != 200 {
            return Err(Self::status_error(
                r,
                method,
                || format!("manifest `{r}`"),
                resp,
            ));
        }
        Ok(resp)
    }

    /// The digest of the manifest `r` names, from a `HEAD` (no body downloaded). `None` when the
    /// registry sends no `Docker-Content-Digest` header.
    pub fn manifest_digest(&self, r: &Reference) -> Result<Option<Digest>, RegistryError> {
        let resp = self.request_manifest(r, "HEAD")?;
        Ok(resp
            .header("docker-content-digest")
            .and_then(|d| d.trim().parse().ok()))
    }

    /// Fetches the manifest (or index) `r` names and checks it against `r`'s digest or the
    /// registry's `Docker-Content-Digest`.
    pub fn manifest(&self, r: &Reference) -> Result<FetchedManifest, RegistryError> {
        let resp = self.request_manifest(r, "GET")?;
        let header_type = resp.header("content-type").map(str::to_owned);
        let header_digest: Option<Digest> = resp
            .header("docker-content-digest")
            .and_then(|d| d.trim().parse().ok());
        let what = format!("manifest `{r}`");
        let bytes = read_limited(resp, MAX_MANIFEST_BYTES, r.registry(), &what)?;
        let expected = r.digest().cloned().or(header_digest);
        let digest = match &expected {
            Some(e) => {
                let mut h = Hasher::for_digest(e);
                h.update(&bytes);
                let actual = h.finish();
                if &actual != e {
                    return Err(RegistryError::DigestMismatch {
                        registry: r.registry().to_owned(),
                        what,
                        expected: e.clone(),
                        actual,
                    });
                }
                // Report the sha256 digest the rest of the world uses.
                Descriptor::of("", &bytes).digest
            }
            None => Descriptor::of("", &bytes).digest,
        };
        let (media_type, content) =
            parse_manifest(header_type.as_deref(), &bytes).map_err(|reason| {
                RegistryError::BadResponse {
                    registry: r.registry().to_owned(),
                    what,
                    reason,
                }
            })?;
        Ok(FetchedManifest {
            digest,
            media_type,
            bytes,
            content,
        })
    }

    /// The image manifest `r` names, choosing from an index the entry for `platform` (default
    /// `linux/amd64`, or the only entry). Returns the manifest as fetched and parsed.
    pub fn image_manifest(
        &self,
        r: &Reference,
        platform: Option<&Platform>,
    ) -> Result<(FetchedManifest, ImageManifest), RegistryError> {
        let fetched = self.manifest(r)?;
        let index = match &fetched.content {
            ManifestContent::Image(m) => {
                let m = m.clone();
                return Ok((fetched, m));
            }
            ManifestContent::Index(i) => i.clone(),
        };
        let wanted = platform
            .cloned()
            .or_else(|| Platform::parse("linux/amd64"))
            .ok_or_else(|| RegistryError::BadReference {
                reference: r.to_string(),
                reason: "no platform".to_owned(),
            })?;
        let candidates: Vec<&Descriptor> = index
            .manifests
            .iter()
            .filter(|d| ACCEPTED_MANIFESTS.contains(&d.media_type.as_str()))
            .collect();
        let chosen = candidates
            .iter()
            .find(|d| d.platform.as_ref().is_some_and(|p| wanted.matches(p)))
            .or_else(|| (platform.is_none() && candidates.len() == 1).then(|| &candidates[0]))
            .ok_or_else(|| RegistryError::NoMatchingPlatform {
                reference: r.to_string(),
                platform: wanted.to_string(),
                available: candidates
                    .iter()
                    .filter_map(|d| d.platform.as_ref().map(ToString::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let child = self.manifest(&r.with_digest(chosen.digest.clone()))?;
        match &child.content {
            ManifestContent::Image(m) => {
                let m = m.clone();
                Ok((child, m))
            }
            ManifestContent::Index(_) => Err(RegistryError::BadResponse {
                registry: r.registry().to_owned(),
                what: format!("index `{r}`"),
                reason: "an index entry is itself an index".to_owned(),
            }),
        }
    }

    /// Streams blob `desc` into `sink`, verifying its size and digest; `progress` gets the
    /// bytes received so far. On a mismatch the error names the blob: the caller must discard
    /// what `sink` got.
    pub fn fetch_blob(
        &self,
        r: &Reference,
        desc: &Descriptor,
        sink: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, RegistryError> {
        let tail = format!("blobs/{}", desc.digest);
        let resp = self.send(r, Access::Pull, "GET", &tail, &[], Body::Empty)?;
        if resp.status() != 200 {
            return Err(Self::status_error(
                r,
                "GET",
                || format!("blob {} of `{}`", desc.digest, r.repository()),
                resp,
            ));
        }
        let mut reader = resp.into_reader();
        let mut hasher = Hasher::for_digest(&desc.digest);
        let mut buf = vec![0u8; 256 << 10];
        let mut total = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(RegistryError::Io {
                        registry: r.registry().to_owned(),
                        action: format!("downloading blob {}", desc.digest),
                        source,
                    })
                }
            };
            total += n as u64;
            if total > desc.size {
                return Err(RegistryError::SizeMismatch {
                    registry: r.registry().to_owned(),
                    digest: desc.digest.clone(),
                    expected: desc.size,
                    actual: total,
                });
            }
            hasher.update(&buf[..n]);
            sink.write_all(&buf[..n])
                .map_err(|source| RegistryError::Sink {
                    digest: desc.digest.clone(),
                    source,
                })?;
            progress(total);
        }
        if total != desc.size {
            return Err(RegistryError::SizeMismatch {
                registry: r.registry().to_owned(),
                digest: desc.digest.clone(),
                expected: desc.size,
                actual: total,
            });
        }
        let actual = hasher.finish();
        if actual != desc.digest {
            return Err(RegistryError::DigestMismatch {
                registry: r.registry().to_owned(),
                what: format!("blob {}", desc.digest),
                expected: desc.digest.clone(),
                actual,
            });
        }
        Ok(total)
    }

    /// Opens blob `desc` as a stream: the `GET` (with auth and retries) happens now, the bytes
    /// are read as the caller reads. At the end of the stream its size and digest are checked; a
    /// mismatch, like a transfer failure, is an [`std::io::Error`] from `read` carrying a
    /// [`RegistryError`] (recover it with [`RegistryError::from_io`]). Nothing is buffered on
    /// disk.
    pub fn open_blob(&self, r: &Reference, desc: &Descriptor) -> Result<BlobReader, RegistryError> {
        let tail = format!("blobs/{}", desc.digest);
        let resp = self.send(r, Access::Pull, "GET", &tail, &[], Body::Empty)?;
        if resp.status() != 200 {
            return Err(Self::status_error(
                r,
                "GET",
                || format!("blob {} of `{}`", desc.digest, r.repository()),
                resp,
            ));
        }
        Ok(BlobReader {
            inner: resp.into_reader(),
            hasher: Some(Hasher::for_digest(&desc.digest)),
            registry: r.registry().to_owned(),
            digest: desc.digest.clone(),
            expected: desc.size,
            total: 0,
        })
    }

    /// Whether the repository has blob `digest`.
    pub fn blob_exists(&self, r: &Reference, digest: &Digest) -> Result<bool, RegistryError> {
        self.blob_exists_as(r, digest, Access::Pull)
    }

    fn blob_exists_as(
        &self,
        r: &Reference,
        digest: &Digest,
        access: Access,
    ) -> Result<bool, RegistryError> {
        let resp = self.send(
            r,
            access,
            "HEAD",
            &format!("blobs/{digest}"),
            &[],
            Body::Empty,
        )?;
        match resp.status() {
            200 => Ok(true),
            404 => Ok(false),
            _ => Err(Self::status_error(
                r,
                "HEAD",
                || format!("blob {digest}"),
                resp,
            )),
        }
    }

    fn upload_location(
        &self,
        r: &Reference,
        resp: &ureq::Response,
    ) -> Result<String, RegistryError> {
        let loc = resp
            .header("location")
            .ok_or_else(|| RegistryError::BadResponse {
                registry: r.registry().to_owned(),
                what: "upload answer".to_owned(),
                reason: "no `Location` header".to_owned(),
            })?;
        let base = url::Url::parse(resp.get_url()).or_else(|_| url::Url::parse(&self.base(r)));
        base.and_then(|b| b.join(loc))
            .map(String::from)
            .map_err(|e| RegistryError::BadResponse {
                registry: r.registry().to_owned(),
                what: "upload location".to_owned(),
                reason: e.to_string(),
            })
    }

    /// Uploads a blob of `size` bytes read from `reader`, unless the repository has it already.
    /// Blobs up to the chunk size go in one `PUT`; larger ones in `PATCH` chunks. Returns
    /// whether bytes were uploaded.
    pub fn push_blob(
        &self,
        r: &Reference,
        digest: &Digest,
        size: u64,
        reader: &mut dyn Read,
    ) -> Result<bool, RegistryError> {
        if self.blob_exists_as(r, digest, Access::Push)? {
            tracing::debug!(%digest, "blob already in the registry");
            return Ok(false);
        }
        let resp = self.send(r, Access::Push, "POST", "blobs/uploads/", &[], Body::Empty)?;
        if resp.status() != 202 {
            return Err(Self::status_error(r, "POST", || "upload".to_owned(), resp));
        }
        let mut location = self.upload_location(r, &resp)?;
        let _ = error_detail(resp);
        let with_digest = |loc: &str| -> Result<String, RegistryError> {
            let mut u = url::Url::parse(loc).map_err(|e| RegistryError::BadResponse {
                registry: r.registry().to_owned(),
                what: "upload location".to_owned(),
                reason: e.to_string(),
            })?;
            u.query_pairs_mut().append_pair("digest", digest.as_str());
            Ok(u.into())
        };
        let octet = [("Content-Type", "application/octet-stream")];
        if size <= self.chunk_size {
            let url = with_digest(&location)?;
            let resp = self.send(
                r,
                Access::Push,
                "PUT",
                &url,
                &octet,
                Body::Reader(reader, size),
            )?;
            if resp.status() != 201 {
                return Err(Self::status_error(
                    r,
                    "PUT",
                    || format!("blob {digest}"),
                    resp,
                ));
            }
            return Ok(true);
        }
        let mut sent = 0u64;
        while sent < size {
            let len = self.chunk_size.min(size - sent);
            let range = format!("{}-{}", sent, sent + len - 1);
            let headers = [
                ("Content-Type", "application/octet-stream"),
                ("Content-Range", range.as_str()),
            ];
            let mut chunk = (&mut *reader).take(len);
            let resp = self.send(
                r,
                Access::Push,
                "PATCH",
                &location,
                &headers,
                Body::Reader(&mut chunk, len),
            )?;
            if resp.status() != 202 {
                return Err(Self::status_error(
                    r,
                    "PATCH",
                    || format!("blob {digest}"),
                    resp,
                ));
            }
            location = self.upload_location(r, &resp)?;
            let _ = error_detail(resp);
            sent += len;
        }
        let url = with_digest(&location)?;
        let resp = self.send(r, Access::Push, "PUT", &url, &[], Body::Empty)?;
        if resp.status() != 201 {
            return Err(Self::status_error(
                r,
                "PUT",
                || format!("blob {digest}"),
                resp,
            ));
        }
        Ok(true)
    }

    /// Uploads `bytes` as a blob of `media_type` (skipped when present) and returns its
    /// descriptor.
    pub fn push_blob_bytes(
        &self,
        r: &Reference,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<Descriptor, RegistryError> {
        let desc = Descriptor::of(media_type, bytes);
        self.push_blob(r, &desc.digest, desc.size, &mut &bytes[..])?;
        Ok(desc)
    }

    /// Uploads a manifest under `r`'s tag (or digest) and returns its digest.
    pub fn push_manifest(
        &self,
        r: &Reference,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<Digest, RegistryError> {
        let tail = format!("manifests/{}", r.target());
        let resp = self.send(
            r,
            Access::Push,
            "PUT",
            &tail,
            &[("Content-Type", media_type)],
            Body::Bytes(bytes),
        )?;
        if resp.status() != 201 {
            return Err(Self::status_error(
                r,
                "PUT",
                || format!("manifest `{r}`"),
                resp,
            ));
        }
        Ok(Descriptor::of(media_type, bytes).digest)
    }
}

/// A blob being downloaded (from [`Client::open_blob`]): reading it yields the blob's bytes and,
/// at the end, checks their size and digest.
pub struct BlobReader {
    inner: Box<dyn Read + Send + Sync + 'static>,
    /// `None` once the end was reached and checked.
    hasher: Option<Hasher>,
    registry: String,
    digest: Digest,
    expected: u64,
    total: u64,
}

impl std::fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobReader")
            .field("registry", &self.registry)
            .field("digest", &self.digest)
            .field("expected", &self.expected)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl BlobReader {
    /// The blob's digest.
    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    /// Bytes received so far.
    pub fn bytes_read(&self) -> u64 {
        self.total
    }

    fn fail(&mut self, err: RegistryError) -> std::io::Error {
        // Once failed, the stream stays failed: no later `Ok(0)` can pass for a verified end.
        self.hasher = None;
        self.expected = u64::MAX;
        std::io::Error::other(err)
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.hasher.is_none() {
            if self.expected == u64::MAX {
                return Err(std::io::Error::other(RegistryError::Io {
                    registry: self.registry.clone(),
                    action: format!("downloading blob {}", self.digest),
                    source: std::io::Error::other("the download failed earlier"),
                }));
            }
            return Ok(0);
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Err(e),
            Err(source) => {
                let err = RegistryError::Io {
                    registry: self.registry.clone(),
                    action: format!("downloading blob {}", self.digest),
                    source,
                };
                return Err(self.fail(err));
            }
        };
        self.total += n as u64;
        if self.total > self.expected || (n == 0 && self.total != self.expected) {
            let err = RegistryError::SizeMismatch {
                registry: self.registry.clone(),
                digest: self.digest.clone(),
                expected: self.expected,
                actual: self.total,
            };
            return Err(self.fail(err));
        }
        if n > 0 {
            if let Some(h) = &mut self.hasher {
                h.update(&buf[..n]);
            }
            return Ok(n);
        }
        let actual = self.hasher.take().map(Hasher::finish);
        match actual {
            Some(actual) if actual != self.digest => {
                let err = RegistryError::DigestMismatch {
                    registry: self.registry.clone(),
                    what: format!("blob {}", self.digest),
                    expected: self.digest.clone(),
                    actual,
                };
                Err(self.fail(err))
            }
            _ => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512_hasher() {
        let d: Digest = format!("sha512:{}", "0".repeat(128)).parse().unwrap();
        let mut h = Hasher::for_digest(&d);
        h.update(b"abc");
        assert!(h.finish().as_str().starts_with("sha512:ddaf35a1"));
    }

    #[test]
    fn debug_hides_credentials() {
        let c = Client::builder()
            .use_docker_config(false)
            .credentials(Some(Credentials::new("alice", "s3cret")))
            .build()
            .unwrap();
        let s = format!("{c:?}");
        assert!(s.contains("alice") && !s.contains("s3cret"), "{s}");
    }
}
