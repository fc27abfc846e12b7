//! Ruby: `Gemfile.lock` and installed gem specifications.

pub(crate) mod gemfile_lock;
pub(crate) mod gemspec;
