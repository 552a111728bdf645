//! What the filters keep and drop, through the real binary: random keys that look like
//! words are found, code and example values assigned to secret names are quiet, a
//! value a provider rule rejected does not come back through a generic rule, and every
//! finding carries a confidence that `--min-confidence` filters (the hooks block on
//! medium and up by default).

mod common;

use common::*;
use keyward::rules::checksum;
use keyward::rules::template::Rng;

fn draw(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[rng.below(alphabet.len())] as char)
        .collect()
}

#[test]
fn random_keys_that_read_like_words_or_hold_a_run_are_found() {
    let mut rng = rng(0xf117);
    let mut keys = Vec::new();
    // AWS key ids with all-letter, vowel-rich bodies (read as "camelCase words" before).
    for _ in 0..20 {
        keys.push(format!(
            "AKIA{}",
            draw(&mut rng, b"AEIOUAEIOUBCDKLMNRST", 16)
        ));
    }
    // OpenAI keys and GitHub tokens with a five-character run in the random body.
    let alnum = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..10 {
        let body = format!(
            "{}abcde{}",
            draw(&mut rng, alnum, 30),
            draw(&mut rng, alnum, 39)
        );
        keys.push(format!(
            "sk-proj-{body}{}{}",
            ["T3Bl", "bkFJ"].concat(),
            draw(&mut rng, alnum, 74)
        ));
        let token = format!(
            "ghp_{}vwxyz{}",
            draw(&mut rng, alnum, 12),
            draw(&mut rng, alnum, 13)
        );
        let sum = checksum::compute(keyward::rules::Checksum::Crc32Base62, &token);
        keys.push(format!("{token}{sum}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let text: String = keys
        .iter()
        .enumerate()
        .map(|(i, k)| format!("KEY_{i}={k}\n"))
        .collect();
    write(dir.path(), "keys.env", &text);
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    for k in &keys {
        let f = findings
            .iter()
            .find(|f| field(f, "secret") == k)
            .unwrap_or_else(|| panic!("{k} not found: {findings:?}"));
        assert_eq!(field(f, "confidence"), "high", "{f}");
    }
}

#[test]
fn code_assigned_to_secret_names_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/Crypto.cs",
        "var secretKey = Convert.ToBase64String(bytes);\nbecomeToken = GetS4UTokenForUser(sid, logonType);\n",
    );
    write(
        dir.path(),
        "lib/forgery.rb",
        "masked_token = Base64.strict_decode64(x)\ntoken = \"#{prefix}abc123def456ghi789\"\n",
    );
    write(
        dir.path(),
        "app/hashing.py",
        "password = hashlib.sha256(b\"x\").hexdigest()\nsecret_key = settings.secret_key2\napi_key = f\"{base}abc123def456ghi789\"\n",
    );
    write(
        dir.path(),
        "app/Token.scala",
        "val base64Pwd = Base64.getEncoder.encodeToString(byteArray)\n",
    );
    let (findings, out) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn example_passwords_and_documentation_values_are_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rng(0xd0c5);
    let hex = draw(&mut rng, b"0123456789abcdef", 64);
    let mut config = String::new();
    for p in [
        "Passw0rd!",
        "changeme",
        "hunter2",
        "hunter42",
        "SuperSecret123",
        "SuperSecretPass01",
        "MyR00tPassw0rD",
        "Secr3tP4ssw0rd!12",
        "B0bP4ssw0rd",
    ] {
        config.push_str(&format!("password: {p}\n"));
    }
    write(dir.path(), "deploy/config.yml", &config);
    // Documentation: reST and Markdown code, a docs/ directory, doc comments.
    write(
        dir.path(),
        "docs/config.rst",
        format!("Example::\n\n    SECRET_KEY = '{hex}'\n"),
    );
    write(
        dir.path(),
        "README.md",
        format!("```sh\nexport FLASK_SECRET_KEY=\"{}\"\n```\n", &hex[..32]),
    );
    write(
        dir.path(),
        "lib/secure_password.rb",
        format!("#   user.password = '{}'\n", &hex[..20]),
    );
    // Test code: fixtures made for the test.
    write(
        dir.path(),
        "test/test_vault.py",
        format!("self.vault_password = \"{}\"\n", &hex[..24]),
    );
    let (findings, out) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(out.status.code(), Some(0));

    // The same generic value in ordinary code is reported, with low confidence.
    write(
        dir.path(),
        "src/settings.py",
        format!("SECRET_KEY = '{hex}'\n"),
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "rule_id"), "generic-api-key");
    assert_eq!(field(&findings[0], "confidence"), "low");
}

#[test]
fn a_token_with_a_wrong_checksum_is_not_reported_as_generic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rng(0xbad5);
    let key = key_for(rules().get("github-pat").unwrap(), &mut rng);
    // Change the last checksum character.
    let last = key.chars().last().unwrap();
    let broken = format!(
        "{}{}",
        &key[..key.len() - 1],
        if last == 'a' { 'b' } else { 'a' }
    );
    write(
        dir.path(),
        "ci.env",
        format!("GITHUB_TOKEN={broken}\napi_token = \"{broken}\"\n"),
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
    // The valid token is reported, once, by its own rule.
    write(dir.path(), "ci.env", format!("api_token = \"{key}\"\n"));
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "rule_id"), "github-pat");
}

