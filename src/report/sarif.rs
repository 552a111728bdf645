//! SARIF 2.1.0 for GitHub code scanning, built with serde-sarif.
//!
//! One run. `tool.driver` describes every rule that has a result (or every rule, with
//! `--sarif-all-rules`) with the help GitHub shows beside an alert. Each result names
//! the provider and the place in its message, never the secret; its location is a
//! repository-relative path under `%SRCROOT%` with UTF-16 columns; its
//! `partialFingerprints` hold GitHub's line hash (computed over the blob the finding was
//! made in, so history findings get the right one) and a keyed hash of the secret.
//! History findings carry the introducing commit and blob in `properties.git` (with
//! `reachable`), and a folded finding's other paths in `relatedLocations`.
//! `automationDetails.id` is `keyward/<kind>/` (worktree, history, range, staged) unless
//! `--sarif-category` names another. More than [`MAX_RESULTS`] results are cut, lowest
//! severity first, and the cut is recorded in the run's properties.
//!
//! It must not know how a finding was made; it reads findings and rules only.

use super::{Context, ScanKind};
use crate::finding::{self, Finding};
use crate::rules::{Precision, RuleSet, Severity};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent, VersionControlDetails,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// GitHub rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// The key of the secret's keyed hash in `partialFingerprints`.
pub const SECRET_HASH_KEY: &str = "keywardSecretHash/v1";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/keyward/keyward";
pub(super) const SRCROOT: &str = "%SRCROOT%";

/// What SARIF says about one rule (a rule or a provider variant of one).
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub severity: Severity,
    pub precision: Precision,
    pub description: String,
    pub revoke_url: String,
    pub rotation_days: u32,
    pub env_vars: Vec<String>,
    /// The rule file, relative to `rules/`.
    pub file: String,
}

/// Every rule and variant, in rule-file order.
pub fn catalog(rules: &RuleSet) -> Vec<RuleInfo> {
    let mut out = Vec::new();
    for r in &rules.rules {
        let s = &r.spec;
        out.push(RuleInfo {
            id: s.id.clone(),
            name: s.name.clone(),
            provider: s.provider.clone(),
            severity: s.severity,
            precision: s.precision,
            description: s.description.trim().to_string(),
            revoke_url: s.revoke_url.clone(),
            rotation_days: s.rotation_days,
            env_vars: s.env_vars.clone(),
            file: r.file.clone(),
        });
        for v in &r.variants {
            let context: Vec<String> = v
                .context
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push(RuleInfo {
                id: v.id.clone(),
                name: v.name.clone(),
                provider: v.provider.clone(),
                severity: v.severity,
                precision: s.precision,
                description: format!(
                    "{} Attributed to {} when the surrounding text names it ({}).",
                    s.description.trim(),
                    v.provider,
                    context.join(", ")
                )
                .trim()
                .to_string(),
                revoke_url: v.revoke_url.clone(),
                rotation_days: v.rotation_days,
                env_vars: v.env_vars.clone(),
                file: r.file.clone(),
            });
        }
    }
    out
}

/// GitHub's `security-severity` score for a severity (critical is above 9.0, high 7.0
/// to 8.9, medium 4.0 to 6.9, low below 4.0).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

