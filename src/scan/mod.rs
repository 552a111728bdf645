//! The matcher: one keyword pass over the input selects the rules whose keywords occur;
//! only those rules' regexes run, and only on the lines around each keyword. Matches then
//! pass the filters (boundaries, entropy, checksums, placeholders) and overlapping
//! matches of several rules are resolved in favour of the most precise one.
//!
//! Input: bytes. Output: [`Candidate`]s (a rule and a byte span). The matcher knows
//! nothing of files or git; `finding` turns candidates into findings.

pub mod decode;
pub mod examples;
pub mod filters;
mod host;
pub mod literal;
mod pem;
pub mod ranges;
pub mod redact;
pub mod text;

pub use text::{decode, Decoded, LineIndex};

use crate::rules::{checksum, Boundary, Precision, Rule, RuleSet, Severity};
use aho_corasick::Input;
use regex::bytes::CaptureLocations;

/// How far around a keyword a single-line rule looks, at most.
const LINE_BEFORE: usize = 1024;
const LINE_AFTER: usize = 4096;

/// Markers that allow a finding on their line.
const ALLOW_MARKERS: &[&[u8]] = &[
    b"keyward:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// Name prefixes that ship a value to browsers or mobile apps.
const CLIENT_PREFIXES: &[&[u8]] = &[
    b"NEXT_PUBLIC_",
    b"VITE_",
    b"REACT_APP_",
    b"EXPO_PUBLIC_",
    b"NUXT_PUBLIC_",
    b"GATSBY_",
    b"PUBLIC_",
];

/// A match that passed every filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the rule in the [`RuleSet`].
    pub rule: usize,
    /// The provider variant the context attributed the key to.
    pub variant: Option<usize>,
    /// For generic rules: the rule (and variant) whose environment variable holds the value.
    pub named_by: Option<(usize, Option<usize>)>,
    /// Byte span of the secret.
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
    /// Assigned to a name that is shipped to clients (`NEXT_PUBLIC_…`).
    pub client_exposed: bool,
    /// The line carries an inline allow marker (`keyward:allow`).
    pub allowed_inline: bool,
    /// Found in decoded text: the span is the encoded text, this the decoded secret.
    pub decoded: Option<Box<decode::DecodedSecret>>,
}

/// Per-thread scratch for scanning with a shared [`RuleSet`].
pub struct Matcher<'r> {
    rules: &'r RuleSet,
    windows: Vec<Vec<(usize, usize)>>,
    touched: Vec<usize>,
    /// Per-rule capture scratch, made when a rule first runs.
    locs: Vec<Option<CaptureLocations>>,
    out: Vec<Candidate>,
    /// Spans that a provider rule matched and then rejected (a wrong checksum, a
    /// placeholder): no generic rule may report them.
    rejected: Vec<(usize, usize)>,
    /// Per rule: whether it may run on the current text (false for a rule with a path
    /// condition the current path does not meet).
    path_ok: Vec<bool>,
    /// For each rule, what its matches hold when they are encoded text to decode.
    decoders: Vec<Option<decode::Kind>>,
    /// Matches of decoding rules, decoded once the layer has been scanned.
    pending: Vec<(usize, usize, usize, decode::Kind)>,
    /// How many layers of decoding deep the current scan is.
    depth: u8,
    /// The `host-attributed` rule, when the set has it.
    host_rule: Option<usize>,
    /// In a ranged scan ([`Matcher::scan_ranges`]): where to look for keywords.
    ranges: ranges::Ranges,
    ranged: bool,
    /// The last scan ran a rule that reads far around its hit (see `ranges`).
    read_far: bool,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn line_start(hay: &[u8], at: usize, limit: usize) -> usize {
    let lo = at.saturating_sub(limit);
    memchr::memrchr(b'\n', &hay[lo..at]).map_or(lo, |i| lo + i + 1)
}