#[test]
fn min_confidence_filters_and_the_hooks_block_on_medium() {
    let mut rng = rng(0xc0f1);
    let generic = format!(
        "{}7",
        draw(
            &mut rng,
            b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
            27
        )
    );
    let key = key_for(rules().get("anthropic-api-key").unwrap(), &mut rng);
    let repo = new_repo();
    let dir = repo.path();
    write(dir, "app.env", format!("PAYMENTS_SECRET={generic}\n"));
    let (findings, _) = scan_json(dir, &["."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let (findings, out) = scan_json(dir, &["--min-confidence", "medium", "."]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("less than medium confidence"),
        "{}",
        stderr(&out)
    );

    // A generic value does not block a commit by default; --min-confidence low does.
    git(dir, &["add", "app.env"]);
    let out = run(keyward().current_dir(dir).args(["staged"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty() && stderr(&out).is_empty());
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "--min-confidence", "low"]));
    assert_eq!(out.status.code(), Some(1));
    // A key of a known format blocks.
    write(
        dir,
        "app.env",
        format!("PAYMENTS_SECRET={generic}\nANTHROPIC_API_KEY={key}\n"),
    );
    git(dir, &["add", "app.env"]);
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "-f", "json", "--no-redact"]));
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "confidence"), "high");

    // Every format carries it.
    let sarif = stdout(&run(keyward()
        .current_dir(dir)
        .args(["scan", "-f", "sarif", "."])));
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .all(|r| r["properties"]["confidence"].is_string()
            && r["properties"]["precision"].is_string()));
    let md = stdout(&run(keyward()
        .current_dir(dir)
        .args(["scan", "-f", "markdown", "."])));
    assert!(
        md.contains("| Confidence |") && md.contains("| high |"),
        "{md}"
    );
    let human = stdout(&run(keyward().current_dir(dir).args(["scan", "."])));
    assert!(
        human.contains("high confidence") && human.contains("low confidence"),
        "{human}"
    );
    let jsonl = stdout(&run(keyward()
        .current_dir(dir)
        .args(["scan", "-f", "jsonl", "."])));
    assert!(
        jsonl.lines().all(|l| l.contains("\"confidence\":")),
        "{jsonl}"
    );
}

#[test]
fn precise_contexts_keep_random_passwords_and_drop_words() {
    let dir = tempfile::tempdir().unwrap();
    // Random-looking passwords that hold `http` or a digit run: found.
    let (a, b) = (
        ["hTTp", "aRhdqR3g74"].concat(),
        ["b3y0Fphc", "TaCD01234", "02W3"].concat(),
    );
    write(
        dir.path(),
        "deploy/db.env",
        format!("DATABASE_URL=postgres://app:{a}@localhost:5432/app\n"),
    );
    write(
        dir.path(),
        "ci/netrc.sh",
        format!("printf 'machine pypi.acme.io login ci password {b}\\n' > ~/.netrc\n"),
    );
    // Letter-only words and references: quiet.
    write(
        dir.path(),
        "ci/netrc-words.sh",
        "printf 'machine imap login bob password bobwillknow\\n' > ~/.netrc\nDATABASE_URL=postgres://app:$DB_PASS@localhost/app\n",
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    let secrets: Vec<&str> = findings.iter().map(|f| field(f, "secret")).collect();
    assert_eq!(secrets.len(), 2, "{findings:?}");
    assert!(
        secrets.contains(&a.as_str()) && secrets.contains(&b.as_str()),
        "{secrets:?}"
    );
}

#[test]
fn package_requirements_under_token_names_are_quiet() {
    // tox.ini factors named after a tokenizer (`tiktoken`) pin packages with `==`.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tox.ini",
        "[testenv]\ndeps =\n    langchain-notiktoken-v0.1.20: langchain==0.1.20\n    py3.12-tiktoken: tiktoken~=0.7.0\n",
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn generic_values_in_tests_stay_quiet_even_in_a_provider_variable_or_a_git_url() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rng(0x7e57);
    let alnum = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let value = format!("{}7{}", draw(&mut rng, alnum, 14), draw(&mut rng, alnum, 5));
    let text = format!(
        "url = 'https://user:{value}@github.com/acme/role.git'\nSLACK_BOT_TOKEN = '{value}'\n"
    );
    write(dir.path(), "test/units/test_requirements.py", &text);
    write(dir.path(), "docs/guide.rst", &text);
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(findings.is_empty(), "{findings:?}");
    // The same lines in ordinary code are reported.
    write(dir.path(), "app/deploy.py", &text);
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| field(f, "path") == "./app/deploy.py"));
}
