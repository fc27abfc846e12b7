//! Against a fake containerd: a gRPC server (h2) on a temporary socket answering what each test
//! wants, malformed or not; and sockets with nothing, or no HTTP/2, behind them.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use atalaia_analyze::{AnalyzeOptions, LayerSource};
use atalaia_containerd::{analyze_containerd_image_full, ContainerdClient, ContainerdError};
use bytes::Bytes;
use prost::Message as _;
use sha2::Digest as _;

use crate::support::chain;

/// What the fake answers to one call.
struct Reply {
    status: u16,
    content_type: &'static str,
    /// The response body as sent (already framed).
    body: Vec<u8>,
    /// `None`: no trailers at all.
    trailers: Option<Vec<(&'static str, String)>>,
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// A successful answer with these (unframed) messages.
fn ok(messages: &[Vec<u8>]) -> Reply {
    Reply {
        status: 200,
        content_type: "application/grpc",
        body: messages.iter().flat_map(|m| frame(m)).collect(),
        trailers: Some(vec![("grpc-status", "0".to_owned())]),
    }
}

/// A failed call.
fn status(code: u32, message: &str) -> Reply {
    Reply {
        status: 200,
        content_type: "application/grpc",
        body: Vec::new(),
        trailers: Some(vec![
            ("grpc-status", code.to_string()),
            ("grpc-message", message.replace(' ', "%20")),
        ]),
    }
}

type Handler = dyn Fn(&str, &[u8]) -> Reply + Send + Sync;

/// A fake server; stops when dropped.
struct Fake {
    _dir: tempfile::TempDir,
    socket: PathBuf,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

impl Fake {
    fn start(handler: impl Fn(&str, &[u8]) -> Reply + Send + Sync + 'static) -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("fake.sock");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let handler: Arc<Handler> = Arc::new(handler);
        let listener = {
            let _guard = runtime.enter();
            tokio::net::UnixListener::bind(&socket).unwrap()
        };
        runtime.spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let handler = handler.clone();
                tokio::spawn(async move {
                    let Ok(mut conn) = h2::server::handshake(sock).await else {
                        return;
                    };
                    while let Some(Ok((req, respond))) = conn.accept().await {
                        tokio::spawn(answer(req, respond, handler.clone()));
                    }
                });
            }
        });
        Fake {
            _dir: dir,
            socket,
            runtime: Some(runtime),
        }
    }

    fn client(&self) -> ContainerdClient {
        ContainerdClient::with_timeout(&self.socket, "default", Duration::from_secs(10)).unwrap()
    }
}

async fn answer(
    req: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    handler: Arc<Handler>,
) {
    let path = req.uri().path().to_owned();
    let mut body = req.into_body();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = body.data().await {
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    let reply = handler(&path, bytes.get(5..).unwrap_or_default());
    let resp = http::Response::builder()
        .status(reply.status)
        .header("content-type", reply.content_type)
        .body(())
        .unwrap();
    let end_with_body = reply.trailers.is_none();
    let Ok(mut send) = respond.send_response(resp, false) else {
        return;
    };
    let _ = send.send_data(Bytes::from(reply.body), end_with_body);
    if let Some(trailers) = reply.trailers {
        let mut map = http::HeaderMap::new();
        for (k, v) in trailers {
            map.insert(k, v.parse().unwrap());
        }
        let _ = send.send_trailers(map);
    }
}

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{:x}", sha2::Sha256::digest(bytes))
}

/// A one-layer Alpine image: the blobs by digest, and the manifest's digest and size.
struct FakeImage {
    blobs: HashMap<String, Vec<u8>>,
    manifest: (String, usize),
    layer: String,
}

fn fake_image(tamper_diff_id: bool) -> FakeImage {
    let mut b = tar::Builder::new(Vec::new());
    for (name, body) in [
        (
            "etc/os-release",
            &b"ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"[..],
        ),
        (
            "lib/apk/db/installed",
            &b"P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\nL:MIT\n\n"[..],
        ),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, body).unwrap();
    }
    let tar = b.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    let layer = gz.finish().unwrap();
    let diff_id = if tamper_diff_id {
        sha(b"something else")
    } else {
        sha(&tar)
    };
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "ADD rootfs /"}],
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(&config), "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": sha(&layer), "size": layer.len()}],
    }))
    .unwrap();
    let mut blobs = HashMap::new();
    let m = (sha(&manifest), manifest.len());
    let l = sha(&layer);
    blobs.insert(sha(&config), config);
    blobs.insert(l.clone(), layer);
    blobs.insert(m.0.clone(), manifest);
    FakeImage {
        blobs,
        manifest: m,
        layer: l,
    }
}

// The containerd API messages, encoded by hand for the fake (as containerd's Go code would).
fn get_image_response(name: &str, media_type: &str, digest: &str, size: usize) -> Vec<u8> {
    let mut desc = Vec::new();
    put_str(&mut desc, 1, media_type);
    put_str(&mut desc, 2, digest);
    desc.push(0x18);
    prost::encoding::encode_varint(size as u64, &mut desc);
    let mut image = Vec::new();
    put_str(&mut image, 1, name);
    put_bytes(&mut image, 3, &desc);
    let mut resp = Vec::new();
    put_bytes(&mut resp, 1, &image);
    resp
}

