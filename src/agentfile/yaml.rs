//! YAML agent configurations (Aider's `.aider.conf.yml`, Continue's `config.yaml` and
//! `.continue/mcpServers/*.yaml`), read into JSON values so [`super::entries`] walks
//! them as it walks JSON and TOML. The parser is `yaml-rust2` (pure Rust, YAML 1.2),
//! driven through its event API so that what a repository's file can cost stays
//! bounded: aliases are not expanded (an alias reads as null, so no "billion laughs"),
//! nesting deeper than [`MAX_DEPTH`] is skipped, and a file over [`MAX_BYTES`] is not
//! parsed (configurations are small). Every scalar reads as a string; `null`, `~` and an
//! empty value read as null.
//!
//! It must not know what the document means: it only parses.

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper nesting than this is skipped.
const MAX_DEPTH: usize = 64;

/// Larger files are not parsed.
const MAX_BYTES: usize = 1 << 20;

/// The documents of a YAML text (none when it is too large, not UTF-8, or not YAML).
pub fn documents(text: &[u8]) -> Vec<Value> {
    if text.len() > MAX_BYTES {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(text) else {
        return Vec::new();
    };
    let mut builder = Builder::default();
    match Parser::new_from_str(text).load(&mut builder, true) {
        Ok(()) => builder.docs,
        Err(_) => Vec::new(),
    }
}

enum Frame {
    Seq(Vec<Value>),
    /// A mapping, and the key read for the value that comes next.
    Map(Map<String, Value>, Option<String>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// How many levels below [`MAX_DEPTH`] are being skipped.
    skipping: usize,
    docs: Vec<Value>,
}

impl Builder {
    /// A whole value was read: it goes into the open collection, or is a document.
    fn add(&mut self, v: Value) {
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq(items)) => items.push(v),
            Some(Frame::Map(map, key)) => match key.take() {
                None => {
                    *key = Some(match v {
                        Value::String(s) => s,
                        _ => String::new(),
                    })
                }
                Some(k) => {
                    map.insert(k, v);
                }
            },
        }
    }

    fn open(&mut self, frame: Frame) {
        if self.skipping > 0 || self.stack.len() >= MAX_DEPTH {
            self.skipping += 1;
        } else {
            self.stack.push(frame);
        }
    }

    fn close(&mut self) {
        if self.skipping > 0 {
            self.skipping -= 1;
            if self.skipping == 0 {
                self.add(Value::Null);
            }
            return;
        }
        let v = match self.stack.pop() {
            Some(Frame::Seq(items)) => Value::Array(items),
            Some(Frame::Map(map, _)) => Value::Object(map),
            None => return,
        };
        self.add(v);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        match ev {
            Event::SequenceStart(..) => self.open(Frame::Seq(Vec::new())),
            Event::MappingStart(..) => self.open(Frame::Map(Map::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            _ if self.skipping > 0 => {}
            Event::Scalar(s, style, ..) => {
                let null = style == TScalarStyle::Plain && matches!(s.as_str(), "" | "~" | "null");
                self.add(if null { Value::Null } else { Value::String(s) });
            }
            Event::Alias(_) => self.add(Value::Null),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mappings_lists_and_scalars_read_as_json() {
        let docs = documents(
            b"name: cfg\nmodels:\n  - name: a\n    apiKey: 'x y'\n    port: 8080\nempty:\nlist: [a, b]\n",
        );
        assert_eq!(
            docs,
            vec![json!({
                "name": "cfg",
                "models": [{"name": "a", "apiKey": "x y", "port": "8080"}],
                "empty": null,
                "list": ["a", "b"],
            })]
        );
    }

    #[test]
    fn aliases_are_not_expanded_and_deep_nesting_is_cut() {
        let bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n";
        assert_eq!(
            documents(bomb.as_bytes()),
            vec![json!({"a": ["x", "x", "x"], "b": [null, null, null], "c": [null, null, null]})]
        );
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        // The scanner's own limit or ours: either way no deep value is built.
        let docs = documents(deep.as_bytes());
        assert!(docs.len() <= 1);
        assert!(documents(b"a: [unclosed").is_empty());
    }
}
