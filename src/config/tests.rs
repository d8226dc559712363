use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn from_toml(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut raw =
        RawConfig::from_toml(text).map_err(|e| ConfigError::single("--config", e.to_string()))?;
    raw.apply_env(env(vars))?;
    raw.validate()
}

#[test]
fn no_configuration_at_all_gives_a_working_sqlite_node() {
    let c = Config::load(None, Vec::new()).expect("defaults are valid");
    assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(c.authority, "127.0.0.1:8080");
    assert!(c.is_sqlite());
    assert!(c.database_url.expose().ends_with("data/entrepairs.db"));
    assert!(
        !c.allow_http && !c.allow_private_addresses,
        "unsafe options are off by default"
    );
    assert_eq!(c.base_url(), "https://127.0.0.1:8080");
}

#[test]
fn the_environment_overrides_the_file() {
    let c = from_toml(
        "institution_name = \"Mairie\"\nbind = \"127.0.0.1:9000\"\n",
        &[
            ("ENTREPAIRS_INSTITUTION_NAME", "CHU de Montauban"),
            ("ENTREPAIRS_ALLOW_HTTP", "true"),
        ],
    )
    .expect("valid");
    assert_eq!(c.institution_name, "CHU de Montauban");
    assert_eq!(c.bind.port(), 9000);
    assert!(c.allow_http);
    assert_eq!(c.base_url(), "http://127.0.0.1:9000");
}

#[test]
fn an_unknown_key_in_the_file_is_named() {
    let err = from_toml("instituton_name = \"typo\"\n", &[]).expect_err("unknown key");
    let text = err.to_string();
    assert!(text.contains("instituton_name"), "{text}");
}

#[test]
fn every_problem_is_listed_at_once_naming_its_setting() {
    let err = from_toml(
        "bind = \"nowhere\"\ndatabase_url = \"mysql://x\"\naccent_color = \"blue\"\ninstitution_kind = \"ministere\"\nbranch = \"fpx\"\n",
        &[("ENTREPAIRS_ALLOW_HTTP", "maybe")],
    )
    .expect_err("invalid");
    let settings: Vec<_> = err.problems.iter().map(|p| p.setting.as_str()).collect();
    for expected in [
        "bind",
        "database_url",
        "accent_color",
        "institution_kind",
        "branch",
        "ENTREPAIRS_ALLOW_HTTP",
    ] {
        assert!(
            settings.contains(&expected),
            "{expected} missing from {settings:?}"
        );
    }
}

#[test]
fn a_malformed_postgres_url_is_refused() {
    let err =
        from_toml("database_url = \"postgres://user:pw@[bad/db\"\n", &[]).expect_err("malformed");
    assert_eq!(err.problems[0].setting, "database_url");
}

#[test]
fn an_authority_with_a_scheme_or_path_is_refused() {
    for bad in ["https://x.fr", "x.fr/path", "user@x.fr", ""] {
        let err = from_toml(&format!("authority = \"{bad}\"\n"), &[]).expect_err(bad);
        assert_eq!(err.problems[0].setting, "authority", "{bad}");
    }
    let ok =
        from_toml("authority = \"Entrepairs.Mairie-Castelsarrasin.fr\"\n", &[]).expect("valid");
    assert_eq!(ok.authority, "entrepairs.mairie-castelsarrasin.fr");
}

