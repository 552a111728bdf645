//! Seed corpora for the fuzz targets, built at run time from keyward's own inputs: the
//! rules' example templates expanded into fresh fake keys, the configuration examples
//! of README.md, the rule files, and events for the fixed repository. Nothing here is
//! committed: `fuzz/corpus` is ignored by git.
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example seed
//! ```

use keyward::pipeline::scan_blob;
use keyward::rules::template::{expand, Context, Rng};
use keyward::rules::{Rule, EMBEDDED};
use keyward::scan::Matcher;
use keyward::suppress::{Baseline, Entry};
use std::path::{Path, PathBuf};

struct Corpus {
    dir: PathBuf,
    n: usize,
}

impl Corpus {
    fn new(target: &str) -> Corpus {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target);
        std::fs::create_dir_all(&dir).expect("the corpus directory can be made");
        Corpus { dir, n: 0 }
    }

    fn add(&mut self, bytes: impl AsRef<[u8]>) {
        self.n += 1;
        let path = self.dir.join(format!("seed-{:04}", self.n));
        std::fs::write(path, bytes).expect("a seed can be written");
    }
}

fn examples(rule: &Rule, rng: &mut Rng) -> Vec<String> {
    let ctx = Context {
        checksum: rule.spec.checksum,
        key_template: rule.spec.key.as_deref(),
    };
    let mut out: Vec<String> = rule
        .spec
        .examples
        .iter()
        .chain(rule.variants.iter().flat_map(|v| &v.examples))
        .filter_map(|t| expand(t, ctx, rng).ok())
        .collect();
    out.extend(rule.spec.negative_examples.iter().cloned());
    out
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn main() {
    let seed = std::env::var("KEYWARD_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng::new(seed);
    let rules = keyward_fuzz::rules();

    // scan_blob: each rule's examples, some in UTF-16 and with CRLF line ends.
    let mut scan = Corpus::new("scan_blob");
    let mut texts = Vec::new();
    for rule in &rules.rules {
        let text = examples(rule, &mut rng).join("\n") + "\n";
        scan.add(&text);
        texts.push(text);
    }
    for (i, text) in texts.iter().enumerate().step_by(7) {
        scan.add(utf16(text, i % 2 == 0));
        scan.add(text.replace('\n', "\r\n"));
    }
    scan.add("plain text, no key\nsecond line\tend\r\nlone\rcarriage return\n");

    // baseline_ignore: baselines and ignore files of those findings.
    let mut baseline = Corpus::new("baseline_ignore");
    let mut matcher = Matcher::new(rules);
    for chunk in texts.chunks(10) {
        let mut entries = Vec::new();
        let mut ignore = String::from("# reviewed\n");
        for (i, text) in chunk.iter().enumerate() {
            let path = format!("dir/file{i}.env");
            for f in scan_blob(&mut matcher, &path, text.as_bytes()).findings {
                ignore.push_str(&format!("{}  # {}\n", f.fingerprint, f.rule_id));
                entries.push(Entry::of(&f, &path));
            }
        }
        baseline.add(Baseline::render(&entries));
        baseline.add(ignore);
    }

    // dotenv: each variable name the rules know, set to one of its rule's examples,
    // in the forms loaders read.
    let mut dotenv = Corpus::new("dotenv");
    let mut env = String::from("\u{feff}# comment\n\nexport EMPTY=\nBARE\n");
    for (n, rule) in rules.rules.iter().enumerate() {
        let Some(name) = rule.spec.env_vars.first() else {
            continue;
        };
        let value = rule
            .spec
            .key
            .as_deref()
            .and_then(|k| {
                keyward::rules::template::expand_key(k, rule.spec.checksum, &mut rng).ok()
            })
            .unwrap_or_default();
        env.push_str(&match n % 6 {
            0 => format!("{name}={value}\n"),
            1 => format!("export {name}=\"{value}\"\n"),
            2 => format!("{name} = '{value}' # note\n"),
            3 => format!("{name}=`{value}`\r\n"),
            4 => format!("{name}=\"line one\\n{value}\nline two\"\n"),
            _ => format!("{name}={value} # trailing comment\n"),
        });
        if env.len() > 1500 {
            dotenv.add(&env);
            env = String::from("A=1\n");
        }
    }
    dotenv.add(&env);
    dotenv.add("A='unclosed\nB=\"also \\\" unclosed\n1BAD=x\nC=\"x\" trailing\n");

    // config: README's keyward.toml examples, the rule files as custom rules and as
    // gitleaks-style `[[rules]]` files, and a hand-written gitleaks configuration.
    let mut config = Corpus::new("config");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
        .expect("README.md is readable");
    for block in readme.split("```toml\n").skip(1) {
        if let Some((toml, _)) = block.split_once("```") {
            config.add(toml);
        }
    }
    for (_, text) in EMBEDDED {
        config.add(text);
        config.add(format!(
            "[rules]\nbuiltin = false\n\n{}",
            text.replace("[[rules]]", "[[rule]]")
                .replace("[[rules.", "[[rule.")
        ));
    }
    config.add(
        r#"title = "team config"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "Internal Token"
description = "internal token"
regex = '''itok_([a-z0-9]{24})'''
secretGroup = 1
entropy = 3.0
keywords = ["itok_"]
path = '''\.env$'''
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''itok_test''']
condition = "AND"
commits = ["0123456"]

[[rules]]
id = "no-keywords"
regex = '''(?i)acme[_-]key\s*=\s*([A-Z0-9]{20})'''

[allowlist]
paths = ['''^docs/''', '''(.*?)(png|jpg)$''']
stopwords = ["sample"]

[[allowlists]]
targetRules = ["internal-token", "missing"]
regexes = ['''^itok_0+''']
"#,
    );

    // github_event: each event shape against the fixed repository.
    let mut event = Corpus::new("github_event");
    let repo = keyward_fuzz::event_repo();
    let id = |n: &str| repo.ids[n].as_str();
    let zero = "0".repeat(40);
    let events = [
        ("push", format!(r#"{{"ref":"refs/heads/main","before":"{}","after":"{}"}}"#, id("c1"), id("c3"))),
        ("push", format!(r#"{{"ref":"refs/heads/feature","before":"{zero}","after":"{}","created":true}}"#, id("c4"))),
        ("push", format!(r#"{{"ref":"refs/heads/orphan","before":"{zero}","after":"{}"}}"#, id("c5"))),
        ("push", format!(r#"{{"ref":"refs/heads/gone","before":"{}","after":"{zero}","deleted":true}}"#, id("c3"))),
        ("push", format!(r#"{{"ref":"refs/heads/main","before":"{}","after":"{}"}}"#, "1".repeat(40), id("c3"))),
        ("push", format!(r#"{{"ref":"refs/tags/v1","before":"{}","after":"{}"}}"#, id("v1"), id("blob"))),
        ("pull_request", format!(r#"{{"number":7,"pull_request":{{"base":{{"sha":"{}"}},"head":{{"sha":"{}"}}}}}}"#, id("c3"), id("c4"))),
        ("pull_request_target", format!(r#"{{"pull_request":{{"number":8,"base":{{"sha":"{}"}},"head":{{"sha":"{}"}}}}}}"#, id("c5"), id("c4"))),
        ("pull_request", format!(r#"{{"pull_request":{{"head":{{"sha":"{}"}}}}}}"#, id("c2"))),
        ("merge_group", format!(r#"{{"merge_group":{{"base_sha":"{}","head_sha":"{}"}}}}"#, id("c2"), id("c3"))),
        ("merge_group", format!(r#"{{"merge_group":{{"head_sha":"{}"}}}}"#, id("tree"))),
        ("schedule", "{}".to_string()),
        ("workflow_dispatch", r#"{"inputs":{}}"#.to_string()),
        ("release", r#"{"action":"published"}"#.to_string()),
        ("push", "[1, 2]".to_string()),
        ("push", "not json".to_string()),
    ];
    for (name, payload) in events {
        event.add(format!("{name}\n{payload}"));
    }

    for c in [&scan, &baseline, &dotenv, &config, &event] {
        println!("{}: {} seeds", c.dir.display(), c.n);
    }
}
