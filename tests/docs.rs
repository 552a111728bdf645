//! The documentation is tested: every example in README.md and docs/*.md runs against a
//! fixture, every relative link resolves, every page has a sound outline, and every flag
//! of every command appears on that command's page.
//!
//! An example is a fenced block preceded by a marker comment:
//!
//! ````markdown
//! <!-- example: fixture=leak git=removed exit=1 stdout="anthropic-api-key" -->
//! ```sh
//! keyward history
//! ```
//! ````
//!
//! In a `sh` block every line that is not blank or a `#` comment is a command; in a
//! `console` block the lines that start with `$ ` are (the others are sample output).
//! The commands run one by one with `sh -c` in a fresh copy of `fixtures/docs/NAME` (an
//! empty folder without `fixture=`), with the keyward under test first on PATH. A command
//! that runs keyward must exit with `exit=N` (default 0); any other (`git`, `test`,
//! `cat`: set-up and checks around it) must succeed. `stdout="…"` and `stderr="…"` name text the commands'
//! output must contain. `git=` builds a repository from the fixture first:
//!
//! | `git=` | the repository |
//! | --- | --- |
//! | `none` (default) | no repository |
//! | `commit` | every file committed |
//! | `staged` | an empty first commit, then every file staged |
//! | `removed` | an empty first commit, every file committed, then every file removed in a third commit (the keys are only in history) |
//!
//! Fixture files hold no key: `<fake-key:RULE>` is replaced by a fresh key made from
//! the rule's template, and a name starting with `dot-` is copied as `.…` (so `.env`
//! files are not ignored by this repository's own `.gitignore`).

mod common;

use common::{git, git_command, key_for, rng, rules};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page of docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A line that opens or closes a fence: its marker character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// The lines of a page outside fenced blocks, with their 1-based numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        match (open, fence(line)) {
            (None, Some(f)) => open = Some(f),
            (Some((c, n)), Some((c2, n2))) if c == c2 && n2 >= n && line.trim().len() == n2 => {
                open = None
            }
            (None, None) => out.push((i + 1, line)),
            _ => {}
        }
    }
    out
}

struct Example {
    place: String,
    attrs: BTreeMap<String, String>,
    commands: Vec<String>,
}

/// `key=value key="a value"` pairs.
fn parse_attrs(s: &str, place: &str) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .unwrap_or_else(|| panic!("{place}: example attribute without `=`: {rest}"));
        let key = rest[..eq].trim().to_string();
        rest = &rest[eq + 1..];
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .unwrap_or_else(|| panic!("{place}: unclosed quote in example attributes"));
            value = quoted[..end].to_string();
            rest = quoted[end + 1..].trim_start();
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            value = rest[..end].to_string();
            rest = rest[end..].trim_start();
        }
        let known = ["fixture", "git", "exit", "stdout", "stderr"];
        assert!(
            known.contains(&key.as_str()),
            "{place}: unknown example attribute `{key}` (known: {known:?})"
        );
        attrs.insert(key, value);
    }
    attrs
}

