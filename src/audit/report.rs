//! The checklist as text for a terminal, Markdown (a job summary or an audit file),
//! JSON, and SARIF (failed and warned automated checks as results).
//!
//! It must not know how items were decided (the checks), nor the command line: the
//! caller picks the writer.

use super::{Group, Item, Report, Status};
use crate::finding::line_hash::line_hashes_of;
use crate::report::sarif::uri_path;
use serde_json::json;
use std::io::{self, Write};
use std::path::Path;

/// How the audit is written. A plain enum: the command line maps its own choice of
/// format onto it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    /// Plain text for a terminal.
    Human,
    /// A Markdown checklist.
    Markdown,
    /// One JSON object.
    Json,
    /// SARIF 2.1.0: failed and warned automated checks as results.
    Sarif,
}

fn score_line(r: &Report) -> String {
    let (passed, applicable) = r.score();
    format!(
        "Score: {passed} / {applicable} applicable items pass · {} failed · {} warnings · {} manual · {} not applicable",
        r.count(Status::Fail),
        r.count(Status::Warn),
        r.count(Status::Manual),
        r.count(Status::NotApplicable)
    )
}

fn guidance_line(item: &Item) -> String {
    item.guidance
        .iter()
        .map(|g| format!("guide {} › {}", g.guide, g.section))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Markdown-safe text of keyward's own (titles, guidance, fixes); untrusted text goes
/// through [`crate::escape::markdown`].
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn write_markdown(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    let mut out = format!(
        "# keyward audit: {}\n\nAs of {}{}. {}.\n",
        crate::escape::markdown(&r.repository),
        r.date,
        if r.history {
            ", history included"
        } else {
            ", work tree only (add --history to walk every commit)"
        },
        score_line(r)
    );
    out.push_str("\n✅ pass · ❌ fail · ⚠️ warning · 📝 manual (attest in keyward.toml) · ➖ not applicable\n");
    for group in Group::ALL {
        let items: Vec<&Item> = r.items.iter().filter(|i| i.group == group).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {}\n\n| | Item | Check |\n| --- | --- | --- |\n",
            group.title()
        ));
        for i in &items {
            out.push_str(&format!(
                "| {} | {} | `{}` |\n",
                i.status.mark(),
                md(i.title),
                i.id
            ));
        }
        for i in &items {
            out.push_str(&format!(
                "\n### {} {}\n\n`{}` · **{}** · {}\n\n",
                i.status.mark(),
                md(i.title),
                i.id,
                i.status.as_str(),
                if i.automated { "automated" } else { "manual" }
            ));
            out.push_str(&format!("Guidance: {}\n\n", md(&guidance_line(i))));
            if !i.evidence.is_empty() {
                out.push_str("Evidence:\n\n");
                for e in &i.evidence {
                    // Evidence holds paths and names from the repository.
                    out.push_str(&format!("- {}\n", crate::escape::markdown(e)));
                }
                out.push('\n');
            }
            if matches!(i.status, Status::Fail | Status::Warn | Status::Manual) {
                // Fixes are keyward's own Markdown; lines after the first are a snippet.
                match i.fix.split_once('\n') {
                    Some((text, snippet)) => {
                        out.push_str(&format!("Fix: {text}\n\n```\n{snippet}\n```\n"));
                    }
                    None => out.push_str(&format!("Fix: {}\n", i.fix)),
                }
            }
        }
    }
    w.write_all(out.as_bytes())
}

pub fn write_human(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(
        w,
        "keyward audit of {} as of {}{}",
        crate::escape::terminal(&r.repository),
        r.date,
        if r.history { " (history included)" } else { "" }
    )?;
    for group in Group::ALL {
        let items: Vec<&Item> = r.items.iter().filter(|i| i.group == group).collect();
        if items.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", group.title())?;
        for i in items {
            writeln!(
                w,
                "  {:<6} {}  [{}]",
                match i.status {
                    Status::Pass => "PASS",
                    Status::Fail => "FAIL",
                    Status::Warn => "WARN",
                    Status::Manual => "MANUAL",
                    Status::NotApplicable => "N/A",
                },
                i.title,
                i.id
            )?;
            if i.status != Status::Pass && i.status != Status::NotApplicable {
                for e in &i.evidence {
                    writeln!(w, "         - {}", crate::escape::terminal(e))?;
                }
                if i.status != Status::Manual || i.evidence.len() <= 1 {
                    for (n, line) in i.fix.lines().enumerate() {
                        writeln!(
                            w,
                            "         {} {line}",
                            if n == 0 { "fix:" } else { "    " }
                        )?;
                    }
                }
            }
        }
    }
    writeln!(w, "\n{}", score_line(r))
}

