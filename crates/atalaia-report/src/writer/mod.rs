//! One writer per output format, each a leaf that only reads the [`crate::Report`].
//!
//! Every writer takes `&mut dyn std::io::Write`, so the CLI decides where output goes (stdout,
//! a file) and tests write into a `Vec<u8>`.

pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod table;
pub mod template;