fn examples(path: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut open: Option<(char, usize)> = None;
    while i < lines.len() {
        let line = lines[i];
        if let Some((c, n)) = open {
            if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                open = None;
            }
            i += 1;
            continue;
        }
        if let Some(f) = fence(line) {
            open = Some(f);
            i += 1;
            continue;
        }
        let t = line.trim();
        if let Some(body) = t.strip_prefix("<!-- example:") {
            let place = format!("{}:{}", rel(path), i + 1);
            let body = body
                .strip_suffix("-->")
                .unwrap_or_else(|| panic!("{place}: an example marker is one line ending in -->"));
            let attrs = parse_attrs(body, &place);
            let open_line = lines.get(i + 1).copied().unwrap_or("");
            let (c, n) = fence(open_line).unwrap_or_else(|| {
                panic!("{place}: an example marker must be followed by a fence")
            });
            let lang = open_line.trim()[n..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            assert!(
                lang == "sh" || lang == "console",
                "{place}: examples are `sh` or `console` blocks, not `{lang}`"
            );
            let mut commands = Vec::new();
            let mut j = i + 2;
            let mut pending = String::new();
            while j < lines.len() && !fence(lines[j]).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                let l = lines[j];
                let cmd = if lang == "console" {
                    l.strip_prefix("$ ")
                } else {
                    let t = l.trim();
                    (!t.is_empty() && !t.starts_with('#')).then_some(l)
                };
                if let Some(cmd) = cmd {
                    pending.push_str(cmd);
                    if let Some(stripped) = pending.strip_suffix('\\') {
                        pending = format!("{stripped} ");
                    } else {
                        commands.push(std::mem::take(&mut pending));
                    }
                }
                j += 1;
            }
            assert!(
                !commands.is_empty(),
                "{place}: the example holds no command"
            );
            out.push(Example {
                place,
                attrs,
                commands,
            });
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// Copy `fixtures/docs/NAME` into `dst`, renaming `dot-` files and expanding fake keys.
fn copy_fixture(src: &Path, dst: &Path, rng: &mut keyward::rules::template::Rng) {
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = match name.strip_prefix("dot-") {
            Some(rest) => dst.join(format!(".{rest}")),
            None => dst.join(&name),
        };
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_fixture(&entry.path(), &target, rng);
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(pos) = rest.find("<fake-key:") {
            out.push_str(&rest[..pos]);
            let tail = &rest[pos + "<fake-key:".len()..];
            let end = tail.find('>').expect("<fake-key:RULE> is closed");
            let rule = rules()
                .get(&tail[..end])
                .unwrap_or_else(|| panic!("{}: no rule {}", entry.path().display(), &tail[..end]));
            out.push_str(&key_for(rule, rng));
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        std::fs::write(&target, out).unwrap();
    }
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

fn prepare(example: &Example, dir: &Path, seed: u64) {
    if let Some(name) = example.attrs.get("fixture") {
        let mut rng = rng(seed);
        copy_fixture(&root().join("fixtures/docs").join(name), dir, &mut rng);
    }
    let mode = example.attrs.get("git").map_or("none", String::as_str);
    match mode {
        "none" => {}
        "commit" => {
            git(dir, &["init", "-q"]);
            commit_all(dir, "Add the app");
        }
        "staged" => {
            git(dir, &["init", "-q"]);
            git(
                dir,
                &["commit", "-q", "--allow-empty", "-m", "Initial commit"],
            );
            git(dir, &["add", "-A"]);
        }
        "removed" => {
            git(dir, &["init", "-q"]);
            git(
                dir,
                &["commit", "-q", "--allow-empty", "-m", "Initial commit"],
            );
            commit_all(dir, "Add local settings");
            git(dir, &["rm", "-r", "-q", "--cached", "."]);
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_name() == ".git" {
                    continue;
                }
                if entry.file_type().unwrap().is_dir() {
                    std::fs::remove_dir_all(entry.path()).unwrap();
                } else {
                    std::fs::remove_file(entry.path()).unwrap();
                }
            }
            commit_all(dir, "Remove local settings");
        }
        other => panic!("{}: unknown git={other}", example.place),
    }
}

fn run_example(example: &Example, seed: u64) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    prepare(example, dir.path(), seed);
    let bin = Path::new(env!("CARGO_BIN_EXE_keyward"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let exit: i32 = example
        .attrs
        .get("exit")
        .map_or(0, |s| s.parse().expect("exit=N is a number"));
    let (mut all_out, mut all_err) = (String::new(), String::new());
    for cmd in &example.commands {
        let runs_keyward = cmd.split_whitespace().any(|w| w == "keyward");
        let want = if runs_keyward { exit } else { 0 };
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(cmd)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", &path)
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        // git's isolation and identity, as the other tests set them.
        common::isolated(&mut c);
        let out = c.output().expect("sh runs");
        let (o, e) = (common::stdout(&out), common::stderr(&out));
        let code = out.status.code().unwrap_or(-1);
        if code != want {
            return Err(format!(
                "{}: `{cmd}` exited {code}, the docs say {want}\nstdout:\n{o}\nstderr:\n{e}",
                example.place
            ));
        }
        all_out.push_str(&o);
        all_err.push_str(&e);
    }
    for (stream, text) in [("stdout", &all_out), ("stderr", &all_err)] {
        if let Some(needle) = example.attrs.get(stream) {
            if !text.contains(needle.as_str()) {
                return Err(format!(
                    "{}: {stream} does not contain {needle:?}\nstdout:\n{all_out}\nstderr:\n{all_err}",
                    example.place
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn examples_in_the_docs_run_as_documented() {
    let all: Vec<Example> = pages().iter().flat_map(|p| examples(p)).collect();
    assert!(all.len() >= 20, "only {} examples found", all.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = all
            .chunks(all.len().div_ceil(2))
            .enumerate()
            .map(|(n, chunk)| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .enumerate()
                        .filter_map(|(i, e)| run_example(e, 1500 + (n * 1000 + i) as u64).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_command_page_has_a_tested_example() {
    for page in [
        "scan.md",
        "history.md",
        "hooks.md",
        "ci.md",
        "audit.md",
        "configuration.md",
        "rules.md",
        "output.md",
        "env-check.md",
        "agents.md",
    ] {
        let path = root().join("docs").join(page);
        assert!(
            !examples(&path).is_empty(),
            "docs/{page} has no example marked `<!-- example: … -->`"
        );
    }
    let readme = examples(&root().join("README.md"));
    assert!(
        readme.len() >= 2,
        "README.md's first run should be tested examples"
    );
}

/// The anchors GitHub makes for the headings of a page.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose(text) {
        let Some(h) = heading(line) else { continue };
        let slug: String =
            h.1.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
        let n = seen.entry(slug.clone()).or_insert(0);
        out.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    out
}

/// An ATX heading: its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&level) && line[level..].starts_with(' ') {
        Some((level, line[level..].trim()))
    } else {
        None
    }
}

/// Inline links `[text](target)` in prose, outside code spans.
fn links(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b']' if !in_code && bytes.get(i + 1) == Some(&b'(') => {
                if let Some(end) = line[i + 2..].find(')') {
                    out.push(line[i + 2..i + 2 + end].to_string());
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[test]
fn relative_links_point_at_files_and_headings_that_exist() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (n, line) in prose(&text) {
            for target in links(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let dest = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().unwrap().join(file)
                };
                if !dest.exists() {
                    broken.push(format!("{}:{n}: {target}: no such file", rel(&page)));
                    continue;
                }
                if let Some(anchor) = anchor {
                    let text = std::fs::read_to_string(&dest).unwrap_or_default();
                    if !anchors(&text).contains(anchor) {
                        broken.push(format!("{}:{n}: {target}: no such heading", rel(&page)));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_has_one_title_and_no_skipped_heading_level() {
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let headings: Vec<(usize, usize)> = prose(&text)
            .into_iter()
            .filter_map(|(n, l)| heading(l).map(|h| (n, h.0)))
            .collect();
        assert_eq!(
            headings.first().map(|h| h.1),
            Some(1),
            "{}: the first heading is the page's title (#)",
            rel(&page)
        );
        assert_eq!(
            headings.iter().filter(|h| h.1 == 1).count(),
            1,
            "{}: one title per page (example output with headings goes in a fenced block)",
            rel(&page)
        );
        for w in headings.windows(2) {
            assert!(
                w[1].1 <= w[0].1 + 1,
                "{}:{}: heading level jumps from {} to {}",
                rel(&page),
                w[1].0,
                w[0].1,
                w[1].1
            );
        }
    }
}

/// The long flags a command's `--help` lists.
fn flags(args: &[&str]) -> Vec<String> {
    let out = common::run(common::keyward().args(args).arg("--help"));
    assert!(out.status.success(), "keyward {args:?} --help fails");
    let mut flags: Vec<String> = common::stdout(&out)
        .split(|c: char| c.is_whitespace() || c == ',' || c == '`')
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| {
            w.split(['=', '[', '<', ')'])
                .next()
                .unwrap()
                .trim_end_matches(['.', ':'])
                .to_string()
        })
        .filter(|w| w != "--help" && w != "--version")
        .collect();
    flags.sort();
    flags.dedup();
    flags
}

#[test]
fn every_flag_of_every_command_is_on_its_page() {
    let cases: &[(&[&str], &str)] = &[
        (&["scan"], "scan.md"),
        (&["history"], "history.md"),
        (&["staged"], "hooks.md"),
        (&["pre-push"], "hooks.md"),
        (&["hook", "install"], "hooks.md"),
        (&["github-range"], "ci.md"),
        (&["audit"], "audit.md"),
        (&["env", "check"], "env-check.md"),
        (&["baseline", "create"], "configuration.md"),
        (&["baseline", "prune"], "configuration.md"),
        (&["config", "show"], "configuration.md"),
        (&["rules", "list"], "rules.md"),
        (&["rules", "show"], "rules.md"),
        (&["rules", "check"], "rules.md"),
        (&["agents"], "agents.md"),
        (&["agent-hook"], "agents.md"),
        (&["report", "merge"], "history.md"),
    ];
    let mut missing = Vec::new();
    for (args, page) in cases {
        let text = std::fs::read_to_string(root().join("docs").join(page)).unwrap();
        for flag in flags(args) {
            if !text.contains(&format!("`{flag}")) {
                missing.push(format!(
                    "keyward {} {flag}: not in docs/{page}",
                    args.join(" ")
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_docs_and_their_fixtures_hold_no_key() {
    let out = common::run(common::keyward().current_dir(root()).args([
        "scan",
        "--no-config",
        "README.md",
        "docs",
        "fixtures",
    ]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "the docs must stay quiet:\n{}{}",
        common::stdout(&out),
        common::stderr(&out)
    );
}

#[test]
fn the_readme_set_up_runs_the_tests_as_ci_does() {
    // CI runs the README's test command; it must stay `cargo test`.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let setup = readme
        .split("## Set up")
        .nth(1)
        .expect("README.md has a `## Set up` section");
    assert!(setup.contains("cargo run --release -- scan ."));
    assert!(setup.contains("\ncargo test\n"));
}

#[test]
fn a_fixture_repository_is_built_as_its_mode_says() {
    let ex = Example {
        place: "self-test".into(),
        attrs: parse_attrs("fixture=clean git=removed", "self-test"),
        commands: vec![],
    };
    let dir = tempfile::tempdir().unwrap();
    prepare(&ex, dir.path(), 1);
    let log = git(dir.path(), &["log", "--format=%s"]);
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [
            "Remove local settings",
            "Add local settings",
            "Initial commit"
        ]
    );
    let status = git_command(dir.path()).args(["ls-files"]).output().unwrap();
    assert!(
        status.stdout.is_empty(),
        "nothing is left in the work tree's index"
    );
}

/// Every `helpUri` a SARIF report holds that points into this repository names a file
/// (and heading) that exists, so a code-scanning alert's "learn more" link works.
#[test]
fn sarif_help_links_point_at_pages_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rng(77);
    copy_fixture(&root().join("fixtures/docs/leak"), dir.path(), &mut rng);
    git(dir.path(), &["init", "-q"]);
    commit_all(dir.path(), "Add the app");
    let mut uris = Vec::new();
    for args in [
        &["scan", "-q", "-f", "sarif", "--sarif-all-rules", "."][..],
        &["audit", "-f", "sarif", "."][..],
    ] {
        let out = common::run(common::keyward().current_dir(dir.path()).args(args));
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("keyward {args:?}: not JSON ({e})"));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("SARIF rules");
        assert!(!rules.is_empty(), "keyward {args:?}: no rules described");
        for r in rules {
            uris.push(r["helpUri"].as_str().expect("helpUri").to_string());
        }
    }
    let prefix = "https://github.com/keyward/keyward/blob/main/";
    let mut broken = Vec::new();
    for uri in uris {
        let Some(rest) = uri.strip_prefix(prefix) else {
            broken.push(format!("{uri}: not a file of this repository"));
            continue;
        };
        let (file, anchor) = rest.split_once('#').unwrap_or((rest, ""));
        let path = root().join(file);
        if !path.is_file() {
            broken.push(format!("{uri}: no file {file}"));
        } else if !anchor.is_empty()
            && !anchors(&std::fs::read_to_string(&path).unwrap()).contains(anchor)
        {
            broken.push(format!("{uri}: no heading #{anchor} in {file}"));
        }
    }
    broken.dedup();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_readme_shows_the_checked_ci_examples_as_they_are() {
    // .ci/run checks these files with actionlint and kubernetes-validate; the README must
    // show them unchanged.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for name in ["history-matrix.yml", "history-indexed-job.yaml"] {
        let file = std::fs::read_to_string(root().join("docs/examples").join(name)).unwrap();
        assert!(
            readme.contains(&format!("```yaml\n{file}```")),
            "README.md does not show docs/examples/{name} as it is"
        );
    }
}
