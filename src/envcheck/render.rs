//! The reports of `keyward env check`: the human table (then a line for each variable
//! that needs attention), the JSON array, and the one-line summary for standard error.
//! Renderers write to any `&mut dyn Write`; text from variables and files is escaped for
//! the terminal.
//!
//! It knows [`Checked`] results only: it must not know values, rules or where the report
//! goes.

use super::{Checked, Origin, Status};
use std::io::{self, Write};

/// The human table: one row per variable, then a note for each that needs attention.
pub fn write_human(out: &mut dyn Write, results: &[Checked]) -> io::Result<()> {
    let rows: Vec<[String; 6]> = results.iter().map(row).collect();
    let header = [
        "VARIABLE", "SOURCE", "STATUS", "LENGTH", "PREFIX", "DETECTED",
    ];
    let mut width = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    write_row(out, &width, header)?;
    for r in &rows {
        write_row(out, &width, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]])?;
    }
    let notes: Vec<&Checked> = results
        .iter()
        .filter(|c| !matches!(c.status, Status::Valid | Status::NotSet))
        .collect();
    if !notes.is_empty() {
        writeln!(out)?;
        for c in notes {
            let at = c.origin.as_ref().map_or("-".to_string(), Origin::label);
            let note = format!("{} ({at}): {}", c.name, c.message);
            writeln!(out, "{}", crate::escape::terminal(&note))?;
        }
    }
    Ok(())
}

/// The cells of `c`'s row, escaped for the terminal.
fn row(c: &Checked) -> [String; 6] {
    [
        c.name.clone(),
        c.origin.as_ref().map_or("-".to_string(), Origin::label),
        c.status.label().to_string(),
        c.length.map_or("-".to_string(), |n| n.to_string()),
        c.prefix.as_ref().map_or(String::new(), |p| format!("{p}…")),
        c.detected
            .as_ref()
            .map_or(String::new(), |d| d.name.clone()),
    ]
    .map(|cell| crate::escape::terminal(&cell))
}

/// One line of the table: cells padded to `width` (the length right-aligned), without
/// trailing blanks.
fn write_row(out: &mut dyn Write, width: &[usize; 6], cells: [&str; 6]) -> io::Result<()> {
    let mut l = String::new();
    for (k, cell) in cells.iter().enumerate() {
        let pad = width[k] - cell.chars().count();
        if k == 3 {
            l.push_str(&" ".repeat(pad));
            l.push_str(cell);
        } else {
            l.push_str(cell);
            if k + 1 < cells.len() {
                l.push_str(&" ".repeat(pad));
            }
        }
        if k + 1 < cells.len() {
            l.push_str("  ");
        }
    }
    writeln!(out, "{}", l.trim_end())
}

/// [`write_human`] into a string.
pub fn render_human(results: &[Checked]) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail, and the table is UTF-8.
    let _ = write_human(&mut out, results);
    String::from_utf8_lossy(&out).into_owned()
}

/// One object of the JSON report (fields in this order).
#[derive(Debug, serde::Serialize)]
struct JsonItem<'a> {
    variable: &'a str,
    /// `env` or `file`; null for a name no source sets.
    source: Option<&'static str>,
    file: Option<&'a str>,
    line: Option<usize>,
    status: &'static str,
    configured: bool,
    /// true or false for a configured key; null for placeholders, unknown formats and
    /// names not set.
    valid_format: Option<bool>,
    length: Option<usize>,
    prefix: Option<&'a str>,
    expected_provider: &'a str,
    detected: Option<JsonDetected<'a>>,
    message: &'a str,
}

#[derive(Debug, serde::Serialize)]
struct JsonDetected<'a> {
    rule: &'a str,
    name: &'a str,
    provider: &'a str,
}

fn json_item(c: &Checked) -> JsonItem<'_> {
    let (source, file, line) = match &c.origin {
        Some(Origin::Process) => (Some("env"), None, None),
        Some(Origin::File { path, line }) => (Some("file"), Some(path.as_str()), Some(*line)),
        None => (None, None, None),
    };
    JsonItem {
        variable: &c.name,
        source,
        file,
        line,
        status: c.status.id(),
        configured: c.status.configured(),
        valid_format: match c.status {
            Status::Valid => Some(true),
            Status::Malformed | Status::Mismatch => Some(false),
            _ => None,
        },
        length: c.length,
        prefix: c.prefix.as_deref(),
        expected_provider: &c.expected,
        detected: c.detected.as_ref().map(|d| JsonDetected {
            rule: &d.rule,
            name: &d.name,
            provider: &d.provider,
        }),
        message: &c.message,
    }
}

/// The JSON report: an array with one object per variable, pretty-printed, then a new
/// line.
pub fn write_json(out: &mut dyn Write, results: &[Checked]) -> io::Result<()> {
    let items: Vec<JsonItem<'_>> = results.iter().map(json_item).collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

/// [`write_json`] into a string.
pub fn render_json(results: &[Checked]) -> serde_json::Result<String> {
    let items: Vec<JsonItem<'_>> = results.iter().map(json_item).collect();
    let mut out = serde_json::to_string_pretty(&items)?;
    out.push('\n');
    Ok(out)
}

/// The one-line summary for standard error.
pub fn summary(results: &[Checked], unset: usize, all: bool) -> String {
    let count = |s: Status| results.iter().filter(|c| c.status == s).count();
    let checked = results
        .iter()
        .filter(|c| c.status != Status::NotSet)
        .count();
    let mut parts = Vec::new();
    for (s, one, many) in [
        (Status::Valid, "valid", "valid"),
        (Status::Malformed, "malformed", "malformed"),
        (Status::Mismatch, "mismatched", "mismatched"),
        (Status::Placeholder, "placeholder", "placeholders"),
        (
            Status::UnknownFormat,
            "of unknown format",
            "of unknown format",
        ),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    let head = if checked == 0 {
        "no known key variable is set".to_string()
    } else {
        format!(
            "{checked} {} checked: {}",
            if checked == 1 { "value" } else { "values" },
            parts.join(", ")
        )
    };
    let tail = if unset == 0 {
        String::new()
    } else if all {
        format!("; {unset} known names not set")
    } else {
        format!("; {unset} other known names not set (--all lists them)")
    };
    format!("{head}{tail}")
}
