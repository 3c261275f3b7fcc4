//! `cargo xtask fetch`: download the stable and DEVELOPER_PREVIEW Discovery documents,
//! validate them, and write them atomically as `{name}.{version}[.preview].{revision}.json`.
//!
//! The preview document needs an API key (`GOOGLE_API_KEY` or `--api-key-file`); the
//! key is a secret and every line this command prints is scrubbed of it
//! (see `secret::Redactor`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use discovery::Document;

mod google_error;
mod http;
mod secret;
mod store;

use http::{Request, RetryPolicy};
pub use secret::API_KEY_VAR;
use secret::{ApiKey, Redactor};
use store::{Change, Flavor};

/// Arguments of `cargo xtask fetch`.
///
/// A flag given twice takes its last value, so scripts can override defaults they pass.
#[derive(Debug, clap::Args)]
#[command(args_override_self = true)]
pub struct Args {
    /// Where and how to download.
    #[command(flatten)]
    pub remote: Remote,
    /// Folder to write the documents to [default: discovery/documents in the workspace].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Where the documents come from and how hard to try: shared by `cargo xtask fetch` and
/// `cargo xtask regen` (which fetches when given no local files).
#[derive(Debug, Clone, clap::Args)]
pub struct Remote {
    /// Root URL of the API; the documents are at `{root}$discovery/rest`.
    #[arg(long, default_value = "https://chat.googleapis.com/")]
    pub root_url: String,
    /// API version to fetch.
    #[arg(long, default_value = "v1")]
    pub api_version: String,
    /// File holding the API key for the DEVELOPER_PREVIEW document (instead of the
    /// GOOGLE_API_KEY environment variable).
    #[arg(long, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// Time allowed to open a connection (e.g. `10s`, `500ms`).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Retries after a 429, a 5xx, a timeout or a dropped connection (a refused
    /// connection is retried once at most).
    #[arg(long, default_value_t = 4)]
    pub retries: u32,
    /// First wait between retries; it doubles each time, with jitter.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub backoff: Duration,
    /// Longest wait between retries, and the longest `Retry-After` honoured.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub max_backoff: Duration,
}

/// Which documents [`fetch_documents`] downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// The stable document, and the preview one when an API key is available.
    StableAndPreview,
    /// Only the stable document (the caller has its preview document already).
    StableOnly,
}

/// The documents [`fetch_documents`] wrote (or found already up to date).
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The stable document's file.
    pub stable: PathBuf,
    /// The preview document's file; `None` when it was not asked for or there is no key.
    pub preview: Option<PathBuf>,
    /// Whether an API key was found (so `preview: None` with `Wanted::StableAndPreview`
    /// means: no key).
    pub had_key: bool,
}

/// The default folder for fetched documents: `discovery/documents` in the workspace.
pub fn default_documents_dir() -> PathBuf {
    // xtask sits directly in the workspace root.
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .unwrap_or(manifest)
        .join("discovery")
        .join("documents")
}

/// Downloads the documents into `out`, printing one line per document (and which key
/// source is used). The API key is looked up only when the preview is wanted; every error
/// is scrubbed of it.
pub fn fetch_documents(remote: &Remote, out: &Path, wanted: Wanted) -> anyhow::Result<Fetched> {
    let key = match wanted {
        Wanted::StableAndPreview => secret::load_key(remote.api_key_file.as_deref())?,
        Wanted::StableOnly => None,
    };
    let redactor = Redactor::new(key.as_ref().map(|(key, _)| key));
    if let Some((_, source)) = &key {
        println!("preview: using the API key from {source}");
    }
    // Every error leaves through the redactor, whatever produced it.
    let (stable, preview) = fetch_all(remote, out, key.as_ref().map(|(key, _)| key), &redactor)
        .map_err(|err| anyhow::anyhow!("{}", redactor.scrub(&format!("{err:#}"))))?;
    Ok(Fetched {
        stable,
        preview,
        had_key: key.is_some(),
    })
}

