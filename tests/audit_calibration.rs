//! `keyward audit` calibrated on the shapes well-kept projects have: a check fails only
//! on evidence a reviewer would agree with. Each test is a small fixture with the shape
//! of what a real repository showed (a test fixture `.env`, documentation examples, a
//! devcontainer's database password, a word in a quoted string), built at run time.

mod common;

use common::audit::*;
use common::*;
use serde_json::Value;
use std::path::Path;

fn audit_json(dir: &Path, args: &[&str]) -> (Value, std::process::Output) {
    let out = run(keyward()
        .current_dir(dir)
        .args(["audit", ".", "--as-of", AS_OF, "-f", "json"])
        .args(args));
    (report_of(&out), out)
}

/// Hex digits from a seeded generator, as `secrets.token_hex()` prints them.
fn hex(seed: u64, len: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_digit((x % 16) as u32, 16).unwrap()
        })
        .collect()
}

/// A library (flask's shape): a test fixture `.env` with harmless values, no `.env`
/// ignore rule, documentation that prints a generated `SECRET_KEY`, and code that
/// loads env files for its users.
#[test]
fn a_library_with_a_fixture_env_file_does_not_fail() {
    let repo = new_repo();
    let dir = repo.path();
    let generated = hex(7, 64);
    commit(
        dir,
        &[
            (".gitignore", "*.pyc\n/build/\n"),
            ("tests/test_apps/.env", "FOO=env\nSPAM=1\n"),
            ("tests/test_apps/helloworld/app.py", "print('hello')\n"),
            (
                "docs/config.rst",
                &format!(
                    "Generate a key::\n\n    $ python -c 'import secrets; print(secrets.token_hex())'\n    '{generated}'\n\nThen ``SECRET_KEY = '{generated}'``.\n"
                ),
            ),
            (
                "src/lib/cli.py",
                "import os\ndef load_dotenv(path='.env'):\n    return os.path.exists(path)\n",
            ),
        ],
        "a library",
        "2026-01-01T00:00:00Z",
    );
    chmod(&dir.join("tests/test_apps/.env"), 0o644);
    let (report, out) = audit_json(dir, &["--history"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(status(&report, "secret-files-untracked"), "pass");
    assert!(evidence(&report, "secret-files-untracked").contains(
        "tests/test_apps/.env: dotenv file, tracked; the scanner finds no secret-looking value in it"
    ));
    assert_eq!(status(&report, "secret-files-history"), "pass");
    // git keeps no mode but the executable bit: a tracked file's mode is not judged.
    assert_eq!(status(&report, "secret-file-permissions"), "not-applicable");
    // No sign the library keeps env files for its own use: a warning, for the root.
    assert_eq!(status(&report, "env-files-ignored"), "warn");
    let ev = evidence(&report, "env-files-ignored");
    assert!(ev.contains("no sign of keeping env files"), "{ev}");
    assert!(!ev.contains("tests/test_apps"), "{ev}");
    assert_ne!(status(&report, "no-keys-in-worktree"), "fail");
}

/// An application that keeps env files: a template in `app/`, a compose `env_file:`,
/// and no ignore rule: a failure, reported as a few paths for those folders.
#[test]
fn an_application_that_uses_env_files_must_ignore_them() {
    let repo = new_repo();
    let dir = repo.path();
    let mut files = vec![
        (".gitignore".to_string(), "node_modules/\n".to_string()),
        (
            "app/.env.example".to_string(),
            "API_TOKEN=your-token-here\n".to_string(),
        ),
        (
            "docker-compose.yml".to_string(),
            "services:\n  web:\n    build: .\n    env_file:\n      - ./web/.env\n".to_string(),
        ),
    ];
    // Many folders with code: none of them is named unless a sign points at it.
    for n in 0..30 {
        files.push((format!("lib/mod{n}/x.py"), "x = 1\n".to_string()));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    commit(dir, &files, "an app", "2026-01-01T00:00:00Z");
    let (report, out) = audit_json(dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(status(&report, "env-files-ignored"), "fail");
    let ev = evidence(&report, "env-files-ignored");
    assert!(ev.contains("app/.env.example: an env template"), "{ev}");
    assert!(
        ev.contains("docker-compose.yml:5: env_file: web/.env"),
        "{ev}"
    );
    assert!(
        ev.contains("not ignored (no rule matches) in the root: .env"),
        "{ev}"
    );
    assert!(ev.contains("app, web"), "{ev}");
    assert!(!ev.contains("lib/mod"), "{ev}");
    assert!(ev.lines().count() < 12, "a few lines: {ev}");

    // Setup documentation asking developers for a .env is a sign too.
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(
            "README.md",
            "# Setup\n\nCreate a `.env` file with your API token, then run `make dev`.\n",
        )],
        "docs",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    assert_eq!(status(&report, "env-files-ignored"), "fail");
    assert!(evidence(&report, "env-files-ignored")
        .contains("README.md:3: tells developers to create a .env file"));
}

/// A tracked env file fails when the scanner finds a secret in it, with the
/// confidence; an untracked one's mode is judged only when it holds a secret.
#[test]
fn secret_files_fail_on_what_they_hold() {
    let repo = new_repo();
    let dir = repo.path();
    let openai = seeded_key("openai-api-key", 31);
    commit(
        dir,
        &[
            (".gitignore", ".env.local\n.env.development\n"),
            ("config/.env", &format!("OPENAI_API_KEY={openai}\n")),
        ],
        "init",
        "2026-01-01T00:00:00Z",
    );
    // Untracked and ignored: one with a key, one with only harmless settings.
    write(dir, ".env.local", format!("OPENAI_API_KEY={openai}\n"));
    chmod(&dir.join(".env.local"), 0o644);
    write(dir, ".env.development", "DEBUG=1\nPORT=8080\n");
    chmod(&dir.join(".env.development"), 0o644);
    let (report, _) = audit_json(dir, &[]);
    assert_eq!(status(&report, "secret-files-untracked"), "fail");
    let ev = evidence(&report, "secret-files-untracked");
    assert!(
        ev.contains("config/.env: dotenv file, tracked; it holds 1 secret-looking value(s): config/.env:1 openai-api-key (OpenAI, high confidence)"),
        "{ev}"
    );
    assert_eq!(status(&report, "secret-file-permissions"), "fail");
    let ev = evidence(&report, "secret-file-permissions");
    assert!(
        ev.contains(
            ".env.local: dotenv file, untracked, mode 644: its group and everyone else can read it"
        ),
        "{ev}"
    );
    assert!(!ev.contains("config/.env: dotenv"), "tracked: {ev}");
    assert!(
        ev.contains("not judged (no secret-looking value in them): .env.development"),
        "{ev}"
    );
    assert!(!stdout(&audit_json(dir, &[]).1).contains(&openai));
}

/// A devcontainer's compose file (rails' shape): stock database passwords for local
/// development warn, whichever database.
#[test]
fn development_database_defaults_warn() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(
            ".devcontainer/compose.yaml",
            "services:\n  postgres:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: postgres\n  mysql:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: root\n  mongo:\n    environment:\n      - MONGO_INITDB_ROOT_PASSWORD=example\n  kafka:\n    environment:\n      KAFKA_SSL_KEYSTORE_CREDENTIALS: 'kafka_keystore_creds'\n",
        )],
        "devcontainer",
        "2026-01-01T00:00:00Z",
    );
    commit(
        dir,
        &[(
            ".devcontainer/devcontainer.json",
            "{\n  \"containerEnv\": {\n    \"PGHOST\": \"postgres\",\n    \"PGPASSWORD\": \"postgres\",\n  }\n}\n",
        )],
        "devcontainer settings",
        "2026-01-02T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    assert_eq!(status(&report, "compose-no-literal-keys"), "warn");
    let ev = evidence(&report, "compose-no-literal-keys");
    for (line, name) in [
        (6, "POSTGRES_PASSWORD"),
        (10, "MYSQL_ROOT_PASSWORD"),
        (13, "MONGO_INITDB_ROOT_PASSWORD"),
    ] {
        assert!(
            ev.contains(&format!(".devcontainer/compose.yaml:{line}: {name} has a placeholder or a local development default")),
            "{ev}"
        );
    }
    assert!(
        ev.contains(".devcontainer/devcontainer.json:4: PGPASSWORD has a placeholder or a local development default"),
        "{ev}"
    );
    // kafka's shape: the variable names a credentials file.
    assert!(
        ev.contains(".devcontainer/compose.yaml:16: KAFKA_SSL_KEYSTORE_CREDENTIALS holds what looks like a file or variable name"),
        "{ev}"
    );
}

/// A Dockerfile that copies its folder (ansible's shape: a template in a data folder)
/// is not warned about env files elsewhere in the repository.
#[test]
fn a_build_context_is_the_dockerfiles_folder() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[
            ("lib/data/apb/Dockerfile", "FROM python:3.12\nCOPY . /app\n"),
            ("test/config/files/types.env", "A=1\n"),
            ("web/Dockerfile", "FROM node:22\nCOPY . /app\n"),
        ],
        "images",
        "2026-01-01T00:00:00Z",
    );
    write(dir, "web/.env", "DEBUG=1\n");
    let (report, _) = audit_json(dir, &[]);
    let ev = evidence(&report, "image-no-keys");
    assert!(!ev.contains("lib/data/apb/Dockerfile:2"), "{ev}");
    assert!(
        ev.contains("web/Dockerfile:2: copies the whole build context, and .dockerignore does not exclude .env files (1 on disk: web/.env)"),
        "{ev}"
    );
}

