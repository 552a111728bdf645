//! What a file is, by its name (and, where the name cannot tell, its first bytes): a
//! dotenv file or its template, a secret-bearing file (key, credential store, state
//! file), CI configuration, a Dockerfile, a compose file, YAML, source code.
//!
//! It must not know the checks that use these answers, nor read the repository itself:
//! content comes from the caller.

/// Names of env files that are templates, safe to commit.
const TEMPLATE_WORDS: [&str; 6] = ["example", "sample", "template", "dist", "defaults", "tmpl"];

/// Is `name` (a file name) a dotenv file, and is it a template?
pub fn env_file(name: &str) -> Option<bool> {
    let lower = name.to_ascii_lowercase();
    let is_env = lower == ".env"
        || lower.starts_with(".env.")
        || (lower.ends_with(".env") && lower.len() > 4);
    if !is_env {
        return None;
    }
    let template = lower
        .split(['.', '-', '_'])
        .any(|w| TEMPLATE_WORDS.contains(&w));
    Some(template)
}

pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// What kind of secret-bearing file `rel` is, if any. `content` is asked for only when
/// the name alone cannot tell (a `.pem` may be a certificate, an `.npmrc` may hold no
/// token).
pub fn secret_file_kind(
    rel: &str,
    content: impl FnOnce() -> Option<Vec<u8>>,
) -> Option<&'static str> {
    let name = file_name(rel);
    let lower = name.to_ascii_lowercase();
    if let Some(template) = env_file(name) {
        return (!template).then_some("dotenv file");
    }
    let by_name = match lower.as_str() {
        ".api_keys.json" | "api_keys.json" => Some("file-based key store"),
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            Some("SSH private key")
        }
        ".git-credentials" => Some("git credential store"),
        ".netrc" | "_netrc" => Some("netrc credentials"),
        ".vault-token" => Some("Vault token"),
        ".dockercfg" => Some("Docker registry credentials"),
        "terraform.tfstate" | "terraform.tfstate.backup" => Some("Terraform state"),
        "credentials" if rel.contains(".aws/") => Some("AWS credentials file"),
        _ => None,
    };
    if by_name.is_some() {
        return by_name;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "p12" | "pfx" | "jks" | "keystore" | "ppk" => return Some("key store"),
        "tfstate" => return Some("Terraform state"),
        _ => {}
    }
    let needs_content = matches!(ext, "pem" | "key" | "json")
        || matches!(lower.as_str(), ".npmrc" | ".pypirc")
        || rel.ends_with(".docker/config.json");
    if !needs_content {
        return None;
    }
    let bytes = content()?;
    let text = String::from_utf8_lossy(&bytes);
    match (ext, lower.as_str()) {
        ("pem" | "key", _) => text.contains("PRIVATE KEY").then_some("private key"),
        (_, ".npmrc") => text
            .lines()
            .any(|l| {
                let l = l.trim();
                !l.starts_with(['#', ';'])
                    && (l.contains("_authToken=")
                        || l.contains("_auth=")
                        || l.contains("_password="))
                    && !l.contains("${")
            })
            .then_some("npm registry token"),
        (_, ".pypirc") => text
            .lines()
            .any(|l| {
                let l = l.trim_start();
                l.starts_with("password") && l.contains(['=', ':']) && !l.contains("${")
            })
            .then_some("PyPI credentials"),
        ("json", _) => {
            let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("\"type\":\"service_account\"")
                && compact.contains("\"private_key\"")
            {
                Some("cloud service-account key")
            } else if rel.ends_with(".docker/config.json") && compact.contains("\"auth\":\"") {
                Some("Docker registry credentials")
            } else {
                None
            }
        }
        _ => None,
    }
}

pub fn is_ci_file(f: &str) -> bool {
    (f.starts_with(".github/workflows/") && (f.ends_with(".yml") || f.ends_with(".yaml")))
        || f == ".gitlab-ci.yml"
        || f.ends_with("/.gitlab-ci.yml")
        || f == ".circleci/config.yml"
        || f == "azure-pipelines.yml"
        || f == "bitbucket-pipelines.yml"
        || f == "Jenkinsfile"
}

pub fn is_dockerfile(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f);
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
}

pub fn is_compose(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f).to_ascii_lowercase();
    (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// A devcontainer's settings (`.devcontainer/devcontainer.json`, `.devcontainer.json`).
pub fn is_devcontainer(f: &str) -> bool {
    let name = f.rsplit('/').next().unwrap_or(f);
    name == ".devcontainer.json" || (name == "devcontainer.json" && f.contains(".devcontainer/"))
}

pub fn is_yaml(f: &str) -> bool {
    f.ends_with(".yml") || f.ends_with(".yaml")
}

const CODE_EXTENSIONS: [&str; 16] = [
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rb", "java", "kt", "rs", "php", "cs",
    "sh", "swift",
];

pub fn is_code(f: &str) -> bool {
    f.rsplit_once('.')
        .is_some_and(|(_, e)| CODE_EXTENSIONS.contains(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_and_templates() {
        assert_eq!(env_file(".env"), Some(false));
        assert_eq!(env_file(".env.production"), Some(false));
        assert_eq!(env_file("prod.env"), Some(false));
        assert_eq!(env_file(".env.example"), Some(true));
        assert_eq!(env_file(".env.production.sample"), Some(true));
        assert_eq!(env_file("example.env"), Some(true));
        assert_eq!(env_file(".envrc"), None);
        assert_eq!(env_file("environment.ts"), None);
        assert_eq!(env_file(".env"), Some(false));
    }

    #[test]
    fn secret_files() {
        let none = || None;
        assert_eq!(secret_file_kind("a/.env", none), Some("dotenv file"));
        assert_eq!(secret_file_kind(".env.example", none), None);
        assert_eq!(
            secret_file_kind("keys/id_ed25519", none),
            Some("SSH private key")
        );
        assert_eq!(secret_file_kind("keys/id_ed25519.pub", none), None);
        assert_eq!(
            secret_file_kind("infra/terraform.tfstate", none),
            Some("Terraform state")
        );
        assert_eq!(
            secret_file_kind("home/.aws/credentials", none),
            Some("AWS credentials file")
        );
        assert_eq!(
            secret_file_kind("tls/server.pem", || Some(
                b"-----BEGIN CERTIFICATE-----".to_vec()
            )),
            None
        );
        let key = format!("-----BEGIN {} KEY-----", "PRIVATE");
        assert_eq!(
            secret_file_kind("tls/server.key", || Some(key.into_bytes())),
            Some("private key")
        );
        assert_eq!(
            secret_file_kind(".npmrc", || Some(
                b"//registry.npmjs.org/:_authToken=${NPM_TOKEN}".to_vec()
            )),
            None
        );
        assert_eq!(
            secret_file_kind(".npmrc", || Some(
                b"//registry.npmjs.org/:_authToken=abc".to_vec()
            )),
            Some("npm registry token")
        );
        assert_eq!(
            secret_file_kind("gcp/sa.json", || Some(
                b"{ \"type\": \"service_account\", \"private_key\": \"x\" }".to_vec()
            )),
            Some("cloud service-account key")
        );
        assert_eq!(
            secret_file_kind("package.json", || Some(b"{}".to_vec())),
            None
        );
    }
}
