//! The settings' own rules: what `serve` refuses, and the human durations.

use super::*;

fn serve_settings() -> Settings {
    Settings {
        oidc_issuer: Some("https://id.example.org/realms/reps".into()),
        oidc_audience: Some("mentorship-api".into()),
        database_url: Some(Secret::new("postgres://localhost/x")),
        ..Settings::default()
    }
}

type Breakage = (fn(&mut Settings), &'static str);

/// What `serve` runs before starting: these settings, then the verifier's own.
fn serve_check(s: &Settings) -> Result<(), ConfigError> {
    s.validate_for_serve()?;
    crate::auth::verifier::check_settings(s)
}

#[test]
fn serve_refuses_each_unsafe_setting_by_name() {
    let cases: Vec<Breakage> = vec![
        (|s| s.oidc_issuer = None, "MENTORSHIP_OIDC_ISSUER"),
        (|s| s.oidc_audience = None, "MENTORSHIP_OIDC_AUDIENCE"),
        (
            |s| s.oidc_issuer = Some("http://id.example.org".into()),
            "MENTORSHIP_OIDC_ISSUER",
        ),
        (
            |s| s.oidc_issuer = Some("ftp://x".into()),
            "MENTORSHIP_OIDC_ISSUER",
        ),
        (|s| s.database_url = None, "DATABASE_URL"),
        (
            |s| s.oidc_algorithms = "HS256".into(),
            "MENTORSHIP_OIDC_ALGORITHMS",
        ),
        (
            |s| s.oidc_role_map = "boss=x".into(),
            "MENTORSHIP_OIDC_ROLE_MAP",
        ),
    ];
    for (breaks, setting) in cases {
        let mut s = serve_settings();
        breaks(&mut s);
        let err = serve_check(&s).unwrap_err();
        assert_eq!(err.setting, setting, "{err}");
    }
    serve_check(&serve_settings()).unwrap();
}

#[test]
fn http_issuer_on_loopback_is_allowed() {
    for issuer in [
        "http://127.0.0.1:9000/x",
        "http://localhost:1",
        "http://[::1]:2",
    ] {
        assert!(check_issuer_url(issuer).is_ok(), "{issuer}");
    }
}

#[test]
#[allow(clippy::result_large_err)] // figment's Jail fixes the closure's error type
fn durations_read_the_human_form() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("MENTORSHIP_OIDC_LEEWAY", "90s");
        jail.set_env("MENTORSHIP_CHECK_IN_INTERVAL", "7d");
        let s = Settings::load(Path::new("none.toml")).unwrap();
        assert_eq!(s.oidc_leeway, Duration::from_secs(90));
        assert_eq!(s.check_in_interval, Duration::from_secs(7 * 86_400));
        Ok(())
    });
}

#[test]
fn a_relay_needs_a_sender_and_a_public_url() {
    let relay = || Settings {
        smtp_url: Some(Secret::new("smtps://u:p@smtp.example.org")),
        mail_from: Some("M <m@example.org>".into()),
        public_url: Some("https://mentorship.example.org".into()),
        ..serve_settings()
    };
    relay().validate_for_serve().unwrap();
    let cases: Vec<Breakage> = vec![
        (|s| s.mail_from = None, "MENTORSHIP_MAIL_FROM"),
        (|s| s.public_url = None, "MENTORSHIP_PUBLIC_URL"),
        (
            |s| s.public_url = Some("ftp://x".into()),
            "MENTORSHIP_PUBLIC_URL",
        ),
    ];
    for (breaks, setting) in cases {
        let mut s = relay();
        breaks(&mut s);
        assert_eq!(s.validate_for_serve().unwrap_err().setting, setting);
    }
    assert_eq!(relay().public_base(), "https://mentorship.example.org");
}