fn line_end(hay: &[u8], at: usize, limit: usize) -> usize {
    let hi = hay.len().min(at.saturating_add(limit));
    memchr::memchr(b'\n', &hay[at..hi]).map_or(hi, |i| at + i)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

impl<'r> Matcher<'r> {
    pub fn new(rules: &'r RuleSet) -> Matcher<'r> {
        Matcher {
            rules,
            windows: vec![Vec::new(); rules.rules.len()],
            touched: Vec::new(),
            locs: vec![None; rules.rules.len()],
            out: Vec::new(),
            rejected: Vec::new(),
            path_ok: vec![true; rules.rules.len()],
            decoders: rules
                .rules
                .iter()
                .map(|r| {
                    decode::DECODING_RULES
                        .iter()
                        .find(|(id, _)| *id == r.spec.id)
                        .map(|&(_, k)| k)
                })
                .collect(),
            pending: Vec::new(),
            depth: 0,
            host_rule: rules.rules.iter().position(|r| r.spec.id == host::RULE_ID),
            ranges: ranges::Ranges::default(),
            ranged: false,
            read_far: false,
        }
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Scan `hay`, text read without a path (rules with a path condition do not run),
    /// and return the accepted candidates, sorted by start.
    pub fn scan(&mut self, hay: &[u8]) -> &[Candidate] {
        self.scan_in(None, hay)
    }

    /// Scan `hay`, the text of the file at `path`: rules with a path condition run when
    /// the path meets it.
    pub fn scan_path(&mut self, path: &str, hay: &[u8]) -> &[Candidate] {
        self.scan_in(Some(path), hay)
    }

    fn scan_in(&mut self, path: Option<&str>, hay: &[u8]) -> &[Candidate] {
        let conditioned = &self.rules.path_rules;
        for &r in &conditioned.rules {
            self.path_ok[r] = false;
        }
        self.depth = 0;
        self.read_far = false;
        if let Some(path) = path {
            // A credential file is small and its lines have no keyword in common (a
            // `.pgpass` line is `host:port:db:user:password`): its rules read all of it.
            let (ok, windows, touched) = (&mut self.path_ok, &mut self.windows, &mut self.touched);
            conditioned.allowed(path, |r| {
                if !ok[r] {
                    ok[r] = true;
                    windows[r].push((0, hay.len()));
                    touched.push(r);
                }
            });
        }
        self.scan_layer(hay);
        &self.out
    }

    /// Scan one layer (the blob, or text decoded from it) into `out`.
    fn scan_layer(&mut self, hay: &[u8]) {
        self.out.clear();
        self.rejected.clear();
        self.pending.clear();
        self.collect_windows(hay);
        let touched = std::mem::take(&mut self.touched);
        for &r in &touched {
            let windows = std::mem::take(&mut self.windows[r]);
            for &(ws, we) in &windows {
                self.run_rule(r, hay, ws, we);
            }
            let mut windows = windows;
            windows.clear();
            self.windows[r] = windows;
        }
        self.touched = touched;
        self.touched.clear();
        if !self.rejected.is_empty() {
            let (rules, rejected) = (self.rules, &self.rejected);
            self.out.retain(|c| {
                !rules.rules[c.rule].spec.generic
                    || !rejected.iter().any(|&(s, e)| s < c.end && c.start < e)
            });
        }
        self.attribute_hosts(hay);
        self.unwrap_layer(hay);
        resolve_overlaps(&mut self.out, self.rules);
    }

    fn collect_windows(&mut self, hay: &[u8]) {
        let ac = self.rules.keywords.automaton(hay.len());
        if self.ranged && self.depth == 0 {
            self.collect_ranged(ac, hay);
        } else {
            let all = &self.rules.keyword_rules;
            self.collect_windows_in(ac, all, hay, (0, hay.len()), None);
        }
    }

    /// Collect the windows of the keyword hits of `ac` that start in `lo..hi` (`rules`:
    /// each pattern's rules), for the rules `skip` does not flag.
    fn collect_windows_in(
        &mut self,
        ac: &aho_corasick::AhoCorasick,
        rules: &[Vec<u32>],
        hay: &[u8],
        (lo, hi): (usize, usize),
        skip: Option<&[bool]>,
    ) {
        // A keyword starting before `hi` may end after it.
        let end = hay
            .len()
            .min(hi.saturating_add(self.rules.longest_keyword()));
        let mut pos = lo;
        while pos < hi {
            let Some(m) = ac.find(Input::new(hay).span(pos..end)) else {
                break;
            };
            let (s, e) = (m.start(), m.end());
            if s >= hi {
                break;
            }
            let line = (
                line_start(hay, s, LINE_BEFORE),
                line_end(hay, e, LINE_AFTER),
            );
            for &r in &rules[m.pattern().as_usize()] {
                if skip.is_some_and(|skip| skip[r as usize]) {
                    continue;
                }
                self.push_window(r as usize, hay, (s, e), Some(line));
            }
            pos = s + 1;
        }
    }

    /// Add the window rule `r` reads around a keyword hit at `s..e` (`line`: the hit's
    /// line, when known).
    fn push_window(
        &mut self,
        r: usize,
        hay: &[u8],
        (s, e): (usize, usize),
        line: Option<(usize, usize)>,
    ) {
        if !self.path_ok[r] || !self.rules.rules[r].spec.paths.is_empty() {
            return; // not run here, or already reading the whole file
        }
        let (ws, we) = match self.rules.rules[r].spec.window {
            Some(n) => {
                if self.depth == 0 && n > crate::rules::NEAR_WINDOW {
                    self.read_far = true;
                }
                let ws = s.saturating_sub(n);
                let we = hay.len().min(e.saturating_add(n));
                (
                    line_start(hay, ws, LINE_BEFORE),
                    line_end(hay, we, LINE_AFTER),
                )
            }
            None => line.unwrap_or_else(|| {
                (
                    line_start(hay, s, LINE_BEFORE),
                    line_end(hay, e, LINE_AFTER),
                )
            }),
        };
        let list = &mut self.windows[r];
        match list.last_mut() {
            Some(last) if ws <= last.1 => last.1 = last.1.max(we),
            Some(_) => list.push((ws, we)),
            None => {
                self.touched.push(r);
                list.push((ws, we));
            }
        }
    }

    fn run_rule(&mut self, r: usize, hay: &[u8], ws: usize, we: usize) {
        let rule = &self.rules.rules[r];
        let regex = rule.regex();
        let bounded = &hay[..we];
        let mut pos = ws;
        while pos < we {
            let locs = self.locs[r].get_or_insert_with(|| regex.capture_locations());
            let Some(m) = regex.captures_read_at(locs, bounded, pos) else {
                break;
            };
            pos = if m.end() > pos { m.end() } else { pos + 1 };
            let Some((s, e)) = locs.get(rule.secret_group()) else {
                continue;
            };
            if s == e {
                continue;
            }
            match accept(rule, hay, s, e) {
                Verdict::Accept => {}
                Verdict::NotAToken => continue,
                Verdict::Rejected => {
                    if !rule.spec.generic {
                        self.rejected.push((s, e));
                    }
                    continue;
                }
            }
            if let Some(kind) = self.decoders[r] {
                self.pending.push((r, s, e, kind));
                continue;
            }
            let cand = self.candidate(r, hay, s, e);
            self.out.push(cand);
        }
    }

    fn candidate(&self, r: usize, hay: &[u8], s: usize, e: usize) -> Candidate {
        let rule = &self.rules.rules[r];
        let ls = line_start(hay, s, 512);
        let le = line_end(hay, e, 512);
        let line = &hay[ls..le];
        let before = &hay[ls..s];
        let variant = attribute(rule, hay, s, e);
        let client_exposed = CLIENT_PREFIXES
            .iter()
            .any(|p| memchr::memmem::find(before, p).is_some());
        let allowed_inline = ALLOW_MARKERS
            .iter()
            .any(|m| memchr::memmem::find(line, m).is_some());
        let named_by = if rule.spec.generic {
            self.named_by(before)
        } else {
            None
        };
        let base = match variant {
            Some(v) => rule.variants[v].severity,
            None => rule.spec.severity,
        };
        Candidate {
            rule: r,
            variant,
            named_by,
            start: s,
            end: e,
            severity: if client_exposed { base.raised() } else { base },
            client_exposed,
            allowed_inline,
            decoded: None,
        }
    }

    /// The rule whose environment variable the value is assigned to (`COHERE_API_KEY=…`).
    fn named_by(&self, before: &[u8]) -> Option<(usize, Option<usize>)> {
        let trimmed_end = before
            .iter()
            .rposition(|&b| is_word(b))
            .map_or(0, |i| i + 1);
        let name_start = before[..trimmed_end]
            .iter()
            .rposition(|&b| !is_word(b))
            .map_or(0, |i| i + 1);
        let name = std::str::from_utf8(&before[name_start..trimmed_end]).ok()?;
        self.rules.env_vars.get(&name.to_ascii_uppercase()).copied()
    }
}

/// What the filters made of a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accept,
    /// Part of a longer word: not a token at all.
    NotAToken,
    /// A token of the rule's shape that is not a secret (a wrong checksum, too little
    /// entropy, a placeholder, code).
    Rejected,
}

/// Whether a rule's format is unique: a checksum, or a very precise format (a
/// distinctive prefix or marker). Such a match is dropped only as a known placeholder.
pub fn unique_format(rule: &Rule) -> bool {
    !rule.spec.generic
        && (rule.spec.checksum.is_some() || rule.spec.precision == Precision::VeryHigh)
}

/// Whether a match of `rule` at `s..e` passes the rule's filters.
fn accept(rule: &Rule, hay: &[u8], s: usize, e: usize) -> Verdict {
    let secret = &hay[s..e];
    let spec = &rule.spec;
    if spec.boundary != Boundary::None {
        let escaped = s >= 2 && hay[s - 2] == b'\\' && matches!(hay[s - 1], b'n' | b'r' | b't');
        if s > 0 && is_word(hay[s - 1]) && !escaped {
            return Verdict::NotAToken;
        }
        if let Some(&next) = hay.get(e) {
            let base64 = spec.boundary == Boundary::Base64 && matches!(next, b'+' | b'/' | b'=');
            // A generic value glued to `{` is the literal part of a template.
            let template = spec.generic && next == b'{';
            if is_word(next) || next == b'-' || base64 || template {
                return Verdict::NotAToken;
            }
        }
    }
    if let Some(min) = spec.entropy {
        // A provider rule's minimum never drops a random key of its own format.
        let min = if spec.generic {
            min
        } else {
            min.min(filters::random_entropy_floor(secret))
        };
        if filters::entropy(secret) < min {
            return Verdict::Rejected;
        }
    }
    if let Some(kind) = spec.checksum {
        if !checksum::verify(kind, secret) {
            return Verdict::Rejected;
        }
    }
    if spec.placeholder_filter {
        let placeholder = if spec.generic && spec.precision <= Precision::Low {
            filters::is_placeholder(secret)
        } else if spec.generic {
            // A credential in a precise context (a connection string, `.netrc`, a git
            // URL): only known placeholders and example passwords are quiet.
            filters::is_known_placeholder(secret) || filters::is_example_password(secret)
        } else {
            // Only the variable part counts: the format's fixed prefix (`sk-api-`,
            // `bedrock-api-key-`) is not a filler.
            let body = &secret[rule.fixed_prefix_len(secret)..];
            filters::is_known_placeholder(body)
                || (!unique_format(rule)
                    && (filters::looks_like_words(body) || filters::is_constant_name(body)))
        };
        if placeholder {
            return Verdict::Rejected;
        }
    }
    if spec.generic && generic_value_rejected(rule, hay, s, e) {
        return Verdict::Rejected;
    }
    Verdict::Accept
}

/// The filters of free-form (generic) values: identifiers and code, example passwords,
/// values of public names.
fn generic_value_rejected(rule: &Rule, hay: &[u8], s: usize, e: usize) -> bool {
    let secret = &hay[s..e];
    if filters::is_example_password(secret) {
        return true;
    }
    if rule.spec.precision > Precision::Low {
        // A precise context (a connection string, `.netrc`, a git URL): a reference
        // (`$DB_PASS`, `%PASS%`) or a value without a digit (`letmein`) is not a
        // secret; a random value holding `http` or `0123` is.
        return matches!(secret[0], b'$' | b'%' | b'@' | b'{')
            || !secret.iter().any(u8::is_ascii_digit);
    }
    if filters::is_not_a_secret_value(secret) {
        return true;
    }
    // Assignments (`name = value`): the value is a literal of a public name.
    rule.spec.assignment.is_some()
        && (literal::is_code(hay, s, e) || literal::is_public_name(literal::name_before(hay, s)))
}

/// Attribute a look-alike key to a provider by the context words nearest to it: on its
/// own line first, then within three lines either side.
fn attribute(rule: &Rule, hay: &[u8], s: usize, e: usize) -> Option<usize> {
    if rule.variants.is_empty() {
        return None;
    }
    let (ls, le) = (line_start(hay, s, 512), line_end(hay, e, 512));
    // Context on another line counts only if that line holds no key of this family
    // itself (its words belong to its own key).
    let owned_elsewhere = |at: usize| -> bool {
        if (ls..le).contains(&at) {
            return false;
        }
        let (l, r) = (line_start(hay, at, 512), line_end(hay, at, 512));
        rule.regex().is_match(&hay[l..r])
    };
    let nearest = |lo: usize, hi: usize| -> Option<usize> {
        let region = &hay[lo..hi];
        let mut best: Option<(usize, usize)> = None;
        for (i, v) in rule.variants.iter().enumerate() {
            for word in &v.context {
                let mut from = 0;
                while let Some(p) = find_ci(&region[from..], word) {
                    let at = lo + from + p;
                    from += p + 1;
                    if at + word.len() > s && at < e {
                        continue; // inside the key itself
                    }
                    let dist = if at < s { s - at } else { at.saturating_sub(e) };
                    if best.is_none_or(|(d, _)| dist < d) && !owned_elsewhere(at) {
                        best = Some((dist, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    };
    nearest(ls, le).or_else(|| {
        let mut lo = ls;
        let mut hi = le;
        for _ in 0..3 {
            if lo > 0 {
                lo = line_start(hay, lo - 1, 512);
            }
            if hi < hay.len() {
                hi = line_end(hay, hi + 1, 512);
            }
        }
        nearest(lo, hi)
    })
}

/// Drop candidates that overlap a better one: higher precision, then attributed to a
/// provider, then longer.
fn resolve_overlaps(out: &mut Vec<Candidate>, rules: &RuleSet) {
    if out.len() < 2 {
        return;
    }
    // At equal precision a rule for the file's kind (`.npmrc`, `~/.aws/credentials`)
    // names the secret better than a rule that reads any text.
    let rank = |c: &Candidate| -> (Precision, bool, bool, usize) {
        let spec = &rules.rules[c.rule].spec;
        (
            spec.precision,
            !spec.paths.is_empty(),
            c.variant.is_some(),
            c.end - c.start,
        )
    };
    out.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.rule));
    // `kept` never overlaps itself and is in start order, so its ends rise too: walking
    // back from the last, the first one that ends before `c` starts ends the search.
    let mut kept: Vec<Candidate> = Vec::with_capacity(out.len());
    'next: for c in out.drain(..) {
        let mut i = kept.len();
        while i > 0 {
            i -= 1;
            let k = &kept[i];
            if k.end <= c.start {
                break;
            }
            if rank(&c) > rank(k) {
                kept.remove(i);
            } else {
                continue 'next;
            }
        }
        kept.push(c);
    }
    kept.sort_by_key(|c| (c.start, c.end, c.rule));
    *out = kept;
}
