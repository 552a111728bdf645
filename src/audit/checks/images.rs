//! Container images and compose files: no key baked into an image (Dockerfile
//! `ENV`/`ARG`, `COPY`/`ADD` of key files, a whole build context with `.env` files not
//! excluded by `.dockerignore`), and compose files that take keys from the environment.
//!
//! It must not know which files are Dockerfiles or compose files (see `kinds`), nor
//! the other checks.

use super::evidence::{capped, findings_in};
use super::kinds::{env_file, is_compose, is_dockerfile, secret_file_kind};
use super::values::{false_secret_name, is_dummy, is_reference, secret_assignment, SECRET_NAME};
use crate::audit::{guide, Check, Group, Inventory, Item, Status};
use regex::Regex;
use std::sync::LazyLock;

pub const IMAGES: Check = Check {
    id: "image-no-keys",
    title: "No key baked into container images (Dockerfile ENV/ARG, COPY of key files)",
    group: Group::Production,
    guidance: &[guide(
        "002",
        "Production Environment (NEVER store API keys in Docker images)",
    )],
    fix: "Pass keys at run time (`docker run -e OPENAI_API_KEY`, orchestrator secrets) or, at build time, with `RUN --mount=type=secret`; never ENV/ARG or COPY them; list .env and key files in .dockerignore.",
    automated: true,
};

pub const COMPOSE: Check = Check {
    id: "compose-no-literal-keys",
    title: "docker-compose files take keys from the environment, not literals",
    group: Group::Production,
    guidance: &[
        guide("004", "Option 1: Environment Variables › Docker"),
        guide("002", "Production Environment (NEVER store API keys in source code)"),
    ],
    fix: "Write `OPENAI_API_KEY: ${OPENAI_API_KEY}` (or use `env_file:` with an untracked .env, or compose `secrets:`) and revoke any key that was written in the file.",
    automated: true,
};

pub fn image_check(inv: &Inventory, files: &[&str]) -> Item {
    let dockerfiles: Vec<&str> = files.iter().copied().filter(|f| is_dockerfile(f)).collect();
    if dockerfiles.is_empty() {
        return Item::new(&IMAGES, Status::NotApplicable).with(["no Dockerfile".to_string()]);
    }
    static INSTR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(ENV|ARG|COPY|ADD)\s+(.*)$").expect("valid regex"));
    let mut found = Found {
        fail: findings_in(inv, &dockerfiles),
        ..Found::default()
    };
    for f in &dockerfiles {
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            let Some(c) = INSTR.captures(line) else {
                continue;
            };
            let instr = c[1].to_ascii_uppercase();
            let args = c[2].trim();
            let at = format!("{f}:{}", n + 1);
            match instr.as_str() {
                "ENV" | "ARG" => env_or_arg(&instr, args, &at, &mut found),
                _ => copy_or_add(&instr, args, &at, &mut found),
            }
        }
    }
    let Found {
        fail,
        mut warn,
        copies_context,
    } = found;
    if !copies_context.is_empty() {
        warn.extend(context_warning(inv, &copies_context));
    }
    let summary = format!(
        "{} Dockerfile(s): {}",
        dockerfiles.len(),
        dockerfiles.join(", ")
    );
    if !fail.is_empty() {
        Item::new(&IMAGES, Status::Fail)
            .with([summary])
            .with(capped(fail))
            .with(capped(warn))
    } else if !warn.is_empty() {
        Item::new(&IMAGES, Status::Warn)
            .with([summary])
            .with(capped(warn))
    } else {
        Item::new(&IMAGES, Status::Pass).with([summary])
    }
}

/// What the Dockerfiles' instructions showed.
#[derive(Default)]
struct Found {
    fail: Vec<String>,
    warn: Vec<String>,
    /// `file:line` of each COPY or ADD of the whole build context.
    copies_context: Vec<String>,
}

