//! Language package parsers.
//!
//! [`classify`] decides from a path (and mode, for executables) whether a file is one this crate
//! reads and in which scan modes; [`parse`] turns its bytes into an [`Application`].
//!
//! One module per ecosystem and format (`python::metadata`, `node::npm_lock`, `java::jar`,
//! `golang::binary`, …). Every parser takes untrusted bytes: it returns a [`LangError`] naming the
//! file for input it cannot read, never panics, and reports recoverable problems (a `-r` include
//! in a requirements file, an unreadable nested jar) as warnings through [`parse_with_warnings`].
//!
//! Executables are classified from their mode bits alone (classify never sees bytes); [`parse`]
//! then looks at the bytes and returns an application with zero packages for an executable that
//! is neither a Go binary with build info nor a cargo-auditable Rust binary. Callers drop empty
//! applications.
#![deny(missing_docs)]

// CONTRACT (written first so atalaia-analyze can wrap it). Keep these names and shapes.

use atalaia_types::Application;

mod conan;
mod conda;
mod conda_env;
mod dart;
mod dotnet;
mod erlang;
mod golang;
mod java;
mod julia;
mod manifest;
mod node;
mod pacman;
mod php;
mod python;
mod ruby;
mod rust;
mod swift;
mod terraform;
#[cfg(test)]
mod testelf;
mod util;

pub use java::pom::{read_pom, resolve_pom, PomDependency, PomModel, PomParent};
pub use manifest::{apply_manifest, parse_manifest, parse_package_identity, DirectDeps};
pub use python::normalize_pypi_name;

/// The kind of file, which is also the `Application::app_type` it produces (Trivy's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LangFile {
    /// `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, … (`python-pkg`).
    PythonPkg,
    /// `poetry.lock` (`poetry`).
    PoetryLock,
    /// `requirements*.txt` (`pip`).
    PipRequirements,
    /// `Pipfile.lock` (`pipenv`).
    PipfileLock,
    /// An installed `package.json` (`node-pkg`).
    NodePkg,
    /// `package-lock.json` / `npm-shrinkwrap.json` (`npm`).
    NpmLock,
    /// `yarn.lock` v1 (`yarn`).
    YarnLock,
    /// `*.jar`, `*.war`, `*.ear`, `*.par` (`jar`).
    Jar,
    /// An executable file; [`parse`] finds out whether it is a Go or a Rust binary
    /// (the application's type is then `gobinary` or `rustbinary`).
    Executable,
    /// `go.mod` (`gomod`).
    GoMod,
    /// `Cargo.lock` (`cargo`).
    CargoLock,
    /// `Gemfile.lock` (`bundler`).
    GemfileLock,
    /// `composer.lock` (`composer`).
    ComposerLock,
    /// `uv.lock` (`uv`).
    UvLock,
    /// `pdm.lock` (`pdm`).
    PdmLock,
    /// `pnpm-lock.yaml` v5-v9 (`pnpm`).
    PnpmLock,
    /// `deno.lock` v2-v4 (`deno`).
    DenoLock,
    /// Installed `specifications/*.gemspec` (`gemspec`).
    Gemspec,
    /// Composer's installed `vendor/composer/installed.json` (`composer-vendor`).
    ComposerInstalled,
    /// `packages.lock.json` (`nuget`).
    NugetLock,
    /// `*.deps.json` (`dotnet-core`).
    DotnetDeps,
    /// `pubspec.lock` (`pub`).
    PubspecLock,
    /// `Package.resolved` v1-v3 (`swift`).
    SwiftResolved,
    /// `Podfile.lock` (`cocoapods`).
    PodfileLock,
    /// `conan.lock` v1 and v2 (`conan`).
    ConanLock,
    /// `mix.lock` (`hex`).
    MixLock,
    /// `rebar.lock` (`rebar`).
    RebarLock,
    /// Julia `Manifest.toml` v1 and v2 (`julia`).
    JuliaManifest,
    /// `conda-meta/*.json` of an installed environment (`conda-pkg`).
    CondaMeta,
    /// `.terraform.lock.hcl` providers (`terraform-lock`).
    TerraformLock,
    /// PEP 751 `pylock.toml` (`pylock`).
    Pylock,
    /// An installed `*.egg` zip (`python-egg`).
    PythonEgg,
    /// `bun.lock` (`bun`).
    BunLock,
    /// `gradle.lockfile`, `*.gradle.lockfile` (`gradle-lockfile`).
    GradleLock,
    /// `build.sbt.lock` (`sbt-lockfile`).
    SbtLock,
    /// NuGet `packages.config` (`packages-config`).
    PackagesConfig,
    /// Arch Linux `var/lib/pacman/local/*/desc` (`pacman`).
    PacmanDesc,
    /// Conda `environment.yml` (`conda-environment`).
    CondaEnvironment,
    /// Maven `pom.xml` (`pom`).
    Pom,
    /// `Directory.Packages.props` / `Packages.props` (`packages-props`).
    PackagesProps,
}

