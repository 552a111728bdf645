//! `keyward env check` end to end: the process environment and dotenv files, every
//! verdict, the exit codes, and that no output ever holds a key. Keys are drawn at run
//! time from the rules' templates.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// A fresh fake key of rule `id`.
fn key(id: &str, seed: u64) -> String {
    let rule = rules().get(id).unwrap_or_else(|| panic!("no rule {id}"));
    key_for(rule, &mut rng(seed))
}

fn env_check(cmd: &mut Command) -> &mut Command {
    cmd.args(["env", "check"])
}

/// Run with JSON output and parse it.
fn json(cmd: &mut Command) -> (Vec<Value>, Output) {
    let out = run(cmd.args(["-f", "json"]));
    let items = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(&out), stderr(&out)));
    (items, out)
}

/// The object for `name` (from `source`: `env` or a file).
fn item<'a>(items: &'a [Value], name: &str, source: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["variable"] == name && i["source"] == source)
        .unwrap_or_else(|| panic!("no {name} from {source} in {items:#?}"))
}

/// Neither output holds any part of `secrets` past the first 13 characters (the longest
/// public prefix shown, `sk-ant-api03-`): no 8-character window of the rest.
fn assert_hidden(out: &Output, secrets: &[&str]) {
    let text = format!("{}{}", stdout(out), stderr(out));
    for s in secrets {
        let body: Vec<char> = s.chars().skip(13).collect();
        for w in body.windows(8) {
            let w: String = w.iter().collect();
            assert!(
                !text.contains(&w),
                "the output holds part of a key ({w}):\n{text}"
            );
        }
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("keyward exits")
}

#[test]
fn a_well_formed_key_in_the_environment_is_valid() {
    let anthropic = key("anthropic-api-key", 1);
    let out = run(env_check(&mut keyward()).env("ANTHROPIC_API_KEY", &anthropic));
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["VARIABLE", "SOURCE", "STATUS", "LENGTH", "PREFIX", "DETECTED"]
    );
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(
        row,
        [
            "ANTHROPIC_API_KEY",
            "env",
            "valid",
            "108",
            "sk-ant-api03-…",
            "Anthropic",
            "API",
            "key"
        ]
    );
    assert_eq!(lines.len(), 2, "one row, no notes: {lines:?}");
    // By default, unset names are only counted.
    assert!(
        stderr(&out).contains("1 value checked: 1 valid;")
            && stderr(&out).contains("other known names not set (--all lists them)"),
        "{}",
        stderr(&out)
    );
    assert_hidden(&out, &[&anthropic]);

    let (items, out) = json(env_check(&mut keyward()).env("ANTHROPIC_API_KEY", &anthropic));
    assert_eq!(code(&out), 0);
    assert_eq!(items.len(), 1);
    let i = item(&items, "ANTHROPIC_API_KEY", "env");
    assert_eq!(i["status"], "valid");
    assert_eq!(i["configured"], true);
    assert_eq!(i["valid_format"], true);
    assert_eq!(i["length"], 108);
    assert_eq!(i["prefix"], "sk-ant-api03-");
    assert_eq!(i["detected"]["rule"], "anthropic-api-key");
    assert_eq!(i["expected_provider"], "Anthropic");
    assert_hidden(&out, &[&anthropic]);
}

#[test]
fn the_guides_providers_are_all_checked() {
    let cases = [
        ("OPENAI_API_KEY", "openai-api-key"),
        ("GEMINI_API_KEY", "google-api-key"),
        ("MISTRAL_API_KEY", "mistral-api-key"),
        ("GROK_API_KEY", "xai-api-key"),
        ("QWEN_API_KEY", "sk-hex32-key"),
        ("DEEPSEEK_API_KEY", "sk-hex32-key"),
        ("KIMI_K2_API_KEY", "sk-alnum48-key"),
    ];
    let keys: Vec<String> = (0..cases.len())
        .map(|i| key(cases[i].1, 10 + i as u64))
        .collect();
    let mut cmd = keyward();
    for ((name, _), k) in cases.iter().zip(&keys) {
        cmd.env(name, k);
    }
    let (items, out) = json(env_check(&mut cmd));
    assert_eq!(code(&out), 0, "{items:#?}");
    for (name, _) in cases {
        let i = item(&items, name, "env");
        assert_eq!(i["status"], "valid", "{i:#}");
    }
    assert_eq!(
        item(&items, "DEEPSEEK_API_KEY", "env")["detected"]["provider"],
        "DeepSeek"
    );
    assert_eq!(
        item(&items, "QWEN_API_KEY", "env")["detected"]["provider"],
        "Qwen/DashScope"
    );
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    assert_hidden(&out, &refs);
}

