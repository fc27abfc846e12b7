//! Integration tests of atalaia-report: snapshots of every writer on one fixture report.

mod fixture;
mod secrets;
mod writers;
