//! Content checks: CI configuration, images and deployments, code that logs keys, file
//! key stores, and whether a secret scan runs before commits and in CI. Each check reads
//! only the files it is about, line by line, and cites file:line as evidence.

use super::files::{capped, env_file, finding_evidence, secret_file_kind};
use super::{guide, Check, Group, Inventory, Item, Status};
use crate::scan::filters::is_placeholder;
use regex::Regex;
use std::sync::LazyLock;

pub const CI_STORE: Check = Check {
    id: "ci-secrets-from-store",
    title: "CI passes keys through its secret store, never as literals",
    group: Group::CiCd,
    guidance: &[
        guide("002", "CI/CD Secrets Configuration › GitHub Actions"),
        guide("002", "Compliance Checklist (CI/CD secrets properly configured)"),
    ],
    fix: "Store the key in the CI's secret store (GitHub: Settings › Secrets and variables › Actions; GitLab: Settings › CI/CD › Variables, masked and protected) and reference it: `OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}`. Revoke any key that was written in the file.",
    automated: true,
};

pub const CI_LOGS: Check = Check {
    id: "ci-no-secrets-in-logs",
    title: "CI jobs do not print secrets or the whole environment to their logs",
    group: Group::CiCd,
    guidance: &[guide(
        "002",
        "Production Environment (NEVER store API keys in CI/CD logs)",
    )],
    fix: "Do not echo secrets or run `env`/`printenv`/`set -x` in steps that see them; GitHub masks only exact values, not encodings or substrings.",
    automated: true,
};

pub const CI_SCAN: Check = Check {
    id: "ci-secret-scan",
    title: "A CI workflow runs a secret scan",
    group: Group::CiCd,
    guidance: &[
        guide("002", "Compliance Checklist (no secrets in git history; regular security audits)"),
        guide("002", "Regular Security Tasks › Monthly (run security audit script)"),
    ],
    fix: "Add a job that runs keyward on every push and pull request (the keyward GitHub Action, or `keyward history --rev BASE..HEAD` in any CI) and uploads SARIF to code scanning.",
    automated: true,
};

pub const PRECOMMIT: Check = Check {
    id: "pre-commit-secret-scan",
    title: "A pre-commit secret scan is configured for every clone",
    group: Group::Development,
    guidance: &[
        guide("002", "Security Best Practices › DON'T (1. commit keys, ever, even temporarily)"),
        guide("001", "Security Principles › Defense in Depth"),
    ],
    fix: "Add keyward to .pre-commit-config.yaml (`- repo: https://github.com/keyward/keyward` with hook `keyward`), or run `keyward hook install` in each clone.",
    automated: true,
};

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

pub const KUBERNETES: Check = Check {
    id: "k8s-no-secret-values",
    title: "No committed Kubernetes Secret holds real values",
    group: Group::Production,
    guidance: &[
        guide("002", "CI/CD Secrets Configuration › Kubernetes Secrets"),
        guide("004", "Production (MUST use Vault/AWS/GCP Secret Manager)"),
    ],
    fix: "Commit a SealedSecret or an ExternalSecret (or create the Secret from the CI's secret store at deploy time) instead of a Secret with data; revoke the keys that were committed (base64 is not encryption).",
    automated: true,
};

pub const LOGGING: Check = Check {
    id: "no-key-logging",
    title: "Code does not print or log key variables",
    group: Group::Development,
    guidance: &[
        guide("002", "Security Best Practices › DON'T (3. log keys)"),
        guide("000", "Checklist de Sécurité › Monitoring (logs sécurisés, pas de clés en clair)"),
    ],
    fix: "Log whether a key is set, or its provider prefix and length, never the value (`logger.info(\"OpenAI key configured: %s\", bool(key))`).",
    automated: true,
};

pub const FILE_STORE: Check = Check {
    id: "no-file-key-store",
    title: "No file-based key store (.api_keys.json) in the repository",
    group: Group::Production,
    guidance: &[guide(
        "004",
        "NEVER DO THIS (.api_keys.json) and Security Checklist › Production (never use file-based keys)",
    )],
    fix: "Load keys from the environment in development and from a secrets manager (Vault, AWS Secrets Manager, GCP Secret Manager, Azure Key Vault) in production; delete the file and revoke its keys.",
    automated: true,
};