#[test]
fn a_truncated_key_is_malformed() {
    let anthropic = key("anthropic-api-key", 2);
    let truncated = &anthropic[..70];
    let out = run(env_check(&mut keyward()).env("ANTHROPIC_API_KEY", truncated));
    assert_eq!(code(&out), 1, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("malformed"), "{text}");
    assert!(
        text.contains("ANTHROPIC_API_KEY (env): starts like an Anthropic API key but has 70 characters where the format has 108 characters"),
        "{text}"
    );
    assert!(stderr(&out).contains("1 malformed"), "{}", stderr(&out));
    assert_hidden(&out, &[truncated]);
}

#[test]
fn another_providers_key_is_a_mismatch() {
    let anthropic = key("anthropic-api-key", 3);
    let (items, out) = json(env_check(&mut keyward()).env("OPENAI_API_KEY", &anthropic));
    assert_eq!(code(&out), 1);
    let i = item(&items, "OPENAI_API_KEY", "env");
    assert_eq!(i["status"], "mismatch");
    assert_eq!(i["valid_format"], false);
    assert_eq!(i["expected_provider"], "OpenAI");
    assert_eq!(i["detected"]["provider"], "Anthropic");
    assert_eq!(i["prefix"], "sk-ant-api03-");
    let message = i["message"].as_str().unwrap();
    assert!(
        message.contains("move it to ANTHROPIC_API_KEY"),
        "{message}"
    );
    assert_hidden(&out, &[&anthropic]);

    let out = run(env_check(&mut keyward()).env("OPENAI_API_KEY", &anthropic));
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("mismatch"));
    assert_hidden(&out, &[&anthropic]);
}

#[test]
fn placeholders_are_not_configured() {
    for value in ["sk-...", "your-key-here", "", "${OPENAI_API_KEY}"] {
        let (items, out) = json(env_check(&mut keyward()).env("OPENAI_API_KEY", value));
        assert_eq!(code(&out), 0, "{value:?}");
        let i = item(&items, "OPENAI_API_KEY", "env");
        assert_eq!(i["status"], "placeholder", "{value:?}");
        assert_eq!(i["configured"], false);
    }
}

#[test]
fn unconfigured_names_are_counted_or_listed() {
    let out = run(env_check(&mut keyward()));
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("no known key variable is set"),
        "{}",
        stderr(&out)
    );

    let (items, out) = json(env_check(&mut keyward()));
    assert_eq!(code(&out), 0);
    assert!(items.is_empty());

    let (items, out) = json(env_check(&mut keyward()).arg("--all"));
    assert_eq!(code(&out), 0);
    for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "MOONSHOT_API_KEY"] {
        let i = items
            .iter()
            .find(|i| i["variable"] == name)
            .unwrap_or_else(|| panic!("{name} not listed"));
        assert_eq!(i["status"], "not-set");
        assert_eq!(i["source"], Value::Null);
        assert_eq!(i["length"], Value::Null);
    }
    let out = run(env_check(&mut keyward()).arg("--all"));
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["OPENAI_API_KEY", "-", "not", "set", "-"]),
        "{}",
        stdout(&out)
    );
}

fn write_env(dir: &Path, name: &str, text: &str) -> String {
    write(dir, name, text);
    name.to_string()
}