fn put_str(buf: &mut Vec<u8>, field: u8, s: &str) {
    put_bytes(buf, field, s.as_bytes());
}

fn put_bytes(buf: &mut Vec<u8>, field: u8, b: &[u8]) {
    buf.push((field << 3) | 2);
    prost::encoding::encode_varint(b.len() as u64, buf);
    buf.extend_from_slice(b);
}

fn read_content_response(offset: u64, data: &[u8]) -> Vec<u8> {
    let mut v = vec![0x08];
    prost::encoding::encode_varint(offset, &mut v);
    put_bytes(&mut v, 2, data);
    v
}

/// The digest and offset of a `ReadContentRequest`.
fn read_request(msg: &[u8]) -> (String, u64) {
    #[derive(prost::Message)]
    struct Req {
        #[prost(string, tag = "1")]
        digest: String,
        #[prost(int64, tag = "2")]
        offset: i64,
    }
    let r = Req::decode(msg).unwrap();
    (r.digest, r.offset as u64)
}

/// How the fake content store misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Content {
    Good,
    /// The second chunk claims the wrong offset.
    BadOffset,
    /// One byte of the layer is flipped.
    Corrupt,
    /// The layer ends early.
    Short,
}

fn serve_image(image: FakeImage, mode: Content) -> Fake {
    let (mdigest, msize) = image.manifest.clone();
    let layer = image.layer.clone();
    Fake::start(move |path, msg| match path {
        "/containerd.services.images.v1.Images/Get" => ok(&[get_image_response(
            "docker.io/fake/alpine:1",
            "application/vnd.oci.image.manifest.v1+json",
            &mdigest,
            msize,
        )]),
        "/containerd.services.content.v1.Content/Read" => {
            let (digest, offset) = read_request(msg);
            let Some(blob) = image.blobs.get(&digest) else {
                return status(5, &format!("content digest {digest}: not found"));
            };
            let mut blob = blob.clone();
            if digest == layer {
                match mode {
                    Content::Corrupt => {
                        let mid = blob.len() / 2;
                        blob[mid] ^= 0xff;
                    }
                    Content::Short => blob.truncate(blob.len() - 10),
                    _ => {}
                }
            }
            let mut messages = Vec::new();
            let mut at = offset as usize;
            for (i, chunk) in blob[offset as usize..].chunks(100).enumerate() {
                let claimed = if mode == Content::BadOffset && digest == layer && i == 1 {
                    at + 7
                } else {
                    at
                };
                messages.push(read_content_response(claimed as u64, chunk));
                at += chunk.len();
            }
            ok(&messages)
        }
        other => status(12, &format!("unknown method {other}")),
    })
}

#[test]
fn a_good_fake_image_is_read_and_verified() {
    let fake = serve_image(fake_image(false), Content::Good);
    let image = fake.client().open_image("fake/alpine:1", None).unwrap();
    assert_eq!(image.stored_name, "docker.io/fake/alpine:1");
    assert_eq!(image.layers.len(), 1);
    assert_eq!(
        image.layers[0].info().created_by.as_deref(),
        Some("ADD rootfs /")
    );
    let got = analyze_containerd_image_full(&image, &AnalyzeOptions::default()).unwrap();
    assert_eq!(got.inventory.os_packages.len(), 1, "{:?}", got.inventory);
    assert_eq!(got.inventory.os_packages[0].packages.len(), 1);
    assert_eq!(got.inventory.os_packages[0].packages[0].name, "musl");
}

#[test]
fn bad_layer_bytes_are_errors_naming_the_layer() {
    for (mode, tamper, expect) in [
        (Content::Corrupt, false, "has digest"),
        (Content::Short, false, "descriptor says"),
        (Content::BadOffset, false, "offset"),
        (Content::Good, true, "diff"),
    ] {
        let img = fake_image(tamper);
        let layer = img.layer.clone();
        let fake = serve_image(img, mode);
        let image = fake.client().open_image("fake/alpine:1", None).unwrap();
        let err = analyze_containerd_image_full(&image, &AnalyzeOptions::default()).unwrap_err();
        let text = chain(&err).to_lowercase();
        assert!(text.contains(&layer), "{text}");
        assert!(text.contains(expect), "{expect}: {text}");
    }
}

#[test]
fn a_manifest_not_matching_its_digest_is_refused() {
    let mut img = fake_image(false);
    let (mdigest, _) = img.manifest.clone();
    img.blobs.get_mut(&mdigest).unwrap()[0] = b' ';
    let fake = serve_image(img, Content::Good);
    let err = fake.client().open_image("fake/alpine:1", None).unwrap_err();
    assert!(matches!(err, ContainerdError::Mismatch { .. }), "{err}");
    assert!(err.to_string().contains(&mdigest), "{err}");
}

/// A fake answering every call with `reply()`.
fn always(reply: fn() -> Reply) -> Fake {
    Fake::start(move |_, _| reply())
}

