//! Attribution by API host: a bare key that `host-attributed` matched belongs to the
//! provider whose API host (a variant's context) stands on the key's line or on one of
//! the four lines before it (a curl command's URL before its `-H` lines, an `.http`
//! request line before its headers, a URL constant before a headers dict). The nearest
//! host before the key wins. A key sent to an OpenAI-compatible endpoint path on any
//! other host (`https://llm.internal/v1/chat/completions`) is the rule's own finding (an
//! OpenAI-compatible gateway key); a key with neither before it is not reported.
//!
//! It must not know files, findings or reports.

use super::{find_ci, line_start, Matcher};

/// The rule this module attributes.
pub const RULE_ID: &str = "host-attributed";
/// How many lines before the key's line a host may stand on.
const LINES_BEFORE: usize = 4;
/// Endpoint paths of the OpenAI-compatible API, served by gateways on any host (also
/// keywords of the rule).
pub const COMPATIBLE_PATHS: &[&[u8]] = &[b"/v1/chat/completions", b"/v1/embeddings"];

impl Matcher<'_> {
    /// Re-attribute (or drop) this layer's `host-attributed` candidates.
    pub(super) fn attribute_hosts(&mut self, hay: &[u8]) {
        let Some(r) = self.host_rule else {
            return;
        };
        if !self.out.iter().any(|c| c.rule == r) {
            return;
        }
        let rule = &self.rules.rules[r];
        self.out.retain_mut(|c| {
            if c.rule != r {
                return true;
            }
            let mut lo = line_start(hay, c.start, 1024);
            for _ in 0..LINES_BEFORE {
                if lo > 0 {
                    lo = line_start(hay, lo - 1, 1024);
                }
            }
            let region = &hay[lo..c.start];
            // The host nearest before the key: the one that starts last.
            let mut best: Option<(usize, usize)> = None;
            for (i, v) in rule.variants.iter().enumerate() {
                for host in &v.context {
                    let mut from = 0;
                    while let Some(p) = find_ci(&region[from..], host) {
                        let at = from + p;
                        if best.is_none_or(|(b, _)| at > b) {
                            best = Some((at, i));
                        }
                        from = at + 1;
                    }
                }
            }
            c.variant = best.map(|(_, i)| i);
            match c.variant {
                Some(v) => {
                    c.severity = rule.variants[v].severity;
                    true
                }
                None => COMPATIBLE_PATHS
                    .iter()
                    .any(|p| memchr::memmem::find(region, p).is_some()),
            }
        });
    }
}
