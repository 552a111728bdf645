//! `keyward github-range` and [`keyward::github::plan`] for every GitHub event the Action
//! handles, on temp repositories built with the git CLI (no network): push, a new branch,
//! a force push whose `before` is gone, a deletion, pull requests (never the merge
//! commit), merge groups, scheduled and manual runs, other events, the base and head
//! overrides, the modes, and shallow clones.

mod common;

use common::*;
use keyward::github::{plan, Kind, Mode, Plan, Request};
use serde_json::json;
use std::path::Path;

const ZERO: &str = "0000000000000000000000000000000000000000";

/// A commit that touches one file (no secrets needed to test ranges).
fn c(dir: &Path, file: &str, date: &str) -> String {
    commit(dir, &[(file, &format!("{file} {date}\n"))], file, date)
}

/// The plan for `event` with `payload`, in mode auto without overrides.
fn plan_for(dir: &Path, event: &str, payload: serde_json::Value) -> anyhow::Result<Plan> {
    plan_with(dir, event, payload, |_| {})
}

fn plan_with(
    dir: &Path,
    event: &str,
    payload: serde_json::Value,
    edit: impl FnOnce(&mut Request),
) -> anyhow::Result<Plan> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), payload.to_string()).unwrap();
    let mut req = Request {
        event_name: Some(event.to_string()),
        event_path: Some(file.path().to_path_buf()),
        repo: dir.to_path_buf(),
        base: None,
        head: None,
        mode: Mode::Auto,
    };
    edit(&mut req);
    plan(&req)
}

fn range(p: &Plan) -> &str {
    assert_eq!(p.kind, Kind::Range, "{p:?}");
    &p.range
}

/// main: c1 - c2 - c3.
fn linear() -> (tempfile::TempDir, [String; 3]) {
    let repo = new_repo();
    let d = repo.path();
    let c1 = c(d, "a", "2024-01-01T00:00:00Z");
    let c2 = c(d, "b", "2024-01-02T00:00:00Z");
    let c3 = c(d, "c", "2024-01-03T00:00:00Z");
    (repo, [c1, c2, c3])
}

#[test]
fn push_scans_from_the_merge_base_of_before_and_after() {
    let (repo, [c1, c2, c3]) = linear();
    let d = repo.path();
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/main", "before": c1, "after": c3, "created": false, "deleted": false}),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{c1}..{c3}"));
    assert!(p.warnings.is_empty(), "{p:?}");
    assert!(p.reason.contains("push to refs/heads/main"), "{}", p.reason);

    // A force push whose old tip is still here: from where the two lines meet.
    git(d, &["checkout", "-q", "-b", "side", &c1]);
    let s = c(d, "side", "2024-01-04T00:00:00Z");
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/main", "before": s, "after": c2, "forced": true}),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{c1}..{c2}"));
}

