//! Container images and compose files: no key baked into an image (Dockerfile
//! `ENV`/`ARG`, `COPY`/`ADD` of key files, a whole build context with `.env` files not
//! excluded by `.dockerignore`), and compose and devcontainer files that take keys from the environment.
//!
//! It must not know which files are Dockerfiles or compose files (see `kinds`), nor
//! the other checks.

use super::evidence::{capped, findings_in};
use super::kinds::{env_file, is_compose, is_devcontainer, is_dockerfile, secret_file_kind};
use super::values::{
    false_secret_name, is_dev_default, is_dummy, is_reference, looks_like_a_name,
    secret_assignment, SECRET_NAME,
};
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use regex::Regex;
use std::sync::LazyLock;

pub const IMAGES: Check = Check {
    id: "image-no-keys",
    title: "No key baked into container images (Dockerfile ENV/ARG, COPY of key files)",
    group: Group::Production,
    guidance: &[&practices::RUNTIME_INJECTION],
    fix: "Pass keys at run time (`docker run -e KEY_NAME`, orchestrator secrets) or, at build time, with `RUN --mount=type=secret`; never ENV/ARG or COPY them; list .env and key files in .dockerignore.",
    automated: true,
};

pub const COMPOSE: Check = Check {
    id: "compose-no-literal-keys",
    title: "Compose and devcontainer files take keys from the environment, not literals",
    group: Group::Production,
    guidance: &[&practices::RUNTIME_INJECTION],
    fix: "Write `KEY_NAME: ${KEY_NAME}` (or use `env_file:` with an untracked .env, or compose `secrets:`) and revoke any key that was written in the file.",
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
    for (dockerfile, at) in &copies_context {
        warn.extend(context_warning(inv, dockerfile, at));
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
    /// The Dockerfile and `file:line` of each COPY or ADD of the whole build context.
    copies_context: Vec<(String, String)>,
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
            let file = at.rsplit_once(':').map_or(at, |(f, _)| f);
            found
                .copies_context
                .push((file.to_string(), at.to_string()));
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

/// The whole build context (taken as the Dockerfile's folder) is copied while .env
/// files are on disk in it and `.dockerignore` does not exclude them.
fn context_warning(inv: &Inventory, dockerfile: &str, at: &str) -> Option<String> {
    let folder = dockerfile.rsplit_once('/').map_or("", |(d, _)| d);
    let in_context = |f: &str| folder.is_empty() || f.starts_with(&format!("{folder}/"));
    let env_on_disk: Vec<&str> = inv
        .on_disk
        .iter()
        .map(String::as_str)
        .filter(|f| in_context(f) && env_file(f.rsplit('/').next().unwrap_or(f)) == Some(false))
        .collect();
    let ignore_file = if folder.is_empty() {
        ".dockerignore".to_string()
    } else {
        format!("{folder}/.dockerignore")
    };
    let dockerignore = inv
        .read(&ignore_file)
        .or_else(|| inv.read(".dockerignore"))
        .unwrap_or_default();
    let ignores_env = dockerignore.lines().any(|l| {
        let l = l.trim();
        matches!(
            l,
            ".env" | ".env*" | "*.env" | "**/.env" | "**/.env*" | ".env.*"
        )
    });
    (!env_on_disk.is_empty() && !ignores_env).then(|| {
        format!(
            "{at}: copies the whole build context, and .dockerignore does not exclude .env files ({} on disk: {})",
            env_on_disk.len(),
            env_on_disk.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        )
    })
}

pub fn compose_check(inv: &Inventory, files: &[&str]) -> Item {
    let compose: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| is_compose(f) || is_devcontainer(f))
        .collect();
    if compose.is_empty() {
        return Item::new(&COMPOSE, Status::NotApplicable)
            .with(["no compose or devcontainer file".to_string()]);
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
            // A devcontainer's settings are JSON: every `"NAME": "value"` counts.
            if env_indent.is_none() && !is_devcontainer(f) {
                continue;
            }
            if let Some((name, value)) = secret_assignment(line) {
                let value = value.trim_end_matches(',');
                if is_reference(value) {
                    continue;
                }
                if looks_like_a_name(value) {
                    warn.push(format!(
                        "{f}:{}: {name} holds what looks like a file or variable name, not a secret: check it by hand",
                        n + 1
                    ));
                } else if is_dev_default(value) {
                    warn.push(format!(
                        "{f}:{}: {name} has a placeholder or a local development default (such as `postgres` or `root`); keep it out of any deployed configuration",
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
    let summary = format!(
        "{} compose or devcontainer file(s): {}",
        compose.len(),
        compose.join(", ")
    );
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
