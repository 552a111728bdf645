//! Human output: findings grouped by file, each with its position, severity, rule,
//! provider, the redacted secret, its fingerprint and where to revoke the key. Colour
//! only when asked (by default only on a terminal).
//!
//! It must not know how a finding was made; it reads findings only.

use super::Style;
use crate::finding::Finding;
use crate::rules::Severity;
use std::io::{self, Write};

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.wrap(code, &format!("{:<8}", s.as_str()))
    }
}

/// Untrusted text (paths, rule fields, commit data) escaped for a terminal.
fn clean(s: &str) -> String {
    crate::escape::terminal(s)
}

pub fn write(w: &mut dyn Write, findings: &[Finding], style: Style) -> io::Result<()> {
    let p = Paint(style.color);
    let mut current: Option<&str> = None;
    for f in findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(w)?;
            }
            writeln!(w, "{}", p.wrap("1;35", &clean(&f.path)))?;
            current = Some(&f.path);
        }
        let secret = if style.show_secrets {
            f.secret.expose().to_string()
        } else {
            f.secret.redacted()
        };
        let exposed = if f.client_exposed {
            " (client-exposed name)"
        } else {
            ""
        };
        let decoded = f
            .decoded
            .map(|d| format!(" (decoded: {d})"))
            .unwrap_or_default();
        writeln!(
            w,
            "  {}  {}  {} [{}] {}{}{}",
            p.wrap("32", &format!("{}:{}", f.line, f.column)),
            p.severity(f.severity),
            clean(&f.rule_name),
            clean(&f.rule_id),
            p.wrap("1", &clean(&secret)),
            exposed,
            decoded,
        )?;
        writeln!(
            w,
            "      provider {} · {} confidence · fingerprint {} · revoke at {}",
            clean(&f.provider),
            f.confidence,
            f.fingerprint,
            clean(crate::rules::revoke_at(&f.revoke_url))
        )?;
        if let Some(a) = &f.agent {
            let mut place = clean(&a.agent);
            if let Some(server) = &a.server {
                place.push_str(&format!(", MCP server {}", clean(server)));
            }
            if !a.field.is_empty() {
                place.push_str(&format!(", {}", clean(&a.field)));
            }
            writeln!(w, "      agent {place}")?;
        }
        if let Some(g) = &f.git {
            let short = &g.commit[..g.commit.len().min(10)];
            let state = if g.in_head {
                "still in HEAD"
            } else {
                "only in history: revoke it, no code change needed"
            };
            let unreachable = match (g.reachable, g.commit.is_empty()) {
                (true, _) | (false, true) => "",
                (false, false) => " (unreachable: no ref reaches it)",
            };
            writeln!(
                w,
                "      introduced in {}{unreachable} on {} by {} <{}>: {}",
                p.wrap("33", &clean(short)),
                clean(&g.date),
                clean(&g.author),
                clean(&g.email),
                clean(&g.summary)
            )?;
            writeln!(
                w,
                "      blob {} · {} other places · {state}",
                &g.blob[..g.blob.len().min(10)],
                g.other_places
            )?;
            if !g.locations.is_empty() {
                writeln!(w, "      also at {}", elsewhere(g))?;
            }
        }
    }
    Ok(())
}

/// The other locations of a folded finding on one line: `b.env:3 in 1a2b3c4d5e, c.env:1
/// in 6f7a8b9c0d (unreachable), and 2 more paths`.
fn elsewhere(g: &crate::finding::GitProvenance) -> String {
    let mut parts: Vec<String> = g
        .locations
        .iter()
        .map(|l| {
            let mut s = format!("{}:{}", clean(&l.path), l.line);
            if !l.commit.is_empty() {
                s.push_str(&format!(" in {}", &l.commit[..l.commit.len().min(10)]));
            }
            if !l.reachable {
                s.push_str(" (unreachable)");
            }
            s
        })
        .collect();
    if g.locations_omitted > 0 {
        parts.push(format!("and {} more paths", g.locations_omitted));
    }
    parts.join(", ")
}

/// The suppressed findings (`--show-suppressed`), one line each, with the reason.
pub fn write_suppressed(
    w: &mut dyn Write,
    suppressed: &[crate::suppress::Suppressed],
    style: Style,
) -> io::Result<()> {
    if suppressed.is_empty() {
        return Ok(());
    }
    let p = Paint(style.color);
    writeln!(
        w,
        "\n{}",
        p.wrap("1", &format!("suppressed ({})", suppressed.len()))
    )?;
    for s in suppressed {
        let f = &s.finding;
        let secret = if style.show_secrets {
            f.secret.expose().to_string()
        } else {
            f.secret.redacted()
        };
        writeln!(
            w,
            "  {}:{}  {} {} · {} ({}) · fingerprint {}",
            clean(&f.path),
            f.line,
            clean(&f.rule_id),
            clean(&secret),
            s.reason.as_str(),
            clean(&s.detail),
            f.fingerprint
        )?;
    }
    Ok(())
}