#[test]
fn dotenv_files_are_parsed_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let anthropic = key("anthropic-api-key", 4);
    let openai = key("openai-api-key", 5);
    let gemini = key("google-api-key", 6);
    let mistral = key("mistral-api-key", 7);
    let text = format!(
        "# keys for local development\r\n\
         \r\n\
         export ANTHROPIC_API_KEY=\"{anthropic}\"\r\n\
         OPENAI_API_KEY='{openai}' # the project key\r\n\
         GEMINI_API_KEY = {gemini}   # inline comment\r\n\
         this line is not an assignment\r\n\
         MISTRAL_API_KEY={mistral}\r\n\
         DEEPSEEK_API_KEY=sk-...\r\n\
         GROK_API_KEY='never closed\r\n\
         UNRELATED=1\r\n"
    );
    let env = write_env(dir.path(), ".env", &text);
    let (items, out) = json(
        env_check(&mut keyward())
            .current_dir(dir.path())
            .args(["--env-file", &env]),
    );
    assert_eq!(code(&out), 0, "{items:#?}\n{}", stderr(&out));
    let lines: Vec<(String, String, u64)> = items
        .iter()
        .map(|i| {
            (
                i["variable"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
                i["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = |n: &str, s: &str, l: u64| (n.to_string(), s.to_string(), l);
    assert_eq!(
        lines,
        [
            expect("ANTHROPIC_API_KEY", "valid", 3),
            expect("OPENAI_API_KEY", "valid", 4),
            expect("GEMINI_API_KEY", "valid", 5),
            expect("MISTRAL_API_KEY", "valid", 7),
            expect("DEEPSEEK_API_KEY", "placeholder", 8),
        ]
    );
    for i in &items {
        assert_eq!(i["source"], "file");
        assert_eq!(i["file"], ".env");
    }
    let err = stderr(&out);
    assert!(
        err.contains("warning: .env:6: expected '=' after the name; line skipped"),
        "{err}"
    );
    assert!(
        err.contains("warning: .env:9: the quote that opens the value is never closed"),
        "{err}"
    );
    assert_hidden(&out, &[&anthropic, &openai, &gemini, &mistral]);

    // The human report names the file and line of each variable.
    let out = run(env_check(&mut keyward())
        .current_dir(dir.path())
        .args(["--env-file", &env]));
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains(".env:3"), "{}", stdout(&out));
    assert_hidden(&out, &[&anthropic, &openai, &gemini, &mistral]);
}

#[test]
fn dotenv_values_keep_their_quoting_rules() {
    let dir = tempfile::tempdir().unwrap();
    let openai = key("openai-api-key", 8);
    let anthropic = key("anthropic-api-key", 9);
    // A double-quoted value with an escaped newline is a key plus a newline; an
    // unquoted `#` inside a value (no blank before it) is part of the value; a quoted
    // value with a blank inside keeps it; a multi-line private key in double quotes.
    let pem = key("private-key", 10);
    let pem_body: String = pem.lines().skip(1).take(3).collect::<Vec<_>>().join("\n");
    let text = format!(
        "OPENAI_API_KEY=\"{openai}\\n\"\n\
         ANTHROPIC_API_KEY={anthropic}#x\n\
         GEMINI_API_KEY=\"  \"\n\
         PRIVATE_KEY=\"{pem}\"\n"
    );
    let env = write_env(dir.path(), "settings.env", &text);
    let (items, out) = json(
        env_check(&mut keyward())
            .current_dir(dir.path())
            .args(["--env-file", &env]),
    );
    assert_eq!(code(&out), 1, "{items:#?}");
    let status = |n: &str| {
        item(&items, n, "file")["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("OPENAI_API_KEY"), "malformed");
    assert!(item(&items, "OPENAI_API_KEY", "file")["message"]
        .as_str()
        .unwrap()
        .contains("whitespace"));
    assert_eq!(status("ANTHROPIC_API_KEY"), "malformed");
    assert_eq!(status("GEMINI_API_KEY"), "placeholder");
    assert_eq!(status("PRIVATE_KEY"), "valid");
    assert_eq!(item(&items, "PRIVATE_KEY", "file")["line"], 4);
    assert_hidden(&out, &[&openai, &anthropic, &pem_body]);
}

#[test]
fn a_missing_env_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(env_check(&mut keyward())
        .current_dir(dir.path())
        .args(["--env-file", "config/.env.missing"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read env file config/.env.missing: no such file"),
        "{}",
        stderr(&out)
    );

    // A malformed key elsewhere takes precedence (exit 1), the error is still printed.
    let truncated = key("anthropic-api-key", 11)[..40].to_string();
    let env = write_env(
        dir.path(),
        ".env",
        &format!("ANTHROPIC_API_KEY={truncated}\n"),
    );
    let out = run(env_check(&mut keyward()).current_dir(dir.path()).args([
        "--env-file",
        "nope.env",
        "--env-file",
        &env,
    ]));
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("nope.env"), "{}", stderr(&out));
    assert_hidden(&out, &[&truncated]);
}

#[test]
fn files_replace_the_environment_unless_process_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let from_env = key("openai-api-key", 12);
    let from_file = key("anthropic-api-key", 13);
    let env = write_env(
        dir.path(),
        ".env",
        &format!("ANTHROPIC_API_KEY={from_file}\n"),
    );
    let (items, out) = json(
        env_check(&mut keyward())
            .current_dir(dir.path())
            .env("OPENAI_API_KEY", &from_env)
            .args(["--env-file", &env]),
    );
    assert_eq!(code(&out), 0);
    assert_eq!(items.len(), 1, "{items:#?}");
    item(&items, "ANTHROPIC_API_KEY", "file");

    let (items, out) = json(
        env_check(&mut keyward())
            .current_dir(dir.path())
            .env("OPENAI_API_KEY", &from_env)
            .args(["--env-file", &env, "--process"]),
    );
    assert_eq!(code(&out), 0);
    assert_eq!(items.len(), 2, "{items:#?}");
    assert_eq!(item(&items, "OPENAI_API_KEY", "env")["status"], "valid");
    assert_eq!(item(&items, "ANTHROPIC_API_KEY", "file")["status"], "valid");
    assert_hidden(&out, &[&from_env, &from_file]);
}

#[test]
fn a_name_set_twice_in_a_file_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = key("anthropic-api-key", 14);
    let second = key("openai-api-key", 15);
    let env = write_env(
        dir.path(),
        ".env",
        &format!("OPENAI_API_KEY={first}\nOPENAI_API_KEY={second}\n"),
    );
    let (items, out) = json(
        env_check(&mut keyward())
            .current_dir(dir.path())
            .args(["--env-file", &env]),
    );
    assert_eq!(code(&out), 0, "the last value counts");
    assert_eq!(items.len(), 1);
    assert_eq!(item(&items, "OPENAI_API_KEY", "file")["line"], 2);
    assert!(stderr(&out).contains(".env:1: OPENAI_API_KEY is set again on line 2"));
    assert_hidden(&out, &[&first, &second]);
}

#[cfg(unix)]
#[test]
fn a_value_that_is_not_utf8_is_malformed() {
    use std::os::unix::ffi::OsStrExt;
    let mut bytes = key("openai-api-key", 16).into_bytes();
    bytes[20] = 0xff;
    let value = std::ffi::OsStr::from_bytes(&bytes);
    let (items, out) = json(env_check(&mut keyward()).env("OPENAI_API_KEY", value));
    assert_eq!(code(&out), 1);
    assert_eq!(item(&items, "OPENAI_API_KEY", "env")["status"], "malformed");
}

#[test]
fn odd_env_files_are_read_or_named() {
    let dir = tempfile::tempdir().unwrap();
    let anthropic = key("anthropic-api-key", 17);
    // UTF-16 with a byte-order mark (as some Windows editors save) is decoded.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("ANTHROPIC_API_KEY={anthropic}\r\n").encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    write(dir.path(), "utf16.env", &utf16);
    // Invalid UTF-8 in one value makes that value malformed, the rest is read.
    let mut latin1 = format!("ANTHROPIC_API_KEY={anthropic}\nOPENAI_API_KEY=caf").into_bytes();
    latin1.extend([0xE9, b'\n']);
    write(dir.path(), "latin1.env", &latin1);
    write(dir.path(), "binary.env", [0u8, 1, 2, 3]);

    let (items, out) = json(env_check(&mut keyward()).current_dir(dir.path()).args([
        "--env-file",
        "utf16.env",
        "--env-file",
        "latin1.env",
    ]));
    assert_eq!(code(&out), 1, "{items:#?}");
    let statuses: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["file"].as_str().unwrap(),
                i["variable"].as_str().unwrap(),
                i["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("utf16.env", "ANTHROPIC_API_KEY", "valid"),
            ("latin1.env", "ANTHROPIC_API_KEY", "valid"),
            ("latin1.env", "OPENAI_API_KEY", "malformed"),
        ]
    );
    assert!(stderr(&out).contains("latin1.env: not valid UTF-8"));
    assert_hidden(&out, &[&anthropic]);

    let out = run(env_check(&mut keyward())
        .current_dir(dir.path())
        .args(["--env-file", "binary.env"]));
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot read env file binary.env: a binary file"),
        "{}",
        stderr(&out)
    );
    let out = run(env_check(&mut keyward())
        .current_dir(dir.path())
        .args(["--env-file", "."]));
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot read env file ."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_env_file_over_the_size_cap_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.env");
    let mut text = String::new();
    while text.len() <= 1 << 20 {
        text.push_str("SOME_SETTING=value\n");
    }
    std::fs::write(&big, text).unwrap();
    let out = run(env_check(&mut keyward()).arg("--env-file").arg(&big));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("big.env") && err.contains("larger than"),
        "{err}"
    );
}
