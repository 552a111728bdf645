//! The practices the audit enforces, each with a title, a one-line summary in English
//! and the documents it comes from (named by their titles, in English, with the
//! section). A checklist item cites practices, so a reader who has none of the source
//! documents still knows what is asked and why; docs/audit.md lists them all.
//!
//! It must not know the checks that cite these practices, nor how they are written.

use serde::Serialize;

/// A passage of a source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The document's title (translated to English where it is not in English).
    pub document: &'static str,
    /// The section, in English.
    pub section: &'static str,
}

/// A practice of the guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Practice {
    pub id: &'static str,
    pub title: &'static str,
    /// One line: what the practice asks, in keyward's words.
    pub summary: &'static str,
    pub sources: &'static [Source],
}

/// The source documents, by title.
pub const API_KEY_SECURITY: &str = "Security Guide: API Key Configuration";
pub const CREDENTIAL_MANAGEMENT: &str =
    "Secure Credential Management for Multi-Provider LLM Configuration";
pub const SECRETS_MANAGEMENT: &str = "Secrets Management Guide";
pub const EXTERNAL_AUTH: &str = "API Key Management & External Service Authentication";
pub const PRODUCTION_SECURITY: &str = "OneFlow.AI Production Security Guide";

/// Every source document, in the order docs/audit.md names them.
pub const DOCUMENTS: [&str; 5] = [
    API_KEY_SECURITY,
    CREDENTIAL_MANAGEMENT,
    SECRETS_MANAGEMENT,
    EXTERNAL_AUTH,
    PRODUCTION_SECURITY,
];

const fn src(document: &'static str, section: &'static str) -> Source {
    Source { document, section }
}

pub const ENV_OUT_OF_GIT: Practice = Practice {
    id: "env-out-of-git",
    title: "Keep .env files out of version control",
    summary: "Files that hold real keys are ignored by git; only a template with placeholders is committed.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Environment Setup › Development Environment"),
        src(CREDENTIAL_MANAGEMENT, "Environment Variable Security › .env File Management"),
        src(API_KEY_SECURITY, "Security Checklist › Initial Configuration"),
        src(PRODUCTION_SECURITY, "Security Checklist › Development"),
    ],
};

pub const NEVER_COMMIT_KEYS: Practice = Practice {
    id: "never-commit-keys",
    title: "Never commit keys",
    summary: "No key in code, configuration or any committed file, not even for a moment: a committed key is in every clone.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Security Best Practices › Don't"),
        src(CREDENTIAL_MANAGEMENT, "Security Checklist › Pre-Deployment Security Checklist"),
        src(PRODUCTION_SECURITY, "Critical: API Keys Security › Never do this"),
    ],
};

pub const CLEAN_HISTORY: Practice = Practice {
    id: "clean-history",
    title: "Keep keys out of the git history",
    summary:
        "A key that was ever committed stays in the history: review it, and revoke what it holds.",
    sources: &[
        src(
            SECRETS_MANAGEMENT,
            "Environment Setup › Production Environment",
        ),
        src(SECRETS_MANAGEMENT, "Compliance Checklist"),
        src(
            SECRETS_MANAGEMENT,
            "Emergency Procedures › If Key is Compromised",
        ),
    ],
};

pub const OWNER_ONLY_FILES: Practice = Practice {
    id: "owner-only-key-files",
    title: "Make local key files readable by their owner only",
    summary: "A .env or key file on a workstation has mode 600, so other accounts on the machine cannot read it.",
    sources: &[
        src(CREDENTIAL_MANAGEMENT, "Environment Variable Security › Environment Variable Best Practices"),
        src(PRODUCTION_SECURITY, "Security Checklist › Development"),
    ],
};

pub const TEMPLATES: Practice = Practice {
    id: "share-a-template",
    title: "Share a template, not the keys",
    summary: "A committed template (.env.example) names the variables with placeholder values; each developer copies it and fills in their own keys.",
    sources: &[src(SECRETS_MANAGEMENT, "Environment Setup › Development Environment")],
};

pub const SCAN_FOR_SECRETS: Practice = Practice {
    id: "scan-for-secrets",
    title: "Scan for secrets before they are shared",
    summary: "A secret scanner runs before each commit and in CI, so a key is stopped before it reaches the shared history.",
    sources: &[
        src(CREDENTIAL_MANAGEMENT, "Security Principles › Defense in Depth"),
        src(SECRETS_MANAGEMENT, "Compliance Checklist"),
        src(SECRETS_MANAGEMENT, "Regular Security Tasks › Monthly"),
    ],
};

