//! Unit tests of the env check: the verdicts on values of every kind, the public
//! prefixes, the English, the dotenv files as the command reads them, and the reports
//! (which never hold a value).
//!
//! Fake keys are drawn at run time from the rules' templates; no key is written here.

use super::classify::same_provider;
use super::message::a;
use super::*;
use crate::rules::template::{expand_key, Rng};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
}

/// A fresh fake key of rule `id`, drawn at run time.
fn key(id: &str, seed: u64) -> String {
    let rule = rules().get(id).expect("rule exists");
    let template = rule.spec.key.as_deref().expect("rule has a key template");
    expand_key(template, rule.spec.checksum, &mut Rng::new(seed)).expect("key expands")
}

fn check(name: &str, value: &str) -> Checked {
    Checker::new(rules())
        .check(&Setting::new(name, Origin::Process, value))
        .expect("a known name")
}

/// The variables of guide 000's start-up validation, and their aliases.
const GUIDE_NAMES: &[&str] = &[
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "MISTRAL_API_KEY",
    "GROK_API_KEY",
    "XAI_API_KEY",
    "QWEN_API_KEY",
    "DASHSCOPE_API_KEY",
    "DEEPSEEK_API_KEY",
    "KIMI_K2_API_KEY",
    "MOONSHOT_API_KEY",
];

#[test]
fn the_guide_names_are_known_and_strict() {
    let mut checker = Checker::new(rules());
    for name in GUIDE_NAMES {
        let known = checker.lookup(name).cloned().unwrap_or_else(|| {
            panic!("{name} is in no rule's env_vars");
        });
        assert!(
            !checker.is_loose(&known),
            "{name} should be checked strictly"
        );
    }
}

#[test]
fn known_vars_cover_the_rule_sets_map_with_every_owner() {
    let set = rules();
    let known = known_vars(set);
    for (upper, first) in &set.env_vars {
        let k = known
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(upper))
            .unwrap_or_else(|| panic!("{upper} missing"));
        assert_eq!(k.owners[0], *first, "{upper}: first owner");
    }
    assert_eq!(known.len(), set.env_vars.len());
    let github = known.iter().find(|k| k.name == "GITHUB_TOKEN").unwrap();
    assert!(
        github.owners.len() > 1,
        "every rule that lists a name owns it"
    );
}

#[test]
fn well_formed_keys_are_valid_with_their_public_prefix() {
    for (name, id, prefix) in [
        (
            "ANTHROPIC_API_KEY",
            "anthropic-api-key",
            Some("sk-ant-api03-"),
        ),
        ("OPENAI_API_KEY", "openai-api-key", Some("sk-proj-")),
        ("GEMINI_API_KEY", "google-api-key", Some("AIza")),
        ("MISTRAL_API_KEY", "mistral-api-key", None),
        ("GROK_API_KEY", "xai-api-key", Some("xai-")),
        ("DEEPSEEK_API_KEY", "sk-hex32-key", Some("sk-")),
        ("QWEN_API_KEY", "sk-hex32-key", Some("sk-")),
        ("KIMI_K2_API_KEY", "sk-alnum48-key", Some("sk-")),
    ] {
        let value = key(id, 1);
        let c = check(name, &value);
        assert_eq!(c.status, Status::Valid, "{name}: {}", c.message);
        assert_eq!(c.prefix.as_deref(), prefix, "{name}");
        assert_eq!(c.length, Some(value.chars().count()));
    }
    // Context attributes a look-alike family to the variable's provider.
    let c = check("DEEPSEEK_API_KEY", &key("sk-alnum48-key", 2));
    assert_eq!(c.status, Status::Valid, "{}", c.message);
    assert_eq!(c.detected.unwrap().provider, "DeepSeek");
}

#[test]
fn another_providers_key_is_a_mismatch() {
    let c = check("OPENAI_API_KEY", &key("anthropic-api-key", 3));
    assert_eq!(c.status, Status::Mismatch);
    let d = c.detected.as_ref().unwrap();
    assert_eq!(
        (d.rule.as_str(), d.provider.as_str()),
        ("anthropic-api-key", "Anthropic")
    );
    assert_eq!(c.expected, "OpenAI");
    assert!(
        c.message.contains("move it to ANTHROPIC_API_KEY"),
        "{}",
        c.message
    );
    // The DeepSeek/Qwen family is not Moonshot's.
    let c = check("KIMI_K2_API_KEY", &key("sk-hex32-key", 4));
    assert_eq!(c.status, Status::Mismatch, "{}", c.message);
    // Same provider, another product: not a mismatch.
    let c = check("GOOGLE_API_KEY", &key("google-gemini-aq-key", 5));
    assert_eq!(c.status, Status::Valid, "{}", c.message);
}

