//! The fields of a rule, checked all at once: a custom rule in a repository's
//! `keyward.toml` is untrusted input whose strings reach every report (terminal,
//! Markdown, SARIF), so ids are kebab-case, names hold no control characters, and a
//! revoke URL is a plain `https://` URL. Every missing, unknown, mistyped or invalid
//! field of a rule is listed in one message.
//!
//! It must not know where a rule came from beyond the name it is given.

use super::RuleSpec;

/// Why `id` is not a valid rule or variant id.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("empty; ids are kebab-case: lowercase letters, digits and '-'")
    } else if id.len() > 64 {
        Some("longer than 64 characters")
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("ids are kebab-case: lowercase letters, digits and '-'")
    } else {
        None
    }
}

/// Characters that change how a terminal or an editor shows text.
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with control and bidirectional-override characters made blanks.
pub fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if is_hidden_control(c) { ' ' } else { c })
        .collect()
}

/// Why `text` (a name or description) is not acceptable.
pub fn text_problem(text: &str) -> Option<&'static str> {
    text.chars()
        .any(is_hidden_control)
        .then_some("holds control or bidirectional-override characters")
}

/// Why `url` is not a revoke URL (empty means none).
pub fn url_problem(url: &str) -> Option<&'static str> {
    if url.is_empty() {
        return None;
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Some("must be an https:// URL");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Some("must be an https:// URL with a host");
    }
    // RFC 3986: unreserved, reserved and '%' only (no blanks, quotes, '<', '>', '`',
    // '\', '{', '}', '|', '^', control or non-ASCII characters).
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b);
    if !url.bytes().all(allowed) {
        return Some("holds a character a URL may not (a blank, quote, '<', '>', '`', '\\', a control or non-ASCII character); percent-encode it");
    }
    None
}

/// Every problem with the strings of a typed rule, as `field: problem`.
pub fn spec_problems(spec: &RuleSpec) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |field: String, problem: Option<&str>| {
        if let Some(p) = problem {
            out.push(format!("`{field}`: {p}"));
        }
    };
    check("id".into(), id_problem(&spec.id));
    check("name".into(), text_problem(&spec.name));
    check("provider".into(), text_problem(&spec.provider));
    check("description".into(), text_problem(&spec.description));
    check("revoke_url".into(), url_problem(&spec.revoke_url));
    for (n, v) in spec.variants.iter().enumerate() {
        let at = |f: &str| format!("variants[{}].{f}", n + 1);
        check(at("id"), id_problem(&v.id));
        check(at("name"), text_problem(&v.name));
        check(at("provider"), text_problem(&v.provider));
        check(
            at("revoke_url"),
            v.revoke_url.as_deref().and_then(url_problem),
        );
    }
    out
}

#[derive(Clone, Copy)]
enum Kind {
    Id,
    Text,
    Url,
    Str,
    Strings,
    Int,
    Number,
    Bool,
    Table,
    Tables,
    OneOf(&'static [&'static str]),
}

const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

const RULE_FIELDS: &[(&str, Kind, bool)] = &[
    ("id", Kind::Id, true),
    ("name", Kind::Text, true),
    ("provider", Kind::Text, true),
    ("severity", Kind::OneOf(SEVERITIES), true),
    (
        "precision",
        Kind::OneOf(&["low", "medium", "high", "very-high"]),
        false,
    ),
    ("description", Kind::Text, false),
    ("keywords", Kind::Strings, true),
    ("regex", Kind::Str, false),
    ("assignment", Kind::Table, false),
    ("secret_group", Kind::Int, false),
    ("entropy", Kind::Number, false),
    (
        "checksum",
        Kind::OneOf(&["crc32-base62", "github-fine-grained", "crc32-base36"]),
        false,
    ),
    ("boundary", Kind::OneOf(&["word", "base64", "none"]), false),
    ("window", Kind::Int, false),
    ("placeholder_filter", Kind::Bool, false),
    ("generic", Kind::Bool, false),
    ("env_vars", Kind::Strings, false),
    ("paths", Kind::Strings, false),
    ("binary", Kind::Bool, false),
    ("example_path", Kind::Str, false),
    ("revoke_url", Kind::Url, true),
    ("rotation_days", Kind::Int, true),
    ("variants", Kind::Tables, false),
    ("key", Kind::Str, false),
    ("examples", Kind::Strings, false),
    ("negative_examples", Kind::Strings, false),
];