fn level_name(s: Severity) -> &'static str {
    match level(s) {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

/// `openai-project-key` -> `OpenaiProjectKey`.
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// ` (for example A, B)` naming the variables the key usually lives in.
fn env_examples(r: &RuleInfo, quote: &str) -> String {
    if r.env_vars.is_empty() {
        return String::new();
    }
    let names: Vec<String> = r
        .env_vars
        .iter()
        .map(|v| format!("{quote}{v}{quote}"))
        .collect();
    format!(" (for example {})", names.join(", "))
}

fn help_text(r: &RuleInfo) -> String {
    format!(
        "{what}\n\nWhy it matters: anyone who can read this repository, a clone or fork of it, a CI log or an image built from it can use the key as you at {provider} until it is revoked, and deleting the line does not take it out of git history.\n\nWhat to do:\n1. Revoke the key at {url} and create a new one.\n2. Keep the new key out of git: in the CI's secret store, a secrets manager, or an untracked .env file with mode 600, read from the environment{env}.\n3. Remove the key from the code. If it was committed, it stays in history; rewrite history only after revoking it.\n4. Rotate keys of this kind at least every {days} days.",
        what = what_it_is(r),
        provider = r.provider,
        url = crate::rules::revoke_at(&r.revoke_url),
        env = env_examples(r, ""),
        days = r.rotation_days,
    )
}

fn help_markdown(r: &RuleInfo) -> String {
    use crate::escape::markdown;
    format!(
        "{what}\n\n**Why it matters.** Anyone who can read this repository, a clone or fork of it, a CI log or an image built from it can use the key as you at {provider} until it is revoked. Deleting the line does not take it out of git history.\n\n**What to do**\n\n1. **Revoke** the key at {url} and create a new one.\n2. Keep the new key out of git: in the CI's secret store, a secrets manager, or an untracked `.env` file with mode 600, read from the environment{env}.\n3. Remove the key from the code. If it was committed, it stays in history: rewrite history only after revoking it.\n4. Rotate keys of this kind at least every {days} days.\n\nA reviewed false positive can be silenced with a `keyward:allow` comment on its line.",
        what = markdown(&what_it_is(r)),
        provider = markdown(&r.provider),
        url = crate::escape::markdown_link(&r.revoke_url, crate::rules::revoke_at(&r.revoke_url)),
        env = env_markdown(r),
        days = r.rotation_days,
    )
}

/// ` (for example `A`, `B`)` in Markdown; rule fields may come from a repository's
/// configuration, so each is escaped.
fn env_markdown(r: &RuleInfo) -> String {
    if r.env_vars.is_empty() {
        return String::new();
    }
    let names: Vec<String> = r
        .env_vars
        .iter()
        .map(|v| crate::escape::markdown_code(v))
        .collect();
    format!(" (for example {})", names.join(", "))
}

fn what_it_is(r: &RuleInfo) -> String {
    if r.description.is_empty() {
        format!("A {} ({}).", r.name, r.provider)
    } else {
        r.description.clone()
    }
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn descriptor(r: &RuleInfo) -> ReportingDescriptor {
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        json!(security_severity(r.severity)),
    );
    props.insert("precision".to_string(), json!(r.precision.as_str()));
    props.insert("provider".to_string(), json!(r.provider));
    let mut full = what_it_is(r);
    if full.len() > 1000 {
        let cut = (0..=1000)
            .rev()
            .find(|&i| full.is_char_boundary(i))
            .unwrap_or(0);
        full.truncate(cut);
        full.push('…');
    }
    ReportingDescriptor::builder()
        .id(r.id.clone())
        .name(pascal(&r.id))
        .short_description(text(r.name.clone()))
        .full_description(text(full))
        .help(
            MultiformatMessageString::builder()
                .text(help_text(r))
                .markdown(help_markdown(r))
                .build(),
        )
        .help_uri(format!("{INFORMATION_URI}/blob/main/rules/{}", r.file))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(r.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![
                    "security".to_string(),
                    "secret".to_string(),
                    "external/cwe/cwe-798".to_string(),
                ])
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// A place in a repository-relative file, under `%SRCROOT%`.
pub(super) fn physical_location(path: &str, region: Region) -> PhysicalLocation {
    PhysicalLocation::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri_path(path))
                .uri_base_id(SRCROOT)
                .build(),
        )
        .region(region)
        .build()
}

/// A relative path as a URI reference: every byte but unreserved characters, `/` and
/// the sub-delimiters percent-encoded (`:` too, so no path reads as a scheme).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The findings SARIF keeps: all of them, or the [`MAX_RESULTS`] most severe.
pub fn kept(findings: &[Finding]) -> Vec<&Finding> {
    let mut all: Vec<&Finding> = findings.iter().collect();
    if all.len() > MAX_RESULTS {
        // Stable: within a severity the report's order (path, line) stays.
        all.sort_by_key(|f| std::cmp::Reverse(f.severity));
        all.truncate(MAX_RESULTS);
    }
    all
}

