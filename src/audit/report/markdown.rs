//! The checklist as GitHub-flavoured Markdown (the default off a terminal: a job
//! summary, an audit file): a summary table of statuses by group, then the failures
//! with their evidence and fix, then the warnings, the waived failures, the manual
//! items and, last, what passed or does not apply.
//!
//! It must not know how items were decided. Text from the repository (paths, names,
//! waiver reasons) goes through `crate::escape::markdown`; keyward's own text through
//! [`md`], except fixes, which are keyward's own Markdown.

use super::super::{Group, Item, Report, Status};
use std::io::{self, Write};

/// Markdown-safe text of keyward's own (titles, practices).
pub(super) fn md(s: &str) -> String {
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

const COLUMNS: [(Status, &str); 6] = [
    (Status::Pass, "Passed"),
    (Status::Warn, "Warned"),
    (Status::Fail, "Failed"),
    (Status::Waived, "Waived"),
    (Status::Manual, "Manual"),
    (Status::NotApplicable, "Not applicable"),
];

fn summary_table(r: &Report, out: &mut String) {
    out.push_str("| Group |");
    for (_, name) in COLUMNS {
        out.push_str(&format!(" {name} |"));
    }
    out.push_str("\n| --- |");
    for _ in COLUMNS {
        out.push_str(" ---: |");
    }
    out.push('\n');
    for group in Group::ALL {
        let items: Vec<&Item> = r.items.iter().filter(|i| i.group == group).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("| {} |", md(group.title())));
        for (status, _) in COLUMNS {
            out.push_str(&format!(
                " {} |",
                items.iter().filter(|i| i.status == status).count()
            ));
        }
        out.push('\n');
    }
    out.push_str("| **Total** |");
    for (status, _) in COLUMNS {
        out.push_str(&format!(" **{}** |", r.count(status)));
    }
    out.push('\n');
}

/// An item in full: status, id and group, the practices it enforces, the evidence, the
/// waiver and (when there is something to do) the fix.
fn item_section(i: &Item, out: &mut String) {
    out.push_str(&format!(
        "\n### {} {}\n\n`{}` · {} · **{}** · {}\n\n",
        i.status.mark(),
        md(i.title),
        i.id,
        md(i.group.title()),
        i.status.as_str(),
        if i.automated { "automated" } else { "manual" }
    ));
    for p in i.guidance {
        out.push_str(&format!("> **{}**: {}\n>\n", md(p.title), md(p.summary)));
    }
    if !i.guidance.is_empty() {
        // End the quote: the last `>` line is blank.
        out.truncate(out.len() - 2);
        out.push('\n');
    }
    if let Some(w) = &i.waiver {
        out.push_str(&format!("**Waived**: {}\n\n", crate::escape::markdown(w)));
    }
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
                out.push_str(&format!("**Fix**: {text}\n\n```text\n{snippet}\n```\n"));
            }
            None => out.push_str(&format!("**Fix**: {}\n", i.fix)),
        }
    }
}

/// The first line of an item's evidence, for a table cell.
fn first_evidence(i: &Item) -> String {
    let first = i.evidence.first().map_or("", String::as_str);
    let more = if i.evidence.len() > 1 {
        format!(" (and {} more)", i.evidence.len() - 1)
    } else {
        String::new()
    };
    format!("{}{more}", crate::escape::markdown(first))
}

pub fn write_markdown(w: &mut dyn Write, r: &Report) -> io::Result<()> {
    let (passed, applicable) = r.score();
    let mut out = format!(
        "# keyward audit: {}\n\nAs of {}, {}. {passed} of {applicable} applicable items pass; {} failed, {} warned, {} waived, {} manual.\n\n",
        crate::escape::markdown(&r.repository),
        r.date,
        if r.history {
            "history included"
        } else {
            "work tree only (add `--history` to walk every commit)"
        },
        r.count(Status::Fail),
        r.count(Status::Warn),
        r.count(Status::Waived),
        r.count(Status::Manual),
    );
    summary_table(r, &mut out);
    let sections: [(&str, &[Status], &str); 4] = [
        ("Failures", &[Status::Fail], "No automated check fails."),
        ("Warnings", &[Status::Warn], "No warning."),
        ("Waived failures", &[Status::Waived], ""),
        ("Manual items", &[Status::Manual], ""),
    ];
    for (title, statuses, none) in sections {
        let items: Vec<&Item> = r
            .items
            .iter()
            .filter(|i| statuses.contains(&i.status))
            .collect();
        if items.is_empty() && none.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {title}\n"));
        if items.is_empty() {
            out.push_str(&format!("\n{none}\n"));
        }
        if title == "Manual items" {
            out.push_str("\nNo program can see these by reading the repository: attest each in `keyward.toml` (`[[attest]]`) once it is in place.\n");
        }
        for i in items {
            item_section(i, &mut out);
        }
    }
    if !r.waivers.is_empty() {
        out.push_str("\n## Waivers\n\n| | Check | Path | Expires | Outcome | Reason |\n| --- | --- | --- | --- | --- | --- |\n");
        for wv in &r.waivers {
            out.push_str(&format!(
                "| {} | `{}` | {} | {} | {} | {} |\n",
                wv.index,
                wv.check,
                wv.path
                    .as_deref()
                    .map_or("any".to_string(), crate::escape::markdown_code),
                wv.expires.as_deref().map_or("never", |d| d),
                crate::escape::markdown(&format!("{}: {}", wv.outcome, wv.note)),
                crate::escape::markdown(&wv.reason),
            ));
        }
    }
    let rest: Vec<&Item> = r
        .items
        .iter()
        .filter(|i| matches!(i.status, Status::Pass | Status::NotApplicable))
        .collect();
    if !rest.is_empty() {
        out.push_str("\n## Passed and not applicable\n\n| | Item | Check | Evidence |\n| --- | --- | --- | --- |\n");
        for i in rest {
            out.push_str(&format!(
                "| {} | {} | `{}` | {} |\n",
                i.status.mark(),
                md(i.title),
                i.id,
                first_evidence(i)
            ));
        }
    }
    out.push_str("\n✅ pass · ❌ fail · ⚠️ warning · 🔕 waived · 📝 manual · ➖ not applicable. The practices and their sources are listed in keyward's documentation (docs/audit.md).\n");
    w.write_all(out.as_bytes())
}