const VARIANT_FIELDS: &[(&str, Kind, bool)] = &[
    ("id", Kind::Id, true),
    ("name", Kind::Text, true),
    ("provider", Kind::Text, true),
    ("context", Kind::Strings, true),
    ("env_vars", Kind::Strings, false),
    ("severity", Kind::OneOf(SEVERITIES), false),
    ("revoke_url", Kind::Url, false),
    ("rotation_days", Kind::Int, false),
    ("examples", Kind::Strings, false),
];

const ASSIGNMENT_FIELDS: &[(&str, Kind, bool)] =
    &[("name", Kind::Str, true), ("value", Kind::Str, true)];

fn value_problem(kind: Kind, v: &toml::Value) -> Option<String> {
    use toml::Value as V;
    let wrong = |what: &str| Some(format!("expected {what}"));
    match (kind, v) {
        (Kind::Id, V::String(s)) => id_problem(s).map(str::to_string),
        (Kind::Text, V::String(s)) => text_problem(s).map(str::to_string),
        (Kind::Url, V::String(s)) => url_problem(s).map(str::to_string),
        (Kind::Str, V::String(_)) => None,
        (Kind::Id | Kind::Text | Kind::Url | Kind::Str, _) => wrong("a string"),
        (Kind::Strings, V::Array(a)) if a.iter().all(V::is_str) => None,
        (Kind::Strings, _) => wrong("an array of strings"),
        (Kind::Int, V::Integer(i)) if *i >= 0 && *i <= i64::from(u32::MAX) => None,
        (Kind::Int, _) => wrong("a whole number, 0 or more"),
        (Kind::Number, V::Integer(_) | V::Float(_)) => None,
        (Kind::Number, _) => wrong("a number"),
        (Kind::Bool, V::Boolean(_)) => None,
        (Kind::Bool, _) => wrong("true or false"),
        (Kind::Table, V::Table(_)) => None,
        (Kind::Table, _) => wrong("a table"),
        (Kind::Tables, V::Array(a)) if a.iter().all(V::is_table) => None,
        (Kind::Tables, _) => wrong("an array of tables"),
        (Kind::OneOf(words), V::String(s)) if words.contains(&s.as_str()) => None,
        (Kind::OneOf(words), _) => Some(format!(
            "expected one of {}",
            words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn table_problems(
    prefix: &str,
    t: &toml::Table,
    fields: &[(&str, Kind, bool)],
    out: &mut Vec<String>,
) {
    for (name, kind, required) in fields {
        match t.get(*name) {
            None if *required => out.push(format!("`{prefix}{name}`: missing")),
            None => {}
            Some(v) => {
                if let Some(p) = value_problem(*kind, v) {
                    out.push(format!("`{prefix}{name}`: {p}"));
                }
            }
        }
    }
    let unknown = t
        .keys()
        .filter(|k| !fields.iter().any(|(name, _, _)| name == k))
        .count();
    if unknown > 0 {
        let known: Vec<&str> = fields.iter().map(|(n, _, _)| *n).collect();
        out.push(format!(
            "{unknown} unknown field(s){}; the fields are {}",
            if prefix.is_empty() {
                String::new()
            } else {
                format!(" in `{}`", prefix.trim_end_matches('.'))
            },
            known.join(", ")
        ));
    }
}

/// Every problem with one `[[rule]]` table as written, as `field: problem`: missing,
/// unknown and mistyped fields, and invalid ids, names and URLs.
pub fn rule_table_problems(t: &toml::Table) -> Vec<String> {
    let mut out = Vec::new();
    table_problems("", t, RULE_FIELDS, &mut out);
    if let Some(toml::Value::Table(a)) = t.get("assignment") {
        table_problems("assignment.", a, ASSIGNMENT_FIELDS, &mut out);
    }
    if let Some(toml::Value::Array(vs)) = t.get("variants") {
        for (n, v) in vs.iter().enumerate() {
            if let toml::Value::Table(v) = v {
                table_problems(
                    &format!("variants[{}].", n + 1),
                    v,
                    VARIANT_FIELDS,
                    &mut out,
                );
            }
        }
    }
    if t.contains_key("regex") == t.contains_key("assignment") {
        out.push("give exactly one of `regex` and `assignment`".to_string());
    }
    out
}

/// How a rule is named in messages: its place, and its id when that is valid.
pub fn rule_label(n: usize, id: Option<&str>) -> String {
    match id.filter(|id| id_problem(id).is_none()) {
        Some(id) => format!("[[rule]] {n} ({id})"),
        None => format!("[[rule]] {n}"),
    }
}

/// Check every `[[rule]]` of a configuration's `rule` value; the message lists every
/// problem of every rule.
pub fn check_rule_tables(file: &str, rules: Option<&toml::Value>) -> Result<(), String> {
    let Some(toml::Value::Array(rules)) = rules else {
        return Ok(());
    };
    let mut lines = Vec::new();
    for (n, r) in rules.iter().enumerate() {
        let Some(t) = r.as_table() else { continue };
        let problems = rule_table_problems(t);
        if !problems.is_empty() {
            let id = t.get("id").and_then(toml::Value::as_str);
            lines.push(format!(
                "{}: {}",
                rule_label(n + 1, id),
                problems.join("; ")
            ));
        }
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{file}: invalid custom rule{}:\n  {}",
            if lines.len() == 1 { "" } else { "s" },
            lines.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(doc: &str) -> Vec<String> {
        let t: toml::Table = toml::from_str(doc).unwrap();
        rule_table_problems(&t)
    }

    const GOOD: &str = "id = \"acme-token\"\nname = \"Acme token\"\nprovider = \"Acme\"\nseverity = \"high\"\nkeywords = [\"acme_\"]\nregex = \"acme_[a-z]{8}\"\nrevoke_url = \"https://acme.example/tokens\"\nrotation_days = 90\n";

    #[test]
    fn a_valid_rule_has_no_problems() {
        assert!(problems(GOOD).is_empty(), "{:?}", problems(GOOD));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let doc = "id = \"Acme Token\"\nname = \"a\\u001b[31mb\"\nseverity = \"urgent\"\nkeywords = \"acme\"\nregex = \"x\"\nrevoke_url = \"javascript:alert(1)\"\nrotation_days = -1\nbogus = 1\n[[variants]]\nid = \"V_1\"\nname = \"v\"\nprovider = \"p\\u202e\"\ncontext = [\"c\"]\nrevoke_url = \"https://x.example/a b\"\n";
        let p = problems(doc).join("\n");
        for want in [
            "`id`: ids are kebab-case",
            "`name`: holds control",
            "`provider`: missing",
            "`severity`: expected one of",
            "`keywords`: expected an array of strings",
            "`revoke_url`: must be an https:// URL",
            "`rotation_days`: expected a whole number",
            "1 unknown field(s)",
            "`variants[1].id`: ids are kebab-case",
            "`variants[1].provider`: holds control",
            "`variants[1].revoke_url`: holds a character",
        ] {
            assert!(p.contains(want), "{want}:\n{p}");
        }
    }

    #[test]
    fn urls() {
        assert!(url_problem("").is_none());
        assert!(url_problem("https://platform.openai.com/api-keys").is_none());
        assert!(url_problem("https://a.example/x?y=1#z").is_none());
        for bad in [
            "http://a.example",
            "https://",
            "https:///x",
            "https://a.example/\u{1b}]8;;x",
            "https://a.example/ x",
            "https://a.example/<script>",
            "https://a.example/é",
            "https://a.example/\n",
        ] {
            assert!(url_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn the_built_in_rules_are_valid() {
        for rule in super::super::builtin_rules().unwrap() {
            assert!(
                spec_problems(&rule.spec).is_empty(),
                "{}: {:?}",
                rule.id(),
                spec_problems(&rule.spec)
            );
        }
    }
}
