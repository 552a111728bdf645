//! Reports of many repositories as one: each repository's report is written as usual,
//! then tagged with the repository's name ([`tag`]: a `repository` field in each JSON
//! object, `properties.repository` in each SARIF run, a prefix on each line of text)
//! and the reports are joined ([`join`]: one JSON array, JSON Lines one after another,
//! one SARIF log with one run per repository, each keeping its
//! `versionControlProvenance`). `keyward report merge` joins the files shards wrote
//! ([`detect`] tells their format; mixed formats are refused).
//!
//! It must not know how a finding was made or how one repository's report is written:
//! it works on written reports.

use super::Format;
use serde_json::{Map, Value};
use std::fmt;

/// Why reports cannot be merged.
#[derive(Debug)]
pub struct MergeError(pub String);

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MergeError {}

fn err(msg: impl Into<String>) -> MergeError {
    MergeError(msg.into())
}

/// The format of a written report: a SARIF log, a JSON array, or JSON Lines (an empty
/// file is JSON Lines: no findings). Anything else is `None`.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Some(Format::Jsonl);
    }
    if trimmed.starts_with('[') {
        return serde_json::from_str::<Vec<Value>>(text)
            .ok()
            .map(|_| Format::Json);
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if v.get("runs").is_some_and(Value::is_array) && v.get("version").is_some() {
            return Some(Format::Sarif);
        }
    }
    let all_objects = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .all(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v.is_object()));
    all_objects.then_some(Format::Jsonl)
}

/// The report `bytes` (written in `format`) with every finding naming `repository`.
pub fn tag(format: Format, bytes: &[u8], repository: &str) -> Result<Vec<u8>, MergeError> {
    let name = Value::String(repository.to_string());
    let mut out = Vec::with_capacity(bytes.len() + 64);
    match format {
        Format::Json => {
            let mut items: Vec<Value> = parse(bytes)?;
            for item in &mut items {
                insert(item, "repository", name.clone());
            }
            write_pretty(&mut out, &Value::Array(items));
        }
        Format::Jsonl => {
            for line in lines(bytes)? {
                let mut item: Value = parse(line.as_bytes())?;
                insert(&mut item, "repository", name.clone());
                write_line(&mut out, &item);
            }
        }
        Format::Sarif => {
            let mut log: Value = parse(bytes)?;
            for run in log["runs"].as_array_mut().into_iter().flatten() {
                let props = run.as_object_mut().map(|r| {
                    r.entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()))
                });
                if let Some(p) = props {
                    insert(p, "repository", name.clone());
                }
            }
            write_pretty(&mut out, &log);
        }
        Format::Human => {
            let shown = crate::escape::terminal(repository);
            for line in String::from_utf8_lossy(bytes).lines() {
                if line.is_empty() {
                    out.push(b'\n');
                } else {
                    out.extend_from_slice(format!("{shown}: {line}\n").as_bytes());
                }
            }
        }
        Format::Markdown => {
            let shown = crate::escape::terminal(repository).replace(['`', '\n'], " ");
            out.extend_from_slice(format!("## `{shown}`\n\n").as_bytes());
            out.extend_from_slice(bytes);
        }
    }
    Ok(out)
}

/// Join reports written in `format` into one (SARIF: one log holding every run).
pub fn join(format: Format, reports: &[Vec<u8>]) -> Result<Vec<u8>, MergeError> {
    let mut out = Vec::new();
    match format {
        Format::Json => {
            let mut all = Vec::new();
            for r in reports {
                all.extend(parse::<Vec<Value>>(r)?);
            }
            write_pretty(&mut out, &Value::Array(all));
        }
        Format::Jsonl => {
            for r in reports {
                for line in lines(r)? {
                    write_line(&mut out, &parse::<Value>(line.as_bytes())?);
                }
            }
        }
        Format::Sarif => {
            let mut first: Option<Value> = None;
            let mut runs = Vec::new();
            for r in reports {
                let mut log: Value = parse(r)?;
                let Some(rs) = log.get_mut("runs").and_then(Value::as_array_mut) else {
                    return Err(err("a SARIF log without runs"));
                };
                runs.append(rs);
                first.get_or_insert(log);
            }
            let mut log = first.unwrap_or_else(empty_sarif);
            log["runs"] = Value::Array(runs);
            write_pretty(&mut out, &log);
        }
        Format::Human | Format::Markdown => {
            for r in reports {
                out.extend_from_slice(r);
            }
        }
    }
    Ok(out)
}

/// A SARIF log with no run (no repository was scanned).
fn empty_sarif() -> Value {
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": []
    })
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, MergeError> {
    serde_json::from_slice(bytes).map_err(|e| err(format!("not valid JSON ({e})")))
}

fn lines(bytes: &[u8]) -> Result<Vec<&str>, MergeError> {
    let text = std::str::from_utf8(bytes).map_err(|_| err("not UTF-8 text"))?;
    Ok(text.lines().filter(|l| !l.trim().is_empty()).collect())
}

fn insert(item: &mut Value, key: &str, value: Value) {
    if let Some(obj) = item.as_object_mut() {
        obj.insert(key.to_string(), value);
    }
}

fn write_pretty(out: &mut Vec<u8>, v: &Value) {
    if serde_json::to_writer_pretty(&mut *out, v).is_ok() {
        out.push(b'\n');
    }
}

fn write_line(out: &mut Vec<u8>, v: &Value) {
    if serde_json::to_writer(&mut *out, v).is_ok() {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(detect(b""), Some(Format::Jsonl));
        assert_eq!(detect(b"{\"a\":1}\n{\"b\":2}\n"), Some(Format::Jsonl));
        assert_eq!(detect(b"[{\"a\":1}]"), Some(Format::Json));
        assert_eq!(
            detect(b"{\"version\":\"2.1.0\",\"runs\":[]}"),
            Some(Format::Sarif)
        );
        assert_eq!(detect(b"plain text\n"), None);
    }

    #[test]
    fn sarif_runs_are_joined_and_tagged() {
        let a = tag(
            Format::Sarif,
            br#"{"version":"2.1.0","runs":[{"x":1}]}"#,
            "a",
        )
        .unwrap();
        let b = tag(
            Format::Sarif,
            br#"{"version":"2.1.0","runs":[{"x":2}]}"#,
            "b",
        )
        .unwrap();
        let joined: Value = serde_json::from_slice(&join(Format::Sarif, &[a, b]).unwrap()).unwrap();
        let runs = joined["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[1]["properties"]["repository"], "b");
    }

    #[test]
    fn json_lines_name_their_repository() {
        let t = tag(Format::Jsonl, b"{\"rule\":\"r\"}\n", "svc/a").unwrap();
        let v: Value = serde_json::from_slice(&t).unwrap();
        assert_eq!(v["repository"], "svc/a");
    }
}