fn message(f: &Finding, path: &str, kind: ScanKind) -> String {
    let what = if f
        .rule_name
        .to_lowercase()
        .contains(&f.provider.to_lowercase())
    {
        f.rule_name.clone()
    } else {
        format!("{} ({})", f.rule_name, f.provider)
    };
    let mut m = match (&f.git, kind) {
        (Some(g), _) => format!(
            "{what} committed in {}: {path} line {}{}.",
            &g.commit[..g.commit.len().min(12)],
            f.line,
            if g.in_head {
                ", still present at HEAD"
            } else {
                ", no longer present at HEAD but still in history"
            }
        ),
        (None, ScanKind::Staged) => format!("{what} staged for commit in {path} line {}.", f.line),
        (None, _) => format!("{what} found in {path} line {}.", f.line),
    };
    if f.client_exposed {
        m.push_str(" It is assigned to a name that is shipped to browsers or apps.");
    }
    if let Some(d) = f.decoded {
        m.push_str(&format!(" It was found after decoding ({d})."));
    }
    m.push_str(&format!(
        " The value is not shown; revoke the key at {} and rotate it.",
        crate::rules::revoke_at(&f.revoke_url)
    ));
    m
}

fn result(f: &Finding, rule_index: usize, ctx: &Context<'_>) -> SarifResult {
    let path = ctx.root.relative(&f.path);
    let region = Region::builder()
        .start_line(f.line as i64)
        .start_column(f.column_utf16 as i64)
        .end_line(f.end_line as i64)
        .end_column(f.end_column_utf16 as i64)
        .build();
    let location = Location::builder()
        .physical_location(physical_location(&path, region))
        .build();
    let mut fingerprints = BTreeMap::new();
    if !f.line_hash.is_empty() {
        fingerprints.insert("primaryLocationLineHash".to_string(), f.line_hash.clone());
    }
    fingerprints.insert(
        SECRET_HASH_KEY.to_string(),
        finding::secret_hash(f.secret.expose()),
    );
    let mut props = BTreeMap::new();
    props.insert("severity".to_string(), json!(f.severity.as_str()));
    props.insert("provider".to_string(), json!(f.provider));
    props.insert("confidence".to_string(), json!(f.confidence.as_str()));
    // The finding's own precision (GitHub reads the rule's; this one says how sure this
    // match is): the confidence, in SARIF's precision words.
    props.insert("precision".to_string(), json!(f.confidence.as_str()));
    props.insert("fingerprint".to_string(), json!(f.fingerprint));
    props.insert("source".to_string(), json!(ctx.kind.as_str()));
    if f.client_exposed {
        props.insert("clientExposed".to_string(), json!(true));
    }
    if let Some(d) = f.decoded {
        props.insert("decoded".to_string(), json!(d));
    }
    if let Some(g) = &f.git {
        props.insert(
            "git".to_string(),
            json!({
                "commit": g.commit,
                "blob": g.blob,
                "date": g.date,
                "inHead": g.in_head,
                "otherPlaces": g.other_places,
                "reachable": g.reachable,
                "otherPaths": g.locations.len() + g.locations_omitted,
            }),
        );
    }
    let mut r = SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .rule_index(rule_index as i64)
        .level(level(f.severity))
        .message(
            Message::builder()
                .text(message(f, &path, ctx.kind) + &super::related::note(f))
                .build(),
        )
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(PropertyBag::builder().additional_properties(props).build())
        .build();
    r.related_locations = super::related::locations(f, ctx);
    r
}

