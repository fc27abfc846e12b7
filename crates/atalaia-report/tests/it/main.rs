//! Integration tests of atalaia-report: snapshots of every writer on one fixture report.

mod findings;
mod fixture;
mod gitlab;
mod junit;
mod misconf;
mod sarif;
mod secrets;
mod template;
mod writers;
