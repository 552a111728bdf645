//! CI configuration (GitHub Actions, GitLab CI, CircleCI, Azure Pipelines, Bitbucket,
//! Jenkins): keys come from the CI's secret store and never as literals, jobs do not
//! print secrets or the environment to their logs, and a workflow runs a secret scan.
//! Evidence cites file:line and names, never the line itself (it may hold a key).
//!
//! It must not know which files are CI files (the caller passes them, see `kinds`),
//! nor the other checks.

use super::evidence::{capped, findings_in};
use super::quoting::{code_mask, is_code_at, output_redirected, Syntax};
use super::values::{is_dummy, is_reference, secret_assignment};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use regex::Regex;
use std::sync::LazyLock;

pub const CI_STORE: Check = Check {
    id: "ci-secrets-from-store",
    title: "CI passes keys through its secret store, never as literals",
    group: Group::CiCd,
    guidance: &[&practices::CI_SECRET_STORE],
    fix: "Store the key in the CI's secret store (GitHub: Settings › Secrets and variables › Actions; GitLab: Settings › CI/CD › Variables, masked and protected) and reference it: `KEY_NAME: ${{ secrets.KEY_NAME }}`. Revoke any key that was written in the file.",
    automated: true,
};

pub const CI_LOGS: Check = Check {
    id: "ci-no-secrets-in-logs",
    title: "CI jobs do not print secrets or the whole environment to their logs",
    group: Group::CiCd,
    guidance: &[&practices::NO_KEYS_IN_LOGS],
    fix: "Do not echo secrets or run `env`/`printenv`/`set -x` in steps that see them; GitHub masks only exact values, not encodings or substrings.",
    automated: true,
};

pub const CI_SCAN: Check = Check {
    id: "ci-secret-scan",
    title: "A CI workflow runs a secret scan",
    group: Group::CiCd,
    guidance: &[&practices::SCAN_FOR_SECRETS],
    fix: "Add a job that runs keyward on every push and pull request (the keyward GitHub Action, or `keyward history --rev BASE..HEAD` in any CI) and uploads SARIF to code scanning.",
    automated: true,
};

pub fn ci_store_check(inv: &Inventory, ci: &[&str]) -> Item {
    if ci.is_empty() {
        return Item::new(&CI_STORE, Status::NotApplicable)
            .with(["no CI configuration found".to_string()]);
    }
    let keys = findings_in(inv, ci);
    let mut literals = Vec::new();
    let mut references = 0usize;
    for f in ci {
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            references += line.matches("secrets.").count();
            if let Some((name, value)) = secret_assignment(line) {
                if !is_reference(value) {
                    literals.push(format!(
                        "{f}:{}: {name} is given a literal value{}",
                        n + 1,
                        if is_dummy(value) {
                            " (looks like a dummy)"
                        } else {
                            ""
                        }
                    ));
                }
            }
        }
    }
    let summary = format!(
        "{} CI file(s): {}; {references} reference(s) to the secret store",
        ci.len(),
        ci.join(", ")
    );
    if !keys.is_empty() {
        Item::new(&CI_STORE, Status::Fail)
            .with([summary])
            .with(capped(keys))
            .with(capped(literals))
    } else if !literals.is_empty() {
        Item::new(&CI_STORE, Status::Warn)
            .with([summary])
            .with(capped(literals))
    } else {
        Item::new(&CI_STORE, Status::Pass).with([summary])
    }
}

pub fn ci_logs_check(inv: &Inventory, ci: &[&str]) -> Item {
    if ci.is_empty() {
        return Item::new(&CI_LOGS, Status::NotApplicable)
            .with(["no CI configuration found".to_string()]);
    }
    static PRINT_SECRET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)\b(echo|printf|cat|print)\b[^#\n]*(\$\{\{\s*secrets\.|\$\{?[A-Z0-9_]*(API_?KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*)"#)
            .expect("valid regex")
    });
    static YAML_KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)").expect("valid regex")
    });
    static DUMP_ENV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[\s;&|:-])(env|printenv|set -x|set -o xtrace)\s*(?:$|[;&|#])")
            .expect("valid regex")
    });
    let mut found = Vec::new();
    for f in ci {
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with('#') {
                continue;
            }
            // A YAML key other than a script's (`name:`, `description:`) holds words,
            // not commands.
            if let Some(c) = YAML_KEY.captures(line) {
                if !matches!(
                    &c[1],
                    "run" | "script" | "command" | "before_script" | "after_script" | "sh"
                ) {
                    continue;
                }
            }
            // Evidence names the command and the variable, never the line: a CI line
            // may hold a key.
            let mask = code_mask(line, Syntax::of("run.sh"));
            let printed = PRINT_SECRET.captures(line).filter(|c| {
                let var = c.get(2).map_or(0..0, |m| m.range());
                // The command must be a command, not a word in a string; a `${{ … }}`
                // expression is substituted before the shell runs, quoted or not.
                is_code_at(&mask, c.get(1).map_or(0, |m| m.start()))
                    && !output_redirected(line, &mask, c.get(1).map_or(0, |m| m.end()))
                    && (c[2].starts_with("${{") || var.clone().any(|i| is_code_at(&mask, i)))
                    && !line.contains(">> $GITHUB_")
                    && !line.contains(">>$GITHUB_")
                    && !line.contains("::add-mask::")
            });
            if let Some(c) = printed {
                let end = c.get(2).map_or(0, |m| m.end());
                let what = if c[2].starts_with("${{") {
                    let name: String = line[end..]
                        .chars()
                        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                        .collect();
                    format!("secrets.{name} from the secret store")
                } else {
                    format!("${}", c[2].trim_start_matches(['$', '{']))
                };
                found.push(format!(
                    "{f}:{}: `{}` prints {what}",
                    n + 1,
                    c[1].to_ascii_lowercase()
                ));
            } else if let Some(c) = DUMP_ENV.captures(line) {
                found.push(format!(
                    "{f}:{}: `{}` dumps the environment or traces commands",
                    n + 1,
                    &c[1]
                ));
            }
        }
    }
    if found.is_empty() {
        Item::new(&CI_LOGS, Status::Pass).with([format!("{} CI file(s) read", ci.len())])
    } else {
        Item::new(&CI_LOGS, Status::Warn).with(capped(found))
    }
}

/// Secret scanners whose presence in a hook or workflow counts as a scan.
const SCANNERS: [&str; 11] = [
    "keyward",
    "gitleaks",
    "trufflehog",
    "detect-secrets",
    "ggshield",
    "secret-detection",
    "secret_detection",
    "kingfisher",
    "betterleaks",
    "talisman",
    "git-secrets",
];

pub fn mentions_scanner(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    SCANNERS.iter().copied().find(|s| lower.contains(s))
}

pub fn ci_scan_check(inv: &Inventory, ci: &[&str]) -> Item {
    for f in ci {
        if let Some(text) = inv.read(f) {
            if let Some(s) = mentions_scanner(&text) {
                let line = text
                    .lines()
                    .position(|l| l.to_ascii_lowercase().contains(s))
                    .map_or(0, |n| n + 1);
                return Item::new(&CI_SCAN, Status::Pass).with([format!("{f}:{line}: runs {s}")]);
            }
        }
    }
    let why = if ci.is_empty() {
        "no CI configuration found".to_string()
    } else {
        format!("no secret scanner in {}", ci.join(", "))
    };
    Item::new(&CI_SCAN, Status::Warn).with([why])
}