#[test]
fn a_new_branch_excludes_every_other_remote_tracking_ref() {
    let (repo, [c1, c2, _]) = linear();
    let d = repo.path();
    git(d, &["checkout", "-q", "-b", "feature", &c2]);
    let f1 = c(d, "f1", "2024-02-01T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "other", &c1]);
    let o1 = c(d, "o1", "2024-02-02T00:00:00Z");
    let payload =
        json!({"ref": "refs/heads/feature", "before": ZERO, "after": f1, "created": true});

    // No remote-tracking refs at all: the whole history of the branch.
    let p = plan_for(d, "push", payload.clone()).unwrap();
    assert_eq!(range(&p), f1);
    assert!(
        p.reason.contains("no other remote-tracking ref"),
        "{}",
        p.reason
    );

    // As actions/checkout leaves it: every branch under refs/remotes/origin, the pushed
    // one included (it is not excluded), and a symbolic origin/HEAD.
    git(d, &["update-ref", "refs/remotes/origin/main", &c2]);
    git(d, &["update-ref", "refs/remotes/origin/feature", &f1]);
    git(d, &["update-ref", "refs/remotes/origin/other", &o1]);
    git(
        d,
        &[
            "symbolic-ref",
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/feature",
        ],
    );
    // Many refs: the range names only where the branch meets them.
    for i in 0..40 {
        let at = if i % 2 == 0 { &c1 } else { &c2 };
        git(d, &["update-ref", &format!("refs/remotes/origin/b{i}"), at]);
    }
    let p = plan_for(d, "push", payload).unwrap();
    assert_eq!(range(&p), format!("{f1} ^{c2}"));
    assert!(
        p.reason.contains("other 42 remote-tracking refs"),
        "{}",
        p.reason
    );

    // `created` alone is enough, and the range works as a --rev list.
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/feature", "before": c1, "after": f1, "created": true}),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{f1} ^{c2}"));
    let (_, out) = history_json(d, &["--rev", &p.range, "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("walked 1 commit"), "{}", stderr(&out));

    // A branch merging another one that is not on the remote yet: both are new.
    git(d, &["checkout", "-q", "-b", "topic", &c1]);
    let t1 = c(d, "t1", "2024-02-03T00:00:00Z");
    git(d, &["checkout", "-q", "feature"]);
    git(d, &["merge", "-q", "--no-edit", "topic"]);
    let m = git(d, &["rev-parse", "HEAD"]);
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/feature", "before": ZERO, "after": m, "created": true}),
    )
    .unwrap();
    let mut meet = [c1.clone(), c2.clone()];
    meet.sort();
    assert_eq!(range(&p), format!("{m} ^{} ^{}", meet[0], meet[1]));
    let (_, out) = history_json(d, &["--rev", &p.range, "."]);
    assert!(
        stderr(&out).contains("walked 3 commits"),
        "{} {t1}",
        stderr(&out)
    );

    // A new tag on a commit a remote branch has: nothing new.
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/tags/v1", "before": ZERO, "after": f1, "created": true}),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{f1} ^{f1}"));
    let (_, out) = history_json(d, &["--rev", &p.range, "."]);
    assert!(
        stderr(&out).contains("walked 0 commits"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_force_push_whose_before_is_gone_scans_everything_with_a_warning() {
    let (repo, [_, _, c3]) = linear();
    let gone = "1234567890abcdef1234567890abcdef12345678";
    let p = plan_for(
        repo.path(),
        "push",
        json!({"ref": "refs/heads/main", "before": gone, "after": c3, "forced": true}),
    )
    .unwrap();
    assert_eq!(p.kind, Kind::Full);
    assert_eq!(p.range, "");
    assert_eq!(p.warnings.len(), 1);
    assert!(
        p.warnings[0].contains(gone) && p.warnings[0].contains("force push"),
        "{p:?}"
    );
}

#[test]
fn a_deleted_branch_scans_nothing() {
    let (repo, [_, c2, _]) = linear();
    for payload in [
        json!({"ref": "refs/heads/gone", "before": c2, "after": ZERO, "deleted": true}),
        json!({"ref": "refs/heads/gone", "before": c2, "after": ZERO}),
    ] {
        let p = plan_for(repo.path(), "push", payload).unwrap();
        assert_eq!(p.kind, Kind::None, "{p:?}");
        assert_eq!(p.outputs(), "kind=none\nrange=\n");
        assert!(p.reason.contains("refs/heads/gone"), "{}", p.reason);
    }
}

/// main: c1 - c2; feature: c1 - f1 - f2; HEAD: the synthetic merge of f2 into c2, as
/// actions/checkout leaves a pull_request run.
fn pull_request_repo() -> (tempfile::TempDir, [String; 5]) {
    let repo = new_repo();
    let d = repo.path();
    let c1 = c(d, "a", "2024-01-01T00:00:00Z");
    let c2 = c(d, "b", "2024-01-03T00:00:00Z");
    git(d, &["checkout", "-q", "-b", "feature", &c1]);
    let f1 = c(d, "f1", "2024-01-02T00:00:00Z");
    let f2 = c(d, "f2", "2024-01-04T00:00:00Z");
    git(d, &["checkout", "-q", "--detach", &c2]);
    git(d, &["merge", "-q", "--no-ff", "--no-edit", &f2]);
    let merge = git(d, &["rev-parse", "HEAD"]);
    (repo, [c1, c2, f1, f2, merge])
}

#[test]
fn a_pull_request_scans_merge_base_to_head_never_the_merge_commit() {
    let (repo, [c1, c2, _, f2, merge]) = pull_request_repo();
    let d = repo.path();
    for event in ["pull_request", "pull_request_target"] {
        let p = plan_for(
            d,
            event,
            json!({"number": 7, "pull_request": {"number": 7, "base": {"sha": c2}, "head": {"sha": f2}}}),
        )
        .unwrap();
        assert_eq!(range(&p), format!("{c1}..{f2}"));
        assert!(!p.range.contains(&merge));
        assert!(p.reason.contains(&format!("{event} #7")), "{}", p.reason);
    }
    // The head is not here: say so, and how to fix it.
    let missing = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    let err = plan_for(
        d,
        "pull_request_target",
        json!({"pull_request": {"base": {"sha": c2}, "head": {"sha": missing}}}),
    )
    .unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains(missing) && msg.contains("fetch-depth: 0"),
        "{msg}"
    );
    assert!(
        msg.contains("pull_request_target checks out the base"),
        "{msg}"
    );
    // The base is not here: the whole history, with a warning.
    let p = plan_for(
        d,
        "pull_request",
        json!({"pull_request": {"base": {"sha": missing}, "head": {"sha": f2}}}),
    )
    .unwrap();
    assert_eq!(p.kind, Kind::Full);
    assert!(p.warnings[0].contains(missing), "{p:?}");
}

#[test]
fn a_merge_group_scans_base_to_head() {
    let (repo, [_, c2, _, _, merge]) = pull_request_repo();
    let p = plan_for(
        repo.path(),
        "merge_group",
        json!({"merge_group": {"base_sha": c2, "head_sha": merge, "head_ref": "refs/heads/gh-readonly-queue/main/pr-7"}}),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{c2}..{merge}"));
}

#[test]
fn scheduled_and_manual_runs_scan_everything_other_events_too_with_a_note() {
    let (repo, _) = linear();
    for event in ["schedule", "workflow_dispatch"] {
        let mut req = Request {
            event_name: Some(event.into()),
            event_path: None,
            repo: repo.path().to_path_buf(),
            base: None,
            head: None,
            mode: Mode::Auto,
        };
        let p = plan(&req).unwrap();
        assert_eq!((p.kind, p.range.as_str()), (Kind::Full, ""), "{event}");
        assert!(p.warnings.is_empty());
        req.event_path = Some(repo.path().join("no-such-event.json"));
        assert_eq!(plan(&req).unwrap().kind, Kind::Full, "{event}");
    }
    let p = plan_for(repo.path(), "release", json!({"action": "published"})).unwrap();
    assert_eq!(p.kind, Kind::Full);
    assert!(p.warnings[0].contains("\"release\""), "{p:?}");
}

#[test]
fn base_and_head_inputs_override_the_event() {
    let (repo, [c1, c2, f1, f2, _]) = pull_request_repo();
    let d = repo.path();
    // Both: merge-base(base, head)..head, whatever the event.
    let p = plan_with(d, "schedule", json!({}), |r| {
        r.base = Some("main".into());
        r.head = Some("feature".into());
    })
    .unwrap();
    assert_eq!(range(&p), format!("{c1}..{f2}"));
    // Only the head: the event's base.
    let p = plan_with(
        d,
        "pull_request",
        json!({"pull_request": {"base": {"sha": c2}, "head": {"sha": f2}}}),
        |r| r.head = Some(f1.clone()),
    )
    .unwrap();
    assert_eq!(range(&p), format!("{c1}..{f1}"));
    // Only the head, and an event without a base: every commit of the head.
    let p = plan_with(d, "workflow_dispatch", json!({}), |r| {
        r.head = Some("feature".into())
    })
    .unwrap();
    assert_eq!(range(&p), f2);
    // An unknown revision is named.
    let err = plan_with(d, "schedule", json!({}), |r| {
        r.base = Some("nope".into());
        r.head = Some("feature".into());
    })
    .unwrap_err();
    assert!(format!("{err:#}").contains("\"nope\""), "{err:#}");
}

#[test]
fn unrelated_histories_scan_every_commit_of_the_head() {
    let (repo, [_, _, c3]) = linear();
    let d = repo.path();
    git(d, &["checkout", "-q", "--orphan", "fresh"]);
    let o = c(d, "orphan", "2024-03-01T00:00:00Z");
    let p = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/main", "before": c3, "after": o, "forced": true}),
    )
    .unwrap();
    assert_eq!(range(&p), o);
    assert!(p.warnings[0].contains("share no history"), "{p:?}");
}

#[test]
fn modes_full_and_worktree() {
    let (repo, [c1, _, c3]) = linear();
    let payload = json!({"ref": "refs/heads/main", "before": c1, "after": c3});
    let p = plan_with(repo.path(), "push", payload.clone(), |r| {
        r.mode = Mode::Full
    })
    .unwrap();
    assert_eq!(p.outputs(), "kind=full\nrange=\n");
    let p = plan_with(repo.path(), "push", payload, |r| {
        r.mode = Mode::Worktree;
        r.repo = "/nonexistent".into();
    })
    .unwrap();
    assert_eq!(p.outputs(), "kind=worktree\nrange=\n");
}

#[test]
fn a_shallow_clone_is_refused_with_what_to_change() {
    let (repo, [c1, _, c3]) = linear();
    let dst = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(dst.path(), &["clone", "-q", "--depth", "1", &url, "s"]);
    let s = dst.path().join("s");
    let payload = json!({"ref": "refs/heads/main", "before": c1, "after": c3});
    for mode in [Mode::Auto, Mode::Full] {
        let err = plan_with(&s, "push", payload.clone(), |r| r.mode = mode).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("shallow clone") && msg.contains("fetch-depth: 0"),
            "{msg}"
        );
    }
    let err = plan_for(&s, "schedule", json!({})).unwrap_err();
    assert!(format!("{err:#}").contains("fetch-depth: 0"));
    // The files alone need no history; nor does a deletion.
    let p = plan_with(&s, "push", payload, |r| r.mode = Mode::Worktree).unwrap();
    assert_eq!(p.kind, Kind::Worktree);
    let p = plan_for(
        &s,
        "push",
        json!({"ref": "refs/heads/x", "before": c3, "after": ZERO, "deleted": true}),
    )
    .unwrap();
    assert_eq!(p.kind, Kind::None);
}