pub const NO_KEYS_IN_LOGS: Practice = Practice {
    id: "no-keys-in-logs",
    title: "Never log keys",
    summary: "Logs, CI output and error messages say whether a key is set, never its value.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Security Best Practices › Don't"),
        src(
            SECRETS_MANAGEMENT,
            "Environment Setup › Production Environment",
        ),
        src(API_KEY_SECURITY, "Security Checklist › Monitoring"),
    ],
};

pub const CI_SECRET_STORE: Practice = Practice {
    id: "ci-secret-store",
    title: "CI gets keys from its secret store",
    summary: "CI jobs receive keys from the CI's encrypted secrets, referenced by name, never written in the pipeline file.",
    sources: &[
        src(SECRETS_MANAGEMENT, "CI/CD Secrets Configuration › GitHub Actions"),
        src(SECRETS_MANAGEMENT, "Compliance Checklist"),
    ],
};

pub const RUNTIME_INJECTION: Practice = Practice {
    id: "inject-at-run-time",
    title: "Inject keys at run time, not at build time",
    summary: "Containers and orchestrators receive keys from the environment or a secret store when they start; images, compose files and manifests hold none.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Environment Setup › Production Environment"),
        src(SECRETS_MANAGEMENT, "CI/CD Secrets Configuration › Kubernetes Secrets"),
        src(PRODUCTION_SECURITY, "Production-Grade Solutions › Option 1: Environment Variables"),
        src(API_KEY_SECURITY, "Security by Environment › Production"),
    ],
};

pub const SECRETS_MANAGER: Practice = Practice {
    id: "secrets-manager",
    title: "Keep production keys in a secrets manager",
    summary: "Production keys live in Vault or a cloud secret manager, with access granted per service, not in files.",
    sources: &[
        src(PRODUCTION_SECURITY, "Production-Grade Solutions › Options 2 to 4"),
        src(PRODUCTION_SECURITY, "Security Checklist › Production"),
        src(API_KEY_SECURITY, "Cloud Secret Managers"),
        src(CREDENTIAL_MANAGEMENT, "Environment Variable Security › Secret Management Systems"),
        src(EXTERNAL_AUTH, "Security Features › Encrypted Credential Storage"),
    ],
};

pub const NO_FILE_KEY_STORE: Practice = Practice {
    id: "no-plain-file-key-store",
    title: "No plain-file key store",
    summary:
        "Applications do not read their keys from a plain JSON or text file such as .api_keys.json.",
    sources: &[
        src(
            PRODUCTION_SECURITY,
            "Critical: API Keys Security › Never do this",
        ),
        src(PRODUCTION_SECURITY, "Security Checklist › Production"),
    ],
};

pub const SEPARATE_ENVIRONMENTS: Practice = Practice {
    id: "separate-environments",
    title: "Give each environment its own keys",
    summary: "Development, staging and production use different keys, so a leak in one never exposes another.",
    sources: &[
        src(PRODUCTION_SECURITY, "Security Checklist › Development"),
        src(SECRETS_MANAGEMENT, "Security Best Practices › Do"),
        src(API_KEY_SECURITY, "Security by Environment"),
    ],
};

pub const LEAST_PRIVILEGE: Practice = Practice {
    id: "least-privilege",
    title: "Grant each key the least privilege it needs",
    summary: "A key carries only the scopes, spending and rate limits its user needs.",
    sources: &[
        src(
            CREDENTIAL_MANAGEMENT,
            "Security Principles › Least Privilege",
        ),
        src(
            CREDENTIAL_MANAGEMENT,
            "Access Control › API Key Permissions",
        ),
        src(SECRETS_MANAGEMENT, "Security Best Practices › Do"),
    ],
};

pub const VALIDATE_KEYS: Practice = Practice {
    id: "validate-keys",
    title: "Validate keys at start-up",
    summary:
        "An application checks that each key it needs is present and well-formed before it serves.",
    sources: &[
        src(
            API_KEY_SECURITY,
            "Key Validation and Monitoring › Automatic Validation",
        ),
        src(
            CREDENTIAL_MANAGEMENT,
            "Configuration Security › Credential Validation",
        ),
    ],
};

pub const MONITOR_USAGE: Practice = Practice {
    id: "monitor-usage",
    title: "Monitor key usage",
    summary: "Usage, cost and failed authentications are watched, with alerts on anomalies.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Monitoring and Alerts"),
        src(
            API_KEY_SECURITY,
            "Key Validation and Monitoring › Usage Monitoring",
        ),
        src(API_KEY_SECURITY, "Security Alerts"),
        src(
            CREDENTIAL_MANAGEMENT,
            "Monitoring and Auditing › API Key Usage Monitoring",
        ),
    ],
};

