//! `keyward agent-hook --agent claude|cursor|gemini|codex`: a coding agent's hook. It
//! reads the agent's payload on standard input, scans the prompt, the shell command or
//! the text a file write would add, and blocks (in the agent's own convention) when it
//! carries a key; anything else passes with no output.
//!
//! It must not know the agents' payload shapes or answers: `agenthook` does.

use crate::agenthook::{self, payload, Agent};
use crate::exit::CLEAN as EXIT_CLEAN;
use crate::finding::{Finding, Root};
use crate::pipeline::scan_blob;
use crate::scan::Matcher;
use crate::session::{Session, Sources};
use crate::source::ScanSummary;
use anyhow::Result;
use std::io::{Read, Write};
use std::path::PathBuf;

/// The largest payload read (a file write carries the whole file).
const MAX_PAYLOAD: u64 = 16 << 20;

/// What `keyward agent-hook` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub agent: Agent,
}

fn emit(answer: &agenthook::Answer) -> Result<i32> {
    if !answer.stdout.is_empty() {
        let mut out = std::io::stdout().lock();
        out.write_all(answer.stdout.as_bytes())?;
        out.flush()?;
    }
    if !answer.stderr.is_empty() {
        eprint!("{}", answer.stderr);
    }
    Ok(answer.exit)
}

/// What the person (and the agent) is told: which secrets, what to do instead, and how
/// to let a false positive through.
fn reason(kind: payload::Kind, name: &str, findings: &[Finding]) -> String {
    let list: Vec<String> = findings
        .iter()
        .take(5)
        .map(|f| {
            format!(
                "{} {} (line {}, fingerprint {})",
                f.rule_name,
                f.secret.redacted(),
                f.line,
                f.fingerprint
            )
        })
        .collect();
    let fix = match kind {
        payload::Kind::Prompt => {
            "Take the key out of the prompt (name the environment variable that holds it instead); \
             if it was pasted anywhere else, revoke it."
                .to_string()
        }
        payload::Kind::Command => {
            "Read the key from an environment variable (\"$API_KEY\") or a secrets manager \
             instead of writing it on the command line."
                .to_string()
        }
        payload::Kind::Write => format!(
            "Write a reference to an environment variable or a secrets manager into {} instead of the key.",
            crate::escape::terminal(name)
        ),
    };
    format!(
        "keyward: blocked this {}: it carries {} secret{}: {}. {fix} A false positive: add `keyward:allow` on its line, or its fingerprint to .keywardignore.",
        kind.noun(),
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        list.join("; ")
    )
}

pub fn run(args: &Options) -> Result<i32> {
    let mut bytes = Vec::new();
    std::io::stdin().take(MAX_PAYLOAD).read_to_end(&mut bytes)?;
    let request = match payload::read(args.agent, &bytes) {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(EXIT_CLEAN),
        Err(why) => return emit(&agenthook::malformed(args.agent, &why)),
    };
    if request.texts.iter().all(|t| t.trim().is_empty()) {
        return Ok(EXIT_CLEAN);
    }
    // The project's configuration (allowlists, .keywardignore) applies, as for `staged`.
    let root = request
        .cwd
        .as_deref()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut session = match Session::load(&Sources::default(), &root) {
        Ok(s) => s,
        Err(_) => Session::load(
            &Sources {
                no_config: true,
                ..Sources::default()
            },
            &root,
        )?,
    };
    let mut matcher = Matcher::new(&session.rules);
    let mut summary = ScanSummary::default();
    let mut findings = Vec::new();
    for text in &request.texts {
        let outcome = scan_blob(&mut matcher, &request.name, text.as_bytes());
        findings.extend(outcome.findings);
        summary.inline.extend(outcome.inline);
    }
    drop(matcher);
    let (mut findings, _suppressed) = session.finish(findings, &mut summary, &Root::AsIs);
    findings.retain(|f| f.confidence >= super::staged::HOOK_MIN_CONFIDENCE);
    if findings.is_empty() {
        return Ok(EXIT_CLEAN);
    }
    let reason = reason(request.kind, &request.name, &findings);
    emit(&agenthook::answer(args.agent, request.kind, &reason))
}
