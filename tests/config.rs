//! Configuration, custom rules, suppressions, baselines, the ignore file and gitleaks
//! configurations.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn key(rule_id: &str, seed: u64) -> String {
    key_for(rules().get(rule_id).expect("rule exists"), &mut rng(seed))
}

/// `keyward scan . -f json --show-suppressed` in `dir`: (reported, suppressed, output).
fn scan_all(dir: &Path, args: &[&str]) -> (Vec<Value>, Vec<Value>, std::process::Output) {
    let out = run(keyward()
        .current_dir(dir)
        .args([
            "scan",
            ".",
            "-f",
            "json",
            "--no-redact",
            "--show-suppressed",
        ])
        .args(args));
    let all: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    let (suppressed, reported) = all.into_iter().partition(|f| f.get("suppressed").is_some());
    (reported, suppressed, out)
}

fn reasons(suppressed: &[Value]) -> Vec<String> {
    let mut r: Vec<String> = suppressed
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            format!(
                "{} {}",
                s["suppressed"]["reason"].as_str().unwrap(),
                path.trim_start_matches("./")
            )
        })
        .collect();
    r.sort();
    r
}

#[test]
fn every_suppression_kind_suppresses_and_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let aws = key("aws-access-key-id", 1);
    let gh = key("github-pat", 2);
    let slack = key("slack-bot-token", 3);
    let openai = key("openai-api-key", 4);
    let anthropic = key("anthropic-api-key", 5);
    let stripe = key("stripe-secret-key", 6);
    let hf = key("huggingface-token", 7);
    write(d, "fixtures/aws.txt", format!("AWS_ACCESS_KEY_ID={aws}\n"));
    write(d, "ci/gh.txt", format!("token: {gh}\n"));
    write(d, "bot/slack.txt", format!("SLACK_BOT_TOKEN={slack}\n"));
    write(
        d,
        "app/openai.txt",
        format!("OPENAI_API_KEY={openai} # keyward:allow\n"),
    );
    write(
        d,
        "app/anthropic.txt",
        format!("ANTHROPIC_API_KEY={anthropic}\n"),
    );
    write(d, "pay/stripe.txt", format!("STRIPE_KEY={stripe}\n"));
    write(d, "ml/hf.txt", format!("HF_TOKEN={hf}\n"));
    // The regex allowlist matches the Slack token's last 6 characters; the stopword
    // the GitHub token's last 5 (in another case).
    let slack_tail = &slack[slack.len() - 6..];
    let gh_tail = gh[gh.len() - 5..].to_uppercase();
    write(
        d,
        "keyward.toml",
        format!(
            "[rules]\ndisable = [\"stripe-secret-key\"]\n[allowlist]\npaths = [\"fixtures/**\"]\nregexes = [\"{slack_tail}$\"]\n[allowlist.rules.github-pat]\nstopwords = [\"{gh_tail}\"]\n"
        ),
    );
    // The ignore file names the Anthropic finding by fingerprint; find it first.
    let (reported, _, _) = scan_all(d, &[]);
    let fp = reported
        .iter()
        .find(|f| f["rule_id"] == "anthropic-api-key")
        .expect("anthropic found")["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    write(
        d,
        ".keywardignore",
        format!(
            "# reviewed: a revoked test key\n{fp}  # app/anthropic.txt\n0123456789abcdef # gone\n"
        ),
    );
    // And a baseline holds the Hugging Face token.
    let out = run(keyward()
        .current_dir(d)
        .args(["baseline", "create", "ml", "-o", "base.txt"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let (reported, suppressed, out) = scan_all(d, &["--baseline", "base.txt"]);
    assert!(reported.is_empty(), "{reported:#?}");
    assert_eq!(
        reasons(&suppressed),
        [
            "allowlist-path fixtures/aws.txt",
            "allowlist-regex bot/slack.txt",
            "allowlist-stopword ci/gh.txt",
            "baseline ml/hf.txt",
            "disabled-rule pay/stripe.txt",
            "ignore-file app/anthropic.txt",
            "inline-comment app/openai.txt",
        ]
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "suppressed findings do not fail the scan"
    );
    let err = stderr(&out);
    assert!(
        err.contains("7 suppressed (1 inline-comment, 1 disabled-rule, 1 allowlist-path, 1 allowlist-regex, 1 allowlist-stopword, 1 ignore-file, 1 baseline; 4 of them by ")
            && err.contains("keyward.toml, the scanned repository's configuration)\n"),
        "{err}"
    );
    assert!(
        err.contains(".keywardignore:3: fingerprint 0123456789abcdef matched no finding"),
        "{err}"
    );
    // SARIF run properties count them by reason.
    let out =
        run(keyward()
            .current_dir(d)
            .args(["scan", ".", "-f", "sarif", "--baseline", "base.txt"]));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = &sarif["runs"][0]["properties"]["suppressed"];
    assert_eq!(props["baseline"], 1);
    assert_eq!(props["inline-comment"], 1);
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    // --show-suppressed puts them in SARIF with a suppression each.
    let out = run(keyward().current_dir(d).args([
        "scan",
        ".",
        "-f",
        "sarif",
        "--baseline",
        "base.txt",
        "--show-suppressed",
    ]));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 7);
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["kind"].is_string()));
    // Without the configuration, all of them are reported again.
    let (reported, _, _) = scan_all(d, &["--no-config", "--ignore-file", "/dev/null"]);
    assert!(reported.len() >= 6, "{}", reported.len());
}

