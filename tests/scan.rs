//! `keyward scan` on awkward input: binaries, UTF-16, invalid UTF-8, large files,
//! special files, symbolic links, ignore files, standard input, inline allow comments,
//! keys at the edge of URLs and quotes, client-exposed names, exit codes, closed pipes,
//! stable fingerprints; and snapshots of the human and JSON output.

mod common;

use common::*;

fn rule_key(id: &str, seed: u64) -> String {
    let rules = rules();
    let rule = rules.get(id).unwrap_or_else(|| panic!("rule {id}"));
    key_for(rule, &mut rng(seed))
}

fn anthropic() -> String {
    rule_key("anthropic-api-key", 11)
}

#[test]
fn binary_files_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\x7fELF\0\0\0".to_vec();
    bytes.extend(format!("ANTHROPIC_API_KEY={}\n", anthropic()).as_bytes());
    write(dir.path(), "prog.bin", &bytes);
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert!(findings.is_empty());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("skipped 1 binary"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn utf16_with_bom_is_decoded_and_invalid_utf8_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let key = anthropic();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("first line\r\nkey = \"{key}\"\r\n").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    write(dir.path(), "win.ps1", &utf16);
    let mut bad = b"caf\xe9 \xff\xfe junk\n".to_vec();
    bad.extend(format!("token: {key}\n").as_bytes());
    write(dir.path(), "latin1.txt", &bad);
    let (findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 2, "{findings:?}");
    let by_path = |p: &str| findings.iter().find(|f| field(f, "path") == p).unwrap();
    assert_eq!(
        (
            by_path("./win.ps1")["line"].as_u64(),
            by_path("./win.ps1")["column"].as_u64()
        ),
        (Some(2), Some(8))
    );
    assert_eq!(by_path("./latin1.txt")["line"].as_u64(), Some(2));
    assert_eq!(field(by_path("./latin1.txt"), "secret"), key);
}

#[test]
fn files_over_the_size_limit_are_listed_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = "x = 1\n".repeat(400);
    big.push_str(&format!("ANTHROPIC_API_KEY={}\n", anthropic()));
    write(dir.path(), "big.txt", &big);
    write(dir.path(), "small.txt", "nothing here\n");
    let (findings, out) = scan_json(dir.path(), &["--max-file-size", "1K", "."]);
    assert!(findings.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("big.txt: skipped, larger than --max-file-size"),
        "{err}"
    );
    assert!(err.contains("1 too large"), "{err}");
    let (findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 1);
}