pub fn write_json(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    let (passed, applicable) = r.score();
    let value = json!({
        "repository": r.repository,
        "date": r.date,
        "history": r.history,
        "score": { "passed": passed, "applicable": applicable },
        "counts": {
            "pass": r.count(Status::Pass),
            "fail": r.count(Status::Fail),
            "warn": r.count(Status::Warn),
            "manual": r.count(Status::Manual),
            "not-applicable": r.count(Status::NotApplicable),
        },
        "items": r.items,
    });
    serde_json::to_writer_pretty(&mut *w, &value)?;
    writeln!(w)
}

/// The file an item's result points at: the first `path:line` of its evidence that
/// exists, or the file the fix is about.
fn anchor(item: &Item, root: &Path) -> (String, usize) {
    for e in &item.evidence {
        let head = e
            .split([' ', ','])
            .next()
            .unwrap_or_default()
            .trim_end_matches(':');
        let (path, line) = match head.rsplit_once(':') {
            Some((p, l)) if l.chars().all(|c| c.is_ascii_digit()) && !l.is_empty() => {
                (p, l.parse().unwrap_or(1))
            }
            _ => (head, 1),
        };
        if !path.is_empty() && root.join(path).is_file() {
            return (path.to_string(), line);
        }
    }
    let default = match item.id {
        "env-files-ignored" => ".gitignore",
        "pre-commit-secret-scan" => ".pre-commit-config.yaml",
        "rotation-schedule" => super::checks::rotation::RECORD_FILE,
        "ci-secret-scan" => ".github/workflows",
        _ => "keyward.toml",
    };
    (default.to_string(), 1)
}

/// The SARIF rule of an automated item.
fn sarif_rule(i: &Item) -> serde_json::Value {
    json!({
        "id": format!("audit/{}", i.id),
        "name": i.id.split('-').map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        }).collect::<String>(),
        "shortDescription": { "text": i.title },
        "fullDescription": { "text": format!("{} (keyward audit; {}).", i.title, guidance_line(i)) },
        "help": {
            "text": format!("{}\n\nGuidance: {}\n\nFix: {}", i.title, guidance_line(i), i.fix),
            "markdown": format!("**{}**\n\nGuidance: {}\n\n**Fix:** {}", md(i.title), md(&guidance_line(i)), md(i.fix)),
        },
        "helpUri": "https://github.com/keyward/keyward/blob/main/docs/audit.md#automated-checks",
        "defaultConfiguration": { "level": "error" },
        "properties": {
            "tags": ["security", "secret", "external/cwe/cwe-798"],
            "security-severity": "7.0",
            "precision": "high",
        },
    })
}

/// The SARIF result of a failed or warned item; `index` is its rule's.
fn sarif_result(i: &Item, index: usize, root: &Path) -> serde_json::Value {
    let (path, line) = anchor(i, root);
    let mut fingerprints = serde_json::Map::new();
    // The whole line the item is about (or one column of a file not there yet).
    let mut end_column = 2;
    if let Ok(bytes) = crate::repofile::read_repository_file_capped(
        root,
        &root.join(&path),
        super::MAX_CONFIG_FILE,
    ) {
        if let Some(h) = line_hashes_of(&bytes, |l| l == line).remove(&line) {
            fingerprints.insert("primaryLocationLineHash".into(), json!(h));
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some(l) = text.lines().nth(line.saturating_sub(1)) {
            end_column = l.encode_utf16().count().max(1) + 1;
        }
    }
    fingerprints.insert("keywardAuditCheck/v1".into(), json!(i.id));
    let evidence: Vec<&str> = i.evidence.iter().take(5).map(String::as_str).collect();
    json!({
        "ruleId": format!("audit/{}", i.id),
        "ruleIndex": index,
        "level": if i.status == Status::Fail { "error" } else { "warning" },
        "message": { "text": format!("{}: {}. {}", i.status.as_str(), i.title, evidence.join("; ")) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": line.max(1),
                    "startColumn": 1,
                    "endLine": line.max(1),
                    "endColumn": end_column,
                }
            }
        }],
        "partialFingerprints": fingerprints,
        "properties": { "status": i.status.as_str(), "evidence": i.evidence },
    })
}

pub fn write_sarif(w: &mut dyn Write, r: &Report, root: &Path) -> io::Result<()> {
    let flagged: Vec<&Item> = r
        .items
        .iter()
        .filter(|i| i.automated && matches!(i.status, Status::Fail | Status::Warn))
        .collect();
    let automated: Vec<&Item> = r.items.iter().filter(|i| i.automated).collect();
    let rules: Vec<serde_json::Value> = automated.iter().map(|i| sarif_rule(i)).collect();
    let results: Vec<serde_json::Value> = flagged
        .iter()
        .map(|i| {
            let index = automated.iter().position(|a| a.id == i.id).unwrap_or(0);
            sarif_result(i, index, root)
        })
        .collect();
    let (passed, applicable) = r.score();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "keyward",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/keyward/keyward",
                "rules": rules,
            }},
            "automationDetails": { "id": "keyward/audit/" },
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The root of the audited repository." } } },
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": { "date": r.date, "scorePassed": passed, "scoreApplicable": applicable, "history": r.history },
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}
