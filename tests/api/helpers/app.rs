//! `spawn_app()`: the real server, built by the same `Application::build` as `main`, on
//! `127.0.0.1:0`, with its own database and issuer.

use std::{sync::Arc, time::Duration};

use mentorship_api::{
    clock::{Clock, ManualClock},
    config::Settings,
    startup::{Application, Mode},
    state::AppState,
};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::{
    db::TestDb,
    issuer::{AUDIENCE, TestIssuer},
};

/// A running instance and everything around it.
pub struct TestApp {
    pub base: String,
    pub issuer: TestIssuer,
    pub db: TestDb,
    pub state: AppState,
    pub clock: ManualClock,
    pub settings: Settings,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
    }
}

/// An instance with default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// An instance whose settings `adjust` may change (role claim, limits, …).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let issuer = TestIssuer::start().await;
    let db = TestDb::new().await;
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(db.url.clone()),
        database_max_connections: 5,
        oidc_issuer: Some(issuer.url().to_owned()),
        oidc_audience: Some(AUDIENCE.to_owned()),
        ..Settings::default()
    };
    adjust(&mut settings);
    let kept = settings.clone();
    let clock = ManualClock::new();
    let shared: Arc<dyn Clock> = Arc::new(clock.clone());
    let app = Application::build(settings, Mode::Serve, shared)
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        stopped.await.ok();
    }));
    let app = TestApp {
        base,
        issuer,
        db,
        state,
        clock,
        settings: kept,
        http: reqwest::Client::new(),
        stop: Some(stop),
    };
    app.wait_until_ready().await;
    app
}

impl TestApp {
    /// A second instance on the same database and issuer (scale-out); returns its base URL,
    /// the sender that stops it and its state.
    pub async fn sibling(&self) -> (String, oneshot::Sender<()>, AppState) {
        self.sibling_with(|_| {}).await
    }

    /// A second instance whose settings `adjust` may change (a relay the first lacks).
    pub async fn sibling_with(
        &self,
        adjust: impl FnOnce(&mut Settings),
    ) -> (String, oneshot::Sender<()>, AppState) {
        let clock: Arc<dyn Clock> = Arc::new(self.clock.clone());
        let mut settings = self.settings.clone();
        adjust(&mut settings);
        let app = Application::build(settings, Mode::Serve, clock)
            .await
            .unwrap();
        let base = format!("http://{}", app.local_addr());
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async move {
            stopped.await.ok();
        }));
        (base, stop, state)
    }

    /// Stops the instance as SIGTERM would (the test keeps its database and issuer).
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
    }

    /// Polls `/readyz` until it answers 200 (signing keys loaded).
    pub async fn wait_until_ready(&self) {
        for _ in 0..100 {
            if self.get("/readyz").await.status() == StatusCode::OK {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the app never became ready");
    }

    /// A plain GET.
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// POSTs a GraphQL request with this bearer token.
    pub async fn post_graphql(&self, token: &str, query: &str, variables: Value) -> Response {
        self.http
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
    }

    /// Runs a GraphQL request and returns the JSON body (asserting HTTP 200).
    pub async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let response = self.post_graphql(token, query, variables).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

/// The `extensions.code` of the first error of a GraphQL response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}
