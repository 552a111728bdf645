//! Files: what the repository tracks, what is on disk, what git ignores (by git's own
//! rules, read with gix), the mode bits of secret files, and the keys the scanner finds
//! in the work tree and, with `--history`, in every commit.

use super::{guide, AuditOptions, Check, Group, Inventory, Item, Status};
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::source::{git, history, worktree};
use anyhow::{bail, Context as _, Result};
use gix::bstr::ByteSlice;
use std::collections::BTreeMap;
use std::path::Path;

pub const ENV_IGNORED: Check = Check {
    id: "env-files-ignored",
    title: ".env files are ignored by git, wherever they could appear",
    group: Group::Development,
    guidance: &[
        guide("002", "Environment Setup › Development Environment (verify .gitignore)"),
        guide("001", "Environment Variable Security › .env File Management"),
        guide("000", "Checklist de Sécurité › Configuration Initiale"),
        guide("004", "Security Checklist › Development"),
    ],
    fix: "Add these lines to the .gitignore at the root of the repository (patterns without a slash apply in every folder):\n.env\n.env.*\n!.env.example\n!.env.sample\n!.env.template",
    automated: true,
};

pub const SECRET_FILES_UNTRACKED: Check = Check {
    id: "secret-files-untracked",
    title: "No secret-bearing file is tracked (.env, key files, credential files, state files)",
    group: Group::Development,
    guidance: &[
        guide("002", "Security Best Practices › DON'T commit keys"),
        guide("004", "NEVER DO THIS (.api_keys.json) and Security Checklist › Development"),
        guide("001", "Environment Variable Best Practices (1. never commit .env files)"),
    ],
    fix: "Remove the file from the index (`git rm --cached FILE`), add it to .gitignore, and revoke every key it held: it is in the history and in every clone.",
    automated: true,
};

pub const SECRET_FILES_HISTORY: Check = Check {
    id: "secret-files-history",
    title: "No secret-bearing file was ever committed",
    group: Group::Development,
    guidance: &[
        guide("002", "Production Environment (NEVER store API keys in git history)"),
        guide("002", "Compliance Checklist (no secrets in git history)"),
    ],
    fix: "Revoke every key the file held; then, if the repository is shared, rewrite history (git filter-repo) and ask everyone to re-clone. Rewriting without revoking does not help: the keys are already copied.",
    automated: true,
};

pub const PERMISSIONS: Check = Check {
    id: "secret-file-permissions",
    title: "Secret files on disk are readable by their owner only (mode 600)",
    group: Group::Development,
    guidance: &[
        guide(
            "001",
            "Environment Variable Best Practices (3. set file permissions to 600)",
        ),
        guide(
            "004",
            "Security Checklist › Development (chmod 600 on local key files)",
        ),
    ],
    fix: "chmod 600 each file listed (and 700 on folders that hold only keys).",
    automated: true,
};

pub const NO_KEYS_WORKTREE: Check = Check {
    id: "no-keys-in-worktree",
    title: "No key in the files git would commit",
    group: Group::Development,
    guidance: &[
        guide("001", "Pre-Deployment Security Checklist (no hardcoded credentials)"),
        guide("002", "Security Best Practices › DO (1. use environment variables)"),
        guide("004", "Option 1: Environment Variables"),
    ],
    fix: "Revoke each key listed, move it to the environment (an untracked .env at mode 600, the CI's secret store or a secrets manager) and read it from there.",
    automated: true,
};

pub const NO_KEYS_HISTORY: Check = Check {
    id: "no-keys-in-history",
    title: "No key anywhere in the git history",
    group: Group::Development,
    guidance: &[
        guide("002", "Compliance Checklist (no secrets in git history)"),
        guide("002", "Emergency Procedures (6. review git history for committed secrets)"),
    ],
    fix: "Revoke every key listed (they are in every clone); `keyward history` shows each with the commit that introduced it.",
    automated: true,
};

