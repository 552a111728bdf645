//! Arbitrary text as a keyward.toml and as a gitleaks configuration. What parses goes on
//! to build the rules and the suppression filter, and its custom rules scan the text
//! itself: a configuration in a scanned repository is untrusted input, so all of it
//! must end in Ok or Err.

#![no_main]

use keyward::config::{Config, GitleaksImport};
use keyward::rules::template::{expand, expand_key, Context, Rng};
use keyward::scan::Matcher;
use keyward::suppress::Filter;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fn exercise(config: &Config, text: &str) {
    if let Some(size) = &config.scan.max_file_size {
        let _ = keyward::config::parse_size(size);
    }
    for date in config.rotation.last_rotated.values() {
        let _ = keyward::audit::parse_date(date);
    }
    for a in &config.attest {
        let _ = keyward::audit::parse_date(&a.date);
    }
    // `keyward rules check --config` expands each custom rule's examples.
    let mut rng = Rng::new(1);
    for spec in &config.rule {
        let ctx = Context {
            checksum: spec.checksum,
            key_template: spec.key.as_deref(),
        };
        if let Some(key) = &spec.key {
            let _ = expand_key(key, spec.checksum, &mut rng);
        }
        let variants = spec.variants.iter().flat_map(|v| &v.examples);
        for example in spec.examples.iter().chain(variants) {
            let _ = expand(example, ctx, &mut rng);
        }
    }
    let Ok(rules) = config.rule_set() else {
        return;
    };
    let Ok(mut filter) = Filter::new(config, &rules, None, None) else {
        return;
    };
    if config.rule.is_empty() {
        return; // the built-in rules alone are the scan_blob target's
    }
    let mut matcher = Matcher::new(&rules);
    let outcome = keyward::pipeline::scan_blob(&mut matcher, "fuzz/k.toml", text.as_bytes());
    keyward_fuzz::check_findings(text.as_bytes(), &outcome);
    let _ = filter.apply_with(outcome.findings, &|p| p.to_string());
}

fuzz_target!(|text: &str| {
    let path = Path::new("k.toml");
    if let Ok(config) = Config::parse(text, path) {
        exercise(&config, text);
    }
    let _ = GitleaksImport::looks_like(text);
    if let Ok(import) = GitleaksImport::parse(text, path) {
        exercise(&import.config, text);
    }
});
