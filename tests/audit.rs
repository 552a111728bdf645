//! `keyward audit`: a repository that follows the guidance passes every automated
//! check; one that breaks it fails each check with evidence; attestations, rotation,
//! --history, exit codes, configuration errors, and snapshots of the Markdown and JSON
//! checklists.

mod common;

use common::audit::*;
use common::*;
use serde_json::Value;
use std::path::Path;

fn audit(dir: &Path, args: &[&str]) -> std::process::Output {
    run(keyward()
        .current_dir(dir)
        .args(["audit", ".", "--as-of", AS_OF])
        .args(args))
}

fn audit_json(dir: &Path, args: &[&str]) -> (Value, std::process::Output) {
    let out = audit(dir, &[&["-f", "json"], args].concat());
    (report_of(&out), out)
}

const MANUAL_IDS: [&str; 10] = [
    "secrets-manager",
    "separate-keys-per-environment",
    "least-privilege-keys",
    "key-format-validation",
    "usage-monitoring",
    "access-audit-logging",
    "incident-response",
    "security-training",
    "scheduled-reviews",
    "compliance-frameworks",
];

/// A repository that does everything the guides ask.
fn tidy_repo() -> tempfile::TempDir {
    let repo = new_repo();
    let dir = repo.path();
    let openai = seeded_key("openai-api-key", 11);
    let mut attest = String::new();
    for id in MANUAL_IDS {
        attest.push_str(&format!(
            "[[attest]]\ncheck = \"{id}\"\nby = \"Dana (security lead)\"\ndate = \"2026-06-01\"\nnote = \"reviewed\"\n\n"
        ));
    }
    commit(
        dir,
        &[
            (".gitignore", ".env\n.env.*\n!.env.example\n"),
            (".env.example", "OPENAI_API_KEY=your-openai-api-key-here\nANTHROPIC_API_KEY=\n"),
            (
                ".github/workflows/ci.yml",
                "on: [push]\npermissions:\n  id-token: write\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: keyward history --rev origin/main..HEAD\n",
            ),
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: https://github.com/keyward/keyward\n    rev: v0.1.0\n    hooks:\n      - id: keyward\n",
            ),
            ("Dockerfile", "FROM python:3.12\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n"),
            (".dockerignore", ".env\n.git\n"),
            (
                "docker-compose.yml",
                "services:\n  app:\n    build: .\n    environment:\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n      LOG_LEVEL: info\n",
            ),
            (
                "k8s/secret.yaml",
                "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: api-keys\n",
            ),
            (
                "app.py",
                "import os\nfrom hvac import Client\nkey = os.getenv(\"OPENAI_API_KEY\")\nprint(\"OpenAI key configured:\", bool(key))\n",
            ),
            (".key_rotation_dates.json", "{\"OPENAI_API_KEY\": \"2026-10-01\", \"ANTHROPIC_API_KEY\": \"2026-11-01\"}\n"),
            ("keyward.toml", &attest),
        ],
        "a tidy project",
        "2026-11-01T00:00:00Z",
    );
    // The real key lives in an ignored .env with mode 600.
    write(dir, ".env", format!("OPENAI_API_KEY={openai}\n"));
    chmod(&dir.join(".env"), 0o600);
    repo
}

