//! Arbitrary text through the dotenv parser, then through `keyward env check` as it
//! checks a dotenv file: each setting against the built-in rules, and both reports.

#![no_main]

use keyward::dotenv::parse_dotenv;
use keyward::envcheck::{check_all, file_settings, render_human, render_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = parse_dotenv(text);
    let lines = text.split('\n').count();
    for e in &parsed.entries {
        assert!(e.line >= 1 && e.line <= lines, "entry line {} of {lines}", e.line);
        assert!(!e.name.is_empty());
    }
    for (line, message) in &parsed.warnings {
        assert!(*line >= 1 && *line <= lines, "warning line {line} of {lines}");
        assert!(!message.is_empty());
    }
    let mut warnings = Vec::new();
    let settings = file_settings(".env", &parsed, &mut warnings);
    let (results, _unset) = check_all(keyward_fuzz::rules(), &settings, false);
    let _ = render_human(&results);
    render_json(&results).expect("the JSON report serializes");
});
