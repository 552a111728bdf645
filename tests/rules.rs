//! Every rule against generated keys: its examples through `rules check`, its key in a
//! dozen syntaxes (dotenv, YAML, JSON, Python, JS, shell, Dockerfile, URL, notebook…),
//! and the documentation placeholders of key-formats.md §4, which must stay quiet.

mod common;

use common::*;
use std::collections::BTreeSet;

/// The syntaxes a key is written in: (file name, content builder).
fn syntaxes(name: &str, key: &str) -> Vec<(&'static str, String)> {
    let lower = name.to_ascii_lowercase();
    vec![
        (".env.local", format!("# settings\n{name}={key}\n")),
        ("quoted.env", format!("{name}=\"{key}\"\n")),
        ("single.env", format!("{name}='{key}'\n")),
        ("config.yaml", format!("service:\n  env:\n    {name}: {key}\n")),
        ("quoted.yml", format!("{lower}: \"{key}\"\n")),
        ("settings.json", format!("{{\n  \"{name}\": \"{key}\"\n}}\n")),
        ("app.py", format!("import os\nos.environ[\"{name}\"] = \"{key}\"\n")),
        ("client.js", format!("const {name} = '{key}';\n")),
        ("deploy.sh", format!("#!/bin/sh\nexport {name}={key}\n")),
        ("Dockerfile", format!("FROM python:3.12\nENV {name}={key}\n")),
        ("Dockerfile.legacy", format!("FROM node:20\nENV {name} {key}\n")),
        ("config.toml", format!("[llm]\n{lower} = \"{key}\"\n")),
        ("page.html", format!("<a href=\"https://api.example.invalid/v1?{lower}={key}&lang=en\">x</a>\n")),
        (
            "notebook.ipynb",
            format!(
                "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\"import os\\n\", \"os.environ[\\\"{name}\\\"] = \\\"{key}\\\"\\n\"]}}]}}\n"
            ),
        ),
    ]
}

/// 1-based line and column (in characters) of `needle` in `text`.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("key is in the text");
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line as u64, col as u64)
}

struct Case {
    expect_id: String,
    expect_provider: String,
    env_name: String,
    key: String,
}

fn cases() -> Vec<Case> {
    let rules = rules();
    let mut rng = rng(0x6b65_7977);
    let mut out = Vec::new();
    // A name belongs to the first rule that lists it: a rule that needs more context
    // (an AWS secret next to its key id) is tested by its own examples instead.
    let mut names = std::collections::HashSet::new();
    for rule in &rules.rules {
        if rule.spec.key.is_none() {
            continue;
        }
        if let Some(name) = rule
            .spec
            .env_vars
            .first()
            .filter(|n| names.insert(n.to_string()))
        {
            out.push(Case {
                expect_id: rule.spec.id.clone(),
                expect_provider: rule.spec.provider.clone(),
                env_name: name.clone(),
                key: key_for(rule, &mut rng),
            });
        }
        for v in &rule.variants {
            if let Some(name) = v.env_vars.first().filter(|n| names.insert(n.to_string())) {
                out.push(Case {
                    expect_id: v.id.clone(),
                    expect_provider: v.provider.clone(),
                    env_name: name.clone(),
                    key: key_for(rule, &mut rng),
                });
            }
        }
    }
    out
}

