//! No whole secret anywhere unless `--no-redact`: keys planted in every place that can
//! reach output (file content and names, CI files, env files, keyward.toml, commit
//! messages and author names) never show up in any format of any command, on standard
//! output, standard error or in a written file: no 8-character window of a key's random
//! part (what follows its format's fixed prefix) may appear. And untrusted file names
//! reach a terminal or a Markdown page escaped.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

/// A planted key: where it was planted and the key (built from the rule's template).
struct Planted {
    place: &'static str,
    key: String,
    rule: &'static str,
}

impl Planted {
    /// The part of the key after its format's fixed prefix.
    fn random(&self) -> &str {
        let rule = rules().get(self.rule).expect("rule exists");
        &self.key[rule.fixed_prefix_len(self.key.as_bytes())..]
    }
}

fn key(
    rule: &'static str,
    place: &'static str,
    rng: &mut keyward::rules::template::Rng,
) -> Planted {
    let r = rules().get(rule).expect("rule exists");
    Planted {
        place,
        key: key_for(r, rng),
        rule,
    }
}

/// Fail when `text` (named `what`) holds an 8-character window of a planted key.
fn assert_no_window(what: &str, text: &str, planted: &[&Planted]) {
    for p in planted {
        let rule = rules().get(p.rule).expect("rule exists");
        let random: Vec<char> = p.random().chars().collect();
        for w in random.windows(8) {
            let w: String = w.iter().collect();
            // A fixed marker inside the format (OpenAI's `T3BlbkFJ`) is public.
            if rule.pattern().contains(&w) || rule.spec.description.contains(&w) {
                continue;
            }
            assert!(
                !text.contains(&w),
                "{what} shows part of the key planted in {} ({}): {w:?}\n{text}",
                p.place,
                p.rule
            );
        }
    }
}

fn check_output(what: &str, out: &Output, planted: &[&Planted]) {
    assert_no_window(&format!("{what} (stdout)"), &stdout(out), planted);
    assert_no_window(&format!("{what} (stderr)"), &stderr(out), planted);
    // The command ran (an error would hide the output under test).
    assert!(
        matches!(out.status.code(), Some(0..=1)),
        "{what}: exit {:?}\n{}",
        out.status.code(),
        stderr(out)
    );
}