/// The SARIF log for `findings`.
pub fn log(findings: &[Finding], ctx: &Context<'_>) -> Sarif {
    let kept = kept(findings);
    let all = catalog(ctx.rules);
    // The rules to describe: in catalog order, those with results (or all of them);
    // a result whose rule is unknown to the catalog still gets a descriptor.
    let shown: Vec<&Finding> = if ctx.show_suppressed {
        ctx.suppressed.iter().map(|s| &s.finding).collect()
    } else {
        Vec::new()
    };
    let used: std::collections::HashSet<&str> = kept
        .iter()
        .chain(&shown)
        .map(|f| f.rule_id.as_str())
        .collect();
    let mut rules: Vec<RuleInfo> = all
        .into_iter()
        .filter(|r| ctx.sarif_all_rules || used.contains(r.id.as_str()))
        .collect();
    for f in kept.iter().chain(&shown) {
        if !rules.iter().any(|r| r.id == f.rule_id) {
            rules.push(RuleInfo {
                id: f.rule_id.clone(),
                name: f.rule_name.clone(),
                provider: f.provider.clone(),
                severity: f.severity,
                precision: Precision::Medium,
                description: String::new(),
                revoke_url: f.revoke_url.clone(),
                rotation_days: f.rotation_days,
                env_vars: Vec::new(),
                file: String::new(),
            });
        }
    }
    // Rule texts may come from a repository's configuration and hold a key.
    let mut redactor = super::redact::Redactor::new(ctx.rules);
    for r in &mut rules {
        for t in [
            &mut r.name,
            &mut r.provider,
            &mut r.description,
            &mut r.revoke_url,
        ] {
            *t = redactor.text(t);
        }
        for e in &mut r.env_vars {
            *e = redactor.text(e);
        }
    }
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut results: Vec<SarifResult> = kept
        .iter()
        .map(|f| result(f, index[f.rule_id.as_str()], ctx))
        .collect();
    if ctx.show_suppressed {
        for s in ctx.suppressed {
            let Some(&i) = index.get(s.finding.rule_id.as_str()) else {
                continue;
            };
            if results.len() >= MAX_RESULTS {
                break;
            }
            let mut r = result(&s.finding, i, ctx);
            r.suppressions = Some(vec![Suppression::builder()
                .kind(json!(if s.reason.in_source() {
                    "inSource"
                } else {
                    "external"
                }))
                .justification(format!("{}: {}", s.reason.as_str(), s.detail))
                .build()]);
            results.push(r);
        }
    }

    let version = env!("CARGO_PKG_VERSION");
    let driver = ToolComponent::builder()
        .name("keyward")
        .version(version)
        .semantic_version(version)
        .information_uri(INFORMATION_URI)
        .rules(rules.iter().map(descriptor).collect::<Vec<_>>())
        .build();

    let category = match &ctx.sarif_category {
        Some(c) if c.ends_with('/') => c.clone(),
        Some(c) => format!("{c}/"),
        None => format!("keyward/{}/", ctx.kind.as_str()),
    };

    let mut props = BTreeMap::new();
    props.insert("scanKind".to_string(), json!(ctx.kind.as_str()));
    let unit = if ctx.stats.commits.is_some() {
        "blobsScanned"
    } else {
        "filesScanned"
    };
    props.insert(unit.to_string(), json!(ctx.stats.scanned));
    props.insert("bytesScanned".to_string(), json!(ctx.stats.bytes));
    if let Some(c) = ctx.stats.commits {
        props.insert("commitsScanned".to_string(), json!(c));
    }
    props.insert(
        "suppressedInline".to_string(),
        json!(ctx.stats.suppressed_inline),
    );
    props.insert("readErrors".to_string(), json!(ctx.stats.errors));
    props.insert("skippedFiles".to_string(), json!(ctx.stats.skipped));
    props.insert("resultsTotal".to_string(), json!(findings.len()));
    let counts: BTreeMap<String, usize> = crate::suppress::counts(ctx.suppressed)
        .into_iter()
        .map(|(r, n)| (r.as_str().to_string(), n))
        .collect();
    props.insert("suppressed".to_string(), json!(counts));
    if findings.len() > kept.len() {
        props.insert(
            "resultsOmitted".to_string(),
            json!(findings.len() - kept.len()),
        );
        props.insert(
            "resultsOmittedReason".to_string(),
            json!(format!(
                "GitHub accepts at most {MAX_RESULTS} results per run; the least severe were left out. Run keyward with --format json for all of them."
            )),
        );
    }

    let mut root_ids = BTreeMap::new();
    root_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder()
            .description(
                Message::builder()
                    .text("The root of the scanned repository.")
                    .build(),
            )
            .build(),
    );

    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .automation_details(RunAutomationDetails::builder().id(category).build())
        .original_uri_base_ids(root_ids)
        .column_kind(json!("utf16CodeUnits"))
        .results(results)
        .properties(PropertyBag::builder().additional_properties(props).build())
        .build();
    if let Some(vcs) = &ctx.vcs {
        if let Some(uri) = &vcs.repository_uri {
            let mut d = VersionControlDetails::builder()
                .repository_uri(uri.clone())
                .mapped_to(ArtifactLocation::builder().uri_base_id(SRCROOT).build())
                .build();
            d.revision_id = vcs.revision.clone();
            d.branch = vcs.branch.clone();
            run.version_control_provenance = Some(vec![d]);
        }
    }
    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// Write the SARIF log for `findings`.
pub fn write(w: &mut dyn Write, findings: &[Finding], ctx: &Context<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &log(findings, ctx))?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("a b/c:d/é.txt"), "a%20b/c%3Ad/%C3%A9.txt");
        assert_eq!(uri_path("<stdin>"), "%3Cstdin%3E");
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal("openai-project-key"), "OpenaiProjectKey");
    }
}
