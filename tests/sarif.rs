//! SARIF and Markdown reports: GitHub's required fields, repository-relative paths,
//! history provenance, fingerprints over the right blob, categories, the result cap, and
//! never a secret, an e-mail address or an absolute path in the file.
//!
//! With `KEYWARD_SARIF_OUT` set, every SARIF file is exported with its repository and
//! its keys, so `.ci/run` can run GitHub's validators over each one.

mod common;

use common::*;
use keyward::finding::line_hash::line_hashes;
use serde_json::Value;
use std::path::Path;

/// A fake key for `rule_id`, built at run time.
fn key(rule_id: &str, seed: u64) -> String {
    key_for(rules().get(rule_id).expect("rule exists"), &mut rng(seed))
}

fn sarif_of(out: &std::process::Output, file: &Path) -> Value {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        panic!(
            "no SARIF written ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    serde_json::from_str(&text).expect("SARIF is JSON")
}

/// Checks every report must pass, whatever the scan.
fn check_common(sarif: &Value, text: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!text.contains(s.as_str()), "a secret is in the SARIF file");
    }
    let email = regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").unwrap();
    assert!(
        !email.is_match(text),
        "an e-mail address is in the SARIF file"
    );
    assert!(
        !text.contains("/tmp/"),
        "an absolute path is in the SARIF file"
    );
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "keyward");
    assert_eq!(
        run["tool"]["driver"]["semanticVersion"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    if let Some(uri) = run["versionControlProvenance"][0]["repositoryUri"].as_str() {
        assert!(!uri.contains('@'), "credentials in {uri}");
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        for f in ["shortDescription", "fullDescription"] {
            assert!(!r[f]["text"].as_str().unwrap().is_empty(), "{f}: {r}");
        }
        assert!(r["help"]["text"].as_str().unwrap().contains("Revoke"));
        assert!(r["help"]["markdown"].as_str().unwrap().contains("https://"));
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
        let tags: Vec<&str> = r["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags, ["security", "secret", "external/cwe/cwe-798"]);
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(sev > 0.0 && sev <= 10.0);
        assert!(["very-high", "high", "medium", "low"]
            .contains(&r["properties"]["precision"].as_str().unwrap()));
        assert!(["error", "warning", "note"]
            .contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    for res in run["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("./") && !uri.contains(".."));
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        if region["startLine"] == region["endLine"] {
            assert!(region["endColumn"].as_u64() > region["startColumn"].as_u64());
        }
        let fp = &res["partialFingerprints"];
        assert!(fp["primaryLocationLineHash"]
            .as_str()
            .unwrap()
            .contains(':'));
        assert_eq!(fp["keywardSecretHash/v1"].as_str().unwrap().len(), 32);
    }
    validate_schema(sarif);
}

/// The OASIS SARIF 2.1.0 schema (a copy in tests/data, so this works anywhere).
fn validate_schema(sarif: &Value) {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

/// Keep `sarif` with its repository and keys for `.ci/run` when `KEYWARD_SARIF_OUT` is set.
fn export(name: &str, sarif: &Path, repo: &Path, secrets: &[String]) {
    let text = std::fs::read_to_string(sarif).unwrap();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    export_sarif(name, &text, repo, &secrets);
}

#[test]
fn worktree_sarif_has_what_github_needs() {
    let repo = new_repo();
    let dir = repo.path();
    git(
        dir,
        &[
            "remote",
            "add",
            "origin",
            "https://ci-user:hunter2@example.com/acme/app.git",
        ],
    );
    let openai = key("openai-api-key", 1);
    let aws = key("aws-access-key-id", 2);
    // A non-ASCII line: columns are counted in UTF-16 code units.
    write(
        dir,
        "src/app config.py",
        format!("# ünïcödé 😀\nclient = OpenAI(api_key=\"{openai}\")\nemoji = \"😀\"; key = \"{aws}\"\n"),
    );
    write(dir, "README.md", "nothing here\n");
    commit(dir, &[], "init", "2024-01-01T00:00:00Z");
    git(dir, &["add", "-A"]);
    commit(dir, &[], "add files", "2024-01-02T00:00:00Z");
    let file = dir.join("out.sarif");
    let out = run(keyward()
        .current_dir(dir.join("src"))
        .args(["scan", ".", "-f", "sarif", "-o"])
        .arg(&file));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = sarif_of(&out, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    check_common(&sarif, &text, &[openai.clone(), aws.clone()]);
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "keyward/worktree/");
    let vcp = &run["versionControlProvenance"][0];
    assert_eq!(vcp["repositoryUri"], "https://example.com/acme/app.git");
    assert_eq!(vcp["revisionId"], git(dir, &["rev-parse", "HEAD"]));
    assert!(!text.contains("hunter2"));

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let content = std::fs::read(dir.join("src/app config.py")).unwrap();
    let hashes = line_hashes(&content);
    for res in results {
        let loc = &res["locations"][0]["physicalLocation"];
        // Relative to the repository root, not to the directory scanned.
        assert_eq!(loc["artifactLocation"]["uri"], "src/app%20config.py");
        let line = loc["region"]["startLine"].as_u64().unwrap() as usize;
        assert_eq!(
            res["partialFingerprints"]["primaryLocationLineHash"],
            hashes[&line].as_str()
        );
        let msg = res["message"]["text"].as_str().unwrap();
        assert!(msg.contains("src/app config.py line"), "{msg}");
    }
    // The AWS key's line starts with `emoji = "😀"`: the emoji is 2 UTF-16 units.
    let aws_res = results
        .iter()
        .find(|r| r["ruleId"] == "aws-access-key-id")
        .unwrap();
    let region = &aws_res["locations"][0]["physicalLocation"]["region"];
    let line3 = "emoji = \"😀\"; key = \"";
    let col = line3.encode_utf16().count() as u64 + 1;
    assert_eq!(region["startColumn"].as_u64(), Some(col));
    assert_eq!(region["endColumn"].as_u64(), Some(col + aws.len() as u64));
    assert_eq!(aws_res["level"], "error");
    export("worktree", &file, dir, &[openai, aws]);
}

#[test]
fn history_sarif_points_at_the_introducing_commit() {
    let repo = new_repo();
    let dir = repo.path();
    let anthropic = key("anthropic-api-key", 3);
    let first = commit(
        dir,
        &[(
            "cfg/settings.env",
            &format!("A=1\nB=2\nANTHROPIC_API_KEY={anthropic}\n"),
        )],
        "add settings",
        "2024-01-01T00:00:00Z",
    );
    // Later the file changes above the key, then the key is deleted.
    commit(
        dir,
        &[(
            "cfg/settings.env",
            &format!("X=0\nA=1\nB=2\nANTHROPIC_API_KEY={anthropic}\n"),
        )],
        "more settings",
        "2024-01-02T00:00:00Z",
    );
    commit(
        dir,
        &[("cfg/settings.env", "X=0\nA=1\n")],
        "remove the key",
        "2024-01-03T00:00:00Z",
    );
    let file = dir.join("history.sarif");
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "-f", "sarif", "-o"])
        .arg(&file));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = sarif_of(&out, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    check_common(&sarif, &text, std::slice::from_ref(&anthropic));
    assert!(
        !text.contains("Ada Author"),
        "author names stay out of SARIF"
    );
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "keyward/history/");
    assert!(
        run["versionControlProvenance"].is_null(),
        "no remote, no provenance"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let res = &results[0];
    let git_props = &res["properties"]["git"];
    assert_eq!(git_props["commit"], first.as_str());
    assert_eq!(git_props["inHead"], false);
    let blob = git(dir, &["rev-parse", &format!("{first}:cfg/settings.env")]);
    assert_eq!(git_props["blob"], blob.as_str());
    let region = &res["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3, "the line in the introducing commit");
    let then = git(dir, &["cat-file", "blob", &blob]);
    let hashes = line_hashes(format!("{then}\n").as_bytes());
    assert_eq!(
        res["partialFingerprints"]["primaryLocationLineHash"],
        hashes[&3].as_str()
    );
    let msg = res["message"]["text"].as_str().unwrap();
    assert!(
        msg.contains(&first[..12]) && msg.contains("no longer present at HEAD"),
        "{msg}"
    );
    export("history", &file, dir, &[anthropic]);
}

#[test]
fn categories_differ_by_scan_kind_and_can_be_set() {
    let repo = new_repo();
    let dir = repo.path();
    let gh = key("github-pat", 4);
    let a = commit(dir, &[("a.txt", "hello\n")], "a", "2024-01-01T00:00:00Z");
    commit(
        dir,
        &[("ci.yml", &format!("token: {gh}\n"))],
        "b",
        "2024-01-02T00:00:00Z",
    );
    let category = |args: &[&str]| -> (Value, String) {
        let out = run(keyward().current_dir(dir).args(args).args(["-f", "sarif"]));
        assert!(
            out.status.code() == Some(1) || out.status.code() == Some(0),
            "{}",
            stderr(&out)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("SARIF on stdout");
        let id = v["runs"][0]["automationDetails"]["id"]
            .as_str()
            .unwrap()
            .to_string();
        (v, id)
    };
    assert_eq!(category(&["history"]).1, "keyward/history/");
    let (range, id) = category(&["history", "--rev", &format!("{a}..HEAD")]);
    assert_eq!(id, "keyward/range/");
    assert_eq!(range["runs"][0]["results"].as_array().unwrap().len(), 1);
    let exported = tempfile::tempdir().unwrap();
    let file = exported.path().join("range.sarif");
    std::fs::write(&file, serde_json::to_string_pretty(&range).unwrap()).unwrap();
    export("range", &file, dir, std::slice::from_ref(&gh));
    assert_eq!(category(&["scan", "."]).1, "keyward/worktree/");
    assert_eq!(
        category(&["scan", ".", "--sarif-category", "secrets/nightly"]).1,
        "secrets/nightly/"
    );
    // Staged: an empty result set is still a valid SARIF run.
    let (staged, id) = category(&["staged"]);
    assert_eq!(id, "keyward/staged/");
    assert_eq!(staged["runs"][0]["results"].as_array().unwrap().len(), 0);
    validate_schema(&staged);
}

#[test]
fn all_rules_are_described_on_request() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.txt", "nothing to see\n");
    let out = run(keyward().current_dir(dir.path()).args([
        "scan",
        ".",
        "-f",
        "sarif",
        "--sarif-all-rules",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let described = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .len();
    let expected: usize = rules().rules.iter().map(|r| 1 + r.variants.len()).sum();
    assert_eq!(described, expected);
    check_common(&sarif, &stdout(&out), &[]);
    // Without the flag a clean scan describes no rule.
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["scan", ".", "-f", "sarif"]));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn too_many_results_are_cut_by_severity_and_markdown_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rng(5);
    let aws = rules().get("aws-access-key-id").unwrap();
    let low = rules().get("generic-api-key").unwrap();
    // 24,990 critical AWS keys and 20 lower-severity generic ones: 10 are cut.
    let mut text = String::new();
    for _ in 0..24_990 {
        text.push_str(&format!("k = \"{}\"\n", key_for(aws, &mut rng)));
    }
    let mut generic = String::new();
    for _ in 0..20 {
        let t = low.spec.examples[0].clone();
        generic.push_str(&text_for(low, &t, &mut rng));
        generic.push('\n');
    }
    write(dir.path(), "a/many.py", &text);
    write(dir.path(), "b/generic.env", &generic);
    let (json, _) = scan_json(dir.path(), &["."]);
    let total = json.len();
    assert!(total > 25_000, "{total} findings");
    let lows = json.iter().filter(|f| f["severity"] != "critical").count();
    assert!(
        lows >= total - 25_000,
        "enough lower-severity findings to cut"
    );
    let file = dir.path().join("out.sarif");
    let md = dir.path().join("out.md");
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["scan", ".", "-q", "-f", "sarif", "-o"])
        .arg(&file)
        .arg("--report")
        .arg(format!("markdown:{}", md.display())));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("25000 most severe"),
        "{}",
        stderr(&out)
    );
    let sarif = sarif_of(&out, &file);
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    assert!(
        results
            .iter()
            .filter(|r| r["ruleId"] == "aws-access-key-id")
            .count()
            == 24_990
    );
    assert_eq!(run["properties"]["resultsOmitted"], (total - 25_000) as u64);
    assert_eq!(run["properties"]["resultsTotal"], total as u64);

    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(markdown.len() < 1 << 20, "{} bytes", markdown.len());
    assert!(markdown.contains(&format!("## keyward: {total} secrets found")));
    assert!(markdown.contains("more finding(s) not shown"));
    assert!(markdown.contains("| critical | 24990 |"));
}

#[test]
fn markdown_summarises_without_secrets() {
    let repo = new_repo();
    let dir = repo.path();
    let hf = key("huggingface-token", 6);
    let aws = key("aws-access-key-id", 7);
    commit(
        dir,
        &[
            ("train.py", &format!("HF_TOKEN = '{hf}'\n")),
            (
                "deploy/a|b.sh",
                &format!("export AWS_ACCESS_KEY_ID={aws}\n"),
            ),
        ],
        "add",
        "2024-01-01T00:00:00Z",
    );
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "-f", "markdown", "--no-redact"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        !md.contains(&hf) && !md.contains(&aws),
        "Markdown never shows a whole key"
    );
    assert!(md.starts_with("## keyward: 2 secrets found"), "{md}");
    assert!(md.contains("| Provider | Findings |"));
    assert!(md.contains("| Hugging Face | 1 |"), "{md}");
    let head = git(dir, &["rev-parse", "--short=7", "HEAD"]);
    assert!(
        md.contains(&format!("`{head}`")),
        "short commit shown: {md}"
    );
    assert!(md.contains("`deploy/a\\|b.sh:1`"), "pipes escaped: {md}");
    assert!(md.contains("[revoke](https://"));
    // Clean: one line that says so.
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "x.txt", "fine\n");
    let out = run(keyward()
        .current_dir(clean.path())
        .args(["scan", ".", "-f", "markdown"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("## keyward: no secrets found"));
}

#[test]
fn bad_report_arguments_are_explained() {
    let out = run(keyward().args(["scan", ".", "--report", "yaml:x"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a format"), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let out = run(keyward().current_dir(dir.path()).args([
        "scan",
        ".",
        "--report",
        "sarif:no/such/dir/x.sarif",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no/such/dir/x.sarif"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hook_scans_write_sarif_too() {
    let repo = new_repo();
    let dir = repo.path();
    let base = commit(dir, &[("a.txt", "hello\n")], "a", "2024-01-01T00:00:00Z");
    let slack = key("slack-bot-token", 8);
    write(
        dir,
        "bot/config.yaml",
        format!("slack:\n  token: {slack}\n"),
    );
    git(dir, &["add", "bot/config.yaml"]);
    let staged = dir.join("staged.sarif");
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "-f", "sarif", "-o"])
        .arg(&staged));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = sarif_of(&out, &staged);
    check_common(
        &sarif,
        &std::fs::read_to_string(&staged).unwrap(),
        std::slice::from_ref(&slack),
    );
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "keyward/staged/");
    let res = &run0["results"][0];
    assert_eq!(
        res["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(res["message"]["text"]
        .as_str()
        .unwrap()
        .contains("staged for commit in bot/config.yaml line 2"));

    let tip = commit(dir, &[], "add bot", "2024-01-02T00:00:00Z");
    let pushed = dir.join("push.sarif");
    let out = run(keyward()
        .current_dir(dir)
        .args([
            "pre-push",
            "--from-ref",
            &base,
            "--to-ref",
            &tip,
            "-f",
            "sarif",
            "-o",
        ])
        .arg(&pushed));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = sarif_of(&out, &pushed);
    check_common(
        &sarif,
        &std::fs::read_to_string(&pushed).unwrap(),
        std::slice::from_ref(&slack),
    );
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "keyward/range/");
    assert_eq!(
        run0["results"][0]["properties"]["git"]["commit"],
        tip.as_str()
    );
    std::fs::remove_file(&staged).unwrap();
    let keep = tempfile::tempdir().unwrap();
    let file = keep.path().join("push.sarif");
    std::fs::rename(&pushed, &file).unwrap();
    export("pre-push", &file, dir, &[slack]);
}

#[test]
fn a_folded_history_finding_lists_its_other_paths_as_related_locations() {
    let repo = new_repo();
    let dir = repo.path();
    let anthropic = key("anthropic-api-key", 61);
    let first = commit(
        dir,
        &[("old/config.py", &format!("KEY = \"{anthropic}\"\n"))],
        "add config",
        "2024-01-01T00:00:00Z",
    );
    std::fs::create_dir_all(dir.join("new")).unwrap();
    git(dir, &["mv", "old/config.py", "new/settings.py"]);
    let moved = commit(
        dir,
        &[(
            "new/settings.py",
            &format!("# moved\nKEY = \"{anthropic}\"\n"),
        )],
        "move and edit",
        "2024-01-02T00:00:00Z",
    );
    let file = dir.join("folded.sarif");
    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "-f", "sarif", "-o"])
        .arg(&file));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = sarif_of(&out, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    check_common(&sarif, &text, std::slice::from_ref(&anthropic));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "one result per secret");
    let res = &results[0];
    let uri = |loc: &Value| {
        loc["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(uri(&res["locations"][0]), "old/config.py");
    assert_eq!(res["properties"]["git"]["commit"], first.as_str());
    assert_eq!(res["properties"]["git"]["reachable"], true);
    assert_eq!(res["properties"]["git"]["otherPaths"], 1);
    let related = res["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["id"], 0);
    assert_eq!(uri(&related[0]), "new/settings.py");
    let loc = &related[0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 2);
    assert!(
        related[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains(&moved[..12]),
        "{related:?}"
    );
    assert!(res["message"]["text"]
        .as_str()
        .unwrap()
        .contains("1 other path"));
    export(
        "history-folded",
        &file,
        dir,
        std::slice::from_ref(&anthropic),
    );

    let out = run(keyward()
        .current_dir(dir)
        .args(["history", "--each-location", "-f", "sarif", "-o"])
        .arg(&file));
    let sarif = sarif_of(&out, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    check_common(&sarif, &text, std::slice::from_ref(&anthropic));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r["relatedLocations"].is_null()));
}
