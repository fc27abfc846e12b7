//! Integration tests of atalaia-watch: runs against a vulnerability database built from a tiny
//! OSV feed written by the test, notifications to an HTTP receiver on 127.0.0.1.

mod receiver;
mod watch;