/// `ENV` or `ARG` with a secret-like name: a literal value fails (or warns if it looks
/// like a dummy); a build argument warns (it is recorded in the image history).
fn env_or_arg(instr: &str, args: &str, at: &str, found: &mut Found) {
    // `ENV A=1 B=2`, `ENV A 1`, `ARG A[=default]`.
    let pairs: Vec<(String, Option<String>)> = if args.contains('=') {
        args.split_whitespace()
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (p.to_string(), None),
            })
            .collect()
    } else {
        let mut it = args.splitn(2, char::is_whitespace);
        let k = it.next().unwrap_or_default().to_string();
        (vec![(k, it.next().map(str::to_string))])
            .into_iter()
            .collect()
    };
    for (name, value) in pairs {
        if !SECRET_NAME.is_match(&name) || false_secret_name(&name) {
            continue;
        }
        match value.filter(|v| !is_reference(v)) {
            Some(v) if instr == "ENV" && !is_dummy(&v) => {
                found.fail.push(format!("{at}: ENV {name} sets a literal secret in the image"))
            }
            Some(_) if instr == "ENV" => found.warn.push(format!("{at}: ENV {name} has a literal (dummy-looking) value baked into the image")),
            _ if instr == "ARG" => found.warn.push(format!("{at}: ARG {name}: build arguments are recorded in the image history; use RUN --mount=type=secret")),
            _ => {}
        }
    }
}

/// `COPY` or `ADD`: of a secret file fails; of the whole build context is noted.
fn copy_or_add(instr: &str, args: &str, at: &str, found: &mut Found) {
    let parts: Vec<&str> = args
        .split_whitespace()
        .filter(|p| !p.starts_with("--"))
        .collect();
    let sources = parts.split_last().map(|(_, s)| s).unwrap_or(&[]);
    for s in sources {
        let s = s.trim_matches(['"', '[', ']', ',']);
        if s == "." || s == "./" {
            found.copies_context.push(at.to_string());
        } else if secret_file_kind(s, || None).is_some()
            || s.ends_with(".pem")
            || s.ends_with(".key")
        {
            found.fail.push(format!(
                "{at}: {instr} {s} copies a secret file into the image"
            ));
        }
    }
}

/// The whole build context is copied while .env files are on disk and `.dockerignore`
/// does not exclude them.
fn context_warning(inv: &Inventory, copies_context: &[String]) -> Option<String> {
    let env_on_disk: Vec<&str> = inv
        .on_disk
        .iter()
        .map(String::as_str)
        .filter(|f| env_file(f.rsplit('/').next().unwrap_or(f)) == Some(false))
        .collect();
    let dockerignore = inv.read(".dockerignore").unwrap_or_default();
    let ignores_env = dockerignore.lines().any(|l| {
        let l = l.trim();
        matches!(
            l,
            ".env" | ".env*" | "*.env" | "**/.env" | "**/.env*" | ".env.*"
        )
    });
    (!env_on_disk.is_empty() && !ignores_env).then(|| {
        format!(
            "{}: copies the whole build context, and .dockerignore does not exclude .env files ({} on disk: {})",
            copies_context.join(", "),
            env_on_disk.len(),
            env_on_disk.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        )
    })
}

pub fn compose_check(inv: &Inventory, files: &[&str]) -> Item {
    let compose: Vec<&str> = files.iter().copied().filter(|f| is_compose(f)).collect();
    if compose.is_empty() {
        return Item::new(&COMPOSE, Status::NotApplicable)
            .with(["no docker-compose file".to_string()]);
    }
    let mut fail = findings_in(inv, &compose);
    let mut warn = Vec::new();
    for f in &compose {
        let Some(text) = inv.read(f) else { continue };
        let mut env_indent: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if let Some(i) = env_indent {
                if indent <= i {
                    env_indent = None;
                }
            }
            if t == "environment:" {
                env_indent = Some(indent);
                continue;
            }
            if env_indent.is_none() {
                continue;
            }
            if let Some((name, value)) = secret_assignment(line) {
                if is_reference(value) {
                    continue;
                }
                if is_dummy(value) {
                    warn.push(format!(
                        "{f}:{}: {name} has a literal (dummy-looking) value",
                        n + 1
                    ));
                } else {
                    fail.push(format!(
                        "{f}:{}: {name} is a literal secret in environment:",
                        n + 1
                    ));
                }
            }
        }
    }
    let summary = format!("{} compose file(s): {}", compose.len(), compose.join(", "));
    if !fail.is_empty() {
        Item::new(&COMPOSE, Status::Fail)
            .with([summary])
            .with(capped(fail))
            .with(capped(warn))
    } else if !warn.is_empty() {
        Item::new(&COMPOSE, Status::Warn)
            .with([summary])
            .with(capped(warn))
    } else {
        Item::new(&COMPOSE, Status::Pass).with([summary])
    }
}
