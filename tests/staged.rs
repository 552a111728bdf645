//! `keyward staged` keeps a finding unless its secret value is already in HEAD's version
//! of the file: a line that HEAD also has proves nothing (a key below a documentation
//! `-----BEGIN … PRIVATE KEY-----` line, a key rotated in place), UTF-16 files are
//! compared as decoded text, and a secret that was already committed is counted as
//! suppressed, not reported again.

mod common;

use common::*;
use std::path::Path;

fn api_key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

fn private_key(seed: u64) -> String {
    key_for(rules().get("private-key").unwrap(), &mut rng(seed))
}

fn staged(dir: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, std::process::Output) {
    let out = run(keyward()
        .current_dir(dir)
        .args(["staged", "-f", "json", "--no-redact"])
        .args(extra));
    let findings = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (findings, out)
}

fn secrets(findings: &[serde_json::Value]) -> Vec<&str> {
    findings.iter().map(|f| field(f, "secret")).collect()
}

fn stage(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    write(dir, rel, content);
    git(dir, &["add", "--", rel]);
}

/// UTF-16 little-endian with a byte-order mark.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

#[test]
fn a_key_appended_below_a_header_line_that_head_has_is_reported() {
    let repo = new_repo();
    let dir = repo.path();
    // Documentation: the header and footer lines of a key, but no key.
    let doc = "To configure:\n\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n";
    commit(dir, &[("SETUP.md", doc)], "docs", "2024-01-01T00:00:00Z");
    let key = private_key(1);
    assert!(key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    stage(dir, "SETUP.md", format!("{doc}\nOurs:\n{key}\n"));
    let (findings, out) = staged(dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(secrets(&findings), vec![key.as_str()]);
    assert_eq!(findings[0]["line"].as_u64(), Some(8));
}

#[test]
fn a_key_rotated_in_place_is_reported() {
    let repo = new_repo();
    let dir = repo.path();
    let (old, new) = (private_key(2), private_key(3));
    commit(
        dir,
        &[("deploy.pem", &format!("{old}\n"))],
        "deploy key",
        "2024-01-01T00:00:00Z",
    );
    stage(dir, "deploy.pem", format!("{new}\n"));
    let (findings, out) = staged(dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(secrets(&findings), vec![new.as_str()]);

    // The same for a one-line key whose name line stays: `A=<old>` becomes `A=<new>`
    // while another line keeps the old text.
    let (a, b) = (api_key(4), api_key(5));
    commit(
        dir,
        &[("app.env", &format!("A={a}\n"))],
        "a",
        "2024-01-02T00:00:00Z",
    );
    stage(dir, "app.env", format!("A={b}\n# was A={a}\n"));
    let (findings, _) = staged(dir, &[]);
    let found = secrets(&findings);
    assert!(found.contains(&b.as_str()), "{found:?}");
    assert!(!found.contains(&a.as_str()), "{found:?}");
}

#[test]
fn utf16_files_are_compared_as_decoded_text() {
    let repo = new_repo();
    let dir = repo.path();
    let (old, new) = (api_key(6), api_key(7));
    // `Ċ` is U+010A: in UTF-16LE its first byte is a line feed, so the raw bytes split
    // into lines elsewhere than the decoded text does.
    let head = format!("# \u{10A} note\nOLD={old}\n");
    write(dir, "keys.txt", utf16le(&head));
    git(dir, &["add", "keys.txt"]);
    commit(dir, &[], "utf-16", "2024-01-01T00:00:00Z");

    stage(
        dir,
        "keys.txt",
        utf16le(&format!(
            "# \u{10A} note\nANTHROPIC_API_KEY={new}\nOLD={old}\n"
        )),
    );
    let (findings, out) = staged(dir, &["--show-suppressed"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let reported: Vec<&str> = findings
        .iter()
        .filter(|f| f.get("suppressed").is_none())
        .map(|f| field(f, "secret"))
        .collect();
    assert_eq!(reported, vec![new.as_str()]);
    assert_eq!(findings[0]["line"].as_u64(), Some(2));

    // The same file staged as UTF-8: the old key is still HEAD's, the new one is not.
    stage(
        dir,
        "keys.txt",
        format!("# \u{10A} note\nOLD={old}\nNEW={new}\n"),
    );
    let (findings, _) = staged(dir, &[]);
    assert_eq!(secrets(&findings), vec![new.as_str()]);
}

#[test]
fn an_unchanged_key_is_not_reported_again_but_counted() {
    let repo = new_repo();
    let dir = repo.path();
    let old = api_key(8);
    commit(
        dir,
        &[("app.env", &format!("A={old}\n"))],
        "old key",
        "2024-01-01T00:00:00Z",
    );
    // The file changes around the key, and the key moves to another line.
    stage(dir, "app.env", format!("# settings\nB=1\n\nA={old}\n"));
    let (findings, out) = staged(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(findings.is_empty(), "{findings:?}");

    let (findings, out) = staged(dir, &["--show-suppressed"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(field(&findings[0], "secret"), old);
    assert_eq!(findings[0]["suppressed"]["reason"], "already-in-head");
    let human = run(keyward()
        .current_dir(dir)
        .args(["staged", "--show-suppressed"]));
    assert_eq!(human.status.code(), Some(0));
    assert!(
        stderr(&human).contains("1 suppressed (1 already-in-head"),
        "{}",
        stderr(&human)
    );
}
