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
/// Same as `--severity`: a comma-separated list.
pub(crate) const ATALAIA_SEVERITY: &str = "ATALAIA_SEVERITY";
/// Same as `--ignore-unfixed`.
pub(crate) const ATALAIA_IGNORE_UNFIXED: &str = "ATALAIA_IGNORE_UNFIXED";
/// Same as `--ignore-status`: a comma-separated list.
pub(crate) const ATALAIA_IGNORE_STATUS: &str = "ATALAIA_IGNORE_STATUS";
/// Same as `--db`.
pub(crate) const ATALAIA_DB: &str = "ATALAIA_DB";
/// Same as `--cache-dir`.
pub(crate) const ATALAIA_CACHE_DIR: &str = "ATALAIA_CACHE_DIR";
/// Same as `--skip-db-update`.
pub(crate) const ATALAIA_SKIP_DB_UPDATE: &str = "ATALAIA_SKIP_DB_UPDATE";
/// Same as `--offline-scan`.
pub(crate) const ATALAIA_OFFLINE_SCAN: &str = "ATALAIA_OFFLINE_SCAN";
/// Same as `--ignorefile`.
pub(crate) const ATALAIA_IGNOREFILE: &str = "ATALAIA_IGNOREFILE";
/// Same as `--vex`: a comma-separated list.
pub(crate) const ATALAIA_VEX: &str = "ATALAIA_VEX";
/// Same as `--show-suppressed`.
pub(crate) const ATALAIA_SHOW_SUPPRESSED: &str = "ATALAIA_SHOW_SUPPRESSED";
/// Same as `--db-repository` (`db update`).
pub(crate) const ATALAIA_DB_REPOSITORY: &str = "ATALAIA_DB_REPOSITORY";
/// Same as `--max-db-age` (`db update`).
pub(crate) const ATALAIA_MAX_DB_AGE: &str = "ATALAIA_MAX_DB_AGE";
/// Same as `--username` (registry access).
pub(crate) const ATALAIA_USERNAME: &str = "ATALAIA_USERNAME";
/// Same as `--password` (registry access).
pub(crate) const ATALAIA_PASSWORD: &str = "ATALAIA_PASSWORD";
/// Same as `--registry-ca`.
pub(crate) const ATALAIA_REGISTRY_CA: &str = "ATALAIA_REGISTRY_CA";
/// Same as `--insecure`.
pub(crate) const ATALAIA_INSECURE: &str = "ATALAIA_INSECURE";
/// Same as `--registry-token` (`atalaia image`).
pub(crate) const ATALAIA_REGISTRY_TOKEN: &str = "ATALAIA_REGISTRY_TOKEN";
/// Same as `--template`.
pub(crate) const ATALAIA_TEMPLATE: &str = "ATALAIA_TEMPLATE";
/// Same as `--cache-max-size`.
pub(crate) const ATALAIA_CACHE_MAX_SIZE: &str = "ATALAIA_CACHE_MAX_SIZE";
/// Same as `--image-src`: a comma-separated list.
pub(crate) const ATALAIA_IMAGE_SRC: &str = "ATALAIA_IMAGE_SRC";
/// Same as `--include-non-failures`.
pub(crate) const ATALAIA_INCLUDE_NON_FAILURES: &str = "ATALAIA_INCLUDE_NON_FAILURES";
/// Same as `--config-check` (comma-separated).
pub(crate) const ATALAIA_CONFIG_CHECK: &str = "ATALAIA_CONFIG_CHECK";
/// Same as `--check-namespaces`.
pub(crate) const ATALAIA_CHECK_NAMESPACES: &str = "ATALAIA_CHECK_NAMESPACES";
