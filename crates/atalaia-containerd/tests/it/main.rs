//! Integration tests of atalaia-containerd: a real containerd (started per test on a temporary
//! socket; skipped with a note when it cannot run here, failing under `CI`) holding corpus
//! images imported with `ctr`, scanned by name and compared with the same images on disk; and
//! a fake gRPC server answering malformed things.

mod fake;
mod real;
mod support;
