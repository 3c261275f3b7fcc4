//! Service-account impersonation: a token of the source credentials buys a token of
//! the target service account from IAM Credentials' `generateAccessToken`.
//!
//! `impersonated_service_account` files are what
//! `gcloud auth application-default login --impersonate-service-account=SA` writes;
//! `external_account` files use the same call when they name a
//! `service_account_impersonation_url`.

use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::json_object::json_object;

use super::authorized_user::AuthorizedUser;
use super::file::{FileKind, Tag};
use super::http::{Refusal, Target, TokenHttp};
use super::provider::{FetchFuture, Provider};
use super::service_account::ServiceAccount;
use super::{Credentials, json_error};
use crate::AccessToken;
use crate::error::{Error, Result};

/// `impersonated_service_account` files, as [`KINDS`](super::KINDS) lists them.
pub(super) static FILE: FileKind = FileKind {
    tag: Tag::Type("impersonated_service_account"),
    noun: "service-account impersonation credentials",
    stem: "impersonated_service_account",
    adc_refusal: None,
    parse: credentials,
};

fn credentials(json: &str) -> Result<Credentials> {
    Ok(Credentials::with_provider(Impersonated::parse(json)?).with_api_default_scopes())
}

impl Credentials {
    /// Service-account impersonation (an `impersonated_service_account` file, as
    /// `gcloud auth application-default login --impersonate-service-account=SA`
    /// writes): a token of the `source_credentials` (authorized user or service
    /// account) buys a token of the target service account at the file's
    /// `service_account_impersonation_url`. Scopes default to the API's default scopes.
    pub fn impersonated_service_account_file(path: impl AsRef<Path>) -> Result<Self> {
        FILE.read(path.as_ref())
    }

    /// Service-account impersonation, as the JSON text of its file.
    pub fn impersonated_service_account_json(json: &str) -> Result<Self> {
        FILE.read_json(json)
    }
}

impl Provider for Impersonated {
    fn kind(&self) -> &'static str {
        "impersonated service account"
    }

    fn fetch<'a>(&'a self, http: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
        Box::pin(self.token(http, scopes))
    }

    fn debug_fields(&self, d: &mut fmt::DebugStruct<'_, '_>) {
        d.field("target", &self.target);
        d.field("url", &self.url);
    }

    fn quota_project(&self) -> Option<&str> {
        self.quota_project_id.as_deref()
    }
}

/// The scope a source token needs to call IAM Credentials.
pub(super) const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// Lifetime asked for when the file says nothing (IAM's default and maximum without
/// an organization policy).
const DEFAULT_LIFETIME: u64 = 3600;

/// `impersonated_service_account` credentials.
#[derive(Clone)]
pub(super) struct Impersonated {
    /// The target service account's email, from the URL.
    pub target: String,
    pub url: String,
    delegates: Vec<String>,
    source: Box<Base>,
    pub quota_project_id: Option<String>,
}

/// What the impersonation starts from.
#[derive(Clone)]
enum Base {
    User(AuthorizedUser),
    ServiceAccount(ServiceAccount),
}

impl Impersonated {
    pub(super) fn parse(json: &str) -> Result<Self> {
        json_object! {
            struct File {
                service_account_impersonation_url: String =
                    "service_account_impersonation_url" (required),
                delegates: Vec<String> = "delegates",
                source_credentials: serde_json::Value = "source_credentials" (required),
                quota_project_id: Option<String> = "quota_project_id",
            }
        }
        let f: File = serde_json::from_str(json)
            .map_err(|e| json_error("impersonated service account credentials", &e))?;
        let source_json = f.source_credentials.to_string();
        let source = match f.source_credentials.get("type").and_then(|t| t.as_str()) {
            Some("authorized_user") => Base::User(AuthorizedUser::parse(&source_json)?),
            Some("service_account") => Base::ServiceAccount(ServiceAccount::parse(&source_json)?),
            Some(other) => {
                return Err(Error::auth(
                    format!(
                        "impersonated service account: source_credentials of type \"{other}\" are not supported (expected \"authorized_user\" or \"service_account\")"
                    ),
                    None,
                ));
            }
            None => {
                return Err(Error::auth(
                    "impersonated service account: source_credentials have no `type` field",
                    None,
                ));
            }
        };
        Ok(Self {
            target: target_of(&f.service_account_impersonation_url),
            url: f.service_account_impersonation_url,
            delegates: f.delegates,
            source: Box::new(source),
            quota_project_id: f.quota_project_id.filter(|p| !p.is_empty()),
        })
    }

    /// `impersonated service account sa@p.iam.gserviceaccount.com (source: ...)`.
    pub(super) fn who(&self) -> String {
        let source = match &*self.source {
            Base::User(user) => user.who(),
            Base::ServiceAccount(sa) => sa.who(),
        };
        format!(
            "impersonated service account {} (source: {source})",
            self.target
        )
    }

