//! Every `ATALAIA_*` environment variable, in one registry. Each is read by the flag of the same
//! name (clap's `env`), so precedence is: flag, then environment, then default.

/// Same as `--format`.
pub(crate) const ATALAIA_FORMAT: &str = "ATALAIA_FORMAT";
/// Same as `--output`.
pub(crate) const ATALAIA_OUTPUT: &str = "ATALAIA_OUTPUT";
/// Same as `--platform`.
pub(crate) const ATALAIA_PLATFORM: &str = "ATALAIA_PLATFORM";
/// Same as `--list-all-pkgs`.
pub(crate) const ATALAIA_LIST_ALL_PKGS: &str = "ATALAIA_LIST_ALL_PKGS";
/// Same as `--parallel`.
pub(crate) const ATALAIA_PARALLEL: &str = "ATALAIA_PARALLEL";
/// Same as `--max-file-bytes`.
pub(crate) const ATALAIA_MAX_FILE_BYTES: &str = "ATALAIA_MAX_FILE_BYTES";
/// Same as `--max-layer-bytes`.
pub(crate) const ATALAIA_MAX_LAYER_BYTES: &str = "ATALAIA_MAX_LAYER_BYTES";
/// Same as `--max-entries`.
pub(crate) const ATALAIA_MAX_ENTRIES: &str = "ATALAIA_MAX_ENTRIES";
/// Same as `--quiet`.
pub(crate) const ATALAIA_QUIET: &str = "ATALAIA_QUIET";
/// Same as `--debug`.
pub(crate) const ATALAIA_DEBUG: &str = "ATALAIA_DEBUG";
/// Same as `--scanners`: a comma-separated list.
pub(crate) const ATALAIA_SCANNERS: &str = "ATALAIA_SCANNERS";
/// Same as `--secret-config`.
pub(crate) const ATALAIA_SECRET_CONFIG: &str = "ATALAIA_SECRET_CONFIG";
/// Same as `--exit-code`.
pub(crate) const ATALAIA_EXIT_CODE: &str = "ATALAIA_EXIT_CODE";
