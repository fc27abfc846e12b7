//! How `atalaia image NAME` reaches registries (`--image-src remote`): credentials, token, CAs,
//! `--insecure`. Flags win over `ATALAIA_*` variables, which win over the `TRIVY_*` ones (for
//! Trivy habits), which win over Docker's `config.json` (`credHelpers`, `credsStore`, `auths`;
//! the registry client reads it).
//!
//! Secrets never reach a log line: [`RemoteOptions`]'s `Debug` redacts them.

use std::path::PathBuf;

use anyhow::Context as _;
use atalaia_registry::{Client, Credentials};
use clap::Args;

use crate::env;
use crate::printer::Hinted;

/// `TRIVY_USERNAME`, read when neither `--username` nor `ATALAIA_USERNAME` is set.
pub(crate) const TRIVY_USERNAME: &str = "TRIVY_USERNAME";
/// `TRIVY_PASSWORD`, read when neither `--password` nor `ATALAIA_PASSWORD` is set.
pub(crate) const TRIVY_PASSWORD: &str = "TRIVY_PASSWORD";
/// `TRIVY_REGISTRY_TOKEN`, read when neither `--registry-token` nor `ATALAIA_REGISTRY_TOKEN` is
/// set.
pub(crate) const TRIVY_REGISTRY_TOKEN: &str = "TRIVY_REGISTRY_TOKEN";

/// Registry flags of `atalaia image`.
#[derive(Debug, Args)]
pub(crate) struct RemoteArgs {
    /// User name for the image's registry (also `TRIVY_USERNAME`) [default: from
    /// `~/.docker/config.json`].
    #[arg(long, env = env::ATALAIA_USERNAME, value_name = "USER")]
    pub(crate) username: Option<String>,
    /// Password for the image's registry (also `TRIVY_PASSWORD`; prefer the variable).
    #[arg(long, env = env::ATALAIA_PASSWORD, value_name = "PASSWORD", hide_env_values = true)]
    pub(crate) password: Option<String>,
    /// A bearer token sent to the registry as is, instead of asking its token service (also
    /// `TRIVY_REGISTRY_TOKEN`).
    #[arg(long, env = env::ATALAIA_REGISTRY_TOKEN, value_name = "TOKEN", hide_env_values = true)]
    pub(crate) registry_token: Option<String>,
    /// Trust this CA certificate (PEM) too, to verify the registry (repeatable).
    #[arg(long, env = env::ATALAIA_REGISTRY_CA, value_name = "FILE", value_delimiter = ',')]
    pub(crate) registry_ca: Vec<PathBuf>,
    /// Accept any TLS certificate, and plain HTTP for a registry on this machine.
    #[arg(long, env = env::ATALAIA_INSECURE)]
    pub(crate) insecure: bool,
}

/// Registry access, resolved.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct RemoteOptions {
    credentials: Option<Credentials>,
    registry_token: Option<String>,
    registry_ca: Vec<PathBuf>,
    insecure: bool,
}

impl std::fmt::Debug for RemoteOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("credentials", &self.credentials)
            .field(
                "registry_token",
                &self.registry_token.as_ref().map(|_| "<redacted>"),
            )
            .field("registry_ca", &self.registry_ca)
            .field("insecure", &self.insecure)
            .finish()
    }
}

/// A non-empty environment variable.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl RemoteOptions {
    /// Merges the flags (and `ATALAIA_*`, through clap) with the `TRIVY_*` variables.
    pub(crate) fn resolve(args: &RemoteArgs) -> anyhow::Result<Self> {
        Self::resolve_with(args, env_var)
    }

    fn resolve_with(
        args: &RemoteArgs,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Self> {
        let username = args.username.clone().or_else(|| env(TRIVY_USERNAME));
        let password = args.password.clone().or_else(|| env(TRIVY_PASSWORD));
        let credentials = credentials_pair(
            username,
            password,
            "Set `ATALAIA_PASSWORD` (or pass `--password`)",
        )?;
        for ca in &args.registry_ca {
            if !ca.is_file() {
                anyhow::bail!("`--registry-ca {}` is not a readable file", ca.display());
            }
        }
        Ok(RemoteOptions {
            credentials,
            registry_token: args
                .registry_token
                .clone()
                .or_else(|| env(TRIVY_REGISTRY_TOKEN))
                .filter(|t| !t.is_empty()),
            registry_ca: args.registry_ca.clone(),
            insecure: args.insecure,
        })
    }

    /// The registry client: these credentials (else the Docker config's), CAs and `--insecure`.
    pub(crate) fn client(&self) -> anyhow::Result<Client> {
        let mut builder = Client::builder()
            .insecure(self.insecure)
            .credentials(self.credentials.clone())
            .registry_token(self.registry_token.clone());
        for ca in &self.registry_ca {
            builder = builder.ca_file(ca);
        }
        builder
            .build()
            .context("Failed to set up the registry client")
    }
}

/// Basic credentials from a username and a password given together; one without the other is
/// an error (`password_hint` says how to give the password for the command at hand).
pub(crate) fn credentials_pair(
    username: Option<String>,
    password: Option<String>,
    password_hint: &str,
) -> anyhow::Result<Option<Credentials>> {
    match (username, password) {
        (Some(u), Some(p)) => Ok(Some(Credentials::new(u, p))),
        (None, None) => Ok(None),
        (Some(_), None) => {
            Err(Hinted::new("`--username` was given without a password", password_hint).into())
        }
        (None, Some(_)) => Err(Hinted::new(
            "A password was given without `--username`",
            "Pass `--username`, or set `ATALAIA_USERNAME`",
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> RemoteArgs {
        RemoteArgs {
            username: None,
            password: None,
            registry_token: None,
            registry_ca: Vec::new(),
            insecure: false,
        }
    }

    #[test]
    fn flags_win_over_trivy_variables() {
        let trivy = |k: &str| match k {
            TRIVY_USERNAME => Some("tu".to_owned()),
            TRIVY_PASSWORD => Some("tp".to_owned()),
            TRIVY_REGISTRY_TOKEN => Some("tt".to_owned()),
            _ => None,
        };
        let o = RemoteOptions::resolve_with(&args(), trivy).unwrap();
        assert_eq!(o.credentials, Some(Credentials::new("tu", "tp")));
        assert_eq!(o.registry_token.as_deref(), Some("tt"));
        let mut a = args();
        a.username = Some("u".into());
        a.password = Some("p".into());
        a.registry_token = Some("t".into());
        let o = RemoteOptions::resolve_with(&a, trivy).unwrap();
        assert_eq!(o.credentials, Some(Credentials::new("u", "p")));
        assert_eq!(o.registry_token.as_deref(), Some("t"));
        let shown = format!("{o:?}");
        assert!(
            !shown.contains("\"p\"") && !shown.contains("\"t\""),
            "{shown}"
        );
    }

    #[test]
    fn half_credentials_and_missing_cas_are_errors() {
        let none = |_: &str| None;
        let mut a = args();
        a.username = Some("u".into());
        let err = RemoteOptions::resolve_with(&a, none).unwrap_err();
        assert!(err.to_string().contains("without a password"), "{err}");
        let mut a = args();
        a.password = Some("p".into());
        assert!(RemoteOptions::resolve_with(&a, none).is_err());
        let mut a = args();
        a.registry_ca = vec![PathBuf::from("/nonexistent/ca.pem")];
        let err = RemoteOptions::resolve_with(&a, none).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
        assert_eq!(
            RemoteOptions::resolve_with(&args(), none).unwrap(),
            RemoteOptions::default()
        );
    }
}