#[test]
fn the_database_password_never_shows_in_debug_output() {
    let c = from_toml(
        "database_url = \"postgres://app:s3cr3t@db/entrepairs\"\n",
        &[],
    )
    .expect("valid");
    let shown = format!("{c:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn metrics_are_readable_from_the_machine_itself_by_default() {
    let c = Config::load(None, Vec::new()).expect("defaults are valid");
    assert!(c.metrics_allow.allows("127.0.0.1".parse().expect("ip")));
    assert!(c.metrics_allow.allows("::1".parse().expect("ip")));
    assert!(!c.metrics_allow.allows("10.0.0.1".parse().expect("ip")));
}

#[test]
fn metrics_allow_is_a_toml_array_or_a_comma_separated_variable() {
    let c = from_toml("metrics_allow = [\"10.0.0.0/8\", \"::1\"]\n", &[]).expect("valid");
    assert!(c.metrics_allow.allows("10.20.30.40".parse().expect("ip")));
    assert!(!c.metrics_allow.allows("127.0.0.1".parse().expect("ip")));

    let c = from_toml(
        "metrics_allow = [\"10.0.0.0/8\"]\n",
        &[("ENTREPAIRS_METRICS_ALLOW", " 192.0.2.7 , 2001:db8::/32")],
    )
    .expect("valid");
    assert!(c.metrics_allow.allows("192.0.2.7".parse().expect("ip")));
    assert!(c.metrics_allow.allows("2001:db8::9".parse().expect("ip")));
    assert!(!c.metrics_allow.allows("10.0.0.1".parse().expect("ip")));

    let nobody = from_toml("", &[("ENTREPAIRS_METRICS_ALLOW", "")]).expect("valid");
    assert!(
        !nobody
            .metrics_allow
            .allows("127.0.0.1".parse().expect("ip"))
    );
}

#[test]
fn a_malformed_metrics_allow_entry_is_named() {
    let err =
        from_toml("metrics_allow = [\"127.0.0.1\", \"intranet\"]\n", &[]).expect_err("invalid");
    assert_eq!(err.problems[0].setting, "metrics_allow");
    assert!(err.problems[0].message.contains("intranet"));
}

#[test]
fn json_logs_are_chosen_by_log_format_and_anything_else_is_named() {
    let json = from_toml("", &[("ENTREPAIRS_LOG_FORMAT", "json")]).expect("valid");
    assert_eq!(json.log_format, LogFormat::Json);
    assert_eq!(
        Config::load(None, Vec::new()).expect("defaults").log_format,
        LogFormat::Text
    );
    let err = from_toml("log_format = \"xml\"\n", &[]).expect_err("invalid");
    assert_eq!(err.problems[0].setting, "log_format");
}

#[test]
fn the_attachment_size_limit_defaults_to_10_mib_and_is_bounded() {
    let c = from_toml("", &[]).expect("valid");
    assert_eq!(c.attachments_max_bytes, 10 * 1024 * 1024);
    let c = from_toml("attachments_max_bytes = 2097152\n", &[]).expect("valid");
    assert_eq!(c.attachments_max_bytes, 2 * 1024 * 1024);
    let c = from_toml("", &[("ENTREPAIRS_ATTACHMENTS_MAX_BYTES", "4096")]).expect("valid");
    assert_eq!(c.attachments_max_bytes, 4096);
    for bad in [
        "attachments_max_bytes = 0\n",
        "attachments_max_bytes = 999999999999\n",
    ] {
        let e = from_toml(bad, &[]).expect_err("out of bounds");
        assert!(e.to_string().contains("attachments_max_bytes"), "{e}");
    }
    let e =
        from_toml("", &[("ENTREPAIRS_ATTACHMENTS_MAX_BYTES", "10M")]).expect_err("not a number");
    assert!(e.to_string().contains("ATTACHMENTS_MAX_BYTES"), "{e}");
}

#[test]
fn without_smtp_url_no_mail_is_sent_and_the_sender_defaults_to_the_node() {
    let c = from_toml("authority = \"entrepairs.mairie.fr\"\n", &[]).expect("valid");
    assert!(c.mail.relay.is_none());
    assert_eq!(
        c.mail.from.email.to_string(),
        "noreply@entrepairs.mairie.fr"
    );
    assert!(c.mail.reply_to.is_none());
}

#[test]
fn smtp_url_chooses_starttls_implicit_tls_or_plain_on_loopback() {
    let c = from_toml(
        "smtp_url = \"smtps://relai%40mairie:p%40ss@relay.mairie.fr\"\nmail_from = \"Mairie <entrepairs@mairie.fr>\"\nmail_reply_to = \"accueil@mairie.fr\"\n",
        &[],
    )
    .expect("valid");
    let relay = c.mail.relay.as_ref().expect("relay");
    assert_eq!(relay.security, SmtpSecurity::Tls);
    assert_eq!((relay.host.as_str(), relay.port), ("relay.mairie.fr", 465));
    assert_eq!(relay.user.as_deref(), Some("relai@mairie"));
    assert_eq!(
        relay.password.as_ref().map(|p| p.expose()),
        Some("p@ss"),
        "percent-decoded"
    );
    assert_eq!(c.mail.from.to_string(), "Mairie <entrepairs@mairie.fr>");
    assert!(c.mail.reply_to.is_some());

    let c = from_toml("smtp_url = \"smtp://relay.chu.fr\"\n", &[]).expect("valid");
    let relay = c.mail.relay.expect("relay");
    assert_eq!(relay.security, SmtpSecurity::StartTls);
    assert_eq!(relay.port, 587);

    let c = from_toml("", &[("ENTREPAIRS_SMTP_URL", "smtp://127.0.0.1:2525")]).expect("valid");
    let relay = c.mail.relay.expect("relay");
    assert_eq!(relay.security, SmtpSecurity::Plain);
    assert_eq!(relay.port, 2525);
}

#[test]
fn the_smtp_password_never_shows_in_debug_output() {
    let c = from_toml("smtp_url = \"smtps://agent:hunter2@relay.fr\"\n", &[]).expect("valid");
    let shown = format!("{c:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let relay = c.mail.relay.expect("relay");
    assert_eq!(relay.url.redacted(), "smtps://agent:***@relay.fr");
}

#[test]
fn an_invalid_smtp_url_or_sender_refuses_to_start_naming_the_setting() {
    for (text, setting) in [
        ("smtp_url = \"http://relay.fr\"\n", "smtp_url"),
        ("smtp_url = \"relay.fr:25\"\n", "smtp_url"),
        ("smtp_url = \"smtp://relay.fr/path\"\n", "smtp_url"),
        ("smtp_url = \"smtp://:pw@relay.fr\"\n", "smtp_url"),
        ("mail_from = \"pas une adresse\"\n", "mail_from"),
        ("mail_from = \"a@b.fr\\r\\nBcc: x@evil.fr\"\n", "mail_from"),
        ("mail_reply_to = \"@@\"\n", "mail_reply_to"),
    ] {
        let err = from_toml(text, &[]).expect_err(text);
        assert_eq!(err.problems[0].setting, setting, "{text}");
    }
    let err = from_toml("", &[("ENTREPAIRS_MAIL_FROM", "nobody")]).expect_err("invalid");
    assert!(err.to_string().contains("mail_from"), "{err}");
}

const OIDC: &str = "allow_http = true\noidc_issuer = \"https://auth.agentconnect.gouv.fr/api/v2\"\noidc_client_id = \"abc\"\noidc_client_secret = \"s3cr:et\"\noidc_allowed_sirets = [\"21340301000015\", \"213403 011\"]\n";

#[test]
fn oidc_is_off_by_default_and_passwords_are_on() {
    let c = Config::load(None, Vec::new()).expect("defaults are valid");
    assert!(c.oidc.is_none());
    assert!(c.password_login);
}

#[test]
fn oidc_settings_get_proconnect_defaults_and_the_secret_never_shows() {
    let c = from_toml(OIDC, &[]).expect("valid");
    let o = c.oidc.as_ref().expect("oidc on");
    assert_eq!(
        o.scopes.join(" "),
        "openid given_name usual_name email uid siret idp_id"
    );
    assert_eq!(o.button_label, "S'identifier avec ProConnect");
    assert!(o.allowed_sirets.allows(Some("21340301000015")));
    assert!(
        o.allowed_sirets.allows(Some("21340301199999")),
        "SIREN prefix"
    );
    assert!(!o.allowed_sirets.allows(Some("11000201100044")));
    assert!(!o.allowed_sirets.allows(None));
    let shown = format!("{c:?}");
    assert!(!shown.contains("s3cr"), "{shown}");
}

#[test]
fn incomplete_oidc_settings_name_each_missing_one() {
    let err = from_toml(
        "oidc_issuer = \"http://idp.example\"\noidc_allowed_sirets = [\"12\"]\noidc_scopes = \"email\"\n",
        &[],
    )
    .expect_err("invalid");
    let settings: Vec<_> = err.problems.iter().map(|p| p.setting.as_str()).collect();
    for s in [
        "oidc_issuer",
        "oidc_client_id",
        "oidc_client_secret",
        "oidc_scopes",
        "oidc_allowed_sirets",
    ] {
        assert!(settings.contains(&s), "{s} in {settings:?}");
    }
    let err = from_toml("oidc_client_id = \"x\"\n", &[]).expect_err("no issuer");
    assert_eq!(err.problems[0].setting, "oidc_client_id");
}

#[test]
fn password_login_off_needs_a_provider_and_reads_from_the_environment() {
    let err = from_toml("password_login = false\n", &[]).expect_err("nobody could log in");
    assert_eq!(err.problems[0].setting, "password_login");
    let c = from_toml(OIDC, &[("ENTREPAIRS_PASSWORD_LOGIN", "false")]).expect("valid");
    assert!(!c.password_login);
    let c = from_toml(
        OIDC,
        &[
            ("ENTREPAIRS_OIDC_ALLOWED_SIRETS", "*"),
            ("ENTREPAIRS_OIDC_CLIENT_SECRET", "other"),
        ],
    )
    .expect("valid");
    let o = c.oidc.expect("on");
    assert_eq!(o.allowed_sirets, SiretRule::Any);
    assert_eq!(o.client_secret.expose(), "other");
}

#[test]
fn the_inbox_budget_of_a_peer_has_defaults_and_is_bounded() {
    let c = from_toml("", &[]).expect("valid");
    assert_eq!(
        (c.inbox_peer_per_minute, c.inbox_peer_burst),
        (1_200, 6_000)
    );
    let c = from_toml(
        "inbox_peer_per_minute = 60\n",
        &[("ENTREPAIRS_INBOX_PEER_BURST", "100")],
    )
    .expect("valid");
    assert_eq!((c.inbox_peer_per_minute, c.inbox_peer_burst), (60, 100));
    for (bad, setting) in [
        ("inbox_peer_per_minute = 0\n", "inbox_peer_per_minute"),
        ("inbox_peer_burst = 0\n", "inbox_peer_burst"),
        ("inbox_peer_burst = 2000000\n", "inbox_peer_burst"),
    ] {
        let e = from_toml(bad, &[]).expect_err("out of bounds");
        assert_eq!(e.problems[0].setting, setting, "{bad}");
    }
    let e = from_toml("", &[("ENTREPAIRS_INBOX_PEER_PER_MINUTE", "beaucoup")])
        .expect_err("not a number");
    assert!(e.to_string().contains("INBOX_PEER_PER_MINUTE"), "{e}");
}
