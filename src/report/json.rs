//! JSON and JSON Lines output.
//!
//! Each finding is an object with these fields, in this order:
//!
//! | field | type | meaning |
//! | --- | --- | --- |
//! | `rule_id` | string | the rule (or the provider variant of a look-alike family) |
//! | `rule_name` | string | human name of the rule |
//! | `provider` | string | who issued the key |
//! | `severity` | string | `critical`, `high`, `medium` or `low` |
//! | `confidence` | string | `high` (checksum or unique format), `medium` (attributed by context), `low` (generic rule) |
//! | `path` | string | as given on the command line (relative when the argument was) |
//! | `line`, `column` | number | 1-based position of the secret's first character |
//! | `end_line`, `end_column` | number | 1-based position just past its last character |
//! | `secret` | string | redacted (`sk-ant-api03-Ab…`) unless `--no-redact` |
//! | `fingerprint` | string | 16 hex digits from rule id, path and secret; stable when lines move |
//! | `revoke_url` | string | where the key is revoked and rotated |
//! | `rotation_days` | number | the rotation period the rule recommends |
//! | `client_exposed` | bool | assigned to a browser- or app-shipped name (`NEXT_PUBLIC_…`) |
//! | `decoded` | string | only when the secret was found in decoded text: `base64`, `percent` or `concatenated` (the position is the encoded text's) |
//!
//! Findings from git history (`keyward history`) add:
//!
//! | field | type | meaning |
//! | --- | --- | --- |
//! | `commit` | string | the oldest commit that added the blob holding the secret |
//! | `author`, `email`, `date` | string | its author and author date (ISO 8601) |
//! | `summary` | string | the first line of its message |
//! | `blob` | string | the blob id |
//! | `other_places` | number | other tree entries, blob versions or paths carrying the secret |
//! | `in_head` | bool | the secret is still in a file at HEAD (at any of its locations) |
//! | `reachable` | bool | some ref reaches the commit; `false` for a commit only `--all-objects` finds (amended, reset, a reflog entry, a dropped stash) and for a blob no commit carries |
//! | `locations` | array | the same secret (same rule) first seen at other paths: renames, copies, other branches; oldest first, at most 20; each `{path, line, column, end_line, end_column, commit, date, blob, reachable, fingerprint}` (empty with `--each-location`) |
//! | `locations_omitted` | number | other paths beyond the 20 listed |
//!
//! Findings in a coding agent's configuration or transcript add `agent`: an object with
//! `agent` (the agent's name), `server` (the MCP server it configures, or null) and
//! `field` (the entry: `env.GITHUB_TOKEN`, `args`, `permissions.allow`, `transcript`).
//!
//! With `--show-suppressed`, suppressed findings follow the reported ones, each with
//! `suppressed: {reason, detail}` (reason: `inline-comment`, `disabled-rule`,
//! `allowlist-path`, `allowlist-regex`, `allowlist-stopword`, `ignore-file`, `baseline`,
//! `already-in-head` for `staged`, `repeated-value` for a generic value in many files).
//!
//! `json` writes one array (pretty-printed, with a trailing newline); `jsonl` writes one
//! compact object per line.
//!
//! It must not know how a finding was made; it reads findings only.

use super::Style;
use crate::finding::Finding;
use crate::suppress::Suppressed;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    provider: &'a str,
    severity: &'a str,
    confidence: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    secret: String,
    fingerprint: &'a str,
    revoke_url: &'a str,
    rotation_days: u32,
    client_exposed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    decoded: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    git: Option<JsonGit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<JsonAgent<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonAgent<'a> {
    agent: &'a str,
    server: Option<&'a str>,
    field: &'a str,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    reason: &'a str,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonGit<'a> {
    commit: &'a str,
    author: &'a str,
    email: &'a str,
    date: &'a str,
    summary: &'a str,
    blob: &'a str,
    other_places: usize,
    in_head: bool,
    reachable: bool,
    locations: Vec<JsonLocation<'a>>,
    locations_omitted: usize,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    commit: &'a str,
    date: &'a str,
    blob: &'a str,
    reachable: bool,
    fingerprint: &'a str,
}

fn view(f: &Finding, style: Style) -> JsonFinding<'_> {
    JsonFinding {
        rule_id: &f.rule_id,
        rule_name: &f.rule_name,
        provider: &f.provider,
        severity: f.severity.as_str(),
        confidence: f.confidence.as_str(),
        path: &f.path,
        line: f.line,
        column: f.column,
        end_line: f.end_line,
        end_column: f.end_column,
        secret: if style.show_secrets {
            f.secret.expose().to_string()
        } else {
            f.secret.redacted()
        },
        fingerprint: &f.fingerprint,
        revoke_url: &f.revoke_url,
        rotation_days: f.rotation_days,
        client_exposed: f.client_exposed,
        decoded: f.decoded,
        git: f.git.as_deref().map(|g| JsonGit {
            commit: &g.commit,
            author: &g.author,
            email: &g.email,
            date: &g.date,
            summary: &g.summary,
            blob: &g.blob,
            other_places: g.other_places,
            in_head: g.in_head,
            reachable: g.reachable,
            locations: g
                .locations
                .iter()
                .map(|l| JsonLocation {
                    path: &l.path,
                    line: l.line,
                    column: l.column,
                    end_line: l.end_line,
                    end_column: l.end_column,
                    commit: &l.commit,
                    date: &l.date,
                    blob: &l.blob,
                    reachable: l.reachable,
                    fingerprint: &l.fingerprint,
                })
                .collect(),
            locations_omitted: g.locations_omitted,
        }),
        agent: f.agent.as_deref().map(|a| JsonAgent {
            agent: &a.agent,
            server: a.server.as_deref(),
            field: &a.field,
        }),
        suppressed: None,
    }
}

fn suppressed_view(s: &Suppressed, style: Style) -> JsonFinding<'_> {
    let mut v = view(&s.finding, style);
    v.suppressed = Some(JsonSuppressed {
        reason: s.reason.as_str(),
        detail: &s.detail,
    });
    v
}

pub fn write_array(
    w: &mut dyn Write,
    findings: &[Finding],
    suppressed: &[Suppressed],
    style: Style,
) -> io::Result<()> {
    let items: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|f| view(f, style))
        .chain(suppressed.iter().map(|s| suppressed_view(s, style)))
        .collect();
    serde_json::to_writer_pretty(&mut *w, &items)?;
    writeln!(w)
}

pub fn write_lines(
    w: &mut dyn Write,
    findings: &[Finding],
    suppressed: &[Suppressed],
    style: Style,
) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *w, &view(f, style))?;
        writeln!(w)?;
    }
    for s in suppressed {
        serde_json::to_writer(&mut *w, &suppressed_view(s, style))?;
        writeln!(w)?;
    }
    Ok(())
}
