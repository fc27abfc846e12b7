//! Integration tests: a database built once from the shared `vulndata/`, matched against
//! corpus images and inventories written by the tests.

mod alpine;
mod common;
mod debian;
mod ghsa;
mod python;
mod ruby_php;
mod rust_go;
mod threads;
