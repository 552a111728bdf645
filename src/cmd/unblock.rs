//! What a blocked hook tells the person whose commit or push it stopped: how to take the
//! secret out (for a push: out of the commit that added it), that a real key must be
//! revoked, and how to record a revoked key or a reviewed false positive in the ignore
//! file (its fingerprint lines, ready to paste).
//!
//! This file only words the advice; it must not know how findings were made or how the
//! hook decides to block.

use crate::finding::Finding;
use std::collections::BTreeMap;

/// Which hook blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// `keyward staged`: the commit being made.
    Commit,
    /// `keyward pre-push`: the commits being pushed.
    Push,
}

/// At most this many fingerprint lines are printed.
const MAX_LINES: usize = 10;

/// The advice printed after the findings of a blocked commit or push. `ignore_file` is
/// the ignore file the hook reads (`.keywardignore` unless `--ignore-file`). Paths and
/// commit messages are printed as given (escaped for the terminal): the caller redacts
/// the keys they may hold.
pub fn advice(what: Blocked, findings: &[Finding], ignore_file: &str) -> String {
    let t = crate::escape::terminal;
    let ignore_file = t(ignore_file);
    let mut text = String::new();
    match what {
        Blocked::Commit => {
            text.push_str(
                "keyward: commit blocked. Take each secret out of the staged files (read it from \
                 the environment instead) and stage them again; revoke any real key first: it may \
                 already be in a log, a cache or an editor's history.\n",
            );
            text.push_str(
                "keyward: a reviewed false positive: add a `keyward:allow` comment on its line, \
                 or record its fingerprint in ",
            );
            text.push_str(&ignore_file);
            text.push_str(":\n");
        }
        Blocked::Push => {
            text.push_str(
                "keyward: push blocked. The commits being pushed add a secret; a new commit that \
                 deletes it (or marks it `keyward:allow`) does not help, since the pushed \
                 history still holds it. Revoke any real key first, then rewrite the commit \
                 that added it:\n",
            );
            // The commits that introduced the secrets, oldest information first.
            let mut commits: BTreeMap<&str, &str> = BTreeMap::new();
            for f in findings {
                if let Some(g) = &f.git {
                    commits
                        .entry(g.commit.as_str())
                        .or_insert(g.summary.as_str());
                }
            }
            for (id, summary) in &commits {
                let short = &id[..id.len().min(10)];
                text.push_str(&format!(
                    "keyward:   {short} {}: `git rebase -i {short}^`, mark it `edit`, remove the \
                     key, `git commit --amend`, `git rebase --continue` (or only `git commit \
                     --amend` if it is the last commit)\n",
                    t(summary)
                ));
            }
            if commits.is_empty() {
                text.push_str(
                    "keyward:   `git commit --amend` for the last commit, `git rebase -i` for an \
                     earlier one\n",
                );
            }
            text.push_str(
                "keyward: once the key is revoked (or for a reviewed false positive), the push can \
                 go through with its fingerprint recorded in ",
            );
            text.push_str(&ignore_file);
            text.push_str(":\n");
        }
    }
    let mut seen = Vec::new();
    for f in findings {
        if seen.contains(&f.fingerprint.as_str()) {
            continue;
        }
        seen.push(f.fingerprint.as_str());
        if seen.len() > MAX_LINES {
            continue;
        }
        text.push_str(&format!(
            "    {}  # {} {}\n",
            f.fingerprint,
            f.rule_id,
            t(&f.path)
        ));
    }
    if seen.len() > MAX_LINES {
        text.push_str(&format!(
            "    # … and {} more: every report lists each finding's fingerprint\n",
            seen.len() - MAX_LINES
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::GitProvenance;

    fn finding(fingerprint: &str, commit: Option<&str>) -> Finding {
        Finding {
            confidence: crate::finding::Confidence::High,
            rule_id: "acme-token".into(),
            rule_name: "ACME token".into(),
            provider: "ACME".into(),
            severity: crate::rules::Severity::High,
            path: "config/app.env".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            column_utf16: 1,
            end_column_utf16: 2,
            secret: crate::secret::Secret::new(b"x"),
            fingerprint: fingerprint.into(),
            line_hash: String::new(),
            revoke_url: String::new(),
            rotation_days: 90,
            client_exposed: false,
            agent: None,
            decoded: None,
            git: commit.map(|c| {
                Box::new(GitProvenance {
                    commit: c.into(),
                    author: String::new(),
                    email: String::new(),
                    date: String::new(),
                    summary: "add config\u{1b}[31m".into(),
                    blob: String::new(),
                    other_places: 0,
                    in_head: false,
                    reachable: true,
                    sequence: 0,
                    locations: Vec::new(),
                    locations_omitted: 0,
                })
            }),
        }
    }

    #[test]
    fn a_blocked_push_names_the_commit_and_the_fingerprint_and_never_suggests_a_new_allow() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        let text = advice(
            Blocked::Push,
            &[finding("7f212b8a2ba66c2b", Some(id))],
            ".keywardignore",
        );
        assert!(text.contains("0123456789 add config\\x1b[31m: `git rebase -i 0123456789^`"));
        assert!(text.contains("git commit --amend"));
        assert!(text.contains("    7f212b8a2ba66c2b  # acme-token config/app.env\n"));
        assert!(text.contains("recorded in .keywardignore"));
        assert!(text.contains("does not help"));
        assert!(!text.contains("add a `keyward:allow`"));
    }

    #[test]
    fn a_blocked_commit_offers_the_inline_comment_and_the_ignore_file() {
        let many: Vec<Finding> = (0..12)
            .map(|n| finding(&format!("{n:016x}"), None))
            .collect();
        let text = advice(Blocked::Commit, &many, "ci/ignore");
        assert!(text.contains("add a `keyward:allow` comment on its line"));
        assert!(text.contains("record its fingerprint in ci/ignore:"));
        assert!(text.contains("    0000000000000009  # acme-token config/app.env\n"));
        assert!(!text.contains("000000000000000a"));
        assert!(text.contains("… and 2 more"));
    }
}
