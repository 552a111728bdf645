//! The checklist as text for a terminal, Markdown (a job summary or an audit file),
//! JSON, and SARIF (failed and warned automated checks as results).
//!
//! It must not know how items were decided (the checks), nor the command line: the
//! caller picks the writer.

mod markdown;

pub use markdown::write_markdown;

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
        "Score: {passed} / {applicable} applicable items pass · {} failed · {} warnings · {} waived · {} manual · {} not applicable",
        r.count(Status::Fail),
        r.count(Status::Warn),
        r.count(Status::Waived),
        r.count(Status::Manual),
        r.count(Status::NotApplicable)
    )
}

/// What became of each waiver, one line each.
fn waiver_lines(r: &Report) -> Vec<String> {
    r.waivers
        .iter()
        .map(|w| {
            format!(
                "[[waive]] {} ({}{}): {}: {}{}",
                w.index,
                w.check,
                w.path
                    .as_ref()
                    .map_or(String::new(), |p| format!(", path {p}")),
                w.outcome,
                w.note,
                if w.outcome == "applied" {
                    format!(" (reason: {})", w.reason)
                } else {
                    String::new()
                }
            )
        })
        .collect()
}

fn guidance_line(item: &Item) -> String {
    item.guidance
        .iter()
        .map(|p| format!("{}: {}", p.title, p.summary))
        .collect::<Vec<_>>()
        .join("; ")
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
                    Status::Waived => "WAIVED",
                    Status::Manual => "MANUAL",
                    Status::NotApplicable => "N/A",
                },
                i.title,
                i.id
            )?;
            if let Some(waiver) = &i.waiver {
                writeln!(w, "         waived: {}", crate::escape::terminal(waiver))?;
            }
            if i.status != Status::Pass && i.status != Status::NotApplicable {
                for p in i.guidance {
                    writeln!(w, "         practice: {}: {}", p.title, p.summary)?;
                }
                for e in &i.evidence {
                    writeln!(w, "         - {}", crate::escape::terminal(e))?;
                }
                if matches!(i.status, Status::Fail | Status::Warn)
                    || (i.status == Status::Manual && i.evidence.len() <= 1)
                {
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
    if !r.waivers.is_empty() {
        writeln!(w, "\nWaivers")?;
        for line in waiver_lines(r) {
            writeln!(w, "  {}", crate::escape::terminal(&line))?;
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
            "waived": r.count(Status::Waived),
            "warn": r.count(Status::Warn),
            "manual": r.count(Status::Manual),
            "not-applicable": r.count(Status::NotApplicable),
        },
        "items": r.items,
        "waivers": r.waivers,
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
            "markdown": format!("**{}**\n\nGuidance: {}\n\n**Fix:** {}", markdown::md(i.title), markdown::md(&guidance_line(i)), markdown::md(&i.fix)),
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
        if let Some(h) = line_hashes_of(&bytes, |l| l == line, 1).remove(&line) {
            fingerprints.insert("primaryLocationLineHash".into(), json!(h));
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some(l) = text.lines().nth(line.saturating_sub(1)) {
            end_column = l.encode_utf16().count().max(1) + 1;
        }
    }
    fingerprints.insert("keywardAuditCheck/v1".into(), json!(i.id));
    let evidence: Vec<&str> = i.evidence.iter().take(5).map(String::as_str).collect();
    let mut result = json!({
        "ruleId": format!("audit/{}", i.id),
        "ruleIndex": index,
        "level": if i.status == Status::Warn { "warning" } else { "error" },
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
    });
    if let Some(waiver) = &i.waiver {
        // A waived failure is a suppressed result, with the waiver as justification.
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": waiver,
        }]);
    }
    result
}

pub fn write_sarif(w: &mut dyn Write, r: &Report, root: &Path) -> io::Result<()> {
    let flagged: Vec<&Item> = r
        .items
        .iter()
        .filter(|i| i.automated && matches!(i.status, Status::Fail | Status::Warn | Status::Waived))
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
            "properties": { "date": r.date, "scorePassed": passed, "scoreApplicable": applicable, "history": r.history, "waived": r.count(Status::Waived), "waivers": r.waivers },
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}