#[test]
fn broken_keys_are_malformed_and_say_why() {
    let full = key("anthropic-api-key", 6);
    let c = check("ANTHROPIC_API_KEY", &full[..60]);
    assert_eq!(c.status, Status::Malformed);
    assert_eq!(c.prefix.as_deref(), Some("sk-ant-api03-"));
    assert!(c.message.contains("60 characters"), "{}", c.message);
    assert!(c.message.contains("108 characters"), "{}", c.message);
    assert!(c.detected.is_none());

    let c = check("ANTHROPIC_API_KEY", &format!("{full}\n"));
    assert_eq!(c.status, Status::Malformed);
    assert!(c.message.contains("whitespace"), "{}", c.message);

    let c = check("ANTHROPIC_API_KEY", &format!("\"{full}\""));
    assert_eq!(c.status, Status::Malformed);
    assert!(c.message.contains("quotes"), "{}", c.message);
    assert_eq!(
        c.prefix, None,
        "the prefix is shown only at the start of the value"
    );

    let c = check("ANTHROPIC_API_KEY", &format!("Bearer {full}"));
    assert_eq!(c.status, Status::Malformed);

    let c = check("MISTRAL_API_KEY", &key("mistral-api-key", 7)[..20]);
    assert_eq!(c.status, Status::Malformed);
    assert!(c.message.contains("32 characters"), "{}", c.message);

    let c = check("OPENAI_API_KEY", "/run/secrets/openai");
    assert_eq!(c.status, Status::Malformed);
    assert!(c.message.contains("file path"), "{}", c.message);
}

#[test]
fn placeholders_are_not_configured() {
    for v in [
        "",
        "   ",
        "your-key-here",
        "sk-...",
        "sk-proj-your_openai_key_here",
        "${OPENAI_API_KEY}",
        "$OPENAI_API_KEY",
        "%OPENAI_API_KEY%",
        "changeme",
    ] {
        let c = check("OPENAI_API_KEY", v);
        assert_eq!(c.status, Status::Placeholder, "{v:?}: {}", c.message);
        assert!(!c.status.configured() && !c.status.fails());
    }
}

#[test]
fn loose_names_accept_other_values() {
    let mut checker = Checker::new(rules());
    for name in [
        "ACCESS_TOKEN",
        "PRIVATE_KEY",
        "DOCKER_PASSWORD",
        "DATABASE_URL",
        "AzureWebJobsStorage",
        "CI_JOB_TOKEN",
    ] {
        let known = checker.lookup(name).cloned().unwrap();
        assert!(checker.is_loose(&known), "{name}");
    }
    let c = check("DATABASE_URL", "postgres://localhost/app");
    assert_eq!(c.status, Status::UnknownFormat, "{}", c.message);
    assert!(!c.status.fails());
    let password = ["Xk29", "fLq83", "mZpR"].concat();
    let c = check(
        "DATABASE_URL",
        &format!("postgres://app:{password}@db.internal:5432/app"),
    );
    assert_eq!(c.status, Status::Valid, "{}", c.message);
    assert_eq!(c.prefix, None);
    let c = check("ACCESS_TOKEN", &key("github-pat", 8));
    assert_eq!(c.status, Status::Valid, "{}", c.message);
    // A key of another kind inside a connection string is not an error.
    let openai = key("openai-api-key", 12);
    let c = check(
        "DATABASE_URL",
        &format!("postgres://app:{openai}@db.internal/app"),
    );
    assert_eq!(c.status, Status::UnknownFormat, "{}", c.message);
    assert_eq!(c.prefix, None);
    // Still malformed when it starts like the owner's format.
    let c = check("CI_JOB_TOKEN", "glcbt-1");
    assert_eq!(c.status, Status::Malformed, "{}", c.message);
}

#[test]
fn prefixes_never_show_a_random_character() {
    let set = rules();
    let checker = Checker::new(set);
    for (i, rule) in set.rules.iter().enumerate() {
        let Some(template) = rule.spec.key.as_deref() else {
            continue;
        };
        let keys: Vec<String> = (0..6)
            .map(|s| expand_key(template, rule.spec.checksum, &mut Rng::new(100 + s)).unwrap())
            .collect();
        let shown: Vec<Option<String>> = keys.iter().map(|k| checker.prefix_in(i, k)).collect();
        assert!(
            shown.windows(2).all(|w| w[0] == w[1]),
            "{}: the prefix depends on the key: {shown:?}",
            rule.spec.id
        );
        if let Some(p) = &shown[0] {
            assert!(
                p.len() * 2 <= keys[0].len(),
                "{}: prefix {p} too long",
                rule.spec.id
            );
        }
    }
}

#[test]
fn articles() {
    assert_eq!(a("Anthropic API key"), "an Anthropic API key");
    assert_eq!(a("OpenAI API key"), "an OpenAI API key");
    assert_eq!(a("GitHub token"), "a GitHub token");
    assert_eq!(a("sk- key of the family"), "an sk- key of the family");
    assert_eq!(a("xAI (Grok) API key"), "an xAI (Grok) API key");
    assert_eq!(a("JSON Web Token"), "a JSON Web Token");
}

#[test]
fn providers_match_by_name_or_product() {
    assert!(same_provider("Google", "Google Gemini"));
    assert!(same_provider("Google Gemini", "Google"));
    assert!(!same_provider(
        "OpenAI",
        "OpenAI-compatible (Moonshot/Kimi)"
    ));
    assert!(!same_provider("Azure OpenAI", "OpenAI"));
}