#[test]
fn events_without_what_they_need_are_errors_that_say_so() {
    let (repo, _) = linear();
    let d = repo.path();
    let mut req = Request {
        event_name: None,
        event_path: None,
        repo: d.to_path_buf(),
        base: None,
        head: None,
        mode: Mode::Auto,
    };
    assert!(format!("{:#}", plan(&req).unwrap_err()).contains("GITHUB_EVENT_NAME"));
    req.event_name = Some("push".into());
    assert!(format!("{:#}", plan(&req).unwrap_err()).contains("GITHUB_EVENT_PATH"));
    let bad = d.join(".git/bad-event.json");
    std::fs::write(&bad, "{not json").unwrap();
    req.event_path = Some(bad);
    assert!(format!("{:#}", plan(&req).unwrap_err()).contains("is not JSON"));
    let err = plan_for(d, "pull_request", json!({"pull_request": {}})).unwrap_err();
    assert!(format!("{err:#}").contains("head.sha"), "{err:#}");
    let err = plan_for(d, "merge_group", json!({})).unwrap_err();
    assert!(format!("{err:#}").contains("head_sha"), "{err:#}");
    let err = plan_for(
        d,
        "push",
        json!({"ref": "refs/heads/main", "before": ZERO, "after": "feedfacefeedfacefeedfacefeedfacefeedface"}),
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("the pushed commit"), "{err:#}");
}

