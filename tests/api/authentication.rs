//! Bearer tokens: every way a token can be wrong gets 401 + `WWW-Authenticate`; key rotation
//! and JWKS outages behave.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use chrono::Utc;
use futures::future::join_all;
use mentorship_api::auth::signing::SigningKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const ME: &str = "{ me { id } }";

async fn assert_unauthenticated(app: &TestApp, token: &str, case: &str) {
    let response = app.post_graphql(token, ME, json!({})).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(challenge, r#"Bearer error="invalid_token""#, "{case}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{case}"
    );
}

async fn assert_accepted(app: &TestApp, token: &str, case: &str) {
    let body = app.graphql(token, ME, json!({})).await;
    assert!(body["data"]["me"]["id"].is_string(), "{case}: {body}");
}

/// A token with a hand-made header and the given signature bytes.
fn forge(header: Value, claims: &Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        B64.encode(header.to_string()),
        B64.encode(claims.to_string()),
        B64.encode(signature)
    )
}

#[tokio::test]
async fn every_kind_of_bad_token_gets_401_with_a_challenge() {
    let app = spawn_app().await;
    let now = Utc::now().timestamp();
    let good = app.issuer.token();
    let claims = good.claims.clone();
    let public_n = serde_json::to_string(app.issuer.key("rsa-1").public_jwk()).unwrap();
    let hs256_with_public_key = {
        let key = jsonwebtoken::EncodingKey::from_secret(public_n.as_bytes());
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some("rsa-1".into());
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    };
    let tampered = {
        let token = good.sign();
        let parts: Vec<&str> = token.split('.').collect();
        let mut evil = claims.clone();
        evil["roles"] = json!(["council"]);
        format!("{}.{}.{}", parts[0], B64.encode(evil.to_string()), parts[2])
    };
    let stranger = SigningKey::generate_rsa("rsa-1").unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("garbage", "not-a-jwt".into()),
        (
            "alg none",
            forge(json!({"alg": "none", "typ": "JWT"}), &claims, b""),
        ),
        ("HS256 signed with the public key", hs256_with_public_key),
        ("tampered payload", tampered),
        (
            "signed by a key not in the JWKS",
            good.signed_by(stranger.clone()).sign(),
        ),
        (
            "wrong iss",
            app.issuer
                .token()
                .claim("iss", json!("https://evil.example"))
                .sign(),
        ),
        (
            "wrong aud",
            app.issuer.token().claim("aud", json!("another-api")).sign(),
        ),
        (
            "expired beyond leeway",
            app.issuer.token().claim("exp", json!(now - 120)).sign(),
        ),
        (
            "nbf in the future",
            app.issuer.token().claim("nbf", json!(now + 300)).sign(),
        ),
        ("missing exp", app.issuer.token().without("exp").sign()),
        ("missing sub", app.issuer.token().without("sub").sign()),
    ];
    for (case, token) in &cases {
        assert_unauthenticated(&app, token, case).await;
    }
    // The same builder, unbroken, is accepted: the cases above fail for their own reason.
    assert_accepted(&app, &app.issuer.token().sign(), "valid").await;
    assert_accepted(
        &app,
        &app.issuer.token().claim("exp", json!(now - 30)).sign(),
        "expired within leeway",
    )
    .await;
    assert_accepted(
        &app,
        &app.issuer.token().signed_by(app.issuer.key("ec-1")).sign(),
        "ES256",
    )
    .await;
}