pub const AUDIT_ACCESS: Practice = Practice {
    id: "audit-access",
    title: "Log access to keys",
    summary: "Who read or changed which key is logged, and the log is reviewed.",
    sources: &[
        src(
            CREDENTIAL_MANAGEMENT,
            "Monitoring and Auditing › Audit Logging",
        ),
        src(
            PRODUCTION_SECURITY,
            "Security Checklist › Staging and Production",
        ),
        src(EXTERNAL_AUTH, "Monitoring & Auditing › Audit Logging"),
    ],
};

pub const ROTATE_KEYS: Practice = Practice {
    id: "rotate-keys",
    title: "Rotate keys on a schedule",
    summary: "Each key is replaced within its rotation period (shorter for more sensitive keys), and the date is recorded.",
    sources: &[
        src(SECRETS_MANAGEMENT, "Overview"),
        src(SECRETS_MANAGEMENT, "Automated Key Rotation"),
        src(CREDENTIAL_MANAGEMENT, "Key Rotation"),
        src(API_KEY_SECURITY, "Key Rotation"),
        src(PRODUCTION_SECURITY, "Automatic Key Rotation"),
    ],
};

pub const INCIDENT_RESPONSE: Practice = Practice {
    id: "incident-response",
    title: "Be ready to revoke a leaked key",
    summary: "A written, rehearsed procedure says who revokes which key, where, and how services get the new one.",
    sources: &[
        src(PRODUCTION_SECURITY, "Incident Response"),
        src(CREDENTIAL_MANAGEMENT, "Incident Response"),
        src(SECRETS_MANAGEMENT, "Emergency Procedures"),
    ],
};

pub const TRAINING: Practice = Practice {
    id: "training",
    title: "Train the people who handle keys",
    summary: "Everyone who handles keys knows where they live, how to rotate them and what to do on a leak.",
    sources: &[
        src(CREDENTIAL_MANAGEMENT, "Security Checklist › Pre-Deployment Security Checklist"),
        src(SECRETS_MANAGEMENT, "Compliance Checklist"),
        src(API_KEY_SECURITY, "Security Checklist › Operational Security"),
    ],
};

pub const REGULAR_REVIEWS: Practice = Practice {
    id: "regular-reviews",
    title: "Review key handling on a schedule",
    summary: "Usage, access and this checklist are reviewed at fixed intervals, not only after an incident.",
    sources: &[
        src(CREDENTIAL_MANAGEMENT, "Security Checklist › Regular Security Reviews"),
        src(SECRETS_MANAGEMENT, "Regular Security Tasks"),
    ],
};

pub const COMPLIANCE: Practice = Practice {
    id: "compliance",
    title: "Meet the compliance obligations that apply",
    summary: "Key handling and its logs meet the controls the organisation is bound by (SOC 2, GDPR, CCPA).",
    sources: &[
        src(CREDENTIAL_MANAGEMENT, "Compliance and Standards"),
        src(API_KEY_SECURITY, "Security Checklist › Compliance"),
    ],
};

/// Every practice, in the order docs/audit.md lists them.
pub const ALL: [&Practice; 21] = [
    &ENV_OUT_OF_GIT,
    &NEVER_COMMIT_KEYS,
    &CLEAN_HISTORY,
    &OWNER_ONLY_FILES,
    &TEMPLATES,
    &SCAN_FOR_SECRETS,
    &NO_KEYS_IN_LOGS,
    &CI_SECRET_STORE,
    &RUNTIME_INJECTION,
    &SECRETS_MANAGER,
    &NO_FILE_KEY_STORE,
    &SEPARATE_ENVIRONMENTS,
    &LEAST_PRIVILEGE,
    &VALIDATE_KEYS,
    &MONITOR_USAGE,
    &AUDIT_ACCESS,
    &ROTATE_KEYS,
    &INCIDENT_RESPONSE,
    &TRAINING,
    &REGULAR_REVIEWS,
    &COMPLIANCE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practices_are_distinct_and_sourced() {
        for (i, p) in ALL.iter().enumerate() {
            assert!(!p.sources.is_empty(), "{}", p.id);
            assert!(p.summary.ends_with('.'), "{}", p.id);
            assert!(ALL[..i].iter().all(|q| q.id != p.id), "{}", p.id);
            for s in p.sources {
                assert!(DOCUMENTS.contains(&s.document));
            }
        }
    }
}
