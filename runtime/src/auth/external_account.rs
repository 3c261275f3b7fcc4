//! Workload identity federation (`external_account` files): a subject token from a
//! file or a URL, exchanged at Google's Security Token Service (RFC 8693), then
//! optionally traded for a service account's token through IAM Credentials.
//!
//! Executable-sourced, AWS and X.509 subject tokens are refused when the file is read,
//! with an error naming the kind.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::json_object::json_object;

use super::file::{FileKind, Tag};
use super::http::{Target, TokenHttp, io_cause};
use super::impersonated::{CLOUD_PLATFORM_SCOPE, generate_access_token};
use super::provider::{FetchFuture, Provider};
use super::{Credentials, json_error};
use crate::AccessToken;
use crate::error::{Error, Result};

/// `external_account` files, as [`KINDS`](super::KINDS) lists them.
pub(super) static FILE: FileKind = FileKind {
    tag: Tag::Type("external_account"),
    noun: "workload identity federation credentials",
    stem: "external_account",
    adc_refusal: None,
    parse: credentials,
};

fn credentials(json: &str) -> Result<Credentials> {
    Ok(Credentials::with_provider(ExternalAccount::parse(json)?).with_api_default_scopes())
}

impl Credentials {
    /// Workload identity federation (an `external_account` file): a subject token read
    /// from a file or a URL (`credential_source.file` / `.url`, text or JSON `format`)
    /// is exchanged at the file's `token_url` (Google's STS), then, when the file has a
    /// `service_account_impersonation_url`, for a service account's token. Scopes
    /// default to the API's default scopes. Executable-sourced and AWS credentials are refused.
    pub fn external_account_file(path: impl AsRef<Path>) -> Result<Self> {
        FILE.read(path.as_ref())
    }

    /// Workload identity federation, as the JSON text of an `external_account` file.
    pub fn external_account_json(json: &str) -> Result<Self> {
        FILE.read_json(json)
    }
}

impl Provider for ExternalAccount {
    fn kind(&self) -> &'static str {
        "external account"
    }

    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http, scopes))
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("audience", &self.audience);
        d.field("token_url", &self.token_url);
        d.field("service_account_impersonation_url", &self.impersonation_url);
    }

    fn quota_project(&self) -> Option<&str> {
        self.quota_project_id.as_deref()
    }
}

/// Google's STS endpoint, for files that name none.
const GOOGLE_STS_URL: &str = "https://sts.googleapis.com/v1/token";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// Lifetime of an impersonated token when the file says nothing.
const DEFAULT_LIFETIME: u64 = 3600;

/// `external_account` credentials.
#[derive(Clone)]
pub(super) struct ExternalAccount {
    pub audience: String,
    subject_token_type: String,
    pub token_url: String,
    pub impersonation_url: Option<String>,
    lifetime_secs: u64,
    source: SubjectSource,
    client: Option<(String, String)>,
    workforce_pool_user_project: Option<String>,
    pub quota_project_id: Option<String>,
}

/// Where the subject token comes from.
#[derive(Clone)]
enum SubjectSource {
    File {
        path: PathBuf,
        format: Format,
    },
    Url {
        url: String,
        /// Header values may be secrets: never shown.
        headers: Vec<(String, String)>,
        format: Format,
    },
}

/// How the subject token is written in the file or the URL's answer.
#[derive(Clone)]
enum Format {
    Text,
    Json { field: String },
}