#[test]
fn the_command_prints_github_output_lines_and_the_reason() {
    let (repo, [c1, _, c3]) = linear();
    let d = repo.path();
    let event = d.join(".git/event.json");
    std::fs::write(
        &event,
        json!({"ref": "refs/heads/main", "before": c1, "after": c3}).to_string(),
    )
    .unwrap();
    let out = run(keyward()
        .current_dir(d)
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_EVENT_PATH", &event)
        .arg("github-range"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("kind=range\nrange={c1}..{c3}\n"));
    assert!(
        stderr(&out).starts_with("keyward: push to refs/heads/main"),
        "{}",
        stderr(&out)
    );

    // Flags win over the environment; in Actions, warnings are workflow commands.
    std::fs::write(
        &event,
        json!({"ref": "refs/heads/main", "before": "1111111111111111111111111111111111111111", "after": c3}).to_string(),
    )
    .unwrap();
    let out = run(keyward()
        .current_dir(d)
        .env("GITHUB_EVENT_NAME", "schedule")
        .env("GITHUB_ACTIONS", "true")
        .args(["github-range", "--event-name", "push", "--repo", "."])
        .arg("--event-path")
        .arg(&event));
    assert_eq!(stdout(&out), "kind=full\nrange=\n");
    assert!(
        stderr(&out).starts_with("::warning title=keyward::"),
        "{}",
        stderr(&out)
    );

    let out = run(keyward().current_dir(d).args([
        "github-range",
        "--mode",
        "full",
        "--repo",
        "/nonexistent",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a git repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}