impl LangFile {
    /// Every kind, for documentation, fuzzing and exhaustive tests.
    pub const ALL: &'static [LangFile] = &[
        LangFile::PythonPkg,
        LangFile::PoetryLock,
        LangFile::PipRequirements,
        LangFile::PipfileLock,
        LangFile::NodePkg,
        LangFile::NpmLock,
        LangFile::YarnLock,
        LangFile::Jar,
        LangFile::Executable,
        LangFile::GoMod,
        LangFile::CargoLock,
        LangFile::GemfileLock,
        LangFile::ComposerLock,
        LangFile::UvLock,
        LangFile::PdmLock,
        LangFile::PnpmLock,
        LangFile::DenoLock,
        LangFile::Gemspec,
        LangFile::ComposerInstalled,
        LangFile::NugetLock,
        LangFile::DotnetDeps,
        LangFile::PubspecLock,
        LangFile::SwiftResolved,
        LangFile::PodfileLock,
        LangFile::ConanLock,
        LangFile::MixLock,
        LangFile::RebarLock,
        LangFile::JuliaManifest,
        LangFile::CondaMeta,
        LangFile::TerraformLock,
        LangFile::Pylock,
        LangFile::PythonEgg,
        LangFile::BunLock,
        LangFile::GradleLock,
        LangFile::SbtLock,
        LangFile::PackagesConfig,
        LangFile::PacmanDesc,
        LangFile::CondaEnvironment,
        LangFile::Pom,
        LangFile::PackagesProps,
    ];

    /// The analyzer/application type name as Trivy writes it (`python-pkg`, `npm`, `gobinary`).
    /// For [`LangFile::Executable`] this is `executable`; the parsed application says `gobinary`
    /// or `rustbinary`.
    pub fn app_type(self) -> &'static str {
        match self {
            LangFile::PythonPkg => "python-pkg",
            LangFile::PoetryLock => "poetry",
            LangFile::PipRequirements => "pip",
            LangFile::PipfileLock => "pipenv",
            LangFile::NodePkg => "node-pkg",
            LangFile::NpmLock => "npm",
            LangFile::YarnLock => "yarn",
            LangFile::Jar => "jar",
            LangFile::Executable => "executable",
            LangFile::GoMod => "gomod",
            LangFile::CargoLock => "cargo",
            LangFile::GemfileLock => "bundler",
            LangFile::ComposerLock => "composer",
            LangFile::UvLock => "uv",
            LangFile::PdmLock => "pdm",
            LangFile::PnpmLock => "pnpm",
            LangFile::DenoLock => "deno",
            LangFile::Gemspec => "gemspec",
            LangFile::ComposerInstalled => "composer-vendor",
            LangFile::NugetLock => "nuget",
            LangFile::DotnetDeps => "dotnet-core",
            LangFile::PubspecLock => "pub",
            LangFile::SwiftResolved => "swift",
            LangFile::PodfileLock => "cocoapods",
            LangFile::ConanLock => "conan",
            LangFile::MixLock => "hex",
            LangFile::RebarLock => "rebar",
            LangFile::JuliaManifest => "julia",
            LangFile::CondaMeta => "conda-pkg",
            LangFile::TerraformLock => "terraform-lock",
            LangFile::Pylock => "pylock",
            LangFile::PythonEgg => "python-egg",
            LangFile::BunLock => "bun",
            LangFile::GradleLock => "gradle-lockfile",
            LangFile::SbtLock => "sbt-lockfile",
            LangFile::PackagesConfig => "packages-config",
            LangFile::PacmanDesc => "pacman",
            LangFile::CondaEnvironment => "conda-environment",
            LangFile::Pom => "pom",
            LangFile::PackagesProps => "packages-props",
        }
    }

    /// Whether it is read in image and rootfs scans: installed metadata and binaries, and, as
    /// in Trivy, `Cargo.lock` and the .NET and Julia files, which it reads in every scan mode.
    pub fn installed(self) -> bool {
        self.is_installed_metadata()
            || matches!(
                self,
                LangFile::CargoLock
                    | LangFile::NugetLock
                    | LangFile::PackagesConfig
                    | LangFile::PackagesProps
                    | LangFile::DotnetDeps
                    | LangFile::JuliaManifest
            )
    }

    /// Whether it is read in fs and repo scans (lockfiles and manifests).
    pub fn lockfile(self) -> bool {
        !self.is_installed_metadata()
    }

    /// Metadata of installed packages and binaries: only meaningful in an image or root
    /// filesystem.
    fn is_installed_metadata(self) -> bool {
        matches!(
            self,
            LangFile::PythonPkg
                | LangFile::NodePkg
                | LangFile::Jar
                | LangFile::Executable
                | LangFile::Gemspec
                | LangFile::ComposerInstalled
                | LangFile::CondaMeta
                | LangFile::PythonEgg
                | LangFile::PacmanDesc
        )
    }
}

