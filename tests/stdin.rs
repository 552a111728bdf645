//! Standard input (`keyward scan -`) is held to `--max-file-size` like a file: keyward
//! reads no further than the limit, lists the input as skipped, and exits 2 since the
//! scan is incomplete.

mod common;

use common::*;
use std::io::Write;
use std::process::Stdio;

/// Run `keyward scan ARGS` with `len` bytes of `fill` (a key in the middle) on
/// standard input, written as long as keyward reads.
fn scan_stream(args: &[&str], len: usize, key: &str) -> std::process::Output {
    let mut child = keyward()
        .arg("scan")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keyward starts");
    let mut input = child.stdin.take().unwrap();
    let key = format!("\nOPENAI_API_KEY={key}\n");
    let writer = std::thread::spawn(move || {
        let line = [b'x'; 1023];
        let mut sent = 0;
        while sent < len {
            if sent >= len / 2 && sent < len / 2 + 1024 && input.write_all(key.as_bytes()).is_err()
            {
                return;
            }
            // keyward stops reading at the limit: a closed pipe ends the stream.
            if input
                .write_all(&line)
                .and_then(|()| input.write_all(b"\n"))
                .is_err()
            {
                return;
            }
            sent += 1024;
        }
    });
    let out = child.wait_with_output().expect("keyward finishes");
    writer.join().unwrap();
    out
}

fn openai() -> String {
    key_for(rules().get("openai-api-key").expect("rule"), &mut rng(3))
}

#[test]
fn standard_input_over_the_size_limit_is_skipped_and_the_scan_is_incomplete() {
    // 8 MiB against a 64 KiB limit: keyward must stop reading, not hold it all.
    let out = scan_stream(
        &["--no-config", "--max-file-size", "64K", "-"],
        8 << 20,
        &openai(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("<stdin>: skipped, larger than --max-file-size"),
        "{err}"
    );
    assert!(err.contains("1 too large"), "{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn standard_input_within_the_limit_is_scanned() {
    let key = openai();
    let out = scan_stream(
        &["--no-config", "--max-file-size", "64K", "-f", "json", "-"],
        16 << 10,
        &key,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("openai-api-key"), "{}", stdout(&out));
}