pub const TEMPLATES: Check = Check {
    id: "templates-placeholders-only",
    title: "Templates (.env.example and the like) hold placeholders only",
    group: Group::Development,
    guidance: &[guide(
        "002",
        "Environment Setup › Development Environment (copy from the template)",
    )],
    fix: "Replace each value in the template with a placeholder (`OPENAI_API_KEY=your-openai-key-here`) and revoke the key that was there.",
    automated: true,
};

/// Ignored folders with these names are still looked into: they hold keys, not builds.
const KEY_FOLDERS: [&str; 9] = [
    "secrets",
    "secret",
    "keys",
    "certs",
    "credentials",
    "private",
    ".ssh",
    ".aws",
    ".docker",
];

/// Names of env files that are templates, safe to commit.
const TEMPLATE_WORDS: [&str; 6] = ["example", "sample", "template", "dist", "defaults", "tmpl"];

/// Is `name` (a file name) a dotenv file, and is it a template?
pub fn env_file(name: &str) -> Option<bool> {
    let lower = name.to_ascii_lowercase();
    let is_env = lower == ".env"
        || lower.starts_with(".env.")
        || (lower.ends_with(".env") && lower.len() > 4);
    if !is_env {
        return None;
    }
    let template = lower
        .split(['.', '-', '_'])
        .any(|w| TEMPLATE_WORDS.contains(&w));
    Some(template)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// What kind of secret-bearing file `rel` is, if any. `content` is asked for only when
/// the name alone cannot tell (a `.pem` may be a certificate, an `.npmrc` may hold no
/// token).
pub fn secret_file_kind(
    rel: &str,
    content: impl FnOnce() -> Option<Vec<u8>>,
) -> Option<&'static str> {
    let name = file_name(rel);
    let lower = name.to_ascii_lowercase();
    if let Some(template) = env_file(name) {
        return (!template).then_some("dotenv file");
    }
    let by_name = match lower.as_str() {
        ".api_keys.json" | "api_keys.json" => Some("file-based key store"),
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            Some("SSH private key")
        }
        ".git-credentials" => Some("git credential store"),
        ".netrc" | "_netrc" => Some("netrc credentials"),
        ".vault-token" => Some("Vault token"),
        ".dockercfg" => Some("Docker registry credentials"),
        "terraform.tfstate" | "terraform.tfstate.backup" => Some("Terraform state"),
        "credentials" if rel.contains(".aws/") => Some("AWS credentials file"),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "p12" | "pfx" | "jks" | "keystore" | "ppk" => return Some("key store"),
        "tfstate" => return Some("Terraform state"),
        _ => {}
    }
    let needs_content = matches!(ext, "pem" | "key" | "json")
        || matches!(lower.as_str(), ".npmrc" | ".pypirc")
        || rel.ends_with(".docker/config.json");
    if !needs_content {
        return None;
    }
    let bytes = content()?;
    let text = String::from_utf8_lossy(&bytes);
    match (ext, lower.as_str()) {
        ("pem" | "key", _) => text.contains("PRIVATE KEY").then_some("private key"),
        (_, ".npmrc") => text
            .lines()
            .any(|l| {
                let l = l.trim();
                !l.starts_with(['#', ';'])
                    && (l.contains("_authToken=")
                        || l.contains("_auth=")
                        || l.contains("_password="))
                    && !l.contains("${")
            })
            .then_some("npm registry token"),
        (_, ".pypirc") => text
            .lines()
            .any(|l| {
                let l = l.trim_start();
                l.starts_with("password") && l.contains(['=', ':']) && !l.contains("${")
            })
            .then_some("PyPI credentials"),
        ("json", _) => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("\"type\":\"service_account\"")
                && compact.contains("\"private_key\"")
            {
                Some("cloud service-account key")
            } else if rel.ends_with(".docker/config.json") && compact.contains("\"auth\":\"") {
                Some("Docker registry credentials")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Gather what the checks look at.
pub fn inventory(rules: &RuleSet, opts: &AuditOptions) -> Result<Inventory> {
    let repo = gix::discover(&opts.repo).with_context(|| {
        format!(
            "{}: not in a git repository; the audit checks a repository (run `git init`, or give its path)",
            opts.repo.display()
        )
    })?;
    let Some(root) = repo.workdir().map(Path::to_path_buf) else {
        bail!(
            "{}: a bare repository has no work tree to audit; audit a clone of it",
            opts.repo.display()
        );
    };
    let index = repo
        .index_or_empty()
        .with_context(|| format!("cannot read the index of {}", root.display()))?;
    let tracked: Vec<String> = index
        .entries()
        .iter()
        .filter(|e| !e.mode.is_submodule() && !e.mode.is_sparse())
        .map(|e| e.path(&index).to_str_lossy().into_owned())
        .collect();

    // Files on disk, ignored ones included (an ignored .env is what the permission check
    // is about), but not inside ignored folders (dependencies, build output, vendored
    // checkouts) unless the folder's name says it holds keys.
    let mut on_disk = Vec::new();
    let mut excludes = repo
        .excludes(
            &index,
            None,
            gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
        )
        .context("cannot read the repository's ignore rules")?;
    let mut dirs = vec![String::new()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if name == ".git" {
                    continue;
                }
                let keys = KEY_FOLDERS.contains(&name.to_ascii_lowercase().as_str());
                let ignored = excludes
                    .at_entry(rel.as_str(), Some(gix::index::entry::Mode::DIR))
                    .is_ok_and(|p| p.is_excluded());
                if keys || !ignored {
                    dirs.push(rel);
                }
            } else if kind.is_file() {
                on_disk.push(rel);
            }
        }
    }
    on_disk.sort_unstable();

    let wopts = worktree::WalkOptions {
        no_ignore: false,
        follow: false,
        max_file_size: opts.max_file_size,
        threads: opts.threads,
    };
    let (mut findings, _) = worktree::scan_paths(rules, std::slice::from_ref(&root), &wopts);
    for f in &mut findings {
        let rel = Path::new(&f.path)
            .strip_prefix(&root)
            .map(|p| {
                // `\` separates folders only on Windows; elsewhere it is part of a name.
                let p = p.to_string_lossy();
                if cfg!(windows) {
                    p.replace('\\', "/")
                } else {
                    p.into_owned()
                }
            })
            .unwrap_or_else(|_| f.path.clone());
        f.path = rel;
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let history_findings = if opts.history {
        let hopts = history::HistoryOptions {
            repo: root.clone(),
            selection: history::Selection::All,
            since: None,
            all_objects: false,
            threads: opts.threads,
            max_file_size: opts.max_file_size,
            progress: false,
            recurse_submodules: false,
        };
        let (found, summary) = history::scan_history(rules, &hopts)?;
        if summary.incomplete() && !opts.allow_partial {
            let what = if summary.unreadable.is_empty() {
                summary.scan.errors.first().cloned().unwrap_or_default()
            } else {
                summary.unreadable.describe()
            };
            bail!(
                "--history: the history of {} could not be read whole (could not read {what}); \
                 repair the repository (`git fsck` names the damage), or accept a partial \
                 history scan with --allow-partial",
                root.display()
            );
        }
        Some(found)
    } else {
        None
    };
    Ok(Inventory {
        root,
        tracked,
        on_disk,
        findings,
        history_findings,
    })
}

/// One finding as evidence: place, rule, redacted value (and commit for history).
pub fn finding_evidence(f: &Finding) -> String {
    let mut s = format!(
        "{}:{} {} ({}) {}",
        f.path,
        f.line,
        f.rule_id,
        f.provider,
        f.secret.redacted()
    );
    if let Some(g) = &f.git {
        s.push_str(&format!(
            ", committed in {} on {}{}",
            &g.commit[..g.commit.len().min(12)],
            g.date.get(..10).unwrap_or(&g.date),
            if g.in_head { ", still at HEAD" } else { "" }
        ));
    }
    s
}

/// At most this many evidence lines per item; the rest are counted.
pub const MAX_EVIDENCE: usize = 25;

/// Cap `lines`, ending with a count of what was left out.
pub fn capped(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > MAX_EVIDENCE {
        let more = lines.len() - MAX_EVIDENCE;
        lines.truncate(MAX_EVIDENCE);
        lines.push(format!("… and {more} more"));
    }
    lines
}

/// The file checks.
pub fn checks(inv: &Inventory, opts: &AuditOptions) -> Result<Vec<Item>> {
    let repo = gix::discover(&inv.root)
        .with_context(|| format!("cannot open the repository at {}", inv.root.display()))?;
    let mut items = vec![ignore_check(&repo, inv)?];
    items.push(untracked_check(inv));
    items.push(if opts.history {
        history_files_check(inv)?
    } else {
        Item::new(&SECRET_FILES_HISTORY, Status::NotApplicable)
            .with(["not checked: run `keyward audit --history` to walk every commit".to_string()])
    });
    items.push(permissions_check(inv));
    items.push(keys_check(&NO_KEYS_WORKTREE, &inv.findings, |_| true));
    items.push(match &inv.history_findings {
        Some(found) => keys_check(&NO_KEYS_HISTORY, found, |_| true),
        None => Item::new(&NO_KEYS_HISTORY, Status::NotApplicable)
            .with(["not checked: run `keyward audit --history` to scan every commit".to_string()]),
    });
    items.push(templates_check(inv));
    Ok(items)
}

fn keys_check(check: &Check, findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Item {
    let found: Vec<String> = findings
        .iter()
        .filter(|f| keep(f))
        .map(finding_evidence)
        .collect();
    if found.is_empty() {
        Item::new(check, Status::Pass).with(["the scanner found no key".to_string()])
    } else {
        let n = found.len();
        Item::new(check, Status::Fail)
            .with([format!("{n} key(s) found:")])
            .with(capped(found))
    }
}

/// Where an ignore rule came from, and whether every clone has it.
fn describe_match(repo: &gix::Repository, m: &gix::ignore::search::Match<'_>) -> (String, bool) {
    let root = repo.workdir().unwrap_or(repo.git_dir());
    let (source, shared) = match m.source {
        Some(p) => match p.strip_prefix(root) {
            Ok(rel) if !rel.starts_with(".git") => (rel.display().to_string(), true),
            Ok(rel) => (rel.display().to_string(), false),
            Err(_) => (p.display().to_string(), false),
        },
        None => ("(built in)".to_string(), false),
    };
    (
        format!("{source}:{} `{}`", m.sequence_number, m.pattern),
        shared,
    )
}

fn ignore_check(repo: &gix::Repository, inv: &Inventory) -> Result<Item> {
    let index = repo.index_or_empty()?;
    let mut stack = repo
        .excludes(
            &index,
            None,
            gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
        )
        .context("cannot read the repository's ignore rules")?;
    // Folders where a .env could appear: the root and every folder with a tracked file.
    let mut dirs: Vec<String> = vec![String::new()];
    for t in &inv.tracked {
        if let Some((d, _)) = t.rsplit_once('/') {
            dirs.push(d.to_string());
        }
    }
    dirs.sort_unstable();
    dirs.dedup();
    let mut candidates: Vec<String> = Vec::new();
    for d in &dirs {
        let names: &[&str] = if d.is_empty() {
            &[
                ".env",
                ".env.local",
                ".env.development",
                ".env.production",
                ".env.test",
            ]
        } else {
            &[".env", ".env.local"]
        };
        for n in names {
            candidates.push(if d.is_empty() {
                (*n).to_string()
            } else {
                format!("{d}/{n}")
            });
        }
    }
    // And every env file actually on disk.
    for f in &inv.on_disk {
        if env_file(file_name(f)) == Some(false) {
            candidates.push(f.clone());
        }
    }
    candidates.sort_unstable();
    candidates.dedup();

    let mut not_ignored: Vec<(String, String)> = Vec::new();
    let mut local_only: Vec<String> = Vec::new();
    let mut rules_seen: BTreeMap<String, usize> = BTreeMap::new();
    for c in &candidates {
        let platform = stack
            .at_entry(c.as_str(), Some(gix::index::entry::Mode::FILE))
            .with_context(|| format!("cannot check whether {c} is ignored"))?;
        let m = platform.matching_exclude_pattern();
        let excluded = platform.is_excluded();
        match m {
            Some(m) if excluded => {
                let (rule, shared) = describe_match(repo, &m);
                if shared {
                    *rules_seen.entry(rule).or_default() += 1;
                } else {
                    local_only.push(format!("{c}: ignored only on this machine, by {rule}"));
                }
            }
            Some(m) => {
                let (rule, _) = describe_match(repo, &m);
                not_ignored.push((c.clone(), format!("re-included by {rule}")));
            }
            None => not_ignored.push((c.clone(), "no rule matches".to_string())),
        }
    }
    // Templates should stay committable.
    let mut templates_ignored = Vec::new();
    for f in inv.all_files() {
        if env_file(file_name(f)) == Some(true) && !inv.tracked.iter().any(|t| t == f) {
            let platform = stack.at_entry(f, Some(gix::index::entry::Mode::FILE))?;
            if platform.is_excluded() {
                let rule = platform
                    .matching_exclude_pattern()
                    .map(|m| describe_match(repo, &m).0)
                    .unwrap_or_default();
                templates_ignored.push(format!(
                    "{f}: a template, but ignored by {rule}; add `!{}` so it can be committed",
                    file_name(f)
                ));
            }
        }
    }
    let tracked_env: Vec<String> = inv
        .tracked
        .iter()
        .filter(|t| env_file(file_name(t)) == Some(false))
        .map(|t| format!("{t}: tracked (see secret-files-untracked)"))
        .collect();

    let rules_line = |rules_seen: &BTreeMap<String, usize>| -> Vec<String> {
        rules_seen
            .iter()
            .map(|(r, n)| format!("ignored by {r} ({n} path(s) checked)"))
            .collect()
    };
    let checked = format!(
        "checked {} path(s): .env variants in the root and in {} folder(s), and every env file on disk",
        candidates.len(),
        dirs.len().saturating_sub(1)
    );
    let not_ignored = summarize_paths(&not_ignored);
    let item = if !not_ignored.is_empty() || !tracked_env.is_empty() {
        Item::new(&ENV_IGNORED, Status::Fail)
            .with([checked])
            .with(not_ignored)
            .with(tracked_env)
            .with(local_only)
            .with(templates_ignored)
    } else if !local_only.is_empty() || !templates_ignored.is_empty() {
        Item::new(&ENV_IGNORED, Status::Warn)
            .with([checked])
            .with(capped(local_only))
            .with(templates_ignored)
            .with(rules_line(&rules_seen))
    } else {
        Item::new(&ENV_IGNORED, Status::Pass)
            .with([checked])
            .with(rules_line(&rules_seen))
    };
    Ok(item)
}

/// `(path, why)` pairs as evidence: one line per reason, with the paths in the root
/// named and those in folders counted per file name.
fn summarize_paths(paths: &[(String, String)]) -> Vec<String> {
    /// Paths in the root, and folders per file name.
    type Places<'a> = (Vec<&'a str>, BTreeMap<&'a str, Vec<&'a str>>);
    let mut by_why: BTreeMap<&str, Places<'_>> = BTreeMap::new();
    for (path, why) in paths {
        let entry = by_why.entry(why.as_str()).or_default();
        match path.rsplit_once('/') {
            None => entry.0.push(path),
            Some((dir, name)) => entry.1.entry(name).or_default().push(dir),
        }
    }
    let mut out = Vec::new();
    for (why, (top, nested)) in by_why {
        if !top.is_empty() {
            out.push(format!("not ignored ({why}): {}", top.join(", ")));
        }
        for (name, dirs) in nested {
            let shown: Vec<&str> = dirs.iter().take(6).copied().collect();
            let more = if dirs.len() > shown.len() {
                format!(" and {} more", dirs.len() - shown.len())
            } else {
                String::new()
            };
            out.push(format!(
                "not ignored ({why}): {name} in {} folder(s): {}{more}",
                dirs.len(),
                shown.join(", ")
            ));
        }
    }
    out
}

fn untracked_check(inv: &Inventory) -> Item {
    let found: Vec<String> = inv
        .tracked
        .iter()
        .filter_map(|t| {
            secret_file_kind(t, || read_small(inv, t)).map(|kind| format!("{t}: {kind}, tracked"))
        })
        .collect();
    if found.is_empty() {
        Item::new(&SECRET_FILES_UNTRACKED, Status::Pass).with([format!(
            "{} tracked file(s) checked by name (and content for .pem, .key, .json, .npmrc, .pypirc)",
            inv.tracked.len()
        )])
    } else {
        Item::new(&SECRET_FILES_UNTRACKED, Status::Fail).with(capped(found))
    }
}

/// A file of the work tree, if it is small, regular and inside the repository.
fn read_small(inv: &Inventory, rel: &str) -> Option<Vec<u8>> {
    crate::repofile::read_repository_file_capped(
        &inv.root,
        &inv.root.join(rel),
        super::MAX_CONFIG_FILE,
    )
    .ok()
}

fn history_files_check(inv: &Inventory) -> Result<Item> {
    let repo = git::open(&inv.root)?;
    let tips = git::tips(&repo)?;
    let (commits, _) = git::commits(&repo, &tips.commits, &[])?;
    let mut walker = git::TreeWalker::default();
    let mut buf = Vec::new();
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for c in &commits {
        let Ok(tree) = git::tree_of(&repo, c.id, &mut buf) else {
            continue;
        };
        let mut sightings = Vec::new();
        walker.walk(&repo, tree, |b| sightings.push(b));
        for b in sightings {
            let path = git::display_path(&b.path);
            if first.contains_key(&path) {
                continue;
            }
            let kind = secret_file_kind(&path, || {
                repo.find_object(b.id)
                    .ok()
                    .filter(|o| o.data.len() as u64 <= super::MAX_CONFIG_FILE)
                    .map(|o| o.data.clone())
            });
            if let Some(kind) = kind {
                let date = super::days_to_date(c.time.div_euclid(86_400));
                first.insert(
                    path.clone(),
                    format!(
                        "{path}: {kind}, first committed in {} on {date}",
                        &c.id.to_string()[..12]
                    ),
                );
            }
        }
    }
    let n = commits.len();
    Ok(if first.is_empty() {
        Item::new(&SECRET_FILES_HISTORY, Status::Pass).with([format!(
            "{n} commit(s) on every ref walked; no secret file found"
        )])
    } else {
        Item::new(&SECRET_FILES_HISTORY, Status::Fail)
            .with([format!("{n} commit(s) on every ref walked")])
            .with(capped(first.into_values().collect()))
    })
}

fn permissions_check(inv: &Inventory) -> Item {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut loose = Vec::new();
        let mut fine = 0usize;
        for f in &inv.on_disk {
            let path = inv.root.join(f);
            if secret_file_kind(f, || read_small(inv, f)).is_none() {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
                    (true, true) => "its group and everyone else",
                    (true, false) => "its group",
                    _ => "everyone else",
                };
                loose.push(format!(
                    "{f}: mode {mode:03o}, {who} can access it (chmod 600 {f})"
                ));
            } else {
                fine += 1;
            }
        }
        if loose.is_empty() && fine == 0 {
            Item::new(&PERMISSIONS, Status::NotApplicable)
                .with(["no secret file on disk".to_string()])
        } else if loose.is_empty() {
            Item::new(&PERMISSIONS, Status::Pass).with([format!(
                "{fine} secret file(s) on disk, all mode 600 or stricter"
            )])
        } else {
            Item::new(&PERMISSIONS, Status::Fail).with(capped(loose))
        }
    }
    #[cfg(not(unix))]
    {
        let _ = inv;
        Item::new(&PERMISSIONS, Status::NotApplicable).with([
            "this platform has no Unix mode bits; restrict the files with its ACLs".to_string(),
        ])
    }
}

