//! Credentials files: how a file says what kind it is, telling kinds apart by content
//! (the table is [`KINDS`](super::KINDS)), and the errors that name the right call
//! for a file of another kind. Each kind's own fields are read in its module.

use std::path::{Path, PathBuf};

use super::Credentials;
use super::http::one_line;
use crate::error::{Error, Result};

/// How a credentials file says what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    /// A `"type"` member with this value (`"type": "service_account"`).
    Type(&'static str),
    /// A top-level object of this name and no `type` (`{"installed": {...}}`).
    Object(&'static str),
}

/// One kind of credentials file: a module's static, listed in
/// [`KINDS`](super::KINDS).
#[derive(Debug)]
pub(crate) struct FileKind {
    /// How the file says it is of this kind.
    pub tag: Tag,
    /// What such a file is, for errors: `a service account key`.
    pub noun: &'static str,
    /// The constructors' stem: `service_account` for
    /// `Credentials::service_account_file` and `Credentials::service_account_json`.
    pub stem: &'static str,
    /// Why Application Default Credentials refuse this kind, if they do.
    pub adc_refusal: Option<&'static str>,
    /// Reads the JSON text of such a file (its kind already checked).
    pub parse: fn(&str) -> Result<Credentials>,
}

impl FileKind {
    /// What the file is, for errors: `a service account key ("type": "service_account")`.
    fn describe(&self) -> String {
        match self.tag {
            Tag::Type(name) => format!("{} (\"type\": \"{name}\")", self.noun),
            Tag::Object(name) => format!("{} (\"{name}\")", self.noun),
        }
    }

    /// The constructor that reads such a file.
    fn file_constructor(&self) -> String {
        format!("Credentials::{}_file(path)", self.stem)
    }

    /// The constructor that reads such JSON text.
    fn json_constructor(&self) -> String {
        format!("Credentials::{}_json(json)", self.stem)
    }

    /// Reads the file at `path`, which must be of this kind: what each
    /// `Credentials::*_file` constructor does.
    pub(super) fn read(&'static self, path: &Path) -> Result<Credentials> {
        let json = read_file(path)?;
        expect_kind(&json, &[self], Some(path))?;
        (self.parse)(&json).map_err(|e| in_file(e, path))
    }

    /// Reads JSON text, which must be of this kind: what each `Credentials::*_json`
    /// constructor does.
    pub(super) fn read_json(&'static self, json: &str) -> Result<Credentials> {
        expect_kind(json, &[self], None)?;
        (self.parse)(json)
    }
}

/// What a credentials file's content says it is.
enum Detected {
    Known(&'static FileKind),
    /// A `type` this crate does not read.
    Other(String),
    /// Not a JSON object with a `type` (the kind's own parser says what is wrong).
    Unknown,
}

/// What `json` is, among `kinds`.
fn detect(kinds: &[&'static FileKind], json: &str) -> Detected {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Detected::Unknown;
    };
    let kinds = kinds.iter().copied();
    match map.get("type").and_then(|t| t.as_str()) {
        Some(name) => kinds
            .into_iter()
            .find(|k| matches!(k.tag, Tag::Type(t) if t == name))
            .map_or_else(|| Detected::Other(name.to_owned()), Detected::Known),
        None => kinds
            .into_iter()
            .find(|k| matches!(k.tag, Tag::Object(o) if map.get(o).is_some_and(|v| v.is_object())))
            .map_or(Detected::Unknown, Detected::Known),
    }
}

/// Reads any credentials file, told apart by its content; with `adc`, refuses the
/// kinds Application Default Credentials do not read.
pub(super) fn read_any(path: &Path, adc: bool) -> Result<Credentials> {
    read_any_of(super::KINDS, path, adc)
}

/// [`read_any`] among `kinds`.
fn read_any_of(kinds: &[&'static FileKind], path: &Path, adc: bool) -> Result<Credentials> {
    let json = read_file(path)?;
    match detect(kinds, &json) {
        Detected::Known(kind) => match kind.adc_refusal.filter(|_| adc) {
            Some(why) => Err(Error::auth(
                format!(
                    "{} is {}: {why}; use {}",
                    path.display(),
                    kind.describe(),
                    kind.file_constructor()
                ),
                None,
            )),
            None => (kind.parse)(&json).map_err(|e| in_file(e, path)),
        },
        Detected::Other(kind) => Err(unsupported_type(kinds, &kind, Some(path))),
        Detected::Unknown => {
            let objects: Vec<String> = kinds
                .iter()
                .filter(|k| !adc || k.adc_refusal.is_none())
                .filter_map(|k| match k.tag {
                    Tag::Object(name) => Some(format!("\"{name}\"")),
                    Tag::Type(_) => None,
                })
                .collect();
            let nor = if objects.is_empty() {
                String::new()
            } else {
                format!(" (nor an {} object)", objects.join(" or "))
            };
            Err(Error::auth(
                format!("{}: credentials have no `type` field{nor}", path.display()),
                None,
            ))
        }
    }
}

/// Refuses a file of another kind than `expected`, naming its kind and the call that
/// reads it: `credentials.json is an OAuth client ID file ("installed"); use
/// Credentials::oauth_client_file(path)`.
pub(super) fn expect_kind(
    json: &str,
    expected: &[&'static FileKind],
    path: Option<&Path>,
) -> Result<()> {
    expect_kind_of(super::KINDS, json, expected, path)
}

/// [`expect_kind`] among `kinds`.
fn expect_kind_of(
    kinds: &[&'static FileKind],
    json: &str,
    expected: &[&'static FileKind],
    path: Option<&Path>,
) -> Result<()> {
    match detect(kinds, json) {
        Detected::Known(kind) if expected.iter().any(|e| e.tag == kind.tag) => Ok(()),
        Detected::Known(kind) => {
            let (subject, call) = match path {
                Some(path) => (path.display().to_string(), kind.file_constructor()),
                None => ("the JSON".to_owned(), kind.json_constructor()),
            };
            Err(Error::auth(
                format!("{subject} is {}; use {call}", kind.describe()),
                None,
            ))
        }
        Detected::Other(kind) => Err(unsupported_type(kinds, &kind, path)),
        Detected::Unknown => Ok(()),
    }
}

fn unsupported_type(kinds: &[&'static FileKind], kind: &str, path: Option<&Path>) -> Error {
    let subject = path.map_or_else(|| "the JSON".to_owned(), |p| p.display().to_string());
    let kind: String = one_line(kind).chars().take(60).collect();
    let types: Vec<&str> = kinds
        .iter()
        .filter_map(|k| match k.tag {
            Tag::Type(name) => Some(name),
            Tag::Object(_) => None,
        })
        .collect();
    Error::auth(
        format!(
            "{subject} holds credentials of type \"{kind}\", which this crate does not read \
             (it reads {} and OAuth client ID files)",
            types.join(", ")
        ),
        None,
    )
}

/// gcloud's well-known ADC file for this user.
pub(super) fn well_known_file() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        PathBuf::from(std::env::var_os("APPDATA")?)
    } else {
        PathBuf::from(std::env::var_os("HOME")?).join(".config")
    };
    Some(
        base.join("gcloud")
            .join("application_default_credentials.json"),
    )
}

pub(super) fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        context: format!("reading credentials file {}", path.display()),
        source,
    })
}

/// Prefixes an auth error with the file it came from.
pub(super) fn in_file(e: Error, path: &Path) -> Error {
    match e {
        Error::Auth { message, source } => Error::Auth {
            message: format!("{}: {message}", path.display()),
            source,
        },
        other => other,
    }
}

/// A JSON error about credentials, without quoting any of their values: serde's own
/// message can quote the input, which here may be a private key.
pub(super) fn json_error(what: &str, e: &serde_json::Error) -> Error {
    let msg = e.to_string();
    let detail = if msg.starts_with("missing field") || msg.starts_with("unknown field") {
        msg.split(" at line").next().unwrap_or_default().to_owned()
    } else {
        format!("{:?} error", e.classify()).to_lowercase()
    };
    Error::auth(
        format!(
            "invalid {what} JSON: {detail} at line {} column {}",
            e.line(),
            e.column()
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    //! A kind of credentials the crate does not have, added the way a real one is: a
    //! [`Provider`], a [`FileKind`] static with its parser, and one line in a table (here
    //! a copy of [`KINDS`](super::super::KINDS) with the line added).

    use super::*;
    use crate::auth::http::TokenHttp;
    use crate::auth::provider::{FetchFuture, Provider};
    use crate::auth::{AccessToken, Auth, KINDS, service_account};
    use crate::retry::RetryPolicy;

    /// What the fake kind's module would hold.
    struct Fake {
        token: String,
    }

    impl Provider for Fake {
        fn kind(&self) -> &'static str {
            "fake"
        }

        fn fetch<'a>(&'a self, _: TokenHttp<'a>, scopes: &'a [String]) -> FetchFuture<'a> {
            let token = format!("{}:{}", self.token, scopes.join(","));
            Box::pin(async move { Ok(AccessToken::new(token, None)) })
        }
    }

    fn fake(json: &str) -> Result<Credentials> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| json_error("fake credentials", &e))?;
        let token = value["token"].as_str().unwrap_or_default().to_owned();
        Ok(Credentials::with_provider(Fake { token }).with_api_default_scopes())
    }

    static FAKE: FileKind = FileKind {
        tag: Tag::Type("fake_kind"),
        noun: "fake credentials",
        stem: "fake",
        adc_refusal: None,
        parse: fake,
    };

    #[tokio::test]
    async fn a_new_kind_is_a_provider_a_file_kind_and_one_table_line() {
        let kinds: Vec<&'static FileKind> = KINDS.iter().copied().chain([&FAKE]).collect();
        let dir = std::env::temp_dir().join(format!("auth-fake-kind-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("fake.json");
        let json = r#"{"type":"fake_kind","token":"T1"}"#;
        std::fs::write(&path, json).unwrap();

        // Told apart by content, for `from_file` and ADC alike, and fetched through the
        // client's token cache with the API's default scopes.
        for adc in [false, true] {
            let credentials = read_any_of(&kinds, &path, adc).unwrap();
            assert_eq!(credentials.kind(), "fake");
            let auth = Auth::new(credentials.for_api(&["s1"]), RetryPolicy::none(), None);
            let token = auth.token(&reqwest::Client::new()).await.unwrap().unwrap();
            assert_eq!(token.secret(), "T1:s1");
        }
        // Other kinds' constructors name the new kind's when handed its file.
        let e = expect_kind_of(&kinds, json, &[&service_account::FILE], None)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with(
                "the JSON is fake credentials (\"type\": \"fake_kind\"); use Credentials::fake_json(json)"
            ),
            "{e}"
        );
        // Without the table line, the same file is refused by its type.
        let e = read_any_of(KINDS, &path, false).unwrap_err().to_string();
        assert!(
            e.contains("type \"fake_kind\", which this crate does not read"),
            "{e}"
        );
        let e = read_any_of(&kinds, &dir.join("absent.json"), false).unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