/// What a file at `path` (relative, no leading `/`) is, if this crate reads it. Cheap: called for
/// every entry of every layer. `mode` is the Unix permission bits (executables).
pub fn classify(path: &str, size: u64, mode: u32) -> Option<LangFile> {
    let base = path.rsplit('/').next().unwrap_or(path);
    let in_node_modules = path.starts_with("node_modules/") || path.contains("/node_modules/");
    let kind = match base {
        "METADATA"
            if parent_name(path)
                .is_some_and(|p| p.ends_with(".dist-info") || p.ends_with(".egg-info")) =>
        {
            LangFile::PythonPkg
        }
        "PKG-INFO"
            if parent_name(path).is_some_and(|p| p.ends_with(".egg-info") || p == "EGG-INFO") =>
        {
            LangFile::PythonPkg
        }
        _ if base.ends_with(".egg-info") => LangFile::PythonPkg,
        "package.json" => LangFile::NodePkg,
        "poetry.lock" => LangFile::PoetryLock,
        "Pipfile.lock" => LangFile::PipfileLock,
        "package-lock.json" | "npm-shrinkwrap.json" if !in_node_modules => LangFile::NpmLock,
        "yarn.lock" if !in_node_modules => LangFile::YarnLock,
        "go.mod" => LangFile::GoMod,
        "Cargo.lock" => LangFile::CargoLock,
        "Gemfile.lock" => LangFile::GemfileLock,
        "composer.lock" if !path.starts_with("vendor/") && !path.contains("/vendor/") => {
            LangFile::ComposerLock
        }
        "uv.lock" => LangFile::UvLock,
        "pdm.lock" => LangFile::PdmLock,
        "pnpm-lock.yaml" if !in_node_modules => LangFile::PnpmLock,
        "deno.lock" => LangFile::DenoLock,
        "installed.json" if parent_name(path) == Some("composer") => LangFile::ComposerInstalled,
        "packages.lock.json" => LangFile::NugetLock,
        "pubspec.lock" => LangFile::PubspecLock,
        "Package.resolved" => LangFile::SwiftResolved,
        "Podfile.lock" => LangFile::PodfileLock,
        "conan.lock" => LangFile::ConanLock,
        "mix.lock" => LangFile::MixLock,
        "rebar.lock" => LangFile::RebarLock,
        "Manifest.toml" | "JuliaManifest.toml" => LangFile::JuliaManifest,
        ".terraform.lock.hcl" => LangFile::TerraformLock,
        "bun.lock" if !in_node_modules => LangFile::BunLock,
        "build.sbt.lock" => LangFile::SbtLock,
        "packages.config" => LangFile::PackagesConfig,
        "pom.xml" if !path.contains("/src/it/") => LangFile::Pom,
        _ if base.eq_ignore_ascii_case("packages.props")
            || base.eq_ignore_ascii_case("directory.packages.props") =>
        {
            LangFile::PackagesProps
        }
        "environment.yml" | "environment.yaml" => LangFile::CondaEnvironment,
        "desc" if path.contains("var/lib/pacman/local/") => LangFile::PacmanDesc,
        _ if base == "pylock.toml" || (base.starts_with("pylock.") && base.ends_with(".toml")) => {
            LangFile::Pylock
        }
        _ if base.ends_with("gradle.lockfile") => LangFile::GradleLock,
        _ if base.ends_with(".egg") => LangFile::PythonEgg,
        _ if base.ends_with(".gemspec") && parent_name(path) == Some("specifications") => {
            LangFile::Gemspec
        }
        _ if base.ends_with(".deps.json") => LangFile::DotnetDeps,
        _ if base.ends_with(".json") && parent_name(path) == Some("conda-meta") => {
            LangFile::CondaMeta
        }
        _ if base.starts_with("requirements")
            && base.ends_with(".txt")
            && !path.contains("-packages/") =>
        {
            LangFile::PipRequirements
        }
        _ if java::is_archive_name(base) => LangFile::Jar,
        // An executable regular file large enough to hold an ELF header.
        _ if mode & 0o111 != 0 && size >= 64 => LangFile::Executable,
        _ => return None,
    };
    Some(kind)
}

