//! Integration tests of `atalaia-analyze`: the real image corpus read in place from
//! `$ATALAIA_SHARED`, and small layers and trees the tests build themselves.

mod common;
mod corpus;
mod dir;
mod formats;
mod lang;
mod layers;
mod peers;
mod robust;
mod secret;
mod tricky;