#[test]
fn a_tidy_repository_passes_every_automated_check() {
    let repo = tidy_repo();
    let dir = repo.path();
    let (report, out) = audit_json(dir, &["--history"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    for item in report["items"].as_array().unwrap() {
        assert_eq!(item["status"], "pass", "{item:#}");
    }
    assert_eq!(report["score"]["passed"], report["score"]["applicable"]);
    assert!(evidence(&report, "env-files-ignored").contains(".gitignore:1 `.env`"));
    assert!(evidence(&report, "secret-file-permissions")
        .contains("1 untracked secret file(s) on disk at mode 600 or stricter"));
    assert!(evidence(&report, "secrets-manager").contains("app.py:2: uses HashiCorp Vault"));
    assert!(
        evidence(&report, "ci-secret-scan").contains(".github/workflows/ci.yml:11: runs keyward")
    );
    assert!(!stdout(&out).contains(&seeded_key("openai-api-key", 11)));
}

/// A repository that breaks every rule.
fn careless_repo() -> tempfile::TempDir {
    let repo = new_repo();
    let dir = repo.path();
    let openai = seeded_key("openai-api-key", 21);
    let anthropic = seeded_key("anthropic-api-key", 22);
    let aws = seeded_key("aws-access-key-id", 23);
    let hf = seeded_key("huggingface-token", 24);
    let b64 = |s: &str| -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in s.as_bytes().chunks(3) {
            let n =
                chunk.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
        out
    };
    // A key file committed once and deleted since: only --history sees it.
    commit(
        dir,
        &[("deploy/id_rsa", "not really a key\n")],
        "add deploy key",
        "2025-01-01T00:00:00Z",
    );
    git(dir, &["rm", "-q", "deploy/id_rsa"]);
    commit(
        dir,
        &[
            (".gitignore", "target/\n"),
            (".env", &format!("OPENAI_API_KEY={openai}\n")),
            (".env.example", &format!("ANTHROPIC_API_KEY={anthropic}\n")),
            (
                ".github/workflows/ci.yml",
                &format!("on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      HF_TOKEN: {hf}\n      SERVICE_PASSWORD: dummy-password\n    steps:\n      - run: echo ${{{{ secrets.OPENAI_API_KEY }}}}\n      - run: printenv\n"),
            ),
            (
                "Dockerfile",
                &format!("FROM python:3.12\nENV OPENAI_API_KEY={openai}\nARG GITHUB_TOKEN\nCOPY .env /app/.env\nCOPY . /app\n"),
            ),
            (
                "docker-compose.yml",
                &format!(
                    "services:\n  app:\n    environment:\n      - AWS_ACCESS_KEY_ID={aws}\n      - DB_PASSWORD={}\n",
                    // A password-shaped value, built at run time.
                    ["Qz7vK2", "mW9pLx", "2026"].join("-")
                ),
            ),
            (
                "k8s/secret.yaml",
                &format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-keys\ntype: Opaque\ndata:\n  openai: {}\n  empty: \"\"\nstringData:\n  anthropic: {anthropic}\n", b64(&openai)),
            ),
            (
                "app.py",
                "import os, json\nkeys = json.load(open('.api_keys.json'))\nprint(os.getenv(\"OPENAI_API_KEY\"))\n",
            ),
            ("server.js", "console.log(`key: ${process.env.ANTHROPIC_API_KEY}`);\n"),
            (".key_rotation_dates.json", "{\"OPENAI_API_KEY\": \"2026-01-01\", \"HF_TOKEN\": \"2025-12-01\"}\n"),
            (
                "keyward.toml",
                "[[attest]]\ncheck = \"incident-response\"\nby = \"Sam\"\ndate = \"2024-05-01\"\n",
            ),
        ],
        "ship it",
        "2026-01-02T00:00:00Z",
    );
    write(
        dir,
        ".env.local",
        format!("ANTHROPIC_API_KEY={anthropic}\n"),
    );
    chmod(&dir.join(".env.local"), 0o644);
    write(dir, ".api_keys.json", "{}\n");
    // Fixed modes: the snapshot must not depend on the umask.
    chmod(&dir.join(".api_keys.json"), 0o644);
    chmod(&dir.join(".env"), 0o644);
    repo
}

#[test]
fn a_careless_repository_fails_each_check_with_evidence() {
    let repo = careless_repo();
    let dir = repo.path();
    let (report, out) = audit_json(dir, &["--history"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let expect = [
        ("env-files-ignored", "fail"),
        ("secret-files-untracked", "fail"),
        ("secret-files-history", "fail"),
        ("secret-file-permissions", "fail"),
        ("no-keys-in-worktree", "fail"),
        ("no-keys-in-history", "fail"),
        ("templates-placeholders-only", "fail"),
        ("pre-commit-secret-scan", "warn"),
        ("no-key-logging", "warn"),
        ("ci-secrets-from-store", "fail"),
        ("ci-no-secrets-in-logs", "warn"),
        ("ci-secret-scan", "warn"),
        ("image-no-keys", "fail"),
        ("compose-no-literal-keys", "fail"),
        ("k8s-no-secret-values", "fail"),
        ("no-file-key-store", "warn"),
        ("rotation-schedule", "fail"),
        ("incident-response", "warn"),
        ("security-training", "manual"),
    ];
    for (id, want) in expect {
        assert_eq!(status(&report, id), want, "{id}: {}", evidence(&report, id));
    }
    let ev = |id| evidence(&report, id);
    assert!(ev("env-files-ignored").contains("not ignored (no rule matches) in the root: .env"));
    assert!(ev("secret-files-untracked").contains(
        ".env: dotenv file, tracked; it holds 1 secret-looking value(s): .env:1 openai-api-key"
    ));
    assert!(
        ev("secret-files-history").contains("deploy/id_rsa: SSH private key, first committed in")
            && ev("secret-files-history").contains("the scanner finds no key in it")
    );
    assert!(ev("secret-file-permissions").contains(".env.local: dotenv file, untracked, mode 644"));
    assert!(ev("templates-placeholders-only").contains(".env.example:1 anthropic-api-key"));
    assert!(
        ev("ci-secrets-from-store").contains("huggingface"),
        "{}",
        ev("ci-secrets-from-store")
    );
    assert!(ev("ci-secrets-from-store")
        .contains("SERVICE_PASSWORD is given a literal value (looks like a dummy)"));
    assert!(ev("ci-no-secrets-in-logs")
        .contains("ci.yml:9: `echo` prints secrets.OPENAI_API_KEY from the secret store"));
    assert!(ev("ci-no-secrets-in-logs").contains("ci.yml:10: `printenv` dumps the environment"));
    assert!(ev("image-no-keys").contains("Dockerfile:2: ENV OPENAI_API_KEY sets a literal secret"));
    assert!(ev("image-no-keys").contains("Dockerfile:4: COPY .env copies a secret file"));
    assert!(ev("image-no-keys").contains("Dockerfile:3: ARG GITHUB_TOKEN"));
    assert!(ev("compose-no-literal-keys")
        .contains("docker-compose.yml:5: DB_PASSWORD is a literal secret"));
    assert!(ev("k8s-no-secret-values")
        .contains("k8s/secret.yaml:7: Secret key openai holds a real value (base64-decoded"));
    assert!(ev("k8s-no-secret-values").contains("Secret key anthropic"));
    assert!(!ev("k8s-no-secret-values").contains("key empty"));
    assert!(ev("no-key-logging").contains("app.py:3: `print` prints OPENAI_API_KEY"));
    assert!(ev("no-key-logging").contains("server.js:1: `console.log` prints ANTHROPIC_API_KEY"));
    assert!(ev("no-file-key-store").contains(".api_keys.json: a file-based key store"));
    assert!(ev("no-file-key-store").contains("app.py:2: reads keys from .api_keys.json"));
    assert!(
        ev("rotation-schedule")
            .contains("HF_TOKEN: rotated 2025-12-01, every 180 days (medium sensitivity)"),
        "{}",
        ev("rotation-schedule")
    );
    assert!(ev("rotation-schedule").contains("OPENAI_API_KEY: rotated 2026-01-01, every 90 days (high sensitivity), due 2026-04-01: overdue by 235 days"));
    assert!(ev("rotation-schedule")
        .contains("ANTHROPIC_API_KEY: listed in a template, no rotation date recorded"));
    assert!(ev("incident-response").contains("attested by Sam on 2024-05-01; lapsed on 2025-05-01"));
    // Never a whole key, in any format.
    for format in ["json", "markdown", "human", "sarif"] {
        let out = audit(dir, &["--history", "-f", format]);
        let text = stdout(&out) + &stderr(&out);
        for k in [
            seeded_key("openai-api-key", 21),
            seeded_key("anthropic-api-key", 22),
            seeded_key("aws-access-key-id", 23),
            seeded_key("huggingface-token", 24),
        ] {
            assert!(!text.contains(&k), "{format} output holds a key");
        }
    }
}

#[test]
fn without_history_the_history_checks_do_not_apply() {
    let repo = careless_repo();
    let (report, _) = audit_json(repo.path(), &[]);
    assert_eq!(status(&report, "no-keys-in-history"), "not-applicable");
    assert_eq!(status(&report, "secret-files-history"), "not-applicable");
    assert!(evidence(&report, "no-keys-in-history").contains("--history"));
}

#[test]
fn fail_on_warn_and_exit_codes() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(".gitignore", ".env\n.env.*\n"), ("README.md", "hello\n")],
        "init",
        "2026-01-01T00:00:00Z",
    );
    // No failure, but warnings (no pre-commit scan, no CI scan, no rotation record).
    let out = audit(dir, &["-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = audit(dir, &["-f", "json", "--fail-on", "warn"]);
    assert_eq!(out.status.code(), Some(1));
    // Not a repository.
    let plain = tempfile::tempdir().unwrap();
    let out = run(keyward().current_dir(plain.path()).args(["audit", "."]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not in a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn configuration_errors_are_explained() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(".gitignore", ".env\n.env.*\n"), ("README.md", "hello\n")],
        "init",
        "2026-01-01T00:00:00Z",
    );
    write(dir, "keyward.toml", "[rotation]\nhigh = 30\nhihg = 20\n");
    let out = audit(dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("keyward.toml")
            && err.contains("line 3")
            && err.contains("did you mean `high`?"),
        "{err}"
    );

    write(
        dir,
        "keyward.toml",
        "[[attest]]\ncheck = \"no-keys-in-worktree\"\nby = \"x\"\ndate = \"2026-01-01\"\n",
    );
    let err = stderr(&audit(dir, &[]));
    assert!(err.contains("not a manual checklist item"), "{err}");

    write(
        dir,
        "keyward.toml",
        "[[attest]]\ncheck = \"training\"\nby = \"x\"\ndate = \"2026-01-01\"\n",
    );
    let err = stderr(&audit(dir, &[]));
    assert!(err.contains("security-training"), "lists the ids: {err}");

    write(
        dir,
        "keyward.toml",
        "[[attest]]\ncheck = \"security-training\"\nby = \"x\"\ndate = \"last week\"\n",
    );
    assert!(stderr(&audit(dir, &[])).contains("is not a date"));
    // --no-config ignores it; --config points elsewhere.
    assert_eq!(
        audit(dir, &["--no-config", "-f", "json"]).status.code(),
        Some(0)
    );
    write(dir, "other.toml", "[rotation]\nhigh = 30\n");
    assert_eq!(
        audit(dir, &["--config", "other.toml", "-f", "json"])
            .status
            .code(),
        Some(0)
    );
    let out = audit(dir, &["--as-of", "soon"]);
    assert!(stderr(&out).contains("--as-of"), "{}", stderr(&out));
}

#[test]
fn rotation_periods_follow_sensitivity_and_config() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[
            (".key_rotation_dates.json", "{\"OPENAI_API_KEY\": \"2026-09-01\", \"WANDB_API_KEY\": \"2026-06-01\", \"BRAND_NEW_KEY\": \"2026-11-20\"}"),
            ("keyward.toml", "[rotation]\nwarn_days = 30\n[rotation.keys]\nOPENAI_API_KEY = 30\n[rotation.last_rotated]\nBRAND_NEW_KEY = \"2026-11-21\"\n"),
        ],
        "init",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    let ev = evidence(&report, "rotation-schedule");
    assert_eq!(status(&report, "rotation-schedule"), "fail", "{ev}");
    assert!(
        ev.contains("OPENAI_API_KEY: rotated 2026-09-01, every 30 days (set for this key)"),
        "{ev}"
    );
    assert!(ev.contains("WANDB_API_KEY: rotated 2026-06-01, every 180 days (medium sensitivity), due 2026-11-28: due in 6 days"), "{ev}");
    assert!(ev.contains("BRAND_NEW_KEY: rotated 2026-11-21, every 90 days (unknown key, treated as high sensitivity)"), "{ev}");
}

#[test]
fn audit_sarif_is_valid() {
    let repo = careless_repo();
    let out = audit(repo.path(), &["-f", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "keyward/audit/");
    let results = run0["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "audit/image-no-keys"
        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 2));
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let keys = [
        seeded_key("openai-api-key", 21),
        seeded_key("anthropic-api-key", 22),
        seeded_key("aws-access-key-id", 23),
        seeded_key("huggingface-token", 24),
    ];
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    export_sarif("audit", &stdout(&out), repo.path(), &keys);
}

#[test]
fn checklist_snapshots() {
    let repo = careless_repo();
    let md = stdout(&audit(repo.path(), &["--history", "-f", "markdown"]));
    // Commit ids depend on git's object format; keep the snapshot about the checklist.
    let re = regex::Regex::new(r"\b[0-9a-f]{12}\b").unwrap();
    insta::assert_snapshot!("audit_markdown", re.replace_all(&md, "<commit>"));
    let tidy = tidy_repo();
    let (json, _) = audit_json(tidy.path(), &[]);
    insta::assert_json_snapshot!("audit_json", json);
}

#[test]
fn a_global_excludes_file_is_the_users_own_git() {
    // The user's global git configuration is trusted: a `.env` that only the user's
    // global excludes file ignores is ignored on this machine (a warning), not unignored.
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("global-ignore"), ".env\n").unwrap();
    std::fs::write(
        home.path().join(".gitconfig"),
        format!(
            "[core]\n\texcludesFile = {}\n",
            home.path().join("global-ignore").display()
        ),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::write(d.join("app.py"), "print('hello')\n").unwrap();
    std::fs::write(d.join(".env"), "DEBUG=1\n").unwrap();
    git(d, &["add", "app.py"]);
    let out = run(keyward()
        .env("HOME", home.path())
        .current_dir(d)
        .args(["audit", ".", "--as-of", AS_OF, "-f", "json"]));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ev = evidence(&v, "env-files-ignored");
    assert!(ev.contains("ignored only on this machine"), "{ev}");
}
