//! The prescan of a full history scan reads the packs in pack order and scans a blob
//! stored as a delta only around what the delta changed. Its findings must be those of
//! reading every blob whole: a repository whose files are edited at random (every
//! rule's examples with fresh keys, private key blocks among them, inserted, moved and
//! deleted; API hosts put above bearer tokens and taken away again) and then packed with
//! deep delta chains is scanned both ways, and the reports must be identical. A damaged
//! blob in a prescanned pack is read the ordinary way and makes the scan incomplete.

mod common;

use common::*;
use std::path::Path;

/// Lines of ordinary code, with keywords that select rules but hold no secret.
const FILLER: &[&str] = &[
    "    let token = read_token(&config)?;",
    "    if key.is_empty() { return Err(Error::NoKey); }",
    "    headers.insert(\"Authorization\", format!(\"Bearer {}\", token));",
    "# the api key is read from the environment",
    "    auth: {",
    "    password = os.environ[\"DB_PASSWORD\"]",
    "def machine_name(host):",
    "  - name: secret",
    "curl -s https://example.com/health",
    "}",
    "",
];

/// An edit's text: filler, an API host, a bare bearer token (reported only below a
/// host), or (one time in `rare`) a rule's example with a fresh key.
fn piece(rng: &mut keyward::rules::template::Rng, rare: usize) -> String {
    let rules = rules();
    let candidates: Vec<_> = rules
        .rules
        .iter()
        .filter(|r| r.spec.paths.is_empty() && !r.spec.examples.is_empty())
        .collect();
    let rule = candidates[rng.below(candidates.len())];
    if rng.below(rare) == 0 {
        let example = &rule.spec.examples[rng.below(rule.spec.examples.len())];
        return text_for(rule, example, rng);
    }
    match rng.below(6) {
        0 => "curl https://api.openai.com/v1/endpoint \\".to_string(),
        1 => text_for(
            rule,
            "  -H \"Authorization: Bearer {alnum:40}{digit:2}\" \\",
            rng,
        ),
        _ => FILLER[rng.below(FILLER.len())].to_string(),
    }
}

fn edit(lines: &mut Vec<String>, rng: &mut keyward::rules::template::Rng, rare: usize) {
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(lines.len() + 1);
        match rng.below(5) {
            0 if lines.len() > 10 => {
                let n = 1 + rng.below(3);
                let end = (at + n).min(lines.len());
                if at < end {
                    lines.drain(at..end);
                }
            }
            1 if lines.len() > 20 => {
                // Move a block elsewhere (a seam in the delta).
                let from = rng.below(lines.len() - 5);
                let block: Vec<String> = lines.drain(from..from + 5).collect();
                let to = rng.below(lines.len() + 1);
                for (i, l) in block.into_iter().enumerate() {
                    lines.insert(to + i, l);
                }
            }
            _ => {
                for l in piece(rng, rare).lines().rev() {
                    lines.insert(at.min(lines.len()), l.to_string());
                }
            }
        }
    }
}

fn history(dir: &Path, prescan: bool) -> (String, String) {
    let mut cmd = keyward();
    cmd.current_dir(dir).env("KEYWARD_TIMINGS", "1").args([
        "history",
        "-f",
        "json",
        "--no-redact",
        "--threads",
        "2",
    ]);
    if !prescan {
        cmd.env("KEYWARD_NO_PRESCAN", "1");
    }
    let out = run(&mut cmd);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "history failed: {}",
        stderr(&out)
    );
    (stdout(&out), stderr(&out))
}

#[test]
fn a_scan_by_delta_changes_finds_what_reading_every_blob_finds() {
    let repo = new_repo();
    let dir = repo.path();
    let mut rng = rng(0x5eed_de17a);
    // Enough objects for the pack to be prescanned.
    for i in 0..1100 {
        write(dir, &format!("filler/f{i}.txt"), format!("file {i}\n"));
    }
    let mut files: Vec<Vec<String>> = (0..6)
        .map(|f| {
            (0..300)
                .map(|i| format!("{} // {f}.{i}", FILLER[i % FILLER.len()]))
                .collect()
        })
        .collect();
    for (f, lines) in files.iter().enumerate() {
        write(dir, &format!("src/file{f}.txt"), lines.join("\n"));
    }
    git(dir, &["add", "-A"]);
    commit(dir, &[], "start", "2024-01-01T00:00:00Z");
    for c in 0..80 {
        let f = rng.below(files.len());
        // Half the files get a key now and then; the others rarely, so their versions
        // are often clean bases whose deltas are scanned by their changes.
        let rare = if f < 3 { 3 } else { 25 };
        edit(&mut files[f], &mut rng, rare);
        let text = files[f].join("\n");
        commit(
            dir,
            &[(&format!("src/file{f}.txt"), &text)],
            &format!("edit {c}"),
            &format!("2024-01-02T{:02}:{:02}:00Z", c / 60, c % 60),
        );
    }
    git(dir, &["repack", "-adfq", "--depth=50", "--window=250"]);
    let (with, timings) = history(dir, true);
    let (without, _) = history(dir, false);
    assert!(
        timings.contains("prescan:"),
        "the pack was not prescanned: {timings}"
    );
    let ranged: u64 = timings
        .split(" by their changes")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(ranged > 0, "no delta was scanned by its changes: {timings}");
    let findings: Vec<serde_json::Value> = serde_json::from_str(&without).unwrap();
    assert!(
        findings.len() > 10,
        "too few findings to compare: {}",
        findings.len()
    );
    assert_eq!(with, without, "the prescan changed the report");
}

/// A blob whose data in a prescanned pack is damaged is not taken as clean: the scan
/// reads it the ordinary way, names it and exits 2 (incomplete), and still reports what
/// it could read.
#[test]
fn a_damaged_blob_in_a_prescanned_pack_is_named_and_the_scan_is_incomplete() {
    let repo = new_repo();
    let dir = repo.path();
    for i in 0..1100 {
        write(dir, &format!("filler/f{i}.txt"), format!("file {i}\n"));
    }
    let mut rng = rng(7);
    let anthropic = rules().get("anthropic-api-key").unwrap();
    let (seen, lost) = (key_for(anthropic, &mut rng), key_for(anthropic, &mut rng));
    write(dir, "a.env", format!("ANTHROPIC_API_KEY={seen}\n"));
    write(dir, "b.env", format!("ANTHROPIC_API_KEY={lost}\n"));
    git(dir, &["add", "-A"]);
    commit(dir, &[], "start", "2024-01-01T00:00:00Z");
    git(dir, &["repack", "-adq"]);
    let blob = git(dir, &["rev-parse", "HEAD:b.env"]);
    // The entry's header (a byte or two) stays; its compressed data does not inflate.
    damage_packed_blob(dir, &blob, 2);

    let out = run(keyward()
        .current_dir(dir)
        .env("KEYWARD_TIMINGS", "1")
        .args(["history", "-f", "json", "--no-redact", "."]));
    let err = stderr(&out);
    assert!(
        err.contains("prescan:"),
        "the pack was not prescanned: {err}"
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&blob), "the damaged blob is named: {err}");
    let report = stdout(&out);
    assert!(report.contains(&seen), "{report}");
    assert!(!report.contains(&lost), "{report}");
}
