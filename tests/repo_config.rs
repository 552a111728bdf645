//! Configuration files that the scanned repository supplies are hostile input:
//! `keyward.toml`, `.keyward.toml`, `.keywardignore`, the default baseline and the
//! files the audit reads. They are not read through links out of the repository, must
//! be regular files of at most 1 MiB, never have a line quoted in a message, cannot
//! silently suppress everything, and their custom rules are validated field by field.

mod common;

use common::*;
use std::path::Path;
use std::process::Output;

fn key(rule_id: &str, seed: u64) -> String {
    key_for(rules().get(rule_id).expect("rule exists"), &mut rng(seed))
}

fn scan(dir: &Path, args: &[&str]) -> Output {
    run(keyward().current_dir(dir).args(["scan", "."]).args(args))
}

/// Neither output stream holds any 8-character window of `secret`.
fn assert_not_shown(out: &Output, secret: &str, context: &str) {
    let all = format!("{}\n{}", stdout(out), stderr(out));
    for w in secret.as_bytes().windows(8) {
        let w = std::str::from_utf8(w).unwrap();
        assert!(
            !all.contains(w),
            "{context}: {w:?} of the secret is shown:\n{all}"
        );
    }
}

#[cfg(unix)]
#[test]
fn configuration_links_out_of_the_repository_are_refused() {
    let secret = key("openai-api-key", 101);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "env", format!("TOKEN={secret}\n"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", "nothing here\n");
    let target = outside.path().join("env");
    for name in ["keyward.toml", ".keyward.toml", ".keywardignore"] {
        std::os::unix::fs::symlink(&target, d.join(name)).unwrap();
        let out = scan(d, &[]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(name), "{name}: {err}");
        assert!(err.contains("symbolic link"), "{name}: {err}");
        assert_not_shown(&out, &secret, name);
        std::fs::remove_file(d.join(name)).unwrap();
    }
    #[cfg(target_os = "linux")]
    {
        std::os::unix::fs::symlink("/proc/self/environ", d.join("keyward.toml")).unwrap();
        let out = run(keyward()
            .current_dir(d)
            .env("CI_TOKEN", &secret)
            .args(["scan", "."]));
        assert_eq!(out.status.code(), Some(2));
        assert_not_shown(&out, &secret, "/proc/self/environ");
        std::fs::remove_file(d.join("keyward.toml")).unwrap();
    }
    // A link inside the repository is followed.
    write(
        d,
        "conf/keyward.toml",
        "[rules]\ndisable = [\"generic-password\"]\n",
    );
    std::os::unix::fs::symlink("conf/keyward.toml", d.join("keyward.toml")).unwrap();
    let out = scan(d, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_file(d.join("keyward.toml")).unwrap();

    // The default baseline of `baseline prune` is the repository's.
    std::os::unix::fs::symlink(&target, d.join(".keyward-baseline")).unwrap();
    let out = run(keyward().current_dir(d).args(["baseline", "prune"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert_not_shown(&out, &secret, "baseline");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        format!("TOKEN={secret}\n")
    );

    // What the user names on the command line may be a link.
    write(
        outside.path(),
        "mine.toml",
        "[rules]\ndisable = [\"generic-password\"]\n",
    );
    let mine = outside.path().join("mine.toml");
    std::os::unix::fs::symlink(&mine, d.join("mine.toml")).unwrap();
    let out = scan(d, &["--config", "mine.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn configuration_files_must_be_small_regular_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", "nothing here\n");
    // Over 1 MiB: an error naming the file and the limit.
    let mut big = String::from("[rules]\n");
    while big.len() <= 1 << 20 {
        big.push_str("# padding padding padding padding padding padding padding\n");
    }
    write(d, "keyward.toml", &big);
    let out = scan(d, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("keyward.toml") && err.contains("1048576 bytes"),
        "{err}"
    );
    std::fs::remove_file(d.join("keyward.toml")).unwrap();
    write(d, ".keywardignore", &big);
    let err = stderr(&scan(d, &[]));
    assert!(
        err.contains(".keywardignore") && err.contains("larger than"),
        "{err}"
    );
    std::fs::remove_file(d.join(".keywardignore")).unwrap();

    // A FIFO is refused, not waited on.
    let fifo = d.join("keyward.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let out = scan(d, &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{}",
            stderr(&out)
        );
        std::fs::remove_file(&fifo).unwrap();
    }
    // A directory too.
    std::fs::create_dir(d.join(".keyward.toml")).unwrap();
    let out = scan(d, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("a directory"), "{}", stderr(&out));
    std::fs::remove_dir(d.join(".keyward.toml")).unwrap();

    // The user's own --config may be a device or a pipe, but it is read up to the cap.
    #[cfg(target_os = "linux")]
    {
        let out = scan(d, &["--config", "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("larger than"), "{}", stderr(&out));
        let out = scan(d, &["--config", "/dev/null"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

#[test]
fn parse_errors_name_the_line_but_never_quote_it() {
    let secret = key("anthropic-api-key", 102);
    // A git repository, for the audit.
    let dir = new_repo();
    let d = dir.path();
    write(d, "a.txt", "nothing here\n");
    let cases = [
        format!("[rules]\nbuiltin = true\n\n[rotation]\nhigh = \"{secret}\"\n"),
        format!("[rules]\nbuiltin = true\n\n[rotation]\nhigh = {secret}\n"),
        format!("[rules]\nbuiltin = true\n\n[rotation]\n{secret} = 1\n"),
        format!("[rules]\nbuiltin = true\n\n[allowlist]\nregexes = [\"{secret}\n"),
        format!("[rules]\nbuiltin = true\n\n[rules.severity]\nopenai-api-key = \"{secret}\"\n"),
        format!("[rules]\nbuiltin = true\n\n[allowlist]\nregexes = [\"({secret}\"]\n"),
        format!("[rules]\nbuiltin = true\n\n[allowlist]\npaths = [\"[{secret}\"]\n"),
        format!("[rules]\nbuiltin = true\n\n[[attest]]\ncheck = \"{secret}\"\nby = \"x\"\ndate = \"{secret}\"\n"),
    ];
    for (n, config) in cases.iter().enumerate() {
        write(d, "keyward.toml", config);
        // Attestations are the audit's.
        let out = if n == 7 {
            run(keyward().current_dir(d).args(["audit", "."]))
        } else {
            scan(d, &[])
        };
        assert_eq!(out.status.code(), Some(2), "case {n}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("keyward.toml"), "case {n}: {err}");
        if n < 5 {
            assert!(err.contains("line 5"), "case {n}: {err}");
        }
        assert_not_shown(&out, &secret, &format!("case {n}"));
        // The audit reports the key in keyward.toml itself (redacted) on standard
        // output; its messages go to standard error.
        let mut out = run(keyward().current_dir(d).args(["audit", "."]));
        out.stdout.clear();
        assert_not_shown(&out, &secret, &format!("audit, case {n}"));
    }
    std::fs::remove_file(d.join("keyward.toml")).unwrap();

    // The ignore file and the baseline.
    write(
        d,
        ".keywardignore",
        format!("0123456789abcdef\n{secret} # oops\n"),
    );
    let out = scan(d, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".keywardignore:2"),
        "{}",
        stderr(&out)
    );
    assert_not_shown(&out, &secret, ".keywardignore");
    std::fs::remove_file(d.join(".keywardignore")).unwrap();
    for line in [
        format!("openai-api-key\t{secret}\ta.txt\n"),
        format!("{secret}\n"),
    ] {
        write(d, "base", format!("# header\n{line}"));
        let out = scan(d, &["--baseline", "base"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("base:2"), "{}", stderr(&out));
        assert_not_shown(&out, &secret, "baseline");
    }

    // A gitleaks configuration.
    write(
        d,
        ".gitleaks.toml",
        format!("title = \"x\"\n[[rules]]\nid = \"a\"\nregex = '''{secret}\n"),
    );
    let out = scan(d, &["--config", ".gitleaks.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".gitleaks.toml: line"),
        "{}",
        stderr(&out)
    );
    assert_not_shown(&out, &secret, "gitleaks");

    // The audit's rotation record.
    write(d, ".key_rotation_dates.json", format!("\"{secret}\""));
    write(
        d,
        "keyward.toml",
        format!("[rotation.last_rotated]\nOPENAI_API_KEY = \"{secret}\"\n"),
    );
    let mut out = run(keyward().current_dir(d).args(["audit", ".", "-f", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let item = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "rotation-schedule")
        .expect("the rotation item");
    let evidence = item["evidence"].to_string();
    assert!(
        evidence.contains(".key_rotation_dates.json: line 1"),
        "{evidence}"
    );
    // (The key itself is a finding of the audit's scan, reported redacted elsewhere.)
    out.stdout = evidence.into_bytes();
    assert_not_shown(&out, &secret, "rotation record");
}

#[test]
fn a_configuration_that_suppresses_everything_says_so() {
    let secret = key("openai-api-key", 103);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "app.env", format!("OPENAI_API_KEY={secret}\n"));
    let cases = [
        ("[allowlist]\npaths = [\"**\"]\n", "[allowlist] paths entry 1: matches every path"),
        ("[allowlist]\npath_regexes = [\"docs/\", \".*\"]\n", "[allowlist] path_regexes entry 2: matches every path"),
        ("[allowlist]\nregexes = [\".\"]\n", "[allowlist] regexes entry 1: matches every secret"),
        ("[allowlist]\nstopwords = [\"\"]\n", "[allowlist] stopwords entry 1: matches every secret"),
        ("[allowlist.rules.openai-api-key]\npaths = [\"**\"]\n[rules]\ndisable = [\"openai-api-key\"]\n", ""),
    ];
    for (config, want) in cases {
        write(d, "keyward.toml", config);
        let out = scan(d, &[]);
        let err = stderr(&out);
        if !want.is_empty() {
            assert!(
                err.contains("keyward.toml (a configuration the scanned repository supplies)"),
                "{config}: {err}"
            );
            assert!(err.contains(want), "{config}: {err}");
        }
        assert!(
            err.contains("1 suppressed (1 ")
                && err.contains("; all by ")
                && err.contains("keyward.toml, the scanned repository's configuration"),
            "{config}: {err}"
        );
    }
    // Every rule disabled.
    let all: Vec<String> = rules()
        .rules
        .iter()
        .map(|r| format!("{:?}", r.id()))
        .collect();
    write(
        d,
        "keyward.toml",
        format!("[rules]\ndisable = [{}]\n", all.join(", ")),
    );
    let err = stderr(&scan(d, &[]));
    assert!(err.contains("rules are disabled"), "{err}");
    assert!(err.contains("keyward.toml"), "{err}");
    // builtin = false in the repository's configuration.
    write(
        d,
        "keyward.toml",
        "[rules]\nbuiltin = false\n[[rule]]\nid = \"acme-token\"\nname = \"Acme\"\nprovider = \"Acme\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = \"acme_[a-z]{8}\"\nrevoke_url = \"https://acme.example/tokens\"\nrotation_days = 90\n",
    );
    let out = scan(d, &[]);
    assert!(stderr(&out).contains("builtin = false"), "{}", stderr(&out));

    // The user's own configuration: still warned about, but the summary does not blame
    // the repository.
    std::fs::remove_file(d.join("keyward.toml")).unwrap();
    write(
        d,
        "../mine-suppress.toml",
        "[allowlist]\npaths = [\"**\"]\n",
    );
    let mine = d.parent().unwrap().join("mine-suppress.toml");
    let out = scan(d, &["--config", mine.to_str().unwrap()]);
    let err = stderr(&out);
    std::fs::remove_file(&mine).unwrap();
    assert!(err.contains("paths entry 1: matches every path"), "{err}");
    assert!(err.contains("suppressed (1 allowlist-path"), "{err}");
    assert!(!err.contains("scanned repository"), "{err}");
}

#[test]
fn custom_rules_are_validated_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", "nothing here\n");
    let good = "[[rule]]\nid = \"acme-token\"\nname = \"Acme\"\nprovider = \"Acme\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = \"acme_[a-z]{8}\"\nrevoke_url = \"https://acme.example/tokens\"\nrotation_days = 90\n";
    write(d, "keyward.toml", good);
    assert_eq!(scan(d, &[]).status.code(), Some(0));

    let bad = "[[rule]]\nid = \"acme-token\"\nname = \"Acme\"\nprovider = \"Acme\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = \"acme_[a-z]{8}\"\nrevoke_url = \"https://acme.example/tokens\"\nrotation_days = 90\n\
        [[rule]]\nid = \"Acme_Token\"\nname = \"Acme\\u001b]8;;https://evil.example\\u0007\"\nseverity = \"high\"\nkeywords = [\"acme2_\"]\nregex = \"acme2_[a-z]{8}\"\nrevoke_url = \"javascript:alert(1)\"\n\
        [[rule.variants]]\nid = \"x|y\"\nname = \"V\"\nprovider = \"P\\u202e\"\ncontext = [\"c\"]\nrevoke_url = \"https://x.example/a b\"\n";
    write(d, "keyward.toml", bad);
    let out = scan(d, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for want in [
        "keyward.toml: invalid custom rule",
        "[[rule]] 2:",
        "`id`: ids are kebab-case",
        "`name`: holds control",
        "`provider`: missing",
        "`rotation_days`: missing",
        "`revoke_url`: must be an https:// URL",
        "`variants[1].id`: ids are kebab-case",
        "`variants[1].provider`: holds control",
        "`variants[1].revoke_url`: holds a character",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(
        !err.contains("[[rule]] 1"),
        "the valid rule is not listed: {err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(!err.contains("javascript"), "{err}");

    // http:// is refused too.
    write(d, "keyward.toml", good.replace("https://", "http://"));
    let err = stderr(&scan(d, &[]));
    assert!(
        err.contains("[[rule]] 1 (acme-token): `revoke_url`: must be an https:// URL"),
        "{err}"
    );
}