/// Words inside quoted strings are not commands, and a name in a sentence is not a
/// variable (ansible's and rails' shapes); a variable that is printed is named.
#[test]
fn logging_heuristics_understand_quoting() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[
            (
                "test/integration/setup.sh",
                "echo \"This is a test file for the vault password prompt\" > input.txt\necho 'not $API_TOKEN either'\necho \"new\" > \"${NEW_VAULT_PASSWORD}\"\ntest -z \"$pass\" || echo password=$pass\n",
            ),
            (
                "test/shell_test.rb",
                "assert_equal \"hello world\", run(\"echo \\\"hello $(echo world)\\\" # password\")\n",
            ),
        ],
        "tests",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    assert_eq!(
        status(&report, "no-key-logging"),
        "pass",
        "{}",
        evidence(&report, "no-key-logging")
    );
    commit(
        dir,
        &[(
            "deploy.sh",
            "echo \"deploying with $API_TOKEN\"\nprint_status() { echo \"status\"; }\n",
        )],
        "deploy",
        "2026-01-02T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    assert_eq!(status(&report, "no-key-logging"), "warn");
    let ev = evidence(&report, "no-key-logging");
    assert!(ev.contains("deploy.sh:1: `echo` prints API_TOKEN"), "{ev}");
    assert_eq!(ev.lines().count(), 1, "{ev}");
}

