//! Secrets only visible after decoding (base64 in Kubernetes Secrets, Docker `auth`,
//! `Authorization: Basic`; percent-encoded URLs), private keys split over concatenated
//! string literals or escaped on one line, and bare keys attributed by the API host they
//! are sent to. Every key and every encoded form is built at run time.

mod common;

use common::*;
use keyward::rules::template::{base64_encode, expand, Context};
use serde_json::Value;

fn rule(id: &str) -> &'static keyward::rules::Rule {
    rules()
        .rules
        .iter()
        .find(|r| r.spec.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

fn key(id: &str, seed: u64) -> String {
    key_for(rule(id), &mut rng(seed))
}

fn random(template: &str, seed: u64) -> String {
    expand(template, Context::default(), &mut rng(seed)).unwrap()
}

fn b64(s: &str) -> String {
    base64_encode(s.as_bytes())
}

fn scan(files: &[(&str, &str)]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        write(dir.path(), rel, content);
    }
    scan_json(dir.path(), &["--no-ignore", "."]).0
}

/// (rule id, path, line, column, end column, secret, decoded) of each finding.
fn summary(found: &[Value]) -> Vec<(String, String, u64, u64, u64, String, String)> {
    found
        .iter()
        .map(|f| {
            (
                field(f, "rule_id").to_string(),
                field(f, "path").trim_start_matches("./").to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["end_column"].as_u64().unwrap(),
                field(f, "secret").to_string(),
                f["decoded"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn column_of(line: &str, needle: &str) -> u64 {
    line.find(needle).unwrap() as u64 + 1
}

#[test]
fn kubernetes_secret_data_is_decoded_and_placed_on_the_encoded_value() {
    let openai = key("openai-api-key", 1);
    let salt = random("{hex:40}", 2);
    let garbage: Vec<u8> = (0..48u8)
        .map(|i| i.wrapping_mul(97).wrapping_add(200))
        .collect();
    let garbage = base64_encode(&garbage);
    let yaml = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  \
         OPENAI_API_KEY: {}\n  signing-salt: {}\n  username: {}\n  password: {}\n  \
         blob: {garbage}\n",
        b64(&openai),
        b64(&salt),
        b64("admin"),
        b64("changeme"),
    );
    let found = summary(&scan(&[("k8s/secret.yaml", &yaml)]));
    let line7 = yaml.lines().nth(6).unwrap();
    let line8 = yaml.lines().nth(7).unwrap();
    assert_eq!(
        found,
        vec![
            (
                "openai-api-key".into(),
                "k8s/secret.yaml".into(),
                7,
                column_of(line7, &b64(&openai)),
                line7.len() as u64 + 1,
                openai,
                "base64".into()
            ),
            (
                "kubernetes-secret-data".into(),
                "k8s/secret.yaml".into(),
                8,
                column_of(line8, &b64(&salt)),
                line8.len() as u64 + 1,
                salt,
                "base64".into()
            ),
        ]
    );
}

#[test]
fn a_configmap_value_is_not_decoded() {
    let openai = key("openai-api-key", 3);
    let yaml = format!("kind: ConfigMap\ndata:\n  value: {}\n", b64(&openai));
    assert!(scan(&[("cm.yaml", &yaml)]).is_empty());
}

#[test]
fn docker_config_auth_reports_the_token_by_registry() {
    let pat = key("github-pat", 4);
    let password = random("{alnum:24}{digit:2}", 5);
    let json = format!(
        "{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{}\"\n    }},\n    \
         \"registry.internal:5000\": {{\n      \"auth\": \"{}\"\n    }},\n    \
         \"quay.io\": {{\n      \"auth\": \"{}\"\n    }},\n    \
         \"registry.example.org\": {{\n      \"auth\": \"{}\"\n    }}\n  }}\n}}\n",
        b64(&format!("octocat:{pat}")),
        b64(&format!("deploy:{password}")),
        b64(&format!("robot:{password}")),
        b64("user:password"),
    );
    let found = scan(&[(".docker/config.json", &json)]);
    let got: Vec<(String, String, String, String)> = found
        .iter()
        .map(|f| {
            (
                field(f, "rule_id").into(),
                field(f, "provider").into(),
                field(f, "secret").into(),
                field(f, "decoded").into(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("github-pat".into(), "GitHub".into(), pat, "base64".into()),
            (
                "docker-config-auth".into(),
                "Docker registry".into(),
                password.clone(),
                "base64".into()
            ),
            (
                "docker-config-auth-quay".into(),
                "Red Hat Quay".into(),
                password,
                "base64".into()
            ),
        ]
    );
}

#[test]
fn basic_auth_headers_are_decoded_in_code_curl_and_http_files() {
    let password = random("{alnum:20}{digit:3}", 6);
    let enc = b64(&format!("ci-bot:{password}"));
    let files = [
        (
            "api.http",
            format!("GET https://build.internal/api\nAuthorization: Basic {enc}\n"),
        ),
        (
            "deploy.sh",
            format!("curl -H \"Authorization: Basic {enc}\" https://build.internal/\n"),
        ),
        (
            "client.py",
            format!("headers = {{\"Authorization\": \"Basic {enc}\"}}\n"),
        ),
        (
            "values.yaml",
            format!(
                "auth:\n  header: \"Authorization: Basic {b}\"\n",
                b = b64("user:password")
            ),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    let found = summary(&scan(&files));
    let http_line = format!("Authorization: Basic {enc}");
    assert_eq!(found.len(), 3, "{found:?}");
    for f in &found {
        assert_eq!(
            (f.0.as_str(), f.5.as_str(), f.6.as_str()),
            ("http-basic-auth", password.as_str(), "base64")
        );
    }
    let http = found.iter().find(|f| f.1 == "api.http").unwrap();
    assert_eq!(
        (http.2, http.3, http.4),
        (2, column_of(&http_line, &enc), http_line.len() as u64 + 1)
    );
}

#[test]
fn the_text_report_says_what_was_decoded() {
    let password = random("{alnum:20}{digit:3}", 7);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.http",
        format!("Authorization: Basic {}\n", b64(&format!("u:{password}"))),
    );
    let out = run(keyward()
        .current_dir(dir.path())
        .args(["scan", "--no-ignore", "."]));
    let text = stdout(&out);
    assert!(
        text.contains("[http-basic-auth]") && text.contains("(decoded: base64)"),
        "{text}"
    );
    assert!(
        !text.contains(&password),
        "the decoded secret is redacted: {text}"
    );
}

#[test]
fn percent_encoded_urls_are_decoded() {
    let password = random("{alnum:12}@{digit:3}{alnum:6}", 8);
    let escaped = password.replace('@', "%40");
    let anthropic = key("anthropic-api-key", 9);
    let anthropic_escaped = anthropic.replace('-', "%2D");
    let text = format!(
        "remote = \"https://deploy:{escaped}@git.internal/repo.git\"\n\
         hook = \"https://hooks.internal/notify?key={anthropic_escaped}&x=1\"\n\
         docs = \"https://user:p%40ssword@example.com/\"\n"
    );
    let found = summary(&scan(&[("settings.toml", &text)]));
    let line1 = text.lines().next().unwrap();
    let line2 = text.lines().nth(1).unwrap();
    assert_eq!(
        found,
        vec![
            (
                "http-basic-auth".into(),
                "settings.toml".into(),
                1,
                column_of(line1, &escaped),
                column_of(line1, &escaped) + escaped.len() as u64,
                password,
                "percent".into()
            ),
            (
                "anthropic-api-key".into(),
                "settings.toml".into(),
                2,
                column_of(line2, &anthropic_escaped),
                column_of(line2, &anthropic_escaped) + anthropic_escaped.len() as u64,
                anthropic,
                "percent".into()
            ),
        ]
    );
}

fn pem_key(seed: u64) -> String {
    key("private-key", seed)
}

#[test]
fn private_keys_split_over_concatenated_literals_are_found_once_at_begin() {
    let pem = pem_key(10);
    let lines: Vec<&str> = pem.lines().collect();
    let python = format!(
        "KEY = (\n{}\n)\n",
        lines
            .iter()
            .map(|l| format!("    \"{l}\\n\""))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let go = format!(
        "const key = {}\n",
        lines
            .iter()
            .map(|l| format!("\"{l}\\n\""))
            .collect::<Vec<_>>()
            .join(" +\n\t")
    );
    let java = format!(
        "String key = {};\n",
        lines
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join("\n        + ")
    );
    let found = summary(&scan(&[
        ("keys.py", &python),
        ("key.go", &go),
        ("Key.java", &java),
    ]));
    let mut got: Vec<(String, String, u64, String)> = found
        .iter()
        .map(|f| (f.0.clone(), f.1.clone(), f.2, f.6.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "private-key".into(),
                "Key.java".into(),
                1,
                "concatenated".into()
            ),
            (
                "private-key".into(),
                "key.go".into(),
                1,
                "concatenated".into()
            ),
            (
                "private-key".into(),
                "keys.py".into(),
                2,
                "concatenated".into()
            ),
        ]
    );
    let py = found.iter().find(|f| f.1 == "keys.py").unwrap();
    assert_eq!(py.3, 6, "placed on the BEGIN marker");
    assert!(py.5.starts_with("-----BEGIN RSA PRIVATE KEY-----\n") && py.5.contains(lines[1]));
}

#[test]
fn private_keys_with_newline_escapes_on_one_line_are_found() {
    let pem = pem_key(11);
    let escaped = pem.replace('\n', "\\n");
    let client = random("{digit:21}", 12);
    let gcp = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \
         \"private_key\": \"{escaped}\\n\",\n  \"client_id\": \"{client}\"\n}}\n"
    );
    let env = format!("TLS_KEY=\"{escaped}\"\n");
    let found = summary(&scan(&[("sa.json", &gcp), (".env", &env)]));
    let paths: Vec<(&str, u64)> = found.iter().map(|f| (f.1.as_str(), f.2)).collect();
    assert!(paths.contains(&(".env", 1)), "{found:?}");
    assert!(
        paths.iter().any(|&(p, l)| p == "sa.json" && l == 4),
        "{found:?}"
    );
    let mut places: Vec<(&str, u64)> = found.iter().map(|f| (f.1.as_str(), f.2)).collect();
    places.dedup();
    assert_eq!(places.len(), found.len(), "reported once: {found:?}");
}

#[test]
fn bare_keys_are_attributed_by_the_api_host_before_them() {
    let k = |seed| random("{alnum:30}{digit:2}{alnum:6}", seed);
    let (a, b, c, d) = (k(20), k(21), k(22), k(23));
    let curl = format!(
        "curl https://api.mistral.ai/v1/chat/completions \\\n  -H \"Content-Type: application/json\" \\\n  \
         -H \"Authorization: Bearer {a}\" \\\n  -d '{{}}'\n"
    );
    let http = format!("POST https://api.elevenlabs.io/v1/text-to-speech/x\nContent-Type: application/json\nxi-api-key: {b}\n");
    let httpie =
        format!("http POST api.groq.com/openai/v1/chat/completions Authorization:\"Bearer {c}\"\n");
    let py = format!(
        "API_URL = \"https://api.together.xyz/v1/chat/completions\"\nheaders = {{\n    \"Authorization\": \"Bearer {d}\",\n}}\n"
    );
    let quiet = "curl https://api.openai.com/v1/models -H \"Authorization: Bearer $OPENAI_API_KEY\"\n\
                 curl https://api.anthropic.com/v1/messages -H \"x-api-key: ${ANTHROPIC_API_KEY}\"\n\
                 POST https://api.cohere.com/v1/chat\nAuthorization: Bearer {{cohere_key}}\n";
    let found = scan(&[
        ("run.sh", &curl),
        ("tts.http", &http),
        ("groq.sh", &httpie),
        ("client.py", &py),
        ("quiet.sh", quiet),
    ]);
    let mut got: Vec<(String, String, String, String)> = found
        .iter()
        .map(|f| {
            (
                field(f, "path").trim_start_matches("./").to_string(),
                field(f, "rule_id").into(),
                field(f, "provider").into(),
                field(f, "confidence").into(),
            )
        })
        .collect();
    got.sort();
    let want = |p: &str, id: &str, prov: &str| {
        (
            p.to_string(),
            id.to_string(),
            prov.to_string(),
            "medium".to_string(),
        )
    };
    assert_eq!(
        got,
        vec![
            want("client.py", "host-attributed-together", "Together AI"),
            want("groq.sh", "host-attributed-groq", "Groq"),
            want("run.sh", "host-attributed-mistral", "Mistral AI"),
            want("tts.http", "host-attributed-elevenlabs", "ElevenLabs"),
        ]
    );
    let secrets: Vec<&str> = found.iter().map(|f| field(f, "secret")).collect();
    for s in [&a, &b, &c, &d] {
        assert!(secrets.contains(&s.as_str()));
    }
}

#[test]
fn a_provider_key_near_its_host_keeps_its_own_rule() {
    let openai = key("openai-api-key", 30);
    let text =
        format!("curl https://api.openai.com/v1/models -H \"Authorization: Bearer {openai}\"\n");
    let found = scan(&[("run.sh", &text)]);
    assert_eq!(found.len(), 1);
    assert_eq!(field(&found[0], "rule_id"), "openai-api-key");
}

#[test]
fn a_key_far_below_the_host_is_not_attributed() {
    let k = random("{alnum:30}{digit:2}{alnum:6}", 31);
    let text = format!(
        "BASE = \"https://api.groq.com/openai/v1\"\n\n\n\n\n\n\nother = {{\"Authorization\": \"Bearer {k}\"}}\n"
    );
    let found = scan(&[("far.py", &text)]);
    assert!(
        found
            .iter()
            .all(|f| !field(f, "rule_id").starts_with("host-attributed")),
        "{found:?}"
    );
}