#[test]
fn debug_output_hides_values() {
    let value = key("anthropic-api-key", 9);
    let s = Setting::new("ANTHROPIC_API_KEY", Origin::Process, value.clone());
    let shown = format!("{s:?}");
    assert!(!shown.contains(&value[14..30]), "{shown}");
    assert!(shown.contains("<108 characters>"), "{shown}");
    let parsed = parse_dotenv(&format!("ANTHROPIC_API_KEY={value}\n"));
    assert!(!format!("{parsed:?}").contains(&value[14..30]));
}

fn entries(text: &str) -> Vec<(String, String, usize)> {
    parse_dotenv(text)
        .entries
        .into_iter()
        .map(|e| (e.name, e.value, e.line))
        .collect()
}

fn e(name: &str, value: &str, line: usize) -> (String, String, usize) {
    (name.to_string(), value.to_string(), line)
}

#[test]
fn dotenv_syntax() {
    let text = "\u{feff}# comment\r\n\r\nA=plain\r\nexport B=exported\n  C = spaced  \nD='single # not a comment'\nE=\"double \\\"q\\\" \\n end\"\nF=value # comment\nG=val#ue\nH= # only a comment\nI=\nJ=`back`\nK='multi\nline' # trailing comment\nexport\tL=tab\nM\nexport N\nexporter=x\n";
    assert_eq!(
        entries(text),
        vec![
            e("A", "plain", 3),
            e("B", "exported", 4),
            e("C", "spaced", 5),
            e("D", "single # not a comment", 6),
            e("E", "double \"q\" \n end", 7),
            e("F", "value", 8),
            e("G", "val#ue", 9),
            e("H", "", 10),
            e("I", "", 11),
            e("J", "back", 12),
            e("K", "multi\nline", 13),
            e("L", "tab", 15),
            e("exporter", "x", 18),
        ]
    );
    assert!(parse_dotenv(text).warnings.is_empty());
}

#[test]
fn malformed_dotenv_lines_are_warnings() {
    let text = "A=1\n1BAD=x\nNOEQUALS zzhiddenzz\nQ='open\nR=2\nS=\"closed\" junk\nT=3\n";
    let parsed = parse_dotenv(text);
    let names: Vec<&str> = parsed.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["A", "R", "T"]);
    let lines: Vec<usize> = parsed.warnings.iter().map(|w| w.0).collect();
    assert_eq!(lines, [2, 3, 4, 6]);
    assert!(parsed.warnings[2].1.contains("never closed"));
    // A warning never quotes the line.
    assert!(parsed
        .warnings
        .iter()
        .all(|(_, w)| !w.contains("zzhiddenzz") && !w.contains("junk")));
}

#[test]
fn the_last_of_a_name_counts() {
    let parsed = parse_dotenv("X_API_KEY=1\nOPENAI_API_KEY=a\nOPENAI_API_KEY=b\n");
    let mut warnings = Vec::new();
    let settings = file_settings(".env", &parsed, &mut warnings);
    assert_eq!(settings.len(), 2);
    assert_eq!(
        settings[1].origin,
        Origin::File {
            path: ".env".into(),
            line: 3
        }
    );
    assert_eq!(
        warnings,
        [".env:2: OPENAI_API_KEY is set again on line 3; the last value counts"]
    );
}

#[test]
fn reports_never_hold_the_value() {
    let valid = key("openai-api-key", 10);
    let wrong = key("anthropic-api-key", 11);
    let settings = [
        Setting::new("OPENAI_API_KEY", Origin::Process, valid.clone()),
        Setting::new(
            "OPENAI_API_KEY",
            Origin::File {
                path: ".env".into(),
                line: 2,
            },
            wrong.clone(),
        ),
        Setting::new("ANTHROPIC_API_KEY", Origin::Process, &wrong[..50]),
        Setting::new("UNRELATED", Origin::Process, "x"),
    ];
    let (results, unset) = check_all(rules(), &settings, true);
    assert_eq!(
        results
            .iter()
            .filter(|c| c.status == Status::NotSet)
            .count(),
        unset
    );
    assert_eq!(results.len(), 3 + unset);
    let human = render_human(&results);
    let json = render_json(&results).unwrap();
    for v in [&valid, &wrong] {
        let body = &v[14..40];
        assert!(!human.contains(body) && !json.contains(body));
    }
    let row: Vec<&str> = human.lines().nth(2).unwrap().split_whitespace().collect();
    assert_eq!(
        row[..5],
        [
            "OPENAI_API_KEY",
            ".env:2",
            "mismatch",
            "108",
            "sk-ant-api03-…"
        ]
    );
    assert!(human.contains("sk-ant-api03-…"), "{human}");
    let s = summary(&results, unset, true);
    assert!(
        s.starts_with("3 values checked: 1 valid, 1 malformed, 1 mismatched"),
        "{s}"
    );
}