/// The name of the directory holding `path`'s last component.
fn parent_name(path: &str) -> Option<&str> {
    let mut it = path.rsplit('/');
    it.next();
    it.next()
}

/// Parses one file. `path` is relative with no leading `/`; packages' `file_path` is set with a
/// leading `/` where the package comes from a file other than the application's own.
pub fn parse(kind: LangFile, path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    parse_with_warnings(kind, path, bytes).map(|p| p.application)
}

/// What [`parse_with_warnings`] returns: the application and what could not be fully read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The application with its packages (possibly none).
    pub application: Application,
    /// Problems that did not stop parsing, one line each (an unfollowed `-r` include, an
    /// unreadable nested jar).
    pub warnings: Vec<String>,
}

/// Like [`parse`], and also returns the warnings of a partial read.
pub fn parse_with_warnings(kind: LangFile, path: &str, bytes: &[u8]) -> Result<Parsed, LangError> {
    let mut warnings = Vec::new();
    let application = match kind {
        LangFile::PythonPkg => python::metadata::parse(path, bytes)?,
        LangFile::PoetryLock => python::poetry::parse(path, bytes)?,
        LangFile::PipRequirements => python::requirements::parse(path, bytes, &mut warnings)?,
        LangFile::PipfileLock => python::pipfile::parse(path, bytes)?,
        LangFile::NodePkg => node::package_json::parse(path, bytes)?,
        LangFile::NpmLock => node::npm_lock::parse(path, bytes)?,
        LangFile::YarnLock => node::yarn_lock::parse(path, bytes)?,
        LangFile::Jar => java::jar::parse(path, bytes, &mut warnings)?,
        LangFile::Executable => parse_executable(path, bytes)?,
        LangFile::GoMod => golang::gomod::parse(path, bytes)?,
        LangFile::CargoLock => rust::cargo_lock::parse(path, bytes)?,
        LangFile::GemfileLock => ruby::gemfile_lock::parse(path, bytes)?,
        LangFile::ComposerLock => php::composer_lock::parse(path, bytes)?,
        LangFile::UvLock => python::uv::parse(path, bytes)?,
        LangFile::PdmLock => python::pdm::parse(path, bytes)?,
        LangFile::PnpmLock => node::pnpm_lock::parse(path, bytes)?,
        LangFile::DenoLock => node::deno_lock::parse(path, bytes)?,
        LangFile::Gemspec => ruby::gemspec::parse(path, bytes)?,
        LangFile::ComposerInstalled => php::installed::parse(path, bytes)?,
        LangFile::NugetLock => dotnet::packages_lock::parse(path, bytes)?,
        LangFile::DotnetDeps => dotnet::deps_json::parse(path, bytes)?,
        LangFile::PubspecLock => dart::pubspec_lock::parse(path, bytes)?,
        LangFile::SwiftResolved => swift::package_resolved::parse(path, bytes)?,
        LangFile::PodfileLock => swift::podfile_lock::parse(path, bytes)?,
        LangFile::ConanLock => conan::parse(path, bytes)?,
        LangFile::MixLock => erlang::mix_lock::parse(path, bytes)?,
        LangFile::RebarLock => erlang::rebar_lock::parse(path, bytes)?,
        LangFile::JuliaManifest => julia::parse(path, bytes)?,
        LangFile::CondaMeta => conda::parse(path, bytes)?,
        LangFile::TerraformLock => terraform::parse(path, bytes)?,
        LangFile::Pylock => python::pylock::parse(path, bytes)?,
        LangFile::PythonEgg => python::egg::parse(path, bytes)?,
        LangFile::BunLock => node::bun_lock::parse(path, bytes)?,
        LangFile::GradleLock => java::gradle::parse(path, bytes)?,
        LangFile::SbtLock => java::sbt::parse(path, bytes)?,
        LangFile::PackagesConfig => dotnet::packages_config::parse(path, bytes)?,
        LangFile::PacmanDesc => pacman::parse(path, bytes)?,
        LangFile::CondaEnvironment => conda_env::parse(path, bytes)?,
        LangFile::Pom => java::pom::parse(path, bytes, &mut warnings)?,
        LangFile::PackagesProps => dotnet::packages_props::parse(path, bytes)?,
    };
    Ok(Parsed {
        application,
        warnings,
    })
}

