//! Kubernetes: no committed `Secret` manifest holds real values (base64 is decoded:
//! it is not encryption); `SealedSecret`, `ExternalSecret` and `SecretProviderClass`
//! are the safe forms. YAML is read one document at a time, line by line.
//!
//! It must not know the other checks.

use super::evidence::capped;
use super::kinds::is_yaml;
use super::values::is_reference;
use crate::audit::{practices, Check, Group, Inventory, Item, Status};
use crate::scan::filters::is_placeholder;

pub const KUBERNETES: Check = Check {
    id: "k8s-no-secret-values",
    title: "No committed Kubernetes Secret holds real values",
    group: Group::Production,
    guidance: &[&practices::RUNTIME_INJECTION, &practices::SECRETS_MANAGER],
    fix: "Commit a SealedSecret or an ExternalSecret (or create the Secret from the CI's secret store at deploy time) instead of a Secret with data; revoke the keys that were committed (base64 is not encryption).",
    automated: true,
};

/// A decoded Secret value that is fine to commit.
fn harmless_secret_value(v: &str) -> bool {
    let v = v.trim();
    v.is_empty() || is_reference(v) || is_placeholder(v.as_bytes()) || v.contains("{{")
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

pub fn k8s_check(inv: &Inventory, files: &[&str]) -> Item {
    let mut manifests = Vec::new();
    let mut fail = Vec::new();
    let mut safe = Vec::new();
    for f in files.iter().copied().filter(|f| is_yaml(f)) {
        let Some(text) = inv.read(f) else { continue };
        if !text.contains("kind:") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (from, to) in documents(&lines) {
            let doc = &lines[from..to];
            let kind = doc
                .iter()
                .find_map(|l| l.strip_prefix("kind:"))
                .map(|k| k.trim().trim_matches(['"', '\'']).to_string());
            match kind.as_deref() {
                Some("SealedSecret") | Some("ExternalSecret") | Some("SecretProviderClass") => {
                    safe.push(format!(
                        "{f}:{}: {} (encrypted or fetched at run time)",
                        from + 1,
                        kind.unwrap_or_default()
                    ));
                }
                Some("Secret") => {
                    manifests.push(format!("{f}:{}", from + 1));
                    secret_values(f, from, doc, &mut fail);
                }
                _ => {}
            }
        }
    }
    if manifests.is_empty() && safe.is_empty() {
        return Item::new(&KUBERNETES, Status::NotApplicable)
            .with(["no Kubernetes Secret manifest".to_string()]);
    }
    if fail.is_empty() {
        Item::new(&KUBERNETES, Status::Pass)
            .with(
                manifests
                    .iter()
                    .map(|m| format!("{m}: Secret with placeholders or templates only")),
            )
            .with(safe)
    } else {
        Item::new(&KUBERNETES, Status::Fail)
            .with(capped(fail))
            .with(safe)
    }
}

/// The YAML documents of `lines`, one at a time: `(first line, end)` index ranges
/// separated by `---` lines.
fn documents(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut start = 0usize;
    let mut docs = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("---") {
            docs.push((start, i));
            start = i + 1;
        }
    }
    docs.push((start, lines.len()));
    docs
}

/// The keys of a Secret's `data:` (base64) and `stringData:` blocks that hold real
/// values, as evidence in `fail`. `doc` starts at line `from` (0-based) of `f`.
fn secret_values(f: &str, from: usize, doc: &[&str], fail: &mut Vec<String>) {
    let mut block: Option<(bool, usize)> = None; // (base64, indent)
    for (i, l) in doc.iter().enumerate() {
        let indent = l.len() - l.trim_start().len();
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some((_, bi)) = block {
            if indent <= bi {
                block = None;
            }
        }
        if t == "data:" || t == "stringData:" {
            block = Some((t == "data:", indent));
            continue;
        }
        let Some((b64, _)) = block else { continue };
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        let decoded = if b64 {
            match base64_decode(value) {
                Some(d) => String::from_utf8_lossy(&d).into_owned(),
                None => value.to_string(),
            }
        } else {
            value.to_string()
        };
        if !harmless_secret_value(&decoded) && !harmless_secret_value(value) {
            fail.push(format!(
                "{f}:{}: Secret key {} holds a real value{}",
                from + i + 1,
                key.trim(),
                if b64 {
                    " (base64-decoded; base64 is not encryption)"
                } else {
                    ""
                }
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("not base64!").is_none());
    }
}
