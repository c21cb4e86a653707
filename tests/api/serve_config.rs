//! `serve` refuses unsafe or unusable configuration with one clear line naming the setting.

use std::process::Command;

use crate::helpers::db::{TestDb, server_url};

/// Runs `mentorship-api serve` with exactly these settings and returns (success, stderr).
fn serve(env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mentorship-api"));
    command
        .args(["--config", "/nonexistent/mentorship.toml", "serve"])
        .env_clear()
        .env("MENTORSHIP_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "off");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// (what is wrong, the environment, the setting the error must name)
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn serve_refuses_bad_configuration_naming_the_setting() {
    let db = TestDb::new().await;
    let url = db.url.expose().to_owned();
    let unreachable = match server_url() {
        Some(_) => "postgres://postgres@127.0.0.1:1/nowhere".to_owned(),
        None => "sqlite:///nonexistent-dir/deeper/x.db?mode=rwc".to_owned(),
    };
    let issuer = "https://id.example.org/realms/reps";
    let cases: Vec<Case> = vec![
        (
            "no issuer",
            vec![("DATABASE_URL", &url), ("MENTORSHIP_OIDC_AUDIENCE", "api")],
            "MENTORSHIP_OIDC_ISSUER",
        ),
        (
            "no audience",
            vec![("DATABASE_URL", &url), ("MENTORSHIP_OIDC_ISSUER", issuer)],
            "MENTORSHIP_OIDC_AUDIENCE",
        ),
        (
            "plain http issuer off loopback",
            vec![
                ("DATABASE_URL", &url),
                (
                    "MENTORSHIP_OIDC_ISSUER",
                    "http://id.example.org/realms/reps",
                ),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
            ],
            "MENTORSHIP_OIDC_ISSUER",
        ),
        (
            "unreachable database",
            vec![
                ("DATABASE_URL", &unreachable),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
            ],
            "DATABASE_URL",
        ),
        (
            "symmetric algorithm",
            vec![
                ("DATABASE_URL", &url),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
                ("MENTORSHIP_OIDC_ALGORITHMS", "HS256"),
            ],
            "MENTORSHIP_OIDC_ALGORITHMS",
        ),
        (
            "a duration that is not one",
            vec![
                ("DATABASE_URL", &url),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
                ("MENTORSHIP_OIDC_LEEWAY", "soon"),
            ],
            "OIDC_LEEWAY",
        ),
        (
            "a relay and no sender",
            vec![
                ("DATABASE_URL", &url),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
                ("MENTORSHIP_SMTP_URL", "smtps://u:hunter2@smtp.example.org"),
                ("MENTORSHIP_PUBLIC_URL", "https://m.example.org"),
            ],
            "MENTORSHIP_MAIL_FROM",
        ),
        (
            "a relay and no public URL for the links",
            vec![
                ("DATABASE_URL", &url),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
                ("MENTORSHIP_SMTP_URL", "smtps://u:hunter2@smtp.example.org"),
                ("MENTORSHIP_MAIL_FROM", "M <m@example.org>"),
            ],
            "MENTORSHIP_PUBLIC_URL",
        ),
        (
            "a relay URL of another scheme",
            vec![
                ("DATABASE_URL", &url),
                ("MENTORSHIP_OIDC_ISSUER", issuer),
                ("MENTORSHIP_OIDC_AUDIENCE", "api"),
                ("MENTORSHIP_SMTP_URL", "imap://u:hunter2@smtp.example.org"),
                ("MENTORSHIP_MAIL_FROM", "M <m@example.org>"),
                ("MENTORSHIP_PUBLIC_URL", "https://m.example.org"),
            ],
            "MENTORSHIP_SMTP_URL",
        ),
    ];
    for (case, env, setting) in cases {
        let (ok, stderr) = serve(&env);
        assert!(!ok, "{case}: serve must refuse");
        assert!(
            stderr.contains(setting),
            "{case}: {stderr:?} names {setting}"
        );
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "{case}: one line: {stderr:?}"
        );
        assert!(
            !stderr.contains("hunter2"),
            "{case}: a credential in {stderr:?}"
        );
    }
}

/// Without a relay `serve` sends no mail, and says so when it starts.
#[tokio::test]
async fn serve_without_a_relay_says_mail_is_off() {
    use std::io::{BufRead, BufReader};
    let db = TestDb::new().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentorship-api"))
        .args(["--config", "/nonexistent/mentorship.toml", "serve"])
        .env_clear()
        .env("MENTORSHIP_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("DATABASE_URL", db.url.expose())
        .env(
            "MENTORSHIP_OIDC_ISSUER",
            "https://id.example.org/realms/reps",
        )
        .env("MENTORSHIP_OIDC_AUDIENCE", "api")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let found = std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .take(50)
            .find(|l| l.contains("mail delivery"))
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !found.is_finished() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    child.kill().ok();
    child.wait().ok();
    let line = found.join().unwrap().expect("a line about mail delivery");
    assert!(line.contains("mail delivery off"), "{line}");
    assert!(line.contains("MENTORSHIP_SMTP_URL is not set"), "{line}");
}