#[cfg(unix)]
#[test]
fn special_files_and_symlinks_warn_and_the_scan_goes_on() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let key = anthropic();
    write(root, "real/key.env", format!("ANTHROPIC_API_KEY={key}\n"));
    symlink(root.join("real/key.env"), root.join("link.env")).unwrap();
    symlink(root.join("missing"), root.join("broken")).unwrap();
    symlink(root, root.join("real/loop")).unwrap();
    let fifo = root.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success());

    // Default: links inside directories are counted, not followed; the FIFO is skipped.
    let (findings, out) = scan_json(root, &["."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let err = stderr(&out);
    assert!(err.contains("3 symbolic links (use --follow)"), "{err}");
    if made.unwrap_or(false) {
        assert!(err.contains("pipe: skipped, a FIFO"), "{err}");
    }

    // --follow: the link is scanned, the broken link and the loop are warnings.
    let (findings, out) = scan_json(root, &["--follow", "."]);
    assert_eq!(findings.len(), 2, "{findings:?}");
    let err = stderr(&out);
    assert!(err.contains("broken"), "{err}");
    assert!(err.contains("loop"), "{err}");
    assert_eq!(out.status.code(), Some(1));

    // A broken link named on the command line is an error (exit 2 when nothing found).
    let (findings, out) = scan_json(root, &["broken"]);
    assert!(findings.is_empty());
    assert!(
        stderr(&out).contains("broken symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn unreadable_files_warn() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "secret.env",
        format!("ANTHROPIC_API_KEY={}\n", anthropic()),
    );
    write(dir.path(), "ok.txt", "fine\n");
    let path = dir.path().join("secret.env");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions do not stop reads
    }
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert!(findings.is_empty());
    assert!(
        stderr(&out).contains("secret.env: cannot read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ignore_files_are_honoured_unless_no_ignore() {
    let dir = new_repo();
    write(dir.path(), ".gitignore", ".env\n");
    write(
        dir.path(),
        ".env",
        format!("ANTHROPIC_API_KEY={}\n", anthropic()),
    );
    write(dir.path(), "sub/.gitignore", "*.log\n");
    write(dir.path(), "sub/app.log", format!("key {}\n", anthropic()));
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(out.status.code(), Some(0));
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!(findings.len(), 2);
    // A `.ignore` file is not git's: it hides nothing.
    write(dir.path(), "sub/.ignore", "*.txt\n");
    write(dir.path(), "sub/app.txt", format!("key {}\n", anthropic()));
    let (findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 1, "{findings:?}");
}

#[test]
fn standard_input_is_scanned() {
    let key = anthropic();
    let out = run_with_stdin(
        keyward().args(["scan", "-f", "json", "--stdin-name", "pasted.env", "-"]),
        &format!("\n\nANTHROPIC_API_KEY={key}\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(field(&findings[0], "path"), "pasted.env");
    assert_eq!(findings[0]["line"].as_u64(), Some(3));
    // Redacted by default: only the prefix and two characters.
    assert_eq!(field(&findings[0], "secret"), format!("{}…", &key[..15]));
    assert!(!stdout(&out).contains(&key));
}

#[test]
fn inline_allow_comments_suppress_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "A={} # keyward:allow\nB={} // gitleaks:allow\nC={}  # pragma: allowlist secret\nD={}\n",
        anthropic(),
        rule_key("anthropic-api-key", 12),
        rule_key("anthropic-api-key", 13),
        rule_key("anthropic-api-key", 14)
    );
    write(dir.path(), "keys.txt", text);
    let (findings, out) = scan_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"].as_u64(), Some(4));
    assert!(
        stderr(&out).contains("3 suppressed (3 inline-comment"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn keys_next_to_url_and_quote_punctuation_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let google = rule_key("google-api-key", 21);
    let anth = anthropic();
    let text = format!(
        "<script src=\"https://maps.googleapis.com/maps/api/js?key={google}&libraries=places\"></script>\n\
         curl -u {anth}: https://api.example.invalid\n\
         client(key={anth})\n\
         {{\"k\": \"{google}\"}}\n"
    );
    write(dir.path(), "page.html", text);
    let (findings, _) = scan_json(dir.path(), &["."]);
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![1, 2, 3, 4], "{findings:?}");
    assert!(findings
        .iter()
        .all(|f| field(f, "secret") == google || field(f, "secret") == anth));
}

#[test]
fn context_attributes_lookalike_keys_and_names_the_family_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let k1 = rule_key("sk-hex32-key", 31);
    let k2 = rule_key("sk-hex32-key", 32);
    let k3 = rule_key("sk-hex32-key", 33);
    write(
        dir.path(),
        "llm.py",
        format!("DEEPSEEK_API_KEY = \"{k1}\"\ndashscope.api_key = \"{k2}\"\nkey = \"{k3}\"\n"),
    );
    let (findings, _) = scan_json(dir.path(), &["."]);
    let got: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (field(f, "rule_id"), field(f, "provider")))
        .collect();
    assert_eq!(
        got,
        vec![
            ("deepseek-api-key", "DeepSeek"),
            ("dashscope-api-key", "Qwen/DashScope"),
            ("sk-hex32-key", "DeepSeek or Qwen/DashScope"),
        ]
    );
}

#[test]
fn client_exposed_names_raise_the_severity() {
    let dir = tempfile::tempdir().unwrap();
    let key = rule_key("google-api-key", 41);
    write(
        dir.path(),
        ".env.production",
        format!("NEXT_PUBLIC_GOOGLE_API_KEY={key}\nGOOGLE_API_KEY={key}\n"),
    );
    let (findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    let got: Vec<(&str, bool)> = findings
        .iter()
        .map(|f| (field(f, "severity"), f["client_exposed"].as_bool().unwrap()))
        .collect();
    assert_eq!(got, vec![("critical", true), ("high", false)]);
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.txt", "nothing\n");
    assert_eq!(
        run(keyward().current_dir(dir.path()).args(["scan", "."]))
            .status
            .code(),
        Some(0)
    );
    write(dir.path(), "dirty.txt", format!("key={}\n", anthropic()));
    assert_eq!(
        run(keyward().current_dir(dir.path()).args(["scan", "."]))
            .status
            .code(),
        Some(1)
    );
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["scan", "no-such-dir"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-dir: no such file or directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        run(keyward().args(["scan", "--format", "nope"]))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(keyward().args(["scan", "--max-file-size", "9Q"]))
            .status
            .code(),
        Some(2)
    );
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        write(
            dir.path(),
            &format!("f{i}.txt"),
            format!("key={}\n", rule_key("anthropic-api-key", 100 + i)),
        );
    }
    let script = format!(
        "'{}' scan -f jsonl . | head -c 1 >/dev/null; echo \"rc=${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_keyward")
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(stdout(&out).contains("rc=1"), "{}", stdout(&out));
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn paths_are_as_given_and_output_is_sorted_and_fingerprints_survive_moves() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (anthropic(), rule_key("groq-api-key", 51));
    write(
        dir.path(),
        "sub/z.env",
        format!("GROQ_API_KEY={b}\nANTHROPIC_API_KEY={a}\n"),
    );
    write(dir.path(), "sub/a.env", format!("GROQ_API_KEY={b}\n"));
    let (first, _) = scan_json(dir.path(), &["--no-ignore", "sub"]);
    let order: Vec<(&str, u64)> = first
        .iter()
        .map(|f| (field(f, "path"), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        order,
        vec![("sub/a.env", 1), ("sub/z.env", 1), ("sub/z.env", 2)]
    );
    // Move the lines: fingerprints stay the same.
    write(
        dir.path(),
        "sub/z.env",
        format!("# moved\n\nANTHROPIC_API_KEY={a}\nGROQ_API_KEY={b}\n"),
    );
    let (second, _) = scan_json(dir.path(), &["--no-ignore", "sub"]);
    let prints = |v: &[serde_json::Value]| {
        let mut p: Vec<String> = v
            .iter()
            .map(|f| field(f, "fingerprint").to_string())
            .collect();
        p.sort();
        p
    };
    assert_eq!(prints(&first), prints(&second));
    // An absolute argument gives absolute paths.
    let abs = dir.path().join("sub");
    let (third, _) = scan_json(dir.path(), &["--no-ignore", abs.to_str().unwrap()]);
    assert!(field(&third[0], "path").starts_with(abs.to_str().unwrap()));
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "k.txt", format!("key={}\n", anthropic()));
    let out = run(keyward().current_dir(dir.path()).args([
        "scan",
        "-f",
        "jsonl",
        "-o",
        "report.jsonl",
        "k.txt",
    ]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("report.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 1);
    assert!(!written.contains(&anthropic()));
}

#[test]
fn keyward_own_repository_is_clean() {
    let out = run(keyward()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "."]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

/// One fixed tree, seeded keys: the human and JSON output are pinned.
fn snapshot_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app/settings.py",
        format!(
            "import os\nOPENAI_API_KEY = \"{}\"\nDEBUG = True\n",
            rule_key("openai-api-key", 7)
        ),
    );
    write(
        dir.path(),
        "deploy/.env.production",
        format!(
            "NEXT_PUBLIC_GROK_API_KEY={}\nDEEPSEEK_API_KEY={}\nDATABASE_HOST=db\n",
            rule_key("xai-api-key", 8),
            rule_key("sk-hex32-key", 9)
        ),
    );
    write(
        dir.path(),
        "README.md",
        "Set OPENAI_API_KEY=sk-proj-your_openai_key_here\n",
    );
    dir
}

#[test]
fn human_output_snapshot() {
    let dir = snapshot_tree();
    let out = run(keyward().current_dir(dir.path()).args([
        "scan",
        "--no-ignore",
        "--color",
        "never",
        "-q",
        ".",
    ]));
    insta::assert_snapshot!("human", stdout(&out));
}

#[test]
fn json_output_snapshot() {
    let dir = snapshot_tree();
    let out = run(keyward().current_dir(dir.path()).args([
        "scan",
        "--no-ignore",
        "-q",
        "-f",
        "json",
        ".",
    ]));
    insta::assert_snapshot!("json", stdout(&out));
}

/// `-o` onto a FIFO (as onto /dev/null or /dev/stdout) writes through it instead of
/// replacing it; onto a symbolic link, it replaces the target and keeps the link; an
/// existing file keeps its mode.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_a_link_or_an_existing_file() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "src/a.txt", "nothing\n");
    let fifo = d.join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let out = run(keyward()
            .current_dir(d)
            .args(["scan", "src", "-f", "json", "-o"])
            .arg(&fifo));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(reader.join().unwrap().trim(), "[]");
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
    }
    // A link to a report: the link stays, the target gets the report.
    write(d, "reports/real.json", "old");
    std::os::unix::fs::symlink("reports/real.json", d.join("link.json")).unwrap();
    let out = run(keyward()
        .current_dir(d)
        .args(["scan", "src", "-f", "json", "-o", "link.json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(d.join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(d.join("reports/real.json"))
            .unwrap()
            .trim(),
        "[]"
    );
    // An existing private report stays private.
    let private = d.join("private.json");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out =
        run(keyward()
            .current_dir(d)
            .args(["scan", "src", "-f", "json", "-o", "private.json"]));
    assert_eq!(out.status.code(), Some(0));
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A directory is refused with a message.
    let out = run(keyward()
        .current_dir(d)
        .args(["scan", "src", "-o", "reports"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("it is a directory"),
        "{}",
        stderr(&out)
    );
}

/// A gitignored `.env` is left out of the scan, and the summary says so and how to
/// include it; `--no-ignore` scans it (and finds its key).
#[test]
fn scan_says_which_secret_files_gitignore_left_out() {
    let repo = new_repo();
    let d = repo.path();
    write(d, ".gitignore", ".env\n*.pem\nnode_modules/\n");
    write(
        d,
        ".env",
        format!("A={}\n", rule_key("anthropic-api-key", 40)),
    );
    write(d, "web/.env.local", "B=\n");
    write(d, "web/.gitignore", ".env.local\n");
    write(d, "server.pem", "not a key\n");
    write(d, ".env.example", "A=\n");
    // Inside an ignored folder: not counted (the walk never enters it).
    write(d, "node_modules/pkg/.env", "C=\n");
    let out = run(keyward().current_dir(d).args(["scan", "."]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "; 3 git-ignored secret files not scanned (.env, server.pem, web/.env.local; \
             --no-ignore scans them)"
        ),
        "{err}"
    );
    let out = run(keyward().current_dir(d).args(["scan", "--no-ignore", "."]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("git-ignored"), "{}", stderr(&out));
    // A key in an ignored file's name is redacted like any path.
    let key = rule_key("anthropic-api-key", 41);
    let named = format!(".env.{key}");
    write(d, &named, "A=\n");
    write(
        d,
        ".gitignore",
        ".env*\n!.env.example\n*.pem\nnode_modules/\n",
    );
    let err = stderr(&run(keyward().current_dir(d).args(["scan", "."])));
    assert!(
        err.contains("git-ignored secret files not scanned"),
        "{err}"
    );
    assert!(!err.contains(&key[key.len() - 12..]), "{err}");
    // Nothing ignored: nothing said.
    let out = run(keyward().current_dir(d).args(["scan", "web/.gitignore"]));
    assert!(!stderr(&out).contains("git-ignored"), "{}", stderr(&out));
}