/// Output written to a file or a pipe is not printed, a YAML `name:` is not a
/// command, and `print_log` is not `print` (fastlane's shapes).
#[test]
fn output_that_goes_elsewhere_is_not_printed() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[
            (
                ".github/workflows/release.yml",
                "on: [push]\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - name: Remind user about posting their fastlane env\n        run: |\n          echo \":github: Bearer $GITHUB_TOKEN\" > ~/.gem/credentials\n          echo $REGISTRY_TOKEN | docker login --password-stdin\n          echo \"token: $DEPLOY_TOKEN\" >&2\n",
            ),
            (
                "lib/notarize.rb",
                "notarytool(params, package_path, print_log, verbose, api_key)\n",
            ),
        ],
        "ci",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    let ev = evidence(&report, "ci-no-secrets-in-logs");
    assert_eq!(
        ev, ".github/workflows/release.yml:10: `echo` prints $DEPLOY_TOKEN",
        "standard error is the log too"
    );
    assert_eq!(
        status(&report, "no-key-logging"),
        "pass",
        "{}",
        evidence(&report, "no-key-logging")
    );
}

/// A rotation fix names the keys it is about, and no date or count is made up.
#[test]
fn the_rotation_fix_names_the_keys_found() {
    let repo = new_repo();
    let dir = repo.path();
    commit(
        dir,
        &[(
            ".key_rotation_dates.json",
            "{\"OPENAI_API_KEY\": \"2026-01-01\"}",
        )],
        "init",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(dir, &[]);
    let fix = item(&report, "rotation-schedule")["fix"].as_str().unwrap();
    assert!(fix.contains("Rotate `OPENAI_API_KEY` now"), "{fix}");
    assert!(!fix.contains("2026"), "{fix}");
    // Nothing recorded: the fix says how to start a record, with placeholders only.
    let repo = new_repo();
    commit(
        repo.path(),
        &[("a.txt", "a\n")],
        "init",
        "2026-01-01T00:00:00Z",
    );
    let (report, _) = audit_json(repo.path(), &[]);
    let fix = item(&report, "rotation-schedule")["fix"].as_str().unwrap();
    assert!(
        fix.contains("KEY_NAME") && fix.contains("YYYY-MM-DD"),
        "{fix}"
    );
    assert!(!fix.contains("each key listed"), "{fix}");
}