#[test]
fn a_baseline_survives_moved_lines_and_a_rebase_but_not_a_new_secret() {
    let repo = new_repo();
    let d = repo.path();
    let first = key("openai-api-key", 10);
    commit(
        d,
        &[(
            "app/settings.py",
            &format!("import os\nKEY = \"{first}\"\n"),
        )],
        "settings",
        "2024-01-01T00:00:00Z",
    );
    let out = run(keyward().current_dir(d).args([
        "baseline",
        "create",
        "--history",
        "-o",
        "kw.baseline",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("kw.baseline")).unwrap();
    assert!(!text.contains(&first), "the baseline never holds a secret");
    let entries: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0].starts_with("openai-api-key\t") && entries[0].ends_with("\tapp/settings.py")
    );

    // Move the line down; rebase onto a new root commit (every commit id changes).
    git(d, &["checkout", "-q", "-b", "feature"]);
    commit(
        d,
        &[(
            "app/settings.py",
            &format!("import os\nimport sys\n\n# the key\nKEY = \"{first}\"\n"),
        )],
        "move",
        "2024-01-02T00:00:00Z",
    );
    git(d, &["checkout", "-q", "--orphan", "base"]);
    git(d, &["rm", "-rfq", "."]);
    commit(
        d,
        &[("README.md", "base\n")],
        "base",
        "2024-01-03T00:00:00Z",
    );
    git(d, &["checkout", "-q", "feature"]);
    git(d, &["rebase", "-q", "base"]);
    git(d, &["branch", "-D", "base"]);
    git(d, &["branch", "-D", "main"]);
    let out =
        run(keyward()
            .current_dir(d)
            .args(["history", "-f", "json", "--baseline", "kw.baseline"]));
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        found.is_empty(),
        "still baselined after moving and rebasing: {found:#?}"
    );
    let out = run(keyward().current_dir(d).args([
        "scan",
        ".",
        "-f",
        "json",
        "--baseline",
        "kw.baseline",
    ]));
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found.is_empty(), "and in the work tree: {found:#?}");

    // Another secret on the same line is new.
    let second = key("openai-api-key", 11);
    write(
        d,
        "app/settings.py",
        format!("import os\nimport sys\n\n# the key\nKEY = \"{first}\"; OTHER = \"{second}\"\n"),
    );
    let out = run(keyward().current_dir(d).args([
        "scan",
        ".",
        "-f",
        "json",
        "--no-redact",
        "--baseline",
        "kw.baseline",
    ]));
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["secret"], second.as_str());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn prune_removes_entries_that_match_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = key("aws-access-key-id", 20);
    let b = key("github-pat", 21);
    write(d, "a.txt", format!("AWS_ACCESS_KEY_ID={a}\n"));
    write(d, "b.txt", format!("token: {b}\n"));
    assert_eq!(
        run(keyward().current_dir(d).args(["baseline", "create"]))
            .status
            .code(),
        Some(0)
    );
    let before = std::fs::read_to_string(d.join(".keyward-baseline")).unwrap();
    assert_eq!(before.lines().filter(|l| !l.starts_with('#')).count(), 2);
    // Sorted, no timestamp: creating it again gives the same bytes.
    assert_eq!(
        run(keyward().current_dir(d).args(["baseline", "create"]))
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        std::fs::read_to_string(d.join(".keyward-baseline")).unwrap(),
        before
    );

    std::fs::remove_file(d.join("b.txt")).unwrap();
    let out = run(keyward()
        .current_dir(d)
        .args(["scan", ".", "--baseline", ".keyward-baseline"]));
    assert!(
        stderr(&out).contains("1 of 2 baseline entries matched no finding"),
        "{}",
        stderr(&out)
    );
    let out = run(keyward().current_dir(d).args(["baseline", "prune"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("removed 1 of 2 entries"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::read_to_string(d.join(".keyward-baseline")).unwrap();
    let entries: Vec<&str> = after.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(entries.len(), 1);
    assert!(entries[0].starts_with("aws-access-key-id\t"));
}

#[test]
fn custom_rules_severity_and_size_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "keyward.toml",
        r#"
[rules.severity]
aws-access-key-id = "low"

[[rule]]
id = "acme-internal-token"
name = "ACME internal token"
provider = "ACME"
severity = "high"
keywords = ["acmetok_"]
regex = '\bacmetok_[a-z0-9]{24}\b'
revoke_url = "https://acme.example/tokens"
rotation_days = 30
examples = ["ACME_TOKEN=acmetok_{lower:12}{digit:12}"]

[scan]
max_file_size = "1K"
"#,
    );
    let token = format!("acmetok_{}", "q7x2m9k4w1z8".repeat(2));
    write(
        d,
        "svc.env",
        format!(
            "ACME_TOKEN={token}\nAWS_ACCESS_KEY_ID={}\n",
            key("aws-access-key-id", 30)
        ),
    );
    write(d, "big.txt", "x".repeat(4096));
    let (reported, _, out) = scan_all(d, &[]);
    let ids: Vec<&str> = reported
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acme-internal-token", "aws-access-key-id"]);
    assert_eq!(reported[0]["provider"], "ACME");
    assert_eq!(reported[1]["severity"], "low");
    assert!(
        stderr(&out).contains("big.txt: skipped, larger than --max-file-size"),
        "{}",
        stderr(&out)
    );
    // The command line wins over the configuration.
    let (_, _, out) = scan_all(d, &["--max-file-size", "1M"]);
    assert!(!stderr(&out).contains("big.txt"), "{}", stderr(&out));
    // `rules check --config` checks the custom rules like the built-in ones.
    let out = run(keyward().current_dir(d).args([
        "rules",
        "check",
        "--config",
        "keyward.toml",
        "--seed",
        "1",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let cfg = std::fs::read_to_string(d.join("keyward.toml")).unwrap();
    write(
        d,
        "bad.toml",
        cfg.replace(
            "examples = [\"ACME_TOKEN=acmetok_",
            "examples = [\"ACME_TOKEN=tok_",
        ),
    );
    let out = run(keyward()
        .current_dir(d)
        .args(["rules", "check", "--config", "bad.toml", "--seed", "1"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("contains none of the keywords"),
        "{}",
        stdout(&out)
    );
    // `config show` prints the effective configuration, defaults filled in.
    let out = run(keyward().current_dir(d).args(["config", "show"]));
    let shown = stdout(&out);
    assert!(
        shown.contains("# read from ./keyward.toml")
            && shown.contains("acme-internal-token")
            && shown.contains("high = 90"),
        "{shown}"
    );
    // `rules show` finds a custom rule with --config.
    let out = run(keyward().current_dir(d).args([
        "rules",
        "show",
        "acme-internal-token",
        "--config",
        "keyward.toml",
    ]));
    assert!(stdout(&out).contains("acmetok_"), "{}", stdout(&out));
}

/// A custom rule may put a checksum on a pattern that matches any character: a match
/// whose checksum would start inside a character fails its checksum (it used to panic).
#[test]
fn a_checksum_over_non_ascii_text_fails_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "keyward.toml",
        r#"
[rules]
builtin = false

[[rule]]
id = "wide-token"
name = "Wide token"
provider = "ACME"
severity = "high"
keywords = ["wide_"]
regex = 'wide_\S{20,40}'
checksum = "crc32-base36"
revoke_url = "https://acme.example/tokens"
rotation_days = 90
"#,
    );
    // 4-byte characters: the checksum's first byte falls inside one.
    write(d, "a.txt", format!("wide_{}\n", "\u{1f600}".repeat(30)));
    let (reported, suppressed, out) = scan_all(d, &[]);
    assert!(reported.is_empty() && suppressed.is_empty(), "{reported:?}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// `rules check --config` expands custom examples: a count no key could have is a
/// problem it reports (it used to abort on a huge allocation, or run for hours).
#[test]
fn a_huge_template_count_is_reported_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "keyward.toml",
        r#"
[[rule]]
id = "acme-token"
name = "ACME token"
provider = "ACME"
severity = "high"
keywords = ["acme_"]
regex = 'acme_[a-z0-9]{24}'
revoke_url = "https://acme.example/tokens"
rotation_days = 30
examples = ["ACME_TOKEN=acme_{alnum:99999999999999}"]
"#,
    );
    let out = run(keyward().current_dir(d).args([
        "rules",
        "check",
        "--config",
        "keyward.toml",
        "--seed",
        "1",
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("count 99999999999999 in template")
            && stdout(&out).contains("more than 16384 characters"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn configuration_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", "nothing\n");
    let cases: [(&str, &[&str]); 6] = [
        ("[rules]\ndisable = [\"x\"]\nenabel = true\n", &["keyward.toml", "line 3", "unknown field", "`builtin`"]),
        ("[rules]\ndisable = [\"no-such-rule\"]\n", &["no rule has the id \"no-such-rule\""]),
        ("[allowlist]\npaths = [\"[\"]\n", &["[allowlist]", "is not a glob"]),
        ("[allowlist]\nregexes = [\"(\"]\n", &["is not a regex"]),
        ("[[rule]]\nid = \"Bad Id\"\nname = \"x\"\nprovider = \"x\"\nseverity = \"high\"\nkeywords = [\"x\"]\nregex = \"x\"\nrevoke_url = \"\"\nrotation_days = 1\n", &["kebab-case"]),
        ("[scan]\nmax_file_size = \"huge\"\n", &["max_file_size", "huge"]),
    ];
    for (config, want) in cases {
        write(d, "keyward.toml", config);
        let out = run(keyward().current_dir(d).args(["scan", "."]));
        assert_eq!(out.status.code(), Some(2), "{config}");
        let err = stderr(&out);
        for w in want {
            assert!(err.contains(w), "{config}: {err}");
        }
    }
    write(d, ".keywardignore", "not-a-fingerprint\n");
    write(d, "keyward.toml", "");
    let err = stderr(&run(keyward().current_dir(d).args(["scan", "."])));
    assert!(
        err.contains(".keywardignore:1") && err.contains("not a fingerprint"),
        "{err}"
    );
}

#[test]
fn a_gitleaks_config_brings_its_rules_and_allowlists() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".gitleaks.toml",
        r#"
title = "acme gitleaks config"

[extend]
useDefault = true

[[rules]]
id = "acme-deploy-key"
description = "ACME deploy key"
regex = '''acmedeploy-([a-f0-9]{32})'''
secretGroup = 1
keywords = ["acmedeploy-"]
entropy = 2.0
tags = ["acme"]
[[rules.allowlists]]
paths = ['''^docs/''']

[[rules]]
id = "ACME legacy"
regex = '''acmelegacy_[A-Z0-9]{20}'''

[[rules]]
id = "path-only"
path = '''\.pem$'''

[allowlist]
description = "global"
regexes = ['''^f00d''']
commits = ["abc123"]
"#,
    );
    let hex: String = "3f9a1c7e5b2d4f60".repeat(2);
    let legacy = format!("acmelegacy_{}", "Q7X2M9K4W1Z8R5T3V6B0");
    write(
        d,
        "deploy.sh",
        format!(
            "DEPLOY=acmedeploy-{hex}\nLEGACY={legacy}\nTEST=acmedeploy-f00d{}\n",
            &hex[4..]
        ),
    );
    write(d, "docs/howto.md", format!("use acmedeploy-{hex}\n"));
    let out = run(keyward().current_dir(d).args([
        "scan",
        ".",
        "-f",
        "json",
        "--no-redact",
        "--show-suppressed",
        "--config",
        ".gitleaks.toml",
    ]));
    let all: Vec<Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    let err = stderr(&out);
    let got: Vec<String> = all
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule_id"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["suppressed"]["reason"].as_str().unwrap_or("reported")
            )
        })
        .collect();
    assert!(
        got.contains(&"acme-deploy-key ./deploy.sh reported".to_string()),
        "{got:?}\n{err}"
    );
    assert!(
        got.contains(&"acme-legacy ./deploy.sh reported".to_string()),
        "{got:?}\n{err}"
    );
    assert!(
        got.contains(&"acme-deploy-key ./docs/howto.md allowlist-path".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"acme-deploy-key ./deploy.sh allowlist-regex".to_string()),
        "{got:?}"
    );
    // The secret group is honoured.
    let deploy = all
        .iter()
        .find(|f| f["rule_id"] == "acme-deploy-key" && f.get("suppressed").is_none())
        .unwrap();
    assert_eq!(deploy["secret"], hex.as_str());
    // What does not translate is said, not dropped.
    assert!(err.contains("path-only rule (no regex)"), "{err}");
    assert!(err.contains("`commits`"), "{err}");
    assert!(err.contains("no keywords; using \"acmelegacy_\""), "{err}");
    assert!(err.contains("useDefault"), "{err}");
}

/// `config show` with no configuration file shows every default in effect, as TOML that
/// keyward reads back to the same configuration.
#[test]
fn config_show_fills_in_every_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run(keyward().current_dir(d).args(["config", "show"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stdout(&out);
    for line in [
        "[rules]\nbuiltin = true\ndisable = []\n",
        "[allowlist]\npaths = []\npath_regexes = []\nregexes = []\nstopwords = []\n",
        "[scan]\nmax_file_size = \"50M\"\n",
        "[rotation]\nhigh = 90\nmedium = 180\nlow = 365\nwarn_days = 14\n",
    ] {
        assert!(shown.contains(line), "{line:?} missing from:\n{shown}");
    }
    // What it prints is a configuration that gives the same output.
    write(d, "keyward.toml", &shown);
    let again = stdout(&run(keyward().current_dir(d).args(["config", "show"])));
    let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&again), body(&shown));
    // A value the file sets is shown instead of the default.
    write(d, "keyward.toml", "[scan]\nmax_file_size = \"2M\"\n");
    let set = stdout(&run(keyward().current_dir(d).args(["config", "show"])));
    assert!(set.contains("max_file_size = \"2M\""), "{set}");
}

/// A rule translated from a gitleaks configuration has no revoke URL: every output says
/// so instead of "revoke at " and nothing.
#[test]
fn a_rule_without_a_revoke_url_says_so_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".gitleaks.toml",
        r#"
[[rules]]
id = "acme-deploy-key"
description = "ACME deploy key"
regex = '''acmedeploy-([a-f0-9]{32})'''
secretGroup = 1
keywords = ["acmedeploy-"]
"#,
    );
    write(
        d,
        "deploy.sh",
        format!("DEPLOY=acmedeploy-{}\n", "3f9a1c7e5b2d4f60".repeat(2)),
    );
    let said = "the provider's console (the rule has no revoke URL)";
    let config = ["--config", ".gitleaks.toml"];
    let show = stdout(&run(keyward()
        .current_dir(d)
        .args(["rules", "show", "acme-deploy-key"])
        .args(config)));
    assert!(show.contains(&format!("revoke at:  {said}\n")), "{show}");
    for format in ["human", "markdown", "sarif"] {
        let out = run(keyward()
            .current_dir(d)
            .args(["scan", ".", "-f", format])
            .args(config));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(said), "{format}: {text}");
        assert!(
            !text.contains("revoke at \n") && !text.contains("at  and") && !text.contains("at and"),
            "{format}: {text}"
        );
    }
    let sarif: Value = serde_json::from_slice(
        &run(keyward()
            .current_dir(d)
            .args(["scan", ".", "-f", "sarif"])
            .args(config))
        .stdout,
    )
    .unwrap();
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][0];
    for help in [&rule["help"]["text"], &rule["help"]["markdown"]] {
        let help = help.as_str().unwrap();
        assert!(
            help.contains(&format!("the key at {said}")) || help.contains(said),
            "{help}"
        );
    }
}
