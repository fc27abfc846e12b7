//! Where the daemon's socket is: `--docker-host`, else `DOCKER_HOST`, else the default socket.

use std::path::{Path, PathBuf};

use crate::DaemonError;

/// The environment variable Docker's CLI reads for the daemon address.
pub const DOCKER_HOST_ENV: &str = "DOCKER_HOST";

/// Docker's default socket.
pub const DEFAULT_DOCKER_SOCKET: &str = "/var/run/docker.sock";

/// Parses a Docker host address: `unix:///path/to.sock` or a bare absolute socket path.
///
/// `tcp://`, `ssh://`, `npipe://` and `fd://` hosts are refused with an error saying so.
pub fn parse_docker_host(value: &str) -> Result<PathBuf, DaemonError> {
    let bad = |reason: &str| DaemonError::BadHost {
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = value.trim();
    let path = if let Some(rest) = trimmed.strip_prefix("unix://") {
        rest
    } else if let Some((scheme, _)) = trimmed.split_once("://") {
        return Err(bad(&format!(
            "the `{scheme}://` scheme is not supported, only `unix://` sockets"
        )));
    } else {
        trimmed
    };
    if path.is_empty() {
        return Err(bad("it names no socket path"));
    }
    if !path.starts_with('/') {
        return Err(bad("the socket path must be absolute"));
    }
    if path.contains('\0') {
        return Err(bad("the socket path holds a NUL byte"));
    }
    Ok(PathBuf::from(path))
}

/// The socket to use: `flag` (`--docker-host`) if given, else `env` (the value of
/// `DOCKER_HOST`, ignored when empty), else [`DEFAULT_DOCKER_SOCKET`].
pub fn resolve_docker_host(flag: Option<&str>, env: Option<&str>) -> Result<PathBuf, DaemonError> {
    match (flag, env.filter(|e| !e.trim().is_empty())) {
        (Some(f), _) => parse_docker_host(f),
        (None, Some(e)) => parse_docker_host(e),
        (None, None) => Ok(PathBuf::from(DEFAULT_DOCKER_SOCKET)),
    }
}

/// Where Podman's API service usually listens, most specific first: the rootless socket under
/// `runtime_dir` (`$XDG_RUNTIME_DIR/podman/podman.sock`), then the rootful `/run/podman/podman.sock`.
pub fn podman_socket_candidates(runtime_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Some(dir) = runtime_dir.filter(|d| d.is_absolute()) {
        v.push(dir.join("podman/podman.sock"));
    }
    v.push(PathBuf::from("/run/podman/podman.sock"));
    v
}

/// The first of [`podman_socket_candidates`] that exists, if any.
pub fn find_podman_socket(runtime_dir: Option<&Path>) -> Option<PathBuf> {
    podman_socket_candidates(runtime_dir)
        .into_iter()
        .find(|p| p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_parse() {
        assert_eq!(
            parse_docker_host("unix:///var/run/docker.sock").unwrap(),
            PathBuf::from("/var/run/docker.sock")
        );
        assert_eq!(
            parse_docker_host("/tmp/d.sock").unwrap(),
            PathBuf::from("/tmp/d.sock")
        );
        for bad in [
            "tcp://127.0.0.1:2375",
            "ssh://u@h",
            "unix://",
            "unix://rel.sock",
            "",
        ] {
            let err = parse_docker_host(bad).unwrap_err();
            assert!(matches!(err, DaemonError::BadHost { .. }), "{bad}: {err}");
            assert!(err.to_string().contains(bad), "{err}");
        }
        assert!(parse_docker_host("tcp://h:1")
            .unwrap_err()
            .to_string()
            .contains("`tcp://` scheme"));
    }

    #[test]
    fn precedence() {
        assert_eq!(
            resolve_docker_host(Some("unix:///a"), Some("unix:///b")).unwrap(),
            PathBuf::from("/a")
        );
        assert_eq!(
            resolve_docker_host(None, Some("unix:///b")).unwrap(),
            PathBuf::from("/b")
        );
        assert_eq!(
            resolve_docker_host(None, Some("")).unwrap(),
            PathBuf::from(DEFAULT_DOCKER_SOCKET)
        );
        assert_eq!(
            resolve_docker_host(None, None).unwrap(),
            PathBuf::from(DEFAULT_DOCKER_SOCKET)
        );
    }

    #[test]
    fn podman_candidates() {
        assert_eq!(
            podman_socket_candidates(Some(Path::new("/run/user/1000"))),
            vec![
                PathBuf::from("/run/user/1000/podman/podman.sock"),
                PathBuf::from("/run/podman/podman.sock")
            ]
        );
        assert_eq!(
            podman_socket_candidates(Some(Path::new("relative"))),
            vec![PathBuf::from("/run/podman/podman.sock")]
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("podman")).unwrap();
        std::fs::write(dir.path().join("podman/podman.sock"), b"").unwrap();
        assert_eq!(
            find_podman_socket(Some(dir.path())),
            Some(dir.path().join("podman/podman.sock"))
        );
    }
}
