//! Ignore files and VEX documents, applied to findings.
//!
//! Users silence findings with Trivy's `.trivyignore` (one ID per line, `exp:YYYY-MM-DD`) and
//! `.trivyignore.yaml` (`vulnerabilities`, `misconfigurations`, `secrets`, `licenses` sections;
//! `id`, `paths`, `purls`, `expired_at`, `statement`), and with VEX documents (OpenVEX,
//! CycloneDX VEX). This crate reads those files as Trivy does ([`ignore`], [`vex`]) and decides,
//! finding by finding, what stays and what is suppressed — and why ([`Origin`]).
//!
//! Beyond Trivy: an ignored ID also hides the same vulnerability reported under any of its
//! aliases or vendor IDs (ignoring `CVE-X` hides a finding `GHSA-Y` whose aliases list `CVE-X`, and
//! the reverse; [`Policy::alias_aware`] turns this off); unknown YAML keys are errors naming the
//! file and line. Expiry is judged against a `today` the caller passes; the library never reads
//! the clock.
//!
//! # API
//!
//! - [`IgnoreFile::load`] / [`IgnoreFile::load_if_exists`] / [`IgnoreFile::parse`]: read an ignore
//!   file (syntax from the extension, as Trivy: `.yml`/`.yaml` is YAML).
//! - [`VexDocument::load`] / [`VexDocument::parse`]: read an OpenVEX or CycloneDX VEX JSON file.
//! - [`Policy::new`]`(today)` + [`Policy::with_ignore_file`] + [`Policy::with_vex`]: the policy.
//! - [`Policy::apply_vulnerabilities`], [`Policy::apply_secrets`], [`Policy::apply`] (any
//!   [`Finding`], a trait that shows a finding as a [`Subject`]: misconfigurations, licenses): split findings into [`Applied::kept`]
//!   and [`Applied::suppressed`] ([`ModifiedFinding`], serialised like Trivy's
//!   `ExperimentalModifiedFindings` entries), plus [`Applied::expired`] (expired entries that
//!   would have matched a kept finding).
//! - [`Policy::check`]: the [`Decision`] for one [`Subject`].
//!
//! # Purl matching
//!
//! An ignore entry's `purls` and a VEX statement's product purls are general; a finding's purl is
//! specific. They match when type, namespace and name are equal, the general purl has no version
//! or the same one, and every qualifier of the general purl is on the finding's with the same
//! value (the finding may carry more): `pkg:deb/debian/openssl` and
//! `pkg:deb/debian/openssl?arch=amd64` match `pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12`,
//! `pkg:deb/debian/openssl?distro=debian-12.5` does not. Ignore files also compare the subpath
//! when the entry has one; VEX does not. PyPI names are compared normalised (lower case, `-`).
//! A finding without a purl is matched by entries with `purls` (as Trivy does).
//!
//! # Example
//!
//! ```
//! use atalaia_ignore::{IgnoreFile, IgnoreFormat, Policy, Subject, VexContext};
//! use time::macros::date;
//!
//! let file = IgnoreFile::parse(
//!     ".trivyignore",
//!     IgnoreFormat::Plain,
//!     b"# accepted risk\nCVE-2021-44228 exp:2031-01-01\n",
//! )?;
//! let policy = Policy::new(date!(2030 - 06 - 01)).with_ignore_file(file);
//!
//! // The finding is reported under its GHSA ID; the CVE is one of its aliases.
//! let aliases = atalaia_types::SharedStrList::from(vec!["CVE-2021-44228".to_owned()]);
//! let subject = Subject::Vulnerability {
//!     id: "GHSA-jfh8-c2jp-5v3q",
//!     vendor_ids: &[],
//!     aliases: &aliases,
//!     target: "app/pom.xml",
//!     pkg_path: "",
//!     purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
//! };
//! let decision = policy.check(&subject, &VexContext::default());
//! let why = decision.suppression.expect("suppressed through the alias");
//! assert_eq!(why.source, ".trivyignore");
//!
//! // A year later the entry has expired: the finding stays, and the expired entry is reported.
//! let later = Policy::new(date!(2031 - 06 - 01)).with_ignore_file(policy.ignore_files()[0].clone());
//! let decision = later.check(&subject, &VexContext::default());
//! assert!(decision.suppression.is_none());
//! assert_eq!(decision.expired[0].line, 2);
//! # Ok::<(), atalaia_ignore::IgnoreError>(())
//! ```

#![deny(missing_docs)]

mod date;
mod error;
mod glob;
pub mod ignore;
mod policy;
mod purls;
pub mod vex;

pub use date::Expiry;
pub use error::IgnoreError;
pub use glob::PathPattern;
pub use ignore::{IgnoreFile, IgnoreFormat, IgnoreRule, IgnoreWarning};
pub use policy::{
    Applied, Decision, ExpiredMatch, Finding, FindingStatus, FindingType, ModifiedFinding, Origin,
    Policy, Subject, Suppression,
};
pub use vex::{
    VexComponent, VexContext, VexDocument, VexFormat, VexProduct, VexStatement, VexStatus,
};