    pub(super) async fn token(
        &self,
        http: TokenHttp<'_>,
        scopes: &[String],
    ) -> Result<AccessToken> {
        let source = match &*self.source {
            Base::User(user) => user.token(http).await,
            Base::ServiceAccount(sa) => sa.token(http, &[CLOUD_PLATFORM_SCOPE.to_owned()]).await,
        }
        .map_err(|e| match e {
            Error::Auth { message, source } => {
                Error::auth(format!("impersonating {}: {message}", self.target), source)
            }
            other => other,
        })?;
        generate_access_token(
            http,
            &self.who(),
            &self.url,
            &source,
            scopes,
            &self.delegates,
            DEFAULT_LIFETIME,
        )
        .await
    }
}

/// IAM Credentials `generateAccessToken` at `url`, authorized by `bearer`.
pub(super) async fn generate_access_token(
    http: TokenHttp<'_>,
    who: &str,
    url: &str,
    bearer: &AccessToken,
    scopes: &[String],
    delegates: &[String],
    lifetime_secs: u64,
) -> Result<AccessToken> {
    json_object! {
        struct Answer {
            access_token: Option<String> = "accessToken",
            expire_time: Option<String> = "expireTime",
        }
    }
    let delegates: Vec<String> = delegates
        .iter()
        .map(|d| {
            if d.contains('/') {
                d.clone()
            } else {
                format!("projects/-/serviceAccounts/{d}")
            }
        })
        .collect();
    let mut body = serde_json::json!({
        "scope": scopes,
        "lifetime": format!("{lifetime_secs}s"),
    });
    if !delegates.is_empty() {
        body["delegates"] = delegates.into();
    }
    let target = Target {
        who,
        what: "token request",
        url,
        secrets: &[bearer.secret()],
    };
    let body = body.to_string();
    let (status, answer) = http
        .send(&target, &|client| {
            client
                .post(url)
                .bearer_auth(bearer.secret())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
        })
        .await?;
    if !(200..300).contains(&status) {
        return Err(Refusal::parse(status, &answer).into_error(&target));
    }
    let answer: Answer = serde_json::from_slice(&answer)
        .map_err(|_| target.failed(&format!("HTTP {status} with an answer that is not JSON")))?;
    let token = answer
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| target.failed("the answer has no accessToken"))?;
    let expires_at = match answer.expire_time {
        Some(time) => Some(
            parse_rfc3339(&time)
                .ok_or_else(|| target.failed("the answer's expireTime is not an RFC 3339 time"))?,
        ),
        None => None,
    };
    Ok(AccessToken::new(token, expires_at))
}

/// The email in `.../serviceAccounts/EMAIL:generateAccessToken`.
fn target_of(url: &str) -> String {
    let tail = url.rsplit('/').next().unwrap_or(url);
    tail.split(':').next().unwrap_or(tail).to_owned()
}

/// Parses `2024-05-06T07:08:09Z`, with optional fractional seconds and a `Z` or
/// `±hh:mm` offset.
pub(super) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return None;
        }
        let digits = &text[start..at.min(start + 9)];
        nanos = digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32);
    }
    let offset = match b.get(at)? {
        b'Z' | b'z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && b[at + 3] == b':' => {
            let minutes = num(at + 1..at + 3)? * 60 + num(at + 4..at + 6)?;
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Option<(u64, u32)> {
        parse_rfc3339(text).map(|t| {
            let d = t.duration_since(UNIX_EPOCH).unwrap();
            (d.as_secs(), d.subsec_nanos())
        })
    }

    #[test]
    fn rfc3339_times_parse() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(secs("2014-10-02T15:01:23Z"), Some((1_412_262_083, 0)));
        assert_eq!(
            secs("2014-10-02T15:01:23.045123456Z"),
            Some((1_412_262_083, 45_123_456))
        );
        assert_eq!(
            secs("2014-10-02T17:01:23.5+02:00"),
            Some((1_412_262_083, 500_000_000))
        );
        assert_eq!(secs("2024-02-29T00:00:00Z"), Some((1_709_164_800, 0)));
        for bad in [
            "",
            "2014-10-02",
            "2014-10-02T15:01:23",
            "2014-13-02T15:01:23Z",
            "2014-10-02T15:01:23.Z",
            "x014-10-02T15:01:23Z",
            "2014-10-02T15:01:23+0200",
        ] {
            assert_eq!(secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn target_is_the_email_of_the_url() {
        assert_eq!(
            target_of(
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken"
            ),
            "sa@p.iam.gserviceaccount.com"
        );
    }
}