/// Names that hold secrets (`OPENAI_API_KEY`, `db_password`, `slackToken`).
static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(api[_-]?key|apikey|token|secret|passw(or)?d|credentials?|private[_-]?key|access[_-]?key)")
        .expect("valid regex")
});

/// Names that merely look like it.
fn false_secret_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.contains("token_url")
        || l.contains("secret_name")
        || l.contains("secretname")
        || l.ends_with("_file")
        || l.ends_with("_path")
        || l.ends_with("_id")
        || l == "id-token"
        || l.contains("max_tokens")
        || l.contains("tokenizer")
}

/// A value that refers to a secret kept elsewhere, or no value at all.
fn is_reference(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    v.is_empty()
        || v.starts_with('$')
        || v.contains("${{")
        || v.contains("{{")
        || v.starts_with("secret:")
        || v.starts_with("vault:")
        || v.starts_with("arn:aws:secretsmanager")
        || v.starts_with("projects/") && v.contains("/secrets/")
        || matches!(
            v,
            "read" | "write" | "none" | "true" | "false" | "null" | "~" | "|" | ">" | "|-" | ">-"
        )
}

fn is_dummy(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    is_placeholder(v.as_bytes())
        || v.len() < 6
        || [
            "test",
            "dummy",
            "fake",
            "example",
            "changeme",
            "placeholder",
            "xxx",
            "redacted",
        ]
        .iter()
        .any(|w| v.to_ascii_lowercase().contains(w))
}

/// `NAME: value`, `NAME=value`, `- NAME=value` on a line, with the name secret-like.
fn secret_assignment(line: &str) -> Option<(&str, &str)> {
    static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^\s*(?:-\s+)?(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*(.*?)\s*(?:\s#.*)?$"#)
            .expect("valid regex")
    });
    let c = ASSIGN.captures(line)?;
    let name = c.get(1)?.as_str();
    let value = c.get(2)?.as_str();
    (SECRET_NAME.is_match(name) && !false_secret_name(name)).then_some((name, value))
}

fn is_ci_file(f: &str) -> bool {
    (f.starts_with(".github/workflows/") && (f.ends_with(".yml") || f.ends_with(".yaml")))
        || f == ".gitlab-ci.yml"
        || f.ends_with("/.gitlab-ci.yml")
        || f == ".circleci/config.yml"
        || f == "azure-pipelines.yml"
        || f == "bitbucket-pipelines.yml"
        || f == "Jenkinsfile"
}

fn is_dockerfile(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f);
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
}

fn is_compose(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f).to_ascii_lowercase();
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

fn is_yaml(f: &str) -> bool {
    f.ends_with(".yml") || f.ends_with(".yaml")
}

const CODE_EXTENSIONS: [&str; 16] = [
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rb", "java", "kt", "rs", "php", "cs",
    "sh", "swift",
];

fn is_code(f: &str) -> bool {
    f.rsplit_once('.')
        .is_some_and(|(_, e)| CODE_EXTENSIONS.contains(&e))
}

/// Files the repository has (tracked), or on disk when nothing is tracked yet.
fn repo_files(inv: &Inventory) -> Vec<&str> {
    if inv.tracked.is_empty() {
        inv.on_disk.iter().map(String::as_str).collect()
    } else {
        inv.tracked.iter().map(String::as_str).collect()
    }
}

/// Every check of this module.
pub fn checks(inv: &Inventory) -> Vec<Item> {
    let files = repo_files(inv);
    let ci: Vec<&str> = files.iter().copied().filter(|f| is_ci_file(f)).collect();
    vec![
        precommit_check(inv, &files),
        logging_check(inv, &files),
        ci_store_check(inv, &ci),
        ci_logs_check(inv, &ci),
        ci_scan_check(inv, &ci),
        image_check(inv, &files),
        compose_check(inv, &files),
        k8s_check(inv, &files),
        file_store_check(inv, &files),
    ]
}