fn templates_check(inv: &Inventory) -> Item {
    let templates: Vec<&str> = inv
        .all_files()
        .into_iter()
        .filter(|f| env_file(file_name(f)) == Some(true))
        .collect();
    if templates.is_empty() {
        return Item::new(&TEMPLATES, Status::NotApplicable)
            .with(["no .env template in the repository".to_string()]);
    }
    let item = keys_check(&TEMPLATES, &inv.findings, |f| {
        templates.contains(&f.path.as_str())
    });
    if item.status == Status::Pass {
        Item::new(&TEMPLATES, Status::Pass).with([format!(
            "{} template(s) hold placeholders only: {}",
            templates.len(),
            templates.join(", ")
        )])
    } else {
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_and_templates() {
        assert_eq!(env_file(".env"), Some(false));
        assert_eq!(env_file(".env.production"), Some(false));
        assert_eq!(env_file("prod.env"), Some(false));
        assert_eq!(env_file(".env.example"), Some(true));
        assert_eq!(env_file(".env.production.sample"), Some(true));
        assert_eq!(env_file("example.env"), Some(true));
        assert_eq!(env_file(".envrc"), None);
        assert_eq!(env_file("environment.ts"), None);
        assert_eq!(env_file(".env"), Some(false));
    }

    #[test]
    fn secret_files() {
        let none = || None;
        assert_eq!(secret_file_kind("a/.env", none), Some("dotenv file"));
        assert_eq!(secret_file_kind(".env.example", none), None);
        assert_eq!(
            secret_file_kind("keys/id_ed25519", none),
            Some("SSH private key")
        );
        assert_eq!(secret_file_kind("keys/id_ed25519.pub", none), None);
        assert_eq!(
            secret_file_kind("infra/terraform.tfstate", none),
            Some("Terraform state")
        );
        assert_eq!(
            secret_file_kind("home/.aws/credentials", none),
            Some("AWS credentials file")
        );
        assert_eq!(
            secret_file_kind("tls/server.pem", || Some(
                b"-----BEGIN CERTIFICATE-----".to_vec()
            )),
            None
        );
        let key = format!("-----BEGIN {} KEY-----", "PRIVATE");
        assert_eq!(
            secret_file_kind("tls/server.key", || Some(key.into_bytes())),
            Some("private key")
        );
        assert_eq!(
            secret_file_kind(".npmrc", || Some(
                b"//registry.npmjs.org/:_authToken=${NPM_TOKEN}".to_vec()
            )),
            None
        );
        assert_eq!(
            secret_file_kind(".npmrc", || Some(
                b"//registry.npmjs.org/:_authToken=abc".to_vec()
            )),
            Some("npm registry token")
        );
        assert_eq!(
            secret_file_kind("gcp/sa.json", || Some(
                b"{ \"type\": \"service_account\", \"private_key\": \"x\" }".to_vec()
            )),
            Some("cloud service-account key")
        );
        assert_eq!(
            secret_file_kind("package.json", || Some(b"{}".to_vec())),
            None
        );
    }
}
