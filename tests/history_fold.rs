//! One finding per secret in `keyward history`: a key in a file renamed and edited, and
//! the same key on two branches, are one finding with its other locations;
//! `--each-location` gives one per path; baselines and ignore files made per path still
//! suppress the folded finding; every format shows the other locations.

mod common;

use common::*;
use std::path::Path;

fn key(seed: u64) -> String {
    key_for(rules().get("anthropic-api-key").unwrap(), &mut rng(seed))
}

/// A key in `old/config.py`, then the file renamed to `new/settings.py` and edited in
/// the same commit (so a new blob carries the key at the new path). Returns the key and
/// both commits.
fn renamed_and_edited(dir: &Path) -> (String, String, String) {
    let k = key(51);
    let first = commit(
        dir,
        &[("old/config.py", &format!("KEY = \"{k}\"\n"))],
        "add config",
        "2024-01-01T00:00:00Z",
    );
    std::fs::create_dir_all(dir.join("new")).unwrap();
    git(dir, &["mv", "old/config.py", "new/settings.py"]);
    let moved = commit(
        dir,
        &[("new/settings.py", &format!("# settings\nKEY = \"{k}\"\n"))],
        "move and edit config",
        "2024-01-02T00:00:00Z",
    );
    (k, first, moved)
}

#[test]
fn a_key_in_a_file_renamed_and_edited_is_one_finding_with_two_locations() {
    let repo = new_repo();
    let dir = repo.path();
    let (k, first, moved) = renamed_and_edited(dir);
    let (findings, out) = history_json(dir, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(field(f, "path"), "old/config.py");
    assert_eq!(field(f, "commit"), first);
    assert_eq!(field(f, "secret"), k);
    assert_eq!(f["in_head"], true, "the new path still holds it");
    assert_eq!(f["other_places"], 1);
    let locations = f["locations"].as_array().unwrap();
    assert_eq!(locations.len(), 1, "{f}");
    let l = &locations[0];
    assert_eq!(field(l, "path"), "new/settings.py");
    assert_eq!(field(l, "commit"), moved);
    assert_eq!(l["line"], 2);
    assert_eq!(l["reachable"], true);
    assert_eq!(f["locations_omitted"], 0);

    // --each-location: one finding per path, as before.
    let (each, out) = history_json(dir, &["--each-location", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(each.len(), 2, "{each:#?}");
    assert!(each
        .iter()
        .all(|f| f["locations"].as_array().unwrap().is_empty()));
    let at = |p: &str| each.iter().find(|f| f["path"] == p).unwrap();
    // The folded finding keeps the first place's fingerprint; each location has its own.
    assert_eq!(f["fingerprint"], at("old/config.py")["fingerprint"]);
    assert_eq!(l["fingerprint"], at("new/settings.py")["fingerprint"]);
}

#[test]
fn the_same_key_on_two_branches_is_one_finding() {
    let repo = new_repo();
    let dir = repo.path();
    let k = key(52);
    let base = commit(
        dir,
        &[("README.md", "hi\n")],
        "base",
        "2024-01-01T00:00:00Z",
    );
    let on_main = commit(
        dir,
        &[("app/.env", &format!("ANTHROPIC_API_KEY={k}\n"))],
        "main key",
        "2024-01-02T00:00:00Z",
    );
    git(dir, &["checkout", "-q", "-b", "feature", &base]);
    let on_feature = commit(
        dir,
        &[("tools/run.sh", &format!("export ANTHROPIC_API_KEY={k}\n"))],
        "feature key",
        "2024-01-03T00:00:00Z",
    );
    // Another key, at one place only.
    commit(
        dir,
        &[("other.env", &format!("ANTHROPIC_API_KEY={}\n", key(53)))],
        "other",
        "2024-01-04T00:00:00Z",
    );
    let (findings, out) = history_json(dir, &["."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let f = findings.iter().find(|f| f["secret"] == k.as_str()).unwrap();
    assert_eq!(field(f, "path"), "app/.env");
    assert_eq!(field(f, "commit"), on_main);
    let locations = f["locations"].as_array().unwrap();
    assert_eq!(locations.len(), 1);
    assert_eq!(field(&locations[0], "path"), "tools/run.sh");
    assert_eq!(field(&locations[0], "commit"), on_feature);
    let (each, _) = history_json(dir, &["--each-location", "."]);
    assert_eq!(each.len(), 3, "the old count: {each:#?}");
}

#[test]
fn baselines_and_ignore_files_made_per_path_still_suppress_the_folded_finding() {
    let repo = new_repo();
    let dir = repo.path();
    let _ = renamed_and_edited(dir);
    let out =
        run(keyward()
            .current_dir(dir)
            .args(["baseline", "create", "--history", "-o", "base.txt"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (findings, out) = history_json(dir, &["--baseline", "base.txt", "."]);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // An ignore file naming both places (as --each-location prints them) suppresses
    // the secret; naming only the first place leaves the other as the finding.
    let (each, _) = history_json(dir, &["--each-location", "."]);
    let fp = |p: &str| {
        each.iter()
            .find(|f| f["path"] == p)
            .map(|f| field(f, "fingerprint").to_string())
            .unwrap()
    };
    let (old, new) = (fp("old/config.py"), fp("new/settings.py"));
    std::fs::write(dir.join("both.ignore"), format!("{old}\n{new}\n")).unwrap();
    let (findings, out) = history_json(dir, &["--ignore-file", "both.ignore", "."]);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(dir.join("first.ignore"), format!("{old}\n")).unwrap();
    let (findings, out) = history_json(dir, &["--ignore-file", "first.ignore", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings.len(), 1);
    assert_eq!(field(&findings[0], "path"), "new/settings.py");
    assert_eq!(field(&findings[0], "fingerprint"), new);
    assert!(findings[0]["locations"].as_array().unwrap().is_empty());
}

#[test]
fn text_markdown_and_json_lines_show_the_other_locations() {
    let repo = new_repo();
    let dir = repo.path();
    let (k, _, moved) = renamed_and_edited(dir);
    let text = |args: &[&str]| {
        let out = run(keyward().current_dir(dir).arg("history").args(args));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stdout(&out)
    };
    let human = text(&["."]);
    assert!(
        human.contains(&format!("also at new/settings.py:2 in {}", &moved[..10])),
        "{human}"
    );
    let md = text(&["-f", "markdown", "."]);
    assert!(
        md.contains("`old/config.py:1` (also `new/settings.py:2`)"),
        "{md}"
    );
    let lines = text(&["-f", "jsonl", "."]);
    assert_eq!(lines.lines().count(), 1, "{lines}");
    let v: serde_json::Value = serde_json::from_str(lines.trim()).unwrap();
    assert_eq!(v["locations"][0]["path"], "new/settings.py");
    for out in [&human, &md, &lines] {
        assert!(!out.contains(k.as_str()), "redacted by default");
    }
}