/// Scanner findings in `files`, as evidence.
fn findings_in(inv: &Inventory, files: &[&str]) -> Vec<String> {
    inv.findings
        .iter()
        .filter(|f| files.contains(&f.path.as_str()))
        .map(finding_evidence)
        .collect()
}

fn ci_store_check(inv: &Inventory, ci: &[&str]) -> Item {
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

fn ci_logs_check(inv: &Inventory, ci: &[&str]) -> Item {
    if ci.is_empty() {
        return Item::new(&CI_LOGS, Status::NotApplicable)
            .with(["no CI configuration found".to_string()]);
    }
    static PRINT_SECRET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)\b(echo|printf|cat|print)\b[^#\n]*(\$\{\{\s*secrets\.|\$\{?[A-Z0-9_]*(API_?KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*)"#)
            .expect("valid regex")
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
            // Evidence names the command and the variable, never the line: a CI line
            // may hold a key.
            let printed = PRINT_SECRET.captures(line).filter(|_| {
                !line.contains(">> $GITHUB_")
                    && !line.contains(">>$GITHUB_")
                    && !line.contains("::add-mask::")
            });
            if let Some(c) = printed {
                let what = if c[2].starts_with("${{") {
                    "a value from the secret store".to_string()
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

fn mentions_scanner(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    SCANNERS.iter().copied().find(|s| lower.contains(s))
}

fn ci_scan_check(inv: &Inventory, ci: &[&str]) -> Item {
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

fn precommit_check(inv: &Inventory, files: &[&str]) -> Item {
    let shared = [
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        ".husky/pre-commit",
        "lefthook.yml",
        ".lefthook.yml",
    ];
    for f in shared {
        if let Some(text) = inv.read(f) {
            if let Some(s) = mentions_scanner(&text) {
                return Item::new(&PRECOMMIT, Status::Pass)
                    .with([format!("{f}: runs {s} before each commit")]);
            }
        }
    }
    let _ = files;
    // A hook in this clone only.
    let hooks_dir = gix::discover(&inv.root).ok().map(|r| {
        r.config_snapshot()
            .trusted_path("core.hooksPath")
            .ok()
            .flatten()
            .map(|p| inv.root.join(p))
            .unwrap_or_else(|| r.common_dir().join("hooks"))
    });
    if let Some(dir) = hooks_dir {
        let hook = dir.join("pre-commit");
        if let Ok(text) = std::fs::read_to_string(&hook) {
            let runs = mentions_scanner(&text).or_else(|| {
                (text.contains("pre-commit")
                    && inv
                        .read(".pre-commit-config.yaml")
                        .is_some_and(|c| mentions_scanner(&c).is_some()))
                .then_some("pre-commit")
            });
            if let Some(s) = runs {
                return Item::new(&PRECOMMIT, Status::Warn).with([format!(
                    "{}: runs {s}, but only in this clone; commit a .pre-commit-config.yaml so every clone has it",
                    hook.strip_prefix(&inv.root).unwrap_or(&hook).display()
                )]);
            }
        }
    }
    Item::new(&PRECOMMIT, Status::Warn).with([
        "no pre-commit secret scan in .pre-commit-config.yaml, .husky, lefthook or the git hooks"
            .to_string(),
    ])
}

fn image_check(inv: &Inventory, files: &[&str]) -> Item {
    let dockerfiles: Vec<&str> = files.iter().copied().filter(|f| is_dockerfile(f)).collect();
    if dockerfiles.is_empty() {
        return Item::new(&IMAGES, Status::NotApplicable).with(["no Dockerfile".to_string()]);
    }
    static INSTR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(ENV|ARG|COPY|ADD)\s+(.*)$").expect("valid regex"));
    let mut fail = findings_in(inv, &dockerfiles);
    let mut warn = Vec::new();
    let mut copies_context = Vec::new();
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
                "ENV" | "ARG" => {
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
                                fail.push(format!("{at}: ENV {name} sets a literal secret in the image"))
                            }
                            Some(_) if instr == "ENV" => warn.push(format!("{at}: ENV {name} has a literal (dummy-looking) value baked into the image")),
                            _ if instr == "ARG" => warn.push(format!("{at}: ARG {name}: build arguments are recorded in the image history; use RUN --mount=type=secret")),
                            _ => {}
                        }
                    }
                }
                _ => {
                    let parts: Vec<&str> = args
                        .split_whitespace()
                        .filter(|p| !p.starts_with("--"))
                        .collect();
                    let sources = parts.split_last().map(|(_, s)| s).unwrap_or(&[]);
                    for s in sources {
                        let s = s.trim_matches(['"', '[', ']', ',']);
                        if s == "." || s == "./" {
                            copies_context.push(at.clone());
                        } else if secret_file_kind(s, || None).is_some()
                            || s.ends_with(".pem")
                            || s.ends_with(".key")
                        {
                            fail.push(format!(
                                "{at}: {instr} {s} copies a secret file into the image"
                            ));
                        }
                    }
                }
            }
        }
    }
    if !copies_context.is_empty() {
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
        if !env_on_disk.is_empty() && !ignores_env {
            warn.push(format!(
                "{}: copies the whole build context, and .dockerignore does not exclude .env files ({} on disk: {})",
                copies_context.join(", "),
                env_on_disk.len(),
                env_on_disk.iter().take(5).copied().collect::<Vec<_>>().join(", ")
            ));
        }
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

fn compose_check(inv: &Inventory, files: &[&str]) -> Item {
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

/// A decoded Secret value that is fine to commit.
fn harmless_secret_value(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || is_reference(v) || is_placeholder(v.as_bytes()) || v.contains("{{")
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

fn k8s_check(inv: &Inventory, files: &[&str]) -> Item {
    let mut manifests = Vec::new();
    let mut fail = Vec::new();
    let mut safe = Vec::new();
    for f in files.iter().copied().filter(|f| is_yaml(f)) {
        let Some(text) = inv.read(f) else { continue };
        if !text.contains("kind:") {
            continue;
        }
        // One YAML document at a time.
        let mut start = 0usize;
        let lines: Vec<&str> = text.lines().collect();
        let mut docs = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("---") {
                docs.push((start, i));
                start = i + 1;
            }
        }
        docs.push((start, lines.len()));
        for (from, to) in docs {
            let doc = &lines[from..to];
            let kind = doc
                .iter()
                .find_map(|l| l.strip_prefix("kind:"))
                .map(|k| k.trim().trim_matches(['"', '\'']).to_string());
            match kind.as_deref() {
                Some("SealedSecret") | Some("ExternalSecret") | Some("SecretProviderClass") => {
                    safe.push(format!(
                        "{f}:{}: {} (encrypted or fetched at run time)",
                        from + 1,
                        kind.unwrap_or_default()
                    ));
                }
                Some("Secret") => {
                    manifests.push(format!("{f}:{}", from + 1));
                    let mut block: Option<(bool, usize)> = None; // (base64, indent)
                    for (i, l) in doc.iter().enumerate() {
                        let indent = l.len() - l.trim_start().len();
                        let t = l.trim();
                        if t.is_empty() || t.starts_with('#') {
                            continue;
                        }
                        if let Some((_, bi)) = block {
                            if indent <= bi {
                                block = None;
                            }
                        }
                        if t == "data:" || t == "stringData:" {
                            block = Some((t == "data:", indent));
                            continue;
                        }
                        let Some((b64, _)) = block else { continue };
                        let Some((key, value)) = t.split_once(':') else {
                            continue;
                        };
                        let value = value.trim().trim_matches(['"', '\'']);
                        let decoded = if b64 {
                            match base64_decode(value) {
                                Some(d) => String::from_utf8_lossy(&d).into_owned(),
                                None => value.to_string(),
                            }
                        } else {
                            value.to_string()
                        };
                        if !harmless_secret_value(&decoded) && !harmless_secret_value(value) {
                            fail.push(format!(
                                "{f}:{}: Secret key {} holds a real value{}",
                                from + i + 1,
                                key.trim(),
                                if b64 {
                                    " (base64-decoded; base64 is not encryption)"
                                } else {
                                    ""
                                }
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if manifests.is_empty() && safe.is_empty() {
        return Item::new(&KUBERNETES, Status::NotApplicable)
            .with(["no Kubernetes Secret manifest".to_string()]);
    }
    if fail.is_empty() {
        Item::new(&KUBERNETES, Status::Pass)
            .with(
                manifests
                    .iter()
                    .map(|m| format!("{m}: Secret with placeholders or templates only")),
            )
            .with(safe)
    } else {
        Item::new(&KUBERNETES, Status::Fail)
            .with(capped(fail))
            .with(safe)
    }
}

fn logging_check(inv: &Inventory, files: &[&str]) -> Item {
    static LOG_CALL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(print|println!?|printf|console\.(log|info|debug|warn|error)|logger\.\w+|logging\.\w+|log\.\w+|fmt\.Print\w*|System\.out\.print\w*|puts|echo)\s*[(!]?")
            .expect("valid regex")
    });
    static KEY_REF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)(getenv\(\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*["']|environ(\.get\(|\[)\s*["'][A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Z0-9_]*["']|process\.env\.[A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)|\$[A-Z0-9_]*(API_KEY|TOKEN|SECRET|PASSWORD)\b|\{\s*[a-z_]*(api_?key|secret|token|password)\s*\}|\b(api_?key|apiKey|secret_key|secretKey|access_token|accessToken|auth_token|password)\b)"#)
            .expect("valid regex")
    });
    static MASKED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(\[\s*:\s*\d+\s*\]|\[\s*-\d+\s*:\s*\]|mask|redact|len\(|\.length|bool\(|is not None|is None|!= *null|\?\s*'|configured|missing|not set|\.slice\(|\.substring\()")
            .expect("valid regex")
    });
    let mut found = Vec::new();
    let mut read = 0usize;
    for f in files.iter().copied().filter(|f| is_code(f)) {
        let Some(text) = inv.read(f) else { continue };
        read += 1;
        for (n, line) in text.lines().enumerate() {
            let Some(call) = LOG_CALL.find(line) else {
                continue;
            };
            let rest = &line[call.start()..];
            let Some(key) = KEY_REF.find(rest) else {
                continue;
            };
            if MASKED.is_match(rest) {
                continue;
            }
            found.push(format!(
                "{f}:{}: {} prints {}",
                n + 1,
                call.as_str().trim_end_matches(['(', '!']).trim(),
                key.as_str()
            ));
        }
    }
    if read == 0 {
        return Item::new(&LOGGING, Status::NotApplicable).with(["no source code".to_string()]);
    }
    if found.is_empty() {
        Item::new(&LOGGING, Status::Pass).with([format!("{read} source file(s) read")])
    } else {
        Item::new(&LOGGING, Status::Warn).with(capped(found))
    }
}

fn file_store_check(inv: &Inventory, files: &[&str]) -> Item {
    let mut found: Vec<String> = inv
        .all_files()
        .into_iter()
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            name == ".api_keys.json" || name == "api_keys.json"
        })
        .map(|f| format!("{f}: a file-based key store"))
        .collect();
    for f in files.iter().copied().filter(|f| is_code(f)) {
        let Some(text) = inv.read(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            if line.contains(".api_keys.json") {
                found.push(format!("{f}:{}: reads keys from .api_keys.json", n + 1));
            }
        }
    }
    if found.is_empty() {
        Item::new(&FILE_STORE, Status::Pass)
            .with(["no .api_keys.json file and no code that reads one".to_string()])
    } else {
        Item::new(&FILE_STORE, Status::Warn).with(capped(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments() {
        assert_eq!(
            secret_assignment("      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}"),
            Some(("OPENAI_API_KEY", "${{ secrets.OPENAI_API_KEY }}"))
        );
        assert!(is_reference("${{ secrets.OPENAI_API_KEY }}"));
        assert_eq!(
            secret_assignment("  - DB_PASSWORD=hunter22"),
            Some(("DB_PASSWORD", "hunter22"))
        );
        assert_eq!(secret_assignment("  id-token: write"), None);
        assert_eq!(secret_assignment("  max_tokens: 4096"), None);
        assert_eq!(secret_assignment("  name: build"), None);
    }

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("not base64!").is_none());
    }
}
