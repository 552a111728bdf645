//! A Markdown summary for a pull-request comment or a GitHub job summary: counts by
//! severity and provider, then one table row per finding (provider, rule, place, short
//! commit, redacted value, where to revoke). Values are always redacted. The table is
//! cut so the whole report stays under [`MAX_BYTES`], with a line saying how many
//! findings were left out.
//!
//! It must not know how a finding was made; it reads findings only.

use super::{Context, ScanKind};
use crate::finding::Finding;
use crate::rules::Severity;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// GitHub keeps at most 1 MiB of a job summary.
pub const MAX_BYTES: usize = 1 << 20;

/// Room kept for the line about omitted findings and the footer.
const RESERVE: usize = 2048;

const SEVERITIES: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

/// Untrusted text for a table cell (see [`crate::escape::markdown`]).
fn cell(s: &str) -> String {
    crate::escape::markdown(s)
}

/// A code span for a table cell (see [`crate::escape::markdown_code`]).
fn code(s: &str) -> String {
    crate::escape::markdown_code(s)
}

fn files(n: u64) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

fn scope(ctx: &Context<'_>) -> String {
    let s = &ctx.stats;
    match ctx.kind {
        ScanKind::Worktree => format!("working tree, {}", files(s.scanned)),
        ScanKind::Staged => format!("staged changes, {}", files(s.scanned)),
        ScanKind::History | ScanKind::Range => format!(
            "{}, {} commit(s), {} unique blob(s)",
            if ctx.kind == ScanKind::History {
                "git history"
            } else {
                "commit range"
            },
            s.commits.unwrap_or(0),
            s.scanned
        ),
    }
}

fn row(f: &Finding, ctx: &Context<'_>) -> String {
    let path = ctx.root.relative(&f.path);
    let commit = f
        .git
        .as_deref()
        .filter(|g| !g.commit.is_empty())
        .map(|g| {
            let mut c = code(&g.commit[..g.commit.len().min(7)]);
            if !g.reachable {
                c.push_str(" (unreachable)");
            }
            c
        })
        .unwrap_or_default();
    let mut location = code(&format!("{path}:{}", f.line));
    if let Some(g) = f.git.as_deref() {
        location.push_str(&also(g, ctx));
    }
    let revoke = crate::escape::markdown_link("revoke", crate::rules::revoke_at(&f.revoke_url));
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        f.severity.as_str(),
        f.confidence.as_str(),
        cell(&f.provider),
        code(&f.rule_id),
        location,
        commit,
        code(&f.secret.redacted()),
        revoke
    )
}

/// How many other paths shown in a table cell; the rest are counted.
const CELL_LOCATIONS: usize = 3;

/// ` (also `b.env:3`, `c.env:1` and 4 more)`: a folded finding's other paths.
fn also(g: &crate::finding::GitProvenance, ctx: &Context<'_>) -> String {
    if g.locations.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = g
        .locations
        .iter()
        .take(CELL_LOCATIONS)
        .map(|l| code(&format!("{}:{}", ctx.root.relative(&l.path), l.line)))
        .collect();
    let more = g.locations.len() - shown.len() + g.locations_omitted;
    let mut s = format!(" (also {}", shown.join(", "));
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s.push(')');
    s
}

/// Write the Markdown report.
pub fn write(w: &mut dyn Write, findings: &[Finding], ctx: &Context<'_>) -> io::Result<()> {
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str("## keyward: no secrets found\n\n");
    } else {
        out.push_str(&format!(
            "## keyward: {} secret{} found\n\n",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        ));
    }
    out.push_str(&format!("Scanned: {}.", scope(ctx)));
    if !ctx.suppressed.is_empty() {
        out.push_str(&format!(
            " {} finding(s) suppressed ({}).",
            ctx.suppressed.len(),
            crate::suppress::describe_counts(ctx.suppressed)
        ));
    }
    if ctx.stats.errors > 0 {
        out.push_str(&format!(
            " {} file(s) or object(s) could not be read (see the log).",
            ctx.stats.errors
        ));
    }
    out.push_str("\n\n");
    if findings.is_empty() {
        return w.write_all(out.as_bytes());
    }

    out.push_str("| Severity | Findings |\n| --- | ---: |\n");
    for sev in SEVERITIES {
        let n = findings.iter().filter(|f| f.severity == sev).count();
        if n > 0 {
            out.push_str(&format!("| {} | {n} |\n", sev.as_str()));
        }
    }
    let mut providers: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *providers.entry(f.provider.as_str()).or_default() += 1;
    }
    let mut providers: Vec<(&str, usize)> = providers.into_iter().collect();
    providers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out.push_str("\n| Provider | Findings |\n| --- | ---: |\n");
    for (p, n) in &providers {
        out.push_str(&format!("| {} | {n} |\n", cell(p)));
    }

    // The most severe first, then by place.
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out.push_str(
        "\n### Findings\n\n| Severity | Confidence | Provider | Rule | Location | Commit | Value | Revoke |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let mut shown = 0;
    for f in &order {
        let r = row(f, ctx);
        if out.len() + r.len() > MAX_BYTES - RESERVE {
            break;
        }
        out.push_str(&r);
        shown += 1;
    }
    if shown < order.len() {
        out.push_str(&format!(
            "\n…and {} more finding(s) not shown, to keep this report under 1 MiB; run keyward with `--format json` to see all of them.\n",
            order.len() - shown
        ));
    }
    out.push_str(
        "\nRevoke every key listed, even if the commit is not merged: a pushed key may already be copied. Values are redacted.\n",
    );
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_code_spans_are_inert() {
        assert_eq!(cell("a|b\nc<d>"), "a\\|b\\\\nc\\<d\\>");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
}