/// Runs `cargo xtask fetch`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(default_documents_dir);
    let fetched = fetch_documents(&args.remote, &out, Wanted::StableAndPreview)?;
    if !fetched.had_key {
        println!(
            "preview: skipped: no API key. Set {} or pass --api-key-file PATH (a key of a \
             Google Cloud project enrolled in the Google Workspace Developer Preview Program) \
             to fetch the DEVELOPER_PREVIEW document.",
            secret::API_KEY_VAR
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches the stable document, then the preview one when there is a key; returns the
/// files they are in.
fn fetch_all(
    args: &Remote,
    out: &Path,
    key: Option<&ApiKey>,
    redactor: &Redactor,
) -> anyhow::Result<(PathBuf, Option<PathBuf>)> {
    let root = root_url(&args.root_url)?;
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(args.connect_timeout)
        .timeout(args.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("chat-api-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot set up the HTTP client")?;
    let policy = RetryPolicy {
        retries: args.retries,
        initial_backoff: args.backoff,
        max_backoff: args.max_backoff,
    };
    let fetch = |flavor: Flavor| -> anyhow::Result<(PathBuf, Vec<u8>)> {
        let url = document_url(&root, &args.api_version, flavor, key)?;
        let request = Request {
            client: &client,
            shown_url: redactor.scrub(url.as_str()),
            url,
            preview: flavor == Flavor::Preview,
            timeout: args.timeout,
            redactor,
        };
        let bytes = http::get(&request, &policy)?;
        let document = Document::from_slice(&bytes, &request.shown_url)
            .context("the response is not a valid Discovery document")?;
        let (path, change) = store::write(out, &document, flavor, &bytes)?;
        let label = match flavor {
            Flavor::Stable => "stable",
            Flavor::Preview => "preview",
        };
        let what = match change {
            Change::Unchanged => "unchanged".to_owned(),
            Change::Replaced => "changed: same revision, new content".to_owned(),
            Change::New { previous } => match previous.last() {
                Some(last) => format!("new revision; previous {last}"),
                None => "new".to_owned(),
            },
        };
        println!(
            "{label}: {} revision {} -> {} ({what})",
            document.id,
            document.revision,
            path.display()
        );
        Ok((path, bytes))
    };
    let (stable_path, stable) = fetch(Flavor::Stable)?;
    let mut preview_path = None;
    if key.is_some() {
        let (path, preview) = fetch(Flavor::Preview)?;
        if preview == stable {
            println!(
                "preview: note: the DEVELOPER_PREVIEW document is identical to the stable one; \
                 the key's project may not be enrolled in the Developer Preview Program"
            );
        }
        preview_path = Some(path);
    }
    Ok((stable_path, preview_path))
}

/// Parses `--root-url`, adding the trailing slash that joining needs.
fn root_url(root: &str) -> anyhow::Result<reqwest::Url> {
    let with_slash = if root.ends_with('/') {
        root.to_owned()
    } else {
        format!("{root}/")
    };
    let url = reqwest::Url::parse(&with_slash)
        .with_context(|| format!("--root-url {root:?} is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
        anyhow::bail!("--root-url {root:?}: expected an http(s) URL without a query");
    }
    Ok(url)
}

/// `{root}$discovery/rest?version=V` plus `labels=DEVELOPER_PREVIEW&key=K` for the preview.
fn document_url(
    root: &reqwest::Url,
    version: &str,
    flavor: Flavor,
    key: Option<&ApiKey>,
) -> anyhow::Result<reqwest::Url> {
    let mut url = root
        .join("$discovery/rest")
        .context("cannot build the document URL from --root-url")?;
    url.query_pairs_mut().append_pair("version", version);
    if flavor == Flavor::Preview {
        let key = key.context("the preview document needs an API key")?;
        let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if url.scheme() != "https" && !loopback {
            anyhow::bail!(
                "refusing to send the API key over plain http to {}: use an https --root-url",
                url.host_str().unwrap_or_default()
            );
        }
        url.query_pairs_mut()
            .append_pair("labels", "DEVELOPER_PREVIEW")
            .append_pair("key", key.expose());
    }
    Ok(url)
}

/// Parses `500ms`, `10s`, `2m` or a bare number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 500ms, 10s or 2m"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("{text:?}: unknown unit {unit:?} (use ms, s or m)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|err| format!("{text:?}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("0.25s"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn urls() {
        let root = root_url("https://chat.googleapis.com").unwrap();
        assert_eq!(root.as_str(), "https://chat.googleapis.com/");
        let stable = document_url(&root, "v1", Flavor::Stable, None).unwrap();
        assert_eq!(
            stable.as_str(),
            "https://chat.googleapis.com/$discovery/rest?version=v1"
        );
        let key = secret_key("k+1");
        let preview = document_url(&root, "v1", Flavor::Preview, Some(&key)).unwrap();
        assert_eq!(
            preview.as_str(),
            "https://chat.googleapis.com/$discovery/rest?version=v1&labels=DEVELOPER_PREVIEW&key=k%2B1"
        );
        let plain = root_url("http://example.com/").unwrap();
        let err = document_url(&plain, "v1", Flavor::Preview, Some(&key)).unwrap_err();
        assert!(err.to_string().contains("refusing"));
        assert!(root_url("ftp://x/").is_err());
        assert!(root_url("not a url").is_err());
    }

    fn secret_key(raw: &str) -> ApiKey {
        let dir = std::env::temp_dir().join(format!("xtask-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("key");
        std::fs::write(&file, format!("{raw}\n")).unwrap();
        let (key, _) = secret::load_key(Some(&file)).unwrap().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        key
    }
}