/// An executable: a Go binary, a cargo-auditable Rust binary, or neither (no packages).
fn parse_executable(path: &str, bytes: &[u8]) -> Result<Application, LangError> {
    let empty = || Application {
        app_type: "executable".to_owned(),
        file_path: path.to_owned(),
        packages: Vec::new(),
    };
    if !bytes.starts_with(b"\x7fELF") {
        return Ok(empty());
    }
    if let Some(app) = golang::binary::parse(path, bytes)? {
        return Ok(app);
    }
    if let Some(app) = rust::binary::parse(path, bytes)? {
        return Ok(app);
    }
    Ok(empty())
}

/// A file could not be parsed.
#[derive(Debug, thiserror::Error)]
#[error("`{path}` is not a valid {kind} file: {reason}")]
pub struct LangError {
    /// The file.
    pub path: String,
    /// The application type expected.
    pub kind: &'static str,
    /// What is wrong, in one line.
    pub reason: String,
}

impl LangError {
    pub(crate) fn new(path: &str, kind: &'static str, reason: impl Into<String>) -> Self {
        LangError {
            path: path.to_owned(),
            kind,
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_path() {
        let c = |p: &str| classify(p, 100, 0o644);
        assert_eq!(
            c("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"),
            Some(LangFile::PythonPkg)
        );
        assert_eq!(
            c("usr/lib/python3/dist-packages/foo.egg-info/PKG-INFO"),
            Some(LangFile::PythonPkg)
        );
        assert_eq!(
            c("usr/lib/python3/dist-packages/foo-1.0.egg-info"),
            Some(LangFile::PythonPkg)
        );
        assert_eq!(c("x/EGG-INFO/PKG-INFO"), Some(LangFile::PythonPkg));
        assert_eq!(c("METADATA"), None);
        assert_eq!(
            c("app/node_modules/@types/node/package.json"),
            Some(LangFile::NodePkg)
        );
        assert_eq!(c("app/package-lock.json"), Some(LangFile::NpmLock));
        assert_eq!(c("app/node_modules/x/package-lock.json"), None);
        assert_eq!(c("app/node_modules/.package-lock.json"), None);
        assert_eq!(c("app/yarn.lock"), Some(LangFile::YarnLock));
        assert_eq!(
            c("app/requirements-dev.txt"),
            Some(LangFile::PipRequirements)
        );
        assert_eq!(c("app/poetry.lock"), Some(LangFile::PoetryLock));
        assert_eq!(c("app/lib/X.JAR"), Some(LangFile::Jar));
        assert_eq!(c("go.mod"), Some(LangFile::GoMod));
        assert_eq!(c("Cargo.lock"), Some(LangFile::CargoLock));
        assert_eq!(c("usr/bin/fzf"), None);
        assert_eq!(
            classify("usr/bin/fzf", 100, 0o755),
            Some(LangFile::Executable)
        );
        assert_eq!(classify("usr/bin/tiny", 10, 0o755), None);
        assert_eq!(c("app/uv.lock"), Some(LangFile::UvLock));
        assert_eq!(c("app/pdm.lock"), Some(LangFile::PdmLock));
        assert_eq!(c("app/pnpm-lock.yaml"), Some(LangFile::PnpmLock));
        assert_eq!(c("app/deno.lock"), Some(LangFile::DenoLock));
        assert_eq!(c("app/Pipfile.lock"), Some(LangFile::PipfileLock));
        assert_eq!(c("app/npm-shrinkwrap.json"), Some(LangFile::NpmLock));
        assert_eq!(c("app/Gemfile.lock"), Some(LangFile::GemfileLock));
        assert_eq!(
            c("usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec"),
            Some(LangFile::Gemspec)
        );
        assert_eq!(c("app/rack.gemspec"), None);
        assert_eq!(c("app/composer.lock"), Some(LangFile::ComposerLock));
        assert_eq!(c("app/vendor/x/composer.lock"), None);
        assert_eq!(
            c("app/vendor/composer/installed.json"),
            Some(LangFile::ComposerInstalled)
        );
        assert_eq!(c("app/packages.lock.json"), Some(LangFile::NugetLock));
        assert_eq!(c("app/App.deps.json"), Some(LangFile::DotnetDeps));
        assert_eq!(c("app/pubspec.lock"), Some(LangFile::PubspecLock));
        assert_eq!(c("app/Package.resolved"), Some(LangFile::SwiftResolved));
        assert_eq!(c("app/Podfile.lock"), Some(LangFile::PodfileLock));
        assert_eq!(c("app/conan.lock"), Some(LangFile::ConanLock));
        assert_eq!(c("app/mix.lock"), Some(LangFile::MixLock));
        assert_eq!(c("app/rebar.lock"), Some(LangFile::RebarLock));
        assert_eq!(c("app/Manifest.toml"), Some(LangFile::JuliaManifest));
        assert_eq!(
            c("opt/conda/conda-meta/numpy-1.24.0-py311h.json"),
            Some(LangFile::CondaMeta)
        );
        assert_eq!(
            c("infra/.terraform.lock.hcl"),
            Some(LangFile::TerraformLock)
        );
        assert_eq!(c("app/pylock.toml"), Some(LangFile::Pylock));
        assert_eq!(c("app/pylock.dev.toml"), Some(LangFile::Pylock));
        assert_eq!(
            c("usr/lib/python2.7/site-packages/six-1.16.0-py2.7.egg"),
            Some(LangFile::PythonEgg)
        );
        assert_eq!(c("app/bun.lock"), Some(LangFile::BunLock));
        assert_eq!(c("app/gradle.lockfile"), Some(LangFile::GradleLock));
        assert_eq!(
            c("app/buildscript-gradle.lockfile"),
            Some(LangFile::GradleLock)
        );
        assert_eq!(c("app/build.sbt.lock"), Some(LangFile::SbtLock));
        assert_eq!(c("app/packages.config"), Some(LangFile::PackagesConfig));
        assert_eq!(c("app/environment.yml"), Some(LangFile::CondaEnvironment));
        assert_eq!(
            c("var/lib/pacman/local/openssl-3.1.4-1/desc"),
            Some(LangFile::PacmanDesc)
        );
        assert_eq!(c("usr/share/x/desc"), None);
        assert_eq!(c("app/pom.xml"), Some(LangFile::Pom));
        assert_eq!(c("app/src/it/x/pom.xml"), None);
        assert_eq!(
            c("src/Directory.Packages.props"),
            Some(LangFile::PackagesProps)
        );
    }

    #[test]
    fn all_kinds_have_distinct_types() {
        let mut types: Vec<&str> = LangFile::ALL.iter().map(|k| k.app_type()).collect();
        let n = types.len();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), n, "duplicate app types");
        for k in LangFile::ALL {
            // Every kind is read in at least one scan mode, and parses empty input without panicking.
            assert!(k.installed() || k.lockfile(), "{k:?}");
            let _ = parse(*k, "x", b"");
        }
    }

    #[test]
    fn modes() {
        assert!(LangFile::PythonPkg.installed() && !LangFile::PythonPkg.lockfile());
        assert!(LangFile::PoetryLock.lockfile() && !LangFile::PoetryLock.installed());
        assert!(LangFile::CargoLock.lockfile() && LangFile::CargoLock.installed());
        assert!(LangFile::Gemspec.installed() && !LangFile::Gemspec.lockfile());
    }

    #[test]
    fn non_elf_executable_has_no_packages() {
        let app = parse(
            LangFile::Executable,
            "usr/bin/script",
            b"#!/bin/sh\necho hi\n",
        )
        .unwrap();
        assert!(app.packages.is_empty());
    }
}