impl ExternalAccount {
    pub(super) fn parse(json: &str) -> Result<Self> {
        json_object! {
            struct File {
                audience: String = "audience" (required),
                subject_token_type: String = "subject_token_type" (required),
                token_url: Option<String> = "token_url",
                service_account_impersonation_url: Option<String> =
                    "service_account_impersonation_url",
                service_account_impersonation: Option<ImpersonationOptions> =
                    "service_account_impersonation",
                credential_source: CredentialSource = "credential_source" (required),
                quota_project_id: Option<String> = "quota_project_id",
                workforce_pool_user_project: Option<String> = "workforce_pool_user_project",
                client_id: Option<String> = "client_id",
                client_secret: Option<String> = "client_secret",
            }
        }
        json_object! {
            struct ImpersonationOptions {
                token_lifetime_seconds: Option<u64> = "token_lifetime_seconds",
            }
        }
        json_object! {
            struct CredentialSource {
                file: Option<String> = "file",
                url: Option<String> = "url",
                headers: std::collections::BTreeMap<String, String> = "headers",
                format: Option<FormatFile> = "format",
                executable: Option<serde_json::Value> = "executable",
                environment_id: Option<String> = "environment_id",
                certificate: Option<serde_json::Value> = "certificate",
            }
        }
        json_object! {
            struct FormatFile {
                kind: Option<String> = "type",
                subject_token_field_name: Option<String> = "subject_token_field_name",
            }
        }
        let f: File = serde_json::from_str(json)
            .map_err(|e| json_error("external account credentials", &e))?;
        let who = format!("external account (audience {})", f.audience);
        let unsupported = |kind: &str| {
            Error::auth(
                format!(
                    "{who}: {kind} subject tokens are not supported yet (file- and URL-sourced ones are); \
                     get the token yourself and plug it in with Credentials::from_provider"
                ),
                None,
            )
        };
        let cs = f.credential_source;
        if cs.executable.is_some() {
            return Err(unsupported("executable-sourced"));
        }
        if cs
            .environment_id
            .as_deref()
            .is_some_and(|id| id.starts_with("aws"))
        {
            return Err(unsupported("AWS"));
        }
        if cs.certificate.is_some() {
            return Err(unsupported("X.509 certificate-sourced"));
        }
        let format = match cs.format {
            None => Format::Text,
            Some(FormatFile {
                kind,
                subject_token_field_name: field,
            }) => match (kind.as_deref(), field) {
                (None | Some("text"), _) => Format::Text,
                (Some("json"), Some(field)) if !field.is_empty() => Format::Json { field },
                (Some("json"), _) => {
                    return Err(Error::auth(
                        format!(
                            "{who}: credential_source.format of type \"json\" needs a subject_token_field_name"
                        ),
                        None,
                    ));
                }
                (Some(other), _) => {
                    return Err(Error::auth(
                        format!(
                            "{who}: credential_source.format type \"{other}\" is not \"text\" or \"json\""
                        ),
                        None,
                    ));
                }
            },
        };
        let source = match (cs.file, cs.url) {
            (Some(path), None) => SubjectSource::File {
                path: PathBuf::from(path),
                format,
            },
            (None, Some(url)) => SubjectSource::Url {
                url,
                headers: cs.headers.into_iter().collect(),
                format,
            },
            (Some(_), Some(_)) => {
                return Err(Error::auth(
                    format!("{who}: credential_source names both a file and a url; keep one"),
                    None,
                ));
            }
            (None, None) => {
                return Err(Error::auth(
                    format!("{who}: credential_source has no file, url or executable"),
                    None,
                ));
            }
        };
        Ok(Self {
            audience: f.audience,
            subject_token_type: f.subject_token_type,
            token_url: f
                .token_url
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| GOOGLE_STS_URL.to_owned()),
            impersonation_url: f
                .service_account_impersonation_url
                .filter(|u| !u.is_empty()),
            lifetime_secs: f
                .service_account_impersonation
                .and_then(|o| o.token_lifetime_seconds)
                .unwrap_or(DEFAULT_LIFETIME),
            source,
            client: f.client_id.zip(f.client_secret),
            workforce_pool_user_project: f.workforce_pool_user_project.filter(|p| !p.is_empty()),
            quota_project_id: f.quota_project_id.filter(|p| !p.is_empty()),
        })
    }

    /// `external account (audience //iam.googleapis.com/...)`.
    pub(super) fn who(&self) -> String {
        format!("external account (audience {})", self.audience)
    }

    pub(super) async fn token(
        &self,
        http: TokenHttp<'_>,
        scopes: &[String],
    ) -> Result<AccessToken> {
        let who = self.who();
        let subject = self.subject_token(http, &who).await?;
        // With impersonation the STS token only needs to call IAM Credentials.
        let sts_scope = match &self.impersonation_url {
            Some(_) => CLOUD_PLATFORM_SCOPE.to_owned(),
            None => scopes.join(" "),
        };
        let options = match (&self.workforce_pool_user_project, &self.client) {
            (Some(project), None) => Some(serde_json::json!({"userProject": project}).to_string()),
            _ => None,
        };
        let mut form = vec![
            ("grant_type", TOKEN_EXCHANGE),
            ("audience", self.audience.as_str()),
            ("scope", sts_scope.as_str()),
            ("requested_token_type", ACCESS_TOKEN_TYPE),
            ("subject_token", subject.as_str()),
            ("subject_token_type", self.subject_token_type.as_str()),
        ];
        if let Some(options) = &options {
            form.push(("options", options));
        }
        let mut secrets = vec![subject.as_str()];
        if let Some((_, secret)) = &self.client {
            secrets.push(secret);
        }
        let target = Target {
            who: &who,
            what: "token request",
            url: &self.token_url,
            secrets: &secrets,
        };
        let basic = self
            .client
            .as_ref()
            .map(|(id, secret)| (id.as_str(), secret.as_str()));
        let sts = match http.post_form(&target, &form, basic).await? {
            Ok(answer) => answer.into_token(&target)?.0,
            Err(refusal) => return Err(refusal.into_error(&target)),
        };
        match &self.impersonation_url {
            Some(url) => {
                generate_access_token(http, &who, url, &sts, scopes, &[], self.lifetime_secs).await
            }
            None => Ok(sts),
        }
    }

    /// Reads the subject token from its file or URL. Never shown in an error.
    async fn subject_token(&self, http: TokenHttp<'_>, who: &str) -> Result<String> {
        let (raw, format, origin) = match &self.source {
            SubjectSource::File { path, format } => {
                let raw = tokio::fs::read(path).await.map_err(|e| {
                    Error::auth(
                        format!(
                            "{who}: reading the subject token file {} failed: {}",
                            path.display(),
                            io_cause(&e)
                        ),
                        Some(Box::new(e)),
                    )
                })?;
                (
                    raw,
                    format,
                    format!("the subject token file {}", path.display()),
                )
            }
            SubjectSource::Url {
                url,
                headers,
                format,
            } => {
                let target = Target {
                    who,
                    what: "subject token request",
                    url,
                    secrets: &[],
                };
                let (status, body) = http
                    .send(&target, &|client| {
                        let mut request = client.get(url.as_str());
                        for (name, value) in headers {
                            request = request.header(name, value);
                        }
                        request
                    })
                    .await?;
                if !(200..300).contains(&status) {
                    // The body may be the token or echo a header: not quoted.
                    return Err(target.failed(&format!("HTTP {status}")));
                }
                (
                    body.to_vec(),
                    format,
                    format!("the subject token from {}", super::http::display_url(url)),
                )
            }
        };
        let token = match format {
            Format::Text => String::from_utf8(raw)
                .map_err(|_| Error::auth(format!("{who}: {origin} is not UTF-8 text"), None))?
                .trim()
                .to_owned(),
            Format::Json { field } => {
                let value: serde_json::Value = serde_json::from_slice(&raw).map_err(|_| {
                    Error::auth(
                        format!("{who}: {origin} is not JSON (the format says json)"),
                        None,
                    )
                })?;
                value
                    .get(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Error::auth(
                            format!("{who}: {origin} has no string field `{field}`"),
                            None,
                        )
                    })?
            }
        };
        if token.is_empty() {
            return Err(Error::auth(format!("{who}: {origin} is empty"), None));
        }
        Ok(token)
    }
}