#[tokio::test]
async fn missing_or_malformed_authorization_headers_get_401() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let url = format!("{}/graphql", app.base);
    let body = json!({ "query": ME });
    let oversized = format!("Bearer {}", "a".repeat(9 * 1024));
    let headers: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("basic scheme", Some(format!("Basic {token}"))),
        ("empty bearer", Some("Bearer ".into())),
        ("over 8 KiB", Some(oversized)),
    ];
    for (case, header) in headers {
        let mut request = app.http.post(&url).json(&body);
        if let Some(value) = header {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        assert!(
            response.headers().contains_key("www-authenticate"),
            "{case}"
        );
    }
    let in_query = app
        .http
        .post(format!("{url}?access_token={token}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        in_query.status(),
        StatusCode::UNAUTHORIZED,
        "token in the query string"
    );
    let lowercase_scheme = app
        .http
        .post(&url)
        .header("authorization", format!("bearer {token}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        lowercase_scheme.status(),
        StatusCode::OK,
        "scheme is case-insensitive"
    );
}

#[tokio::test]
async fn key_headers_pointing_elsewhere_are_ignored() {
    let app = spawn_app().await;
    let attacker = SigningKey::generate_rsa("attacker").unwrap();
    let claims = app.issuer.token().claims;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("attacker".into());
    header.jwk = Some(attacker.public_jwk().clone());
    header.jku = Some("http://127.0.0.1:1/jwks".into());
    header.x5u = Some("http://127.0.0.1:1/cert".into());
    let pem = jsonwebtoken::EncodingKey::from_rsa_pem(attacker.to_pem().as_bytes()).unwrap();
    let token = jsonwebtoken::encode(&header, &claims, &pem).unwrap();
    assert_unauthenticated(&app, &token, "embedded jwk / jku / x5u").await;
}

#[tokio::test]
async fn a_rotated_key_is_accepted_without_restart() {
    let app = spawn_app().await;
    assert_accepted(&app, &app.issuer.token().sign(), "before rotation").await;
    app.issuer
        .rotate_to(SigningKey::generate_rsa("rsa-2").unwrap());
    let rotated = app.issuer.token().sign();
    assert!(rotated.len() > 10);
    assert_accepted(&app, &rotated, "after rotation").await;
}

#[tokio::test]
async fn a_burst_of_unknown_kids_causes_at_most_a_couple_of_fetches() {
    let app = spawn_app().await;
    let before = app.issuer.jwks_fetches();
    let tokens: Vec<String> = (0..100)
        .map(|i| {
            let key = SigningKey::from_pem(
                &format!("unknown-{i}-{}", uuid::Uuid::new_v4()),
                jsonwebtoken::Algorithm::RS256,
                app.issuer.key("rsa-1").to_pem(),
            )
            .unwrap();
            app.issuer.token().signed_by(key).sign()
        })
        .collect();
    let statuses = join_all(tokens.iter().map(|t| app.post_graphql(t, ME, json!({})))).await;
    // Past the failed sign-ins allowed per address, the refusal is 429 instead of 401.
    let refused = |code| statuses.iter().filter(|r| r.status() == code).count();
    assert_eq!(
        refused(StatusCode::UNAUTHORIZED) + refused(StatusCode::TOO_MANY_REQUESTS),
        100
    );
    assert!(refused(StatusCode::UNAUTHORIZED) >= 30);
    let fetched = app.issuer.jwks_fetches() - before;
    assert!(
        (1..=2).contains(&fetched),
        "{fetched} JWKS fetches for 100 unknown kids"
    );
}

#[tokio::test]
async fn cached_keys_keep_working_while_the_jwks_endpoint_is_down() {
    let app = spawn_app().await;
    app.issuer.set_down(true);
    assert_accepted(&app, &app.issuer.token().sign(), "issuer down, key cached").await;
    let unknown = SigningKey::generate_ec("new-ec").unwrap();
    let token = app.issuer.token().signed_by(unknown).sign();
    assert_unauthenticated(&app, &token, "unknown key while the issuer is down").await;
    assert_accepted(&app, &app.issuer.token().sign(), "cached key still fine").await;
}

#[tokio::test]
async fn a_token_verified_once_still_expires_on_time() {
    // Arrange: no leeway, a token good for two more seconds.
    let app = crate::helpers::spawn_app_with(|s| s.oidc_leeway = std::time::Duration::ZERO).await;
    let exp = Utc::now().timestamp() + 2;
    let token = app.issuer.token().claim("exp", json!(exp)).sign();

    // Act: verified, then reused from the verification cache, then past its expiry.
    assert_accepted(&app, &token, "fresh").await;
    assert_accepted(&app, &token, "again, from the cache").await;
    while Utc::now().timestamp() <= exp {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // Assert
    assert_unauthenticated(&app, &token, "expired, although verified a moment ago").await;
}
