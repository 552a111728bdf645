//! What a report says about the repository scanned (SARIF's `versionControlProvenance`):
//! its remote with credentials removed, the commit and the branch.
//!
//! This file must not know how a report is written: it fills in a [`Vcs`] (a plain
//! type of `finding`'s) that reports read.

use super::{open, resolve_commit};
use crate::finding::Vcs;
use std::path::Path;

/// What a report says about the repository at `path`: its remote (credentials removed;
/// `GITHUB_SERVER_URL`/`GITHUB_REPOSITORY` when set, as in GitHub Actions), the commit
/// `tip` resolves to (or HEAD's) and the branch checked out. `None` when `path` is not
/// a repository.
pub fn provenance(path: &Path, tip: Option<&str>) -> Option<Vcs> {
    let repo = open(path).ok()?;
    let revision = tip
        .and_then(|t| resolve_commit(&repo, t).ok())
        .or_else(|| repo.head_id().ok().map(gix::Id::detach))
        .map(|id| id.to_string());
    let branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string());
    let github = match (
        std::env::var("GITHUB_SERVER_URL"),
        std::env::var("GITHUB_REPOSITORY"),
    ) {
        (Ok(server), Ok(name)) if !server.is_empty() && !name.is_empty() => {
            Some(format!("{}/{name}", server.trim_end_matches('/')))
        }
        _ => None,
    };
    let remote = || {
        let remote = repo
            .find_default_remote(gix::remote::Direction::Fetch)?
            .ok()?;
        let url = remote.url(gix::remote::Direction::Fetch)?;
        Some(url.to_bstring().to_string())
    };
    let repository_uri = github.or_else(remote).and_then(|u| clean_remote_url(&u));
    Some(Vcs {
        repository_uri,
        revision,
        branch,
    })
}

/// A remote URL fit for a report: no user name, password or token, no query or
/// fragment; `user@host:path` becomes `ssh://host/path`. `None` for a local path.
pub fn clean_remote_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r))
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            (s.to_ascii_lowercase(), r)
        }
        _ => {
            // scp-like `[user@]host:path`, but not a Windows or local path.
            let (host, path) = url.split_once(':')?;
            let host = host.rsplit('@').next()?;
            if host.is_empty() || host.contains('/') || host.len() == 1 || path.starts_with('\\') {
                return None;
            }
            return Some(format!("ssh://{host}/{}", path.trim_start_matches('/')));
        }
    };
    if scheme == "file" {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::clean_remote_url;

    #[test]
    fn remote_urls_lose_credentials() {
        assert_eq!(
            clean_remote_url("https://user:tok@github.com/o/r.git?x=1#f").as_deref(),
            Some("https://github.com/o/r.git")
        );
        assert_eq!(
            clean_remote_url("git@github.com:o/r.git").as_deref(),
            Some("ssh://github.com/o/r.git")
        );
        assert_eq!(
            clean_remote_url("ssh://git@host:22/o/r").as_deref(),
            Some("ssh://host:22/o/r")
        );
        assert_eq!(clean_remote_url("/srv/git/r.git"), None);
        assert_eq!(clean_remote_url("file:///srv/git/r.git"), None);
        assert_eq!(clean_remote_url("C:\\repos\\r"), None);
        assert_eq!(clean_remote_url("../r"), None);
    }
}