#[test]
fn malformed_answers_are_bad_responses() {
    type Case = (fn() -> Reply, &'static str);
    let cases: [Case; 8] = [
        (|| ok(&[vec![0x0a, 10, 1]]), "protobuf"),
        (|| ok(&[vec![0x0a, 0]]), "no target"),
        (
            || Reply {
                content_type: "text/html",
                ..ok(&[vec![]])
            },
            "content type",
        ),
        (
            || Reply {
                status: 404,
                ..ok(&[])
            },
            "http status 404",
        ),
        (
            || Reply {
                body: vec![1, 0, 0, 0, 1, 0],
                ..ok(&[])
            },
            "compressed",
        ),
        (
            || Reply {
                body: vec![0, 0, 0, 0, 100, 1, 2, 3],
                ..ok(&[])
            },
            "ends inside a message",
        ),
        (
            || Reply {
                trailers: None,
                ..ok(&[vec![]])
            },
            "without a `grpc-status`",
        ),
        (|| ok(&[vec![], vec![]]), "more than one"),
    ];
    for (reply, expect) in cases {
        let fake = always(reply);
        let err = fake.client().open_image("fake/alpine:1", None).unwrap_err();
        assert!(!err.is_unavailable(), "{err}");
        let text = err.to_string();
        assert!(text.to_lowercase().contains(expect), "{expect}: {text}");
        assert!(text.contains(&fake.socket.display().to_string()), "{text}");
    }
}

#[test]
fn not_found_everywhere_is_no_such_image_or_no_namespace() {
    let fake = Fake::start(|path, _| match path {
        "/containerd.services.namespaces.v1.Namespaces/List" => {
            let mut ns = Vec::new();
            put_str(&mut ns, 1, "moby");
            let mut resp = Vec::new();
            put_bytes(&mut resp, 1, &ns);
            ok(&[resp])
        }
        _ => status(5, "image \"x\": not found"),
    });
    let err = fake.client().open_image("alpine", None).unwrap_err();
    assert!(
        matches!(err, ContainerdError::EmptyNamespace { .. }),
        "{err}"
    );
    assert!(err.is_unavailable());
    assert!(err.to_string().contains("`moby`"), "{err}");
    let moby = ContainerdClient::new(&fake.socket, "moby").unwrap();
    let err = moby.open_image("alpine", None).unwrap_err();
    assert!(matches!(err, ContainerdError::NoSuchImage { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("`docker.io/library/alpine:latest`, `alpine`"),
        "{err}"
    );
}

#[test]
fn other_statuses_are_reported_with_their_message() {
    let fake = always(|| status(9, "namespace is required"));
    let err = fake.client().open_image("alpine", None).unwrap_err();
    assert!(!err.is_unavailable());
    assert!(
        err.to_string()
            .contains("gRPC status 9 (FAILED_PRECONDITION): namespace is required"),
        "{err}"
    );
}

#[test]
fn a_missing_socket_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("none.sock");
    let err = ContainerdClient::new(&socket, "default")
        .unwrap()
        .open_image("alpine", None)
        .unwrap_err();
    assert!(
        matches!(err, ContainerdError::SocketMissing { .. }),
        "{err}"
    );
    assert!(err.is_unavailable());
    assert!(err.to_string().contains("none.sock"), "{err}");
    assert!(err.hint().unwrap().contains("CONTAINERD_ADDRESS"));
}

#[test]
fn a_socket_nobody_listens_on_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("dead.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    let err = ContainerdClient::new(&socket, "default")
        .unwrap()
        .open_image("alpine", None)
        .unwrap_err();
    assert!(matches!(err, ContainerdError::NotRunning { .. }), "{err}");
    assert!(err.is_unavailable());
}

/// A socket whose server accepts and then does `behave` with the connection.
fn raw_server(socket: &Path, behave: fn(std::os::unix::net::UnixStream)) {
    let listener = std::os::unix::net::UnixListener::bind(socket).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || behave(conn));
        }
    });
}

#[test]
fn a_server_that_is_not_http2_is_a_transport_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("http1.sock");
    raw_server(&socket, |mut c| {
        let _ = c.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let err = ContainerdClient::with_timeout(&socket, "default", Duration::from_secs(5))
        .unwrap()
        .open_image("alpine", None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            ContainerdError::Transport { .. } | ContainerdError::Timeout { .. }
        ),
        "{}",
        chain(&err)
    );
    assert!(!err.is_unavailable());
}

#[test]
fn a_silent_server_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent.sock");
    raw_server(&socket, |c| {
        std::thread::sleep(Duration::from_secs(5));
        drop(c);
    });
    let start = std::time::Instant::now();
    let err = ContainerdClient::with_timeout(&socket, "default", Duration::from_secs(1))
        .unwrap()
        .open_image("alpine", None)
        .unwrap_err();
    assert!(
        matches!(err, ContainerdError::Timeout { .. }),
        "{}",
        chain(&err)
    );
    assert!(start.elapsed() < Duration::from_secs(4));
}
