//! The refresh-token cache of the installed-app flow: one small JSON file per OAuth
//! client and set of scopes, readable by its owner only.
//!
//! The file holds the refresh token, the client id, the scopes and the token URI (to
//! tell a stale entry from a good one); never the client secret nor an access token.
//! It is written to a temporary file created with mode 0600 (on unix) before any byte
//! goes in, then renamed over the old one, so a reader never sees half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::json_object::json_object;

/// The folder under the user's cache directory.
const APP_DIR: &str = "google-api-rs";

json_object! {
    /// One cached refresh token and what it was granted for.
    pub(super) struct CacheEntry {
        pub client_id: String = "client_id" (required),
        pub scopes: Vec<String> = "scopes" (required),
        pub token_uri: String = "token_uri" (required),
        pub refresh_token: String = "refresh_token" (required),
    }
}

impl CacheEntry {
    /// The file's content.
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "client_id": self.client_id,
            "scopes": self.scopes,
            "token_uri": self.token_uri,
            "refresh_token": self.refresh_token,
        })
    }
}

/// `$XDG_CACHE_HOME/google-api-rs`, else `~/.cache/google-api-rs` on unix;
/// `%LOCALAPPDATA%\google-api-rs` on Windows.
pub(super) fn default_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = if cfg!(windows) {
        PathBuf::from(non_empty("LOCALAPPDATA")?)
    } else {
        match non_empty("XDG_CACHE_HOME") {
            Some(dir) => PathBuf::from(dir),
            None => PathBuf::from(non_empty("HOME")?).join(".cache"),
        }
    };
    Some(base.join(APP_DIR))
}

/// The scopes as the cache key uses them: sorted, without duplicates.
pub(super) fn normalized_scopes(scopes: &[String]) -> Vec<String> {
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// `oauth-<32 hex digits>.json`: a SHA-256 of the client id and the sorted scopes, so
/// the name says nothing about either.
pub(super) fn file_name(client_id: &str, scopes: &[String]) -> String {
    let mut key = client_id.to_owned();
    for scope in normalized_scopes(scopes) {
        key.push('\n');
        key.push_str(&scope);
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, key.as_bytes());
    let hex: String = digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("oauth-{hex}.json")
}

/// The refresh token cached at `path` for exactly this client, scopes and token URI.
/// A missing, unreadable or foreign file is no token.
pub(super) fn load(
    path: &Path,
    client_id: &str,
    scopes: &[String],
    token_uri: &str,
) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let entry: CacheEntry = match serde_json::from_str(&text) {
        Ok(entry) => entry,
        Err(_) => {
            tracing::debug!(path = %path.display(), "ignoring an unreadable token cache file");
            return None;
        }
    };
    let matches = entry.client_id == client_id
        && normalized_scopes(&entry.scopes) == normalized_scopes(scopes)
        && entry.token_uri == token_uri
        && !entry.refresh_token.is_empty();
    if !matches {
        tracing::debug!(path = %path.display(), "the token cache file is for another client, scopes or token URI");
    }
    matches.then_some(entry.refresh_token)
}

/// Writes `entry` to `path` atomically, readable by the owner only.
pub(super) fn store(path: &Path, entry: &CacheEntry) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "token-cache".to_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let json = serde_json::to_vec_pretty(&entry.to_json()).map_err(std::io::Error::other)?;
    let written = (|| {
        let mut file = create_private_file(&temp)?;
        file.write_all(&json)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Removes the cache file (a refused refresh token); a missing file is fine.
pub(super) fn remove(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "could not remove the token cache file")
        }
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    // %LOCALAPPDATA% is readable by its user only.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_name_depends_on_client_and_sorted_scopes_only() {
        let a = file_name("cid", &scopes(&["b", "a"]));
        assert_eq!(a, file_name("cid", &scopes(&["a", "b", "a"])));
        assert_ne!(a, file_name("cid", &scopes(&["a"])));
        assert_ne!(a, file_name("other", &scopes(&["a", "b"])));
        assert!(
            a.starts_with("oauth-") && a.ends_with(".json") && a.len() == 43,
            "{a}"
        );
        assert!(!a.contains("cid"));
    }

    #[test]
    fn store_then_load_matches_only_the_same_grant() {
        let dir = std::env::temp_dir().join(format!("chat-api-cache-unit-{}", std::process::id()));
        let path = dir.join("sub").join("entry.json");
        let entry = CacheEntry {
            client_id: "cid".into(),
            scopes: scopes(&["s2", "s1"]),
            token_uri: "http://t".into(),
            refresh_token: "RT".into(),
        };
        store(&path, &entry).unwrap();
        store(&path, &entry).unwrap();
        assert_eq!(
            load(&path, "cid", &scopes(&["s1", "s2"]), "http://t").as_deref(),
            Some("RT")
        );
        assert_eq!(load(&path, "cid", &scopes(&["s1"]), "http://t"), None);
        assert_eq!(
            load(&path, "cid", &scopes(&["s1", "s2"]), "http://other"),
            None
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        remove(&path);
        remove(&path);
        assert_eq!(load(&path, "cid", &scopes(&["s1", "s2"]), "http://t"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
