//! A labelled corpus for comparing secret scanners: every built-in rule's examples,
//! expanded with fresh random keys (one file each, under `positive/`), and its negative
//! examples (one file each, under `negative/`), with `labels.jsonl` saying which file
//! should hold which rule's key. Nothing in it is a real key.
//!
//! ```text
//! cargo run --release --example corpus -- DIR [SEED]
//! python3 benches/corpus-score.py DIR
//! ```
//!
//! The corpus is drawn from keyward's own rule examples, so keyward finds every positive
//! by construction (`rules check` proves it); what it measures is how other scanners do on
//! the same shapes, and how quiet each scanner stays on the negatives.

use keyward::rules::template::{self, Context, Rng};
use keyward::rules::RuleSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: corpus DIR [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(13);
    match write_corpus(&dir, seed) {
        Ok((pos, neg)) => {
            eprintln!(
                "corpus: {pos} positive and {neg} negative files in {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_corpus(dir: &Path, seed: u64) -> Result<(usize, usize), String> {
    if dir.exists() {
        return Err(format!(
            "{} exists; give a new folder so no file of yours is overwritten",
            dir.display()
        ));
    }
    let set = RuleSet::builtin().map_err(|e| e.to_string())?;
    let mut rng = Rng::new(seed);
    let mut labels = String::new();
    let (mut pos, mut neg) = (0, 0);
    for rule in &set.rules {
        let spec = &rule.spec;
        let ctx = Context {
            checksum: spec.checksum,
            key_template: spec.key.as_deref(),
        };
        let mut examples: Vec<(&str, &str, &str)> = spec
            .examples
            .iter()
            .map(|e| (spec.id.as_str(), spec.provider.as_str(), e.as_str()))
            .collect();
        for v in &rule.variants {
            examples.extend(
                v.examples
                    .iter()
                    .map(|e| (v.id.as_str(), v.provider.as_str(), e.as_str())),
            );
        }
        // A rule that reads files by name is given its examples under that name.
        let name = spec.example_path.as_deref().unwrap_or("example.txt");
        for (n, (id, provider, template)) in examples.into_iter().enumerate() {
            let text = template::expand(template, ctx, &mut rng)
                .map_err(|e| format!("{id}: example {n}: {e}"))?;
            let rel = format!("positive/{}/{n}/{name}", spec.id);
            write(dir, &rel, &text)?;
            label(&mut labels, &rel, &spec.id, id, provider, true);
            pos += 1;
        }
        for (n, text) in spec.negative_examples.iter().enumerate() {
            let rel = format!("negative/{}/{n}/example.txt", spec.id);
            write(dir, &rel, text)?;
            label(&mut labels, &rel, &spec.id, &spec.id, &spec.provider, false);
            neg += 1;
        }
    }
    write(dir, "labels.jsonl", &labels)?;
    Ok((pos, neg))
}

fn label(out: &mut String, path: &str, rule: &str, id: &str, provider: &str, positive: bool) {
    let line = serde_json::json!({
        "path": path, "rule": rule, "variant": id, "provider": provider, "positive": positive,
    });
    let _ = writeln!(out, "{line}");
}

fn write(dir: &Path, rel: &str, text: &str) -> Result<(), String> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
