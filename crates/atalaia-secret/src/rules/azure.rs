//! Azure rules.

use super::{ci, cs, BuiltinRule, Pattern, Scope};
use crate::Severity;

/// `azure-storage-account-key`: Azure Storage Account Key.
///
/// ## What it checks
/// An Azure Storage account key (86 base64 characters and `==`) after `AccountKey=` in a connection string.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `CRITICAL`, as in Trivy.
pub(crate) const AZURE_STORAGE_ACCOUNT_KEY: BuiltinRule = BuiltinRule {
    id: "azure-storage-account-key",
    category: "Azure",
    title: "Azure Storage Account Key",
    severity: Severity::Critical,
    pattern: Pattern::Raw(r#"(?i)AccountKey\s*=\s*(?P<secret>[A-Za-z0-9+/]{86}==)"#),
    secret_group: Some("secret"),
    keywords: &[ci("accountkey")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=ZCgyIkV5Iaj0WuPPicvyVD2v0RRmhUVq9RyzN8ehJ3wdSnPfJGtLCoEmFbJOVp2vvpJvdfgvD9EjcAAcfNT5Df==;EndpointSuffix=core.windows.net\n"],
    counter_examples: &["AccountKey=Qimz3SjaS9cEa38CMEa8==\n"],
};

/// `azure-sas-token`: Azure Shared Access Signature Token.
///
/// ## What it checks
/// An Azure shared access signature: a query string with a service version `sv=YYYY-MM-DD`, up to twelve other parameters and a `sig=` of at least 40 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `HIGH`, as in Trivy.
pub(crate) const AZURE_SAS_TOKEN: BuiltinRule = BuiltinRule {
    id: "azure-sas-token",
    category: "Azure",
    title: "Azure Shared Access Signature Token",
    severity: Severity::High,
    pattern: Pattern::Raw(r#"sv=\d{4}-\d{2}-\d{2}(?:[&;][a-z]+=[^&\s'"]*){1,12}[&;]sig=(?P<secret>[A-Za-z0-9%+/=]{40,})"#),
    secret_group: Some("secret"),
    keywords: &[cs("sig=")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["https://demo.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig=k9NH2l24u8ukwsEjKdAeM6gQg31I57IMeXsb3rluRgun%3D\n"],
    counter_examples: &["https://demo.blob.core.windows.net/c?sv=2022-11-02&sig=short\n"],
};

/// `azure-devops-pat`: Azure DevOps Personal Access Token.
///
/// ## What it checks
/// An Azure DevOps personal access token (52 base32 characters) assigned to a name such as `AZURE_DEVOPS_PAT`, `ado_token` or `ado-pat`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `HIGH`, as in Trivy.
pub(crate) const AZURE_DEVOPS_PAT: BuiltinRule = BuiltinRule {
    id: "azure-devops-pat",
    category: "Azure",
    title: "Azure DevOps Personal Access Token",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r#"(?i)(?:azure[_\-]?devops|ado)[_\-]?(?:pat|token|personal.?access.?token)\s*[:=]\s*["']?(?P<secret>[a-z2-7]{52})["']?"#,
    ),
    secret_group: Some("secret"),
    keywords: &[
        ci("azure_devops"),
        ci("azuredevops"),
        ci("azure-devops"),
        ci("ado_p"),
        ci("ado-p"),
        ci("adop"),
        ci("ado_t"),
        ci("ado-t"),
        ci("adot"),
    ],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["ado_pat = \"xpjulxbpllgqyb736pmdnzhr6hwtfxkokrgdl55r7qi472mou5bc\"\n"],
    counter_examples: &["ado_pat = \"gw3eqpfuxnv74cn25wft\"\n"],
};

/// `azure-entra-client-secret`: Azure Entra ID Client Secret.
///
/// ## What it checks
/// An Azure Entra ID (Azure AD) application client secret: three characters, the `8Q~` marker, 34 characters.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `CRITICAL`, as in Trivy.
pub(crate) const AZURE_ENTRA_CLIENT_SECRET: BuiltinRule = BuiltinRule {
    id: "azure-entra-client-secret",
    category: "Azure",
    title: "Azure Entra ID Client Secret",
    severity: Severity::Critical,
    pattern: Pattern::Raw(
        r#"(?:[^a-zA-Z0-9_~.\-]|\A)(?P<secret>[a-zA-Z0-9_~.\-]{3}8Q~[a-zA-Z0-9_~.\-]{34})(?:[^a-zA-Z0-9_~.\-]|\z)"#,
    ),
    secret_group: Some("secret"),
    keywords: &[cs("8Q~")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["client_secret=64I8Q~Q7SRCYYZXWNQwWKIRGK47xfZRBBgMQZHuy\n"],
    counter_examples: &["client_secret=82D8Q~jHSeocszYW\n"],
};

/// `azure-container-registry-credential`: Azure Container Registry Credential.
///
/// ## What it checks
/// An Azure Container Registry token password: 84 characters carrying the `JQQJ99` identifiable-key signature and the `AZCR` tag.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `CRITICAL`, as in Trivy.
pub(crate) const AZURE_CONTAINER_REGISTRY_CREDENTIAL: BuiltinRule = BuiltinRule {
    id: "azure-container-registry-credential",
    category: "Azure",
    title: "Azure Container Registry Credential",
    severity: Severity::Critical,
    pattern: Pattern::Raw(
        r"(?P<secret>[A-Za-z0-9+/]{52}JQQJ99C[A-Z]ACYeBjFEqg7NAAA[A-Z]AZCR[A-Za-z0-9+/]{4})",
    ),
    secret_group: Some("secret"),
    keywords: &[cs("ACYeBjFEqg7NAAA")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "kxBN9lUxbYxcW67kjbg9V6rggdWVAf0g55SkPCrXRyV1fvnutnQFJQQJ99CAACYeBjFEqg7NAAAAAZCRcsYD\n",
    ],
    counter_examples: &[
        "HJhFZYRsyufj6irfcakQcXSgn0pBv8MgyqvEkxKnwLO2ryATfkLvJQQJ99CAACYeBjFEqg7NAAA\n",
    ],
};

/// `azure-container-registry-password`: Azure Container Registry Password.
///
/// ## What it checks
/// A 32-character admin password on the same line as an `azurecr.io` registry name.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `CRITICAL`, as in Trivy.
pub(crate) const AZURE_CONTAINER_REGISTRY_PASSWORD: BuiltinRule = BuiltinRule {
    id: "azure-container-registry-password",
    category: "Azure",
    title: "Azure Container Registry Password",
    severity: Severity::Critical,
    pattern: Pattern::Raw(
        r#"(?i)azurecr\.io[^\n]{0,100}(?:password|pwd)\s*[:=]\s*["']?(?P<secret>[a-zA-Z0-9+/]{32})["']?"#,
    ),
    secret_group: Some("secret"),
    keywords: &[ci("azurecr.io")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "docker login demo.azurecr.io --username demo password=uidiuk148QSO6GDkFZy6wi3MEPheaoad\n",
    ],
    counter_examples: &["docker login demo.azurecr.io password=short\n"],
};

/// `azure-app-config-connection-string`: Azure App Configuration Connection String.
///
/// ## What it checks
/// An Azure App Configuration connection string: `Endpoint=https://<name>.azconfig.io;Id=…;Secret=<32 to 88 characters>`.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `CRITICAL`, as in Trivy.
pub(crate) const AZURE_APP_CONFIG_CONNECTION_STRING: BuiltinRule = BuiltinRule {
    id: "azure-app-config-connection-string",
    category: "Azure",
    title: "Azure App Configuration Connection String",
    severity: Severity::Critical,
    pattern: Pattern::Raw(r#"(?i)Endpoint\s*=\s*https://[a-zA-Z0-9\-]+\.azconfig\.io\s*;\s*Id\s*=\s*[a-zA-Z0-9+/=:\-]+\s*;\s*Secret\s*=\s*(?P<secret>[a-zA-Z0-9+/=~]{32,88})"#),
    secret_group: Some("secret"),
    keywords: &[ci("azconfig.io")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &["Endpoint=https://demo.azconfig.io;Id=0-l0-s0:oLL3CcL0FJaCQhSJbRO8;Secret=p3Gg9zKH2zVJftTNoSbzcgoOHbELJnvvwIymUS3r70fH\n"],
    counter_examples: &["Endpoint=https://demo.azconfig.io;Id=abc;Secret=short\n"],
};

/// `azure-ai-services-key`: Azure AI Services Key.
///
/// ## What it checks
/// An Azure AI services (Cognitive Services) key: 84 characters carrying the `JQQJ99` identifiable-key signature and the `ACOG` tag.
///
/// ## Why it matters
/// Anyone who can read the file (every user of the image, every reader of the layer) can use
/// the credential. Category `Azure`, severity `HIGH`, as in Trivy.
pub(crate) const AZURE_AI_SERVICES_KEY: BuiltinRule = BuiltinRule {
    id: "azure-ai-services-key",
    category: "Azure",
    title: "Azure AI Services Key",
    severity: Severity::High,
    pattern: Pattern::Raw(
        r"(?P<secret>[A-Za-z0-9+/]{52}JQQJ99C[A-Z][A-Za-z0-9+/]{7}XJ3w3[A-Za-z0-9+/]{4}ACOG[A-Za-z0-9+/]{4})",
    ),
    secret_group: Some("secret"),
    keywords: &[cs("XJ3w3")],
    path: None,
    allow_rules: &[],
    scope: Scope::Lines,
    examples: &[
        "QihZSVfcpZdJ9y84ZCBBH6MoVzoUVS3A13STITr53aBrdaSb4GXPJQQJ99CA0VIc1TvXJ3w3vV4hACOG2iKY\n",
    ],
    counter_examples: &[
        "mKzLnbwzM417V62nyP16cv9mSszZn9pNyZ8eyb0uyNPlgcm826l6JQQJ99CAt9hxQHPXJ3w3\n",
    ],
};
