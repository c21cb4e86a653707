//! The README's first command, end to end: `mentorship-api dev` as a child process — demo
//! data, printed tokens that work, GraphiQL, and a clean stop on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

struct DevProcess(Child);

impl Drop for DevProcess {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Starts `dev` on a free port and returns it with the lines of its banner.
fn start_dev(db: &std::path::Path) -> (DevProcess, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentorship-api"))
        .args(["--config", "/nonexistent/mentorship.toml", "dev", "--db"])
        .arg(db)
        .env_clear()
        .env("MENTORSHIP_LISTEN", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.starts_with("  curl");
        lines.push(line);
        if done {
            break;
        }
    }
    (DevProcess(child), lines)
}

fn token_for(lines: &[String], who: &str) -> String {
    let line = lines
        .iter()
        .find(|l| l.starts_with(&format!("  {who} ")))
        .unwrap();
    line.rsplit(' ').next().unwrap().to_owned()
}

const DEMO_COUNCIL: &str = "{ announcements(first: 1) { edges { node { reach { reached { totalCount } pending { totalCount } notReachable { totalCount } } } } } \
    mentorCalls(first: 1) { edges { node { status attendance { attended } } } } \
    mentorApplications(filter: {status: ONBOARDING}) { edges { node { checklist { done } round { name current } } } } \
    supportRequests { totalCount } mentorAlerts(filter: {status: OPEN}) { totalCount } }";

/// POSTs `query` to the dev server's `/graphql` as the bearer of `token`.
async fn query_as(http: &reqwest::Client, base: &str, token: &str, query: &str) -> Value {
    http.post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn dev_seeds_demo_data_and_prints_tokens_that_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dev.db");
    let (mut process, lines) = start_dev(&db);
    let base = lines[0].rsplit(' ').next().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        let status = http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .map(|r| r.status());
        if matches!(status, Ok(StatusCode::OK)) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "dev became ready");