#[test]
fn no_planted_key_reaches_any_output() {
    let mut rng = rng(0x1ea4);
    let content = key("anthropic-api-key", "file content", &mut rng);
    let in_name = key("google-api-key", "a file name", &mut rng);
    let in_name_finding = key(
        "aws-access-key-id",
        "the file with a key in its name",
        &mut rng,
    );
    let ci_echo = key("github-pat", "a CI echo", &mut rng);
    let ci_env = key("openai-api-key", "a CI env value", &mut rng);
    let env_value = key("anthropic-api-key", "an env file value", &mut rng);
    let env_bad = key("github-pat", "a malformed env line", &mut rng);
    let toml_field = key("github-pat", "a keyward.toml rule field", &mut rng);
    let toml_allow = key(
        "aws-access-key-id",
        "a keyward.toml allowlist entry",
        &mut rng,
    );
    let message = key("github-pat", "a commit message", &mut rng);
    let author = key("google-api-key", "an author name", &mut rng);
    let staged = key("openai-api-key", "a staged file", &mut rng);
    let planted = [
        &content,
        &in_name,
        &in_name_finding,
        &ci_echo,
        &ci_env,
        &env_value,
        &env_bad,
        &toml_field,
        &toml_allow,
        &message,
        &author,
        &staged,
    ];

    let repo = new_repo();
    let d = repo.path();
    let out_dir = tempfile::tempdir().unwrap();
    let first = commit(
        d,
        &[("README.md", "a project\n")],
        "start",
        "2024-01-01T00:00:00Z",
    );
    let name_file = format!("notes-{}.txt", in_name.key);
    let files = [
        (
            "app/settings.py".to_string(),
            format!("ANTHROPIC_API_KEY = \"{}\"\n", content.key),
        ),
        (
            name_file.clone(),
            format!("aws_access_key_id = {}\n", in_name_finding.key),
        ),
        (
            ".github/workflows/ci.yml".to_string(),
            format!(
                "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {} $API_TOKEN\n      - run: ./deploy\n        env:\n          OPENAI_API_KEY: {}\n",
                ci_echo.key, ci_env.key
            ),
        ),
        (
            ".env".to_string(),
            format!(
                "ANTHROPIC_API_KEY={}\n{} text\n",
                env_value.key, env_bad.key
            ),
        ),
        (
            "keyward.toml".to_string(),
            format!(
                "[allowlist]\nregexes = [\"{}\"]\n\n[[rule]]\nid = \"acme-token\"\nname = \"ACME token\"\nprovider = \"ACME\"\nseverity = \"high\"\ndescription = \"An ACME token, such as {}.\"\nkeywords = [\"acmetok_\"]\nregex = '\\bacmetok_[a-z0-9]{{24}}\\b'\nrevoke_url = \"https://acme.example/tokens\"\nrotation_days = 30\n",
                toml_allow.key, toml_field.key
            ),
        ),
        (
            "allowed.txt".to_string(),
            format!("aws_access_key_id = {}\n", toml_allow.key),
        ),
        (
            "acme.txt".to_string(),
            format!("ACME_TOKEN=acmetok_{}\n", "q7w2e9r4t1y8".repeat(2)),
        ),
    ];
    for (rel, text) in &files {
        write(d, rel, text);
        git(d, &["add", "--", rel]);
    }
    let out = git_command(d)
        .args([
            "commit",
            "-q",
            "-m",
            &format!("add settings {}\n\nmore about {}", message.key, message.key),
        ])
        .env("GIT_AUTHOR_NAME", format!("Eve {}", author.key))
        .env("GIT_AUTHOR_DATE", "2024-02-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-02-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    write(d, "staged.txt", format!("OPENAI_API_KEY={}\n", staged.key));
    git(d, &["add", "--", "staged.txt"]);

    // Sanity: the keys are found (else the test proves nothing).
    let (found, _) = scan_json(d, &["."]);
    for p in [&content, &in_name_finding, &ci_echo, &ci_env, &staged] {
        assert!(
            found.iter().any(|f| field(f, "secret") == p.key),
            "{} not found: {found:#?}",
            p.place
        );
    }

    let formats = ["human", "json", "jsonl", "sarif", "markdown"];
    let range = [
        "--from-ref".to_string(),
        first.clone(),
        "--to-ref".to_string(),
        "HEAD".to_string(),
    ];
    let commands: Vec<(&str, Vec<String>)> = vec![
        (
            "scan",
            vec!["scan".into(), ".".into(), "--show-suppressed".into()],
        ),
        (
            "history",
            vec!["history".into(), "--show-suppressed".into()],
        ),
        ("staged", vec!["staged".into()]),
        (
            "pre-push",
            [vec!["pre-push".to_string()], range.to_vec()].concat(),
        ),
    ];
    for (name, args) in &commands {
        for format in formats {
            let report = out_dir.path().join(format!("{name}.{format}"));
            let o = run(keyward()
                .current_dir(d)
                .args(args)
                .args(["-f", format])
                .arg("--report")
                .arg(format!("{format}:{}", report.display())));
            check_output(&format!("{name} -f {format}"), &o, &planted);
            let written = std::fs::read_to_string(&report).unwrap_or_default();
            assert_no_window(&format!("{name} --report {format}"), &written, &planted);
        }
    }
    for history in [false, true] {
        for format in ["human", "markdown", "json", "sarif"] {
            let file = out_dir.path().join(format!("audit-{history}.{format}"));
            let mut cmd = keyward();
            cmd.current_dir(d).args(["audit", "-f", format]);
            if history {
                cmd.arg("--history");
            }
            let o = run(&mut cmd);
            assert_no_window(&format!("audit -f {format}"), &stdout(&o), &planted);
            assert_no_window(&format!("audit -f {format}"), &stderr(&o), &planted);
            assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
            let o = run(cmd.arg("-o").arg(&file));
            assert_no_window(&format!("audit -o ({format})"), &stderr(&o), &planted);
            let written = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(!written.is_empty(), "audit -o {format} wrote nothing");
            assert_no_window(&format!("audit -o ({format})"), &written, &planted);
        }
    }
    for format in ["human", "json"] {
        let o = run(keyward().current_dir(d).args([
            "env",
            "check",
            "--env-file",
            ".env",
            "-f",
            format,
        ]));
        check_output(&format!("env check -f {format}"), &o, &planted);
        assert!(
            stderr(&o).contains(".env:2: expected '=' after the name"),
            "{}",
            stderr(&o)
        );
    }
    let baseline = out_dir.path().join("baseline");
    let o = run(keyward()
        .current_dir(d)
        .args(["baseline", "create", "-o"])
        .arg(&baseline)
        .arg("."));
    check_output("baseline create", &o, &planted);
    // A baseline entry names the file it is about, so it holds a file name as the
    // repository does; every other planted key stays out of it.
    let others: Vec<&Planted> = planted
        .iter()
        .copied()
        .filter(|p| !std::ptr::eq(*p, &in_name))
        .collect();
    let written = std::fs::read_to_string(&baseline).unwrap();
    assert!(written.lines().count() > 2, "{written}");
    assert_no_window("the baseline", &written, &others);

    // With --no-redact the value is shown whole (the window check above is not vacuous).
    let o = run(keyward().current_dir(d).args(["scan", ".", "--no-redact"]));
    assert!(stdout(&o).contains(&content.key));
}

/// Run `args` in `dir` and return standard output.
fn out_of(dir: &Path, args: &[&str]) -> String {
    stdout(&run(keyward().current_dir(dir).args(args)))
}

#[test]
fn hostile_file_names_reach_terminal_and_markdown_escaped() {
    let mut rng = rng(0xe5c);
    let k = key("github-pat", "a file with a hostile name", &mut rng);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    let name = "evil\x1b]8;;x.invalid\x07\nline\u{202e}txt.md|x";
    write(d, name, format!("token = {}\n", k.key));
    write(d, "dir\\file.txt", format!("token = {}\n", k.key));
    git(d, &["add", "-A"]);

    let human = out_of(d, &["scan", "."]);
    assert!(
        !human.contains('\x1b') && !human.contains('\u{202e}'),
        "{human:?}"
    );
    assert!(
        human.contains("evil\\x1b]8;;x.invalid\\x07\\nline\\u{202e}txt.md|x"),
        "{human}"
    );
    assert!(
        human.contains("dir\\file.txt"),
        "a backslash is kept: {human}"
    );

    let md = out_of(d, &["scan", ".", "-f", "markdown"]);
    assert!(!md.contains('\x1b') && !md.contains('\u{202e}'), "{md:?}");
    let rows: Vec<&str> = md.lines().filter(|l| l.contains("evil")).collect();
    assert_eq!(rows.len(), 1, "the name stays in one table row: {md}");
    assert!(
        rows[0].contains("\\x1b") && rows[0].contains("\\|x"),
        "{md}"
    );

    for format in ["human", "markdown"] {
        let audit = out_of(d, &["audit", "-f", format]);
        assert!(
            !audit.contains('\x1b') && !audit.contains('\u{202e}'),
            "audit {format}: {audit:?}"
        );
        assert!(audit.contains("\\x1b"), "audit {format}: {audit}");
    }
}

#[test]
fn custom_rule_fields_cannot_break_out_of_markdown_or_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.txt",
        format!("ACME_TOKEN=acmetok_{}\n", "q7w2e9r4t1y8".repeat(2)),
    );
    // A hostile URL never reaches a report: the configuration is refused, and the
    // refusal itself is escaped for the terminal.
    write(
        d,
        "keyward.toml",
        "[[rule]]\nid = \"acme-token\"\nname = \"ACME token\"\nprovider = \"ACME\"\nseverity = \"high\"\nkeywords = [\"acmetok_\"]\nregex = '\\bacmetok_[a-z0-9]{24}\\b'\nrevoke_url = \"javascript:alert(1)\\u001b[2J|</td>\"\nrotation_days = 30\n",
    );
    let refused = run(keyward().current_dir(d).args(["scan", "."]));
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("revoke_url") && !err.contains('\x1b'),
        "{err:?}"
    );

    // Text fields a configuration may hold (a name with table and HTML syntax) stay
    // inert in every sink.
    write(
        d,
        "keyward.toml",
        "[[rule]]\nid = \"acme-token\"\nname = \"ACME | token</td>\"\nprovider = \"ACME [x](javascript:alert(1))\"\nseverity = \"high\"\nkeywords = [\"acmetok_\"]\nregex = '\\bacmetok_[a-z0-9]{24}\\b'\nrevoke_url = \"https://acme.invalid/keys\"\nrotation_days = 30\n",
    );
    let human = out_of(d, &["scan", "."]);
    assert!(human.contains("acme-token"), "{human}");
    assert!(!human.contains('\x1b'), "{human:?}");
    let md = out_of(d, &["scan", ".", "-f", "markdown"]);
    assert!(!md.contains("[x](javascript"), "{md}");
    assert!(!md.contains("</td>"), "{md}");
    let sarif = out_of(d, &["scan", ".", "-f", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let help = v["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
        .as_str()
        .unwrap();
    assert!(
        !help.contains("[x](javascript") && !help.contains("</td>"),
        "{help}"
    );
}