#[test]
fn every_rule_finds_its_key_in_every_syntax() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() > 60, "only {} cases", cases.len());
    for (i, case) in cases.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for (file, content) in syntaxes(&case.env_name, &case.key) {
            let rel = format!("c{i}/{file}");
            write(dir.path(), &rel, &content);
            expected.push((rel, position(&content, &case.key)));
        }
        let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
        for (rel, (line, col)) in expected {
            let path = format!("./{rel}");
            let hit = findings
                .iter()
                .find(|f| field(f, "path") == path && field(f, "secret") == case.key);
            match hit {
                None => failures.push(format!(
                    "{}: {} not found in {rel}",
                    case.expect_id, case.env_name
                )),
                Some(f) => {
                    let got = (
                        field(f, "rule_id"),
                        field(f, "provider"),
                        f["line"].as_u64(),
                        f["column"].as_u64(),
                    );
                    let want = (
                        case.expect_id.as_str(),
                        case.expect_provider.as_str(),
                        Some(line),
                        Some(col),
                    );
                    if got != want {
                        failures.push(format!("{rel}: got {got:?}, want {want:?}"));
                    }
                }
            }
        }
        let rules_on_key: BTreeSet<&str> = findings
            .iter()
            .filter(|f| field(f, "secret") == case.key)
            .map(|f| field(f, "rule_id"))
            .collect();
        if rules_on_key.len() > 1 {
            failures.push(format!(
                "{}: several rules on one key: {rules_on_key:?}",
                case.expect_id
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rules_check_passes() {
    for seed in ["1", "2", "3"] {
        let out = run(keyward().args(["rules", "check", "--seed", seed]));
        assert!(out.status.success(), "seed {seed}:\n{}", stdout(&out));
        assert!(stdout(&out).contains(": ok"), "{}", stdout(&out));
    }
}

#[test]
fn rules_list_names_every_rule() {
    let out = run(keyward().args(["rules", "list", "-f", "json"]));
    assert!(out.status.success());
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), rules().len());
    for r in &list {
        assert!(!field(r, "provider").is_empty());
        assert!(field(r, "revoke_url").starts_with("https://"), "{r}");
        assert!(r["rotation_days"].as_u64().unwrap() > 0);
        // A rule for files of given names reads all of such a file, without keywords.
        assert!(
            !r["keywords"].as_array().unwrap().is_empty()
                || !r["paths"].as_array().unwrap().is_empty(),
            "{r}"
        );
    }
    let human = stdout(&run(keyward().args(["rules", "list"])));
    assert!(human.contains("anthropic-api-key") && human.contains("deepseek-api-key"));
}

/// `rules list` fits 100 columns (counted in characters) with the built-in rules and with
/// a custom rule whose id is as long as ids may be, whose provider is long and whose
/// keywords are many; ids are never cut, and the footer says where the cut lists are.
#[test]
fn rules_list_fits_100_columns() {
    let fits = |text: &str| {
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "{} columns: {line}",
                line.chars().count()
            );
        }
    };
    let out = run(keyward().args(["rules", "list"]));
    assert!(out.status.success());
    let text = stdout(&out);
    fits(&text);
    for r in rules().rules.iter() {
        assert!(
            text.contains(&format!("{} ", r.spec.id)),
            "{} is cut",
            r.spec.id
        );
    }
    assert!(text.contains("rules show ID"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let id = format!("acme-{}", "x".repeat(59));
    let keywords: Vec<String> = (0..30).map(|n| format!("\"acmekeyword{n}_\"")).collect();
    write(
        dir.path(),
        "keyward.toml",
        format!(
            r#"
[[rule]]
id = "{id}"
name = "ACME token"
provider = "ACME Corporation International Holdings, Platform Engineering Division"
severity = "high"
keywords = [{}]
regex = 'acmekeyword[0-9]+_[a-z0-9]{{32}}'
revoke_url = "https://acme.example/tokens"
rotation_days = 90
"#,
            keywords.join(", ")
        ),
    );
    let out =
        run(keyward()
            .current_dir(dir.path())
            .args(["rules", "list", "--config", "keyward.toml"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    fits(&text);
    assert!(text.contains(&id), "{text}");
}

#[test]
fn rules_show_prints_a_rule_and_rejects_unknown_ids() {
    let out = run(keyward().args(["rules", "show", "groq-api-key"]));
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("WGdyb3FY") && text.contains("https://console.groq.com/keys"),
        "{text}"
    );
    let out = run(keyward().args(["rules", "show", "no-such-rule"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no rule has the id"));
}

/// Placeholders of key-formats.md §4 and the design: none may be reported. A few are
/// assembled from pieces so no checked-in line looks like a key to a naive grep.
fn placeholders() -> Vec<String> {
    let mut p: Vec<String> = [
        "sk-...",
        "sk-\u{2026}",
        "sk-proj-...",
        "sk-ant-...",
        "sk-ant-api03-...",
        "sk-ant-oat01-...",
        "sk-or-v1-...",
        "sk-kimi-...",
        "xai-...",
        "gsk_...",
        "r8_...",
        "tvly-...",
        "tvly-dev-...",
        "pcsk_...",
        "fw_...",
        "fw_*",
        "jina_*",
        "dckr_pat_\u{2026}",
        "npm_...",
        "ls__...",
        "tgp_v1_...",
        "wandb_v1_...",
        "AIza...",
        "AIzaSy...",
        "pa-...",
        "sk_...",
        "hf_xxxxx",
        "sk-your_openai_key_here",
        "sk-your-key-here",
        "sk-your-api-key-here",
        "sk-your-openai-api-key",
        "sk-proj-your-openai-api-key",
        "sk-ant-api03-your-anthropic-api-key",
        "sk-ant-api03-xyz789...",
        "AIzaSyYour_gemini_key_here",
        "AIzaSy_YOUR_GEMINI_API_KEY",
        "xai-your_grok_key_here",
        "xai-your-key-here",
        "xai-YOUR-KEY",
        "xai-paste-key-here",
        "gsk_your_key_here",
        "tgp_v1_your_key_here",
        "pa-your-voyage-key-here",
        "pcsk_YOUR_PINECONE_API_KEY",
        "dckr_pat_[your-docker-hub-access-token]",
        "sk-REPLACE_WITH_MOONSHOT_KEY",
        "YOUR_DASHSCOPE_API_KEY",
        "YOUR-DASHSCOPE-API-KEY",
        "ADD_YOUR_HUGGING_FACE_TOKEN_HERE",
        "sk-你的Key",
        "sk-你的真实密钥",
        "your-key-here",
        "your-api-key",
        "<YOUR_API_KEY>",
        "<your-token>",
        "[redacted]",
        "<redacted>",
        "wandb_v1_REDACTED",
        "sk_live_***",
        "GROQ_API_KEY=sk_live_***",
        "${VAR}",
        "$VAR",
        "${{ secrets.OPENAI_API_KEY }}",
        "${{ env.OPENAI_API_KEY }}",
        "${{ vars.OPENAI_API_KEY }}",
        "{{ .Values.apiKey }}",
        "{{ api_key }}",
        "%OPENAI_API_KEY%",
        "@OPENAI_API_KEY@",
        "$1",
        "${1}",
        "process.env.OPENAI_API_KEY",
        "os.getenv(\"OPENAI_API_KEY\")",
        "os.environ[\"OPENAI_API_KEY\"]",
        "sk-ant-****",
        "sk-proj-****",
        "sk-...abcd",
        "UseDevelopmentStorage=true",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let fill = |c: &str, n: usize| c.repeat(n);
    p.push(format!("sk-{}", fill("x", 48)));
    p.push(format!("hf_{}", fill("x", 34)));
    p.push(format!("pplx-{}", fill("x", 48)));
    p.push(format!("CO_API_KEY={}", fill("x", 40)));
    p.push(format!("AIzaSy{}", fill("X", 33)));
    p.push(format!("tvly-{}", fill("x", 32)));
    p.push(format!("sk-{}", fill("0", 32)));
    p.push(format!("AKIA{}", "IOSFODNN7EXAMPLE"));
    p.push(format!("wJalrXUtnFEMI/K7MDENG/{}", "bPxRfiCYEXAMPLEKEY"));
    p.push(format!("sk_test_{}", "4eC39HqLyjWDarjtT1zdp7dc"));
    p.push(format!("ghs_{}", "16C7e42F292c69C2E7C10c838347Ae178B4a"));
    p.push(format!(
        "sk-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx-{}AA",
        fill("A", 43)
    ));
    p.push(format!(
        "sk-None-abcdefghij1234567890ABCDEFGHIJ{}T3BlbkFJ{}",
        fill("k", 10),
        fill("m", 30)
    ));
    p.push(format!(
        "gsk_abcdefghijABCDEFGHIJ1234567890{}",
        fill("z", 22)
    ));
    p.push(format!(
        "sk_1234567890abcdef{}",
        "1234567890abcdef".repeat(2)
    ));
    p.push(format!("xai-AbCdEfGh{}", "AbCdEfGhIjKlMnOp".repeat(5)));
    p.push(format!("ghp_abcdefghijklmnopqrstuvwxyz{}", "0123456789AB"));
    p.push(format!("github_pat_11ABCDEFG0_{}", "abcdefghijklmnopqrst"));
    p
}

#[test]
fn documentation_placeholders_are_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for (i, p) in placeholders().iter().enumerate() {
        // Each as a value, assigned to a key name, and in quotes.
        text.push_str(&format!("{p}\nAPI_KEY_{i}={p}\nsecret_{i}: \"{p}\"\n"));
    }
    write(dir.path(), "README.md", &text);
    write(dir.path(), ".env.example", &text);
    let (findings, out) = scan_json(dir.path(), &["--no-ignore", "."]);
    let shown: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                field(f, "path"),
                f["line"],
                field(f, "rule_id"),
                field(f, "secret")
            )
        })
        .collect();
    assert!(
        findings.is_empty(),
        "placeholders reported:\n{}",
        shown.join("\n")
    );
    assert_eq!(out.status.code(), Some(0));
}