    let me = |token: String| {
        let (http, base) = (http.clone(), base.clone());
        async move { query_as(&http, &base, &token, "{ me { displayName roles } }").await }
    };
    let mentee = me(token_for(&lines, "mentee")).await;
    assert_eq!(mentee["data"]["me"]["roles"], json!(["MENTEE"]), "{mentee}");
    let mentor = me(token_for(&lines, "mentor")).await;
    assert_eq!(mentor["data"]["me"]["roles"], json!(["MENTEE", "MENTOR"]));
    let council = me(token_for(&lines, "council")).await;
    assert_eq!(council["data"]["me"]["roles"], json!(["MENTEE", "COUNCIL"]));
    let machine = me(token_for(&lines, "machine")).await;
    assert_eq!(machine["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let minted: Value = http
        .post(format!("{base}/dev/oidc/token"))
        .json(&json!({"role": "mentor", "subject": "demo-mentor-02"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let minted_token = minted["access_token"].as_str().unwrap().to_owned();
    let second_mentor = me(minted_token).await;
    assert_eq!(
        second_mentor["data"]["me"]["roles"],
        json!(["MENTEE", "MENTOR"])
    );

    // The council's side of the demo: an announcement half relayed, a past call with
    // attendance, an application in progress.
    let demo = query_as(&http, &base, &token_for(&lines, "council"), DEMO_COUNCIL).await;
    let data = &demo["data"];
    let reach = &data["announcements"]["edges"][0]["node"]["reach"];
    assert_eq!(
        [&reach["reached"], &reach["pending"], &reach["notReachable"]]
            .map(|c| c["totalCount"].clone()),
        [json!(4), json!(14), json!(12)],
        "{demo}"
    );
    let held = &data["mentorCalls"]["edges"][0]["node"];
    assert_eq!(held["status"], "HELD");
    let came = held["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["attended"] == true)
        .count();
    assert_eq!(came, 4, "{held}");
    let onboarding = &data["mentorApplications"]["edges"][0]["node"];
    assert_eq!(
        onboarding["checklist"],
        json!([{"done": true}, {"done": true}, {"done": false}, {"done": false}])
    );
    assert_eq!(
        onboarding["round"],
        json!({"name": "Autumn 2026", "current": true})
    );
    assert_eq!(data["supportRequests"]["totalCount"], 2, "{demo}");
    // Mentor 5's OVERWHELMED report, and the INACTIVITY_DETECTED alerts the first run of the
    // jobs raised for the mentors with most check-ins overdue (README, *Demo data*).
    assert_eq!(data["mentorAlerts"]["totalCount"], 5, "{demo}");

    // A council script: a standard client-credentials request, then the metrics.
    let granted: Value = http
        .post(format!("{base}/dev/oidc/token"))
        .basic_auth("council-metrics", Some("dev"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "metrics:read"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let script_token = granted["access_token"].as_str().unwrap().to_owned();
    let figures = query_as(
        &http,
        &base,
        &script_token,
        "{ programMetrics { mentors { total } } }",
    )
    .await;
    assert_eq!(
        figures["data"]["programMetrics"]["mentors"]["total"], 6,
        "{figures}"
    );
    let refused = http
        .post(format!("{base}/dev/oidc/token"))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    // The README's example script, when jq is installed.
    if Command::new("jq").arg("--version").output().is_ok() {
        let out = Command::new("bash")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/council_metrics.sh"
            ))
            .env("MENTORSHIP_API", &base)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("mentors                    6 (5 active, 0 on a break, 1 overwhelmed"),
            "{text}"
        );
        assert!(text.contains("reps without a mentor      12 "), "{text}");
    } else {
        // CI installs jq and sets this, so there the script is always run.
        assert!(
            std::env::var_os("MENTORSHIP_TEST_REQUIRE_JQ").is_none(),
            "jq is required to run examples/council_metrics.sh"
        );
        eprintln!("jq not installed: examples/council_metrics.sh not run");
    }
    let swagger = http
        .get(format!("{base}/swagger-ui/"))
        .send()
        .await
        .unwrap();
    assert_eq!(swagger.status(), StatusCode::OK);
    assert!(swagger.text().await.unwrap().contains("swagger-ui"));

    graphiql_works_offline(&http, &base).await;
    mail_is_kept_at_dev_mail(&http, &base, &lines).await;

    let url = mentorship_api::secret::Secret::new(format!("sqlite://{}", db.display()));
    let conn = mentorship_api::db::connect(&url, 1).await.unwrap();
    let people = entity::person::Entity::find().count(&conn).await.unwrap();
    let mentors = entity::mentor_profile::Entity::find()
        .count(&conn)
        .await
        .unwrap();
    let mentorships = entity::mentorship::Entity::find()
        .count(&conn)
        .await
        .unwrap();
    assert!(
        people >= 30 && mentors >= 5 && mentorships >= 3,
        "{people} {mentors} {mentorships}"
    );

    // SIGTERM: a clean, successful stop.
    let pid = process.0.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = process.0.wait().unwrap();
    assert!(status.success(), "dev exits cleanly on SIGTERM: {status}");
}

/// The GraphiQL page references nothing outside this server, every asset it references is
/// served with its media type, and the council token its script asks for works.
/// The demo's reminders and alerts were "mailed": `/dev/mail` lists them, in the
/// recipients' languages, each with its one-click unsubscribe link.
async fn mail_is_kept_at_dev_mail(http: &reqwest::Client, base: &str, lines: &[String]) {
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("{base}/dev/mail")))
    );
    let mut kept = Value::Null;
    for _ in 0..100 {
        kept = http
            .get(format!("{base}/dev/mail"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if kept.as_array().is_some_and(|k| !k.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let kept = kept.as_array().expect("a list of mails");
    assert!(!kept.is_empty());
    for mail in kept {
        assert!(
            mail["to"].as_str().unwrap().ends_with("@reps.example.org"),
            "{mail}"
        );
        let unsubscribe = mail["listUnsubscribe"].as_str().unwrap();
        assert!(unsubscribe.starts_with(&format!("<{base}/api/v1/mail/unsubscribe/")));
        assert!(
            mail["text"].as_str().unwrap().contains(base),
            "links to this instance"
        );
    }
    // Demo people write in several languages: some mails are in Spanish.
    assert!(
        kept.iter()
            .any(|m| m["text"].as_str().unwrap().starts_with("Hola"))
    );
}

async fn graphiql_works_offline(http: &reqwest::Client, base: &str) {
    let page = http
        .get(format!("{base}/graphql"))
        .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    let references: Vec<&str> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(references.len(), 6, "{references:?}");
    for reference in references {
        assert!(
            reference.starts_with('/') && !reference.starts_with("//"),
            "{reference} is not on this server"
        );
        let asset = http.get(format!("{base}{reference}")).send().await.unwrap();
        assert_eq!(asset.status(), StatusCode::OK, "{reference}");
        let media = asset.headers()["content-type"].to_str().unwrap().to_owned();
        let body = asset.text().await.unwrap();
        assert!(body.len() > 1_000, "{reference}");
        if reference.ends_with(".css") {
            assert!(media.starts_with("text/css"), "{reference}: {media}");
            let external = body.contains("url(http") || body.contains("url(\"http");
            assert!(
                !external && !body.contains("@import"),
                "{reference} loads more"
            );
        } else {
            assert!(media.starts_with("text/javascript"), "{reference}: {media}");
        }
        if reference.ends_with("init.js") {
            assert!(body.contains("'/graphql/ws'") && body.contains("'/dev/oidc/token'"));
            assert!(!body.contains("http://") && !body.contains("https://"));
        }
    }
    // The Authorization header the page fills in: the demo council member's.
    let subject = html
        .split("data-subject=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let minted: Value = http
        .post(format!("{base}/dev/oidc/token"))
        .json(&json!({"role": "council", "subject": subject}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["access_token"].as_str().unwrap();
    let me = query_as(http, base, token, "{ me { displayName roles } }").await;
    assert_eq!(
        me["data"]["me"]["roles"],
        json!(["MENTEE", "COUNCIL"]),
        "{me}"
    );
    let missing = http
        .get(format!("{base}/graphiql/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // A client that is not a browser gets an answer, not the page.
    let plain = http.get(format!("{base}/graphql")).send().await.unwrap();
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
    // A role the dev issuer does not know is the client's mistake, said in its words.
    let wizard = http
        .post(format!("{base}/dev/oidc/token"))
        .json(&json!({"role": "wizard"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wizard.status(), StatusCode::BAD_REQUEST);
    let body: Value = wizard.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request", "{body}");
    let said = body["error_description"].as_str().unwrap();
    assert!(
        said.contains("unknown role \"wizard\"") && !said.contains("signing"),
        "{said}"
    );
}
