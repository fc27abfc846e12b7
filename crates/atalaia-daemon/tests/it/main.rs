//! Integration tests of atalaia-daemon: `docker save` streams from files and built in memory,
//! and a real `dockerd` and Podman API service (started once per test binary; skipped with a
//! note when they cannot run here, failing under `CI`).

mod daemon;
mod podman;
mod stream;
mod support;
