//! Answers are compressed when the client accepts it and they are large enough.

use std::io::Read;

use serde_json::{Value, json};

use crate::helpers::{seed, spawn_app};

const PAGE: &str = "{ mentors(first: 30) { nodes { id displayName mentees(first: 3) { nodes { id displayName } } } } }";

#[tokio::test]
async fn large_answers_come_gzip_brotli_or_zstd_as_the_client_prefers() {
    let app = spawn_app().await;
    seed::program(&app.db.connect().await, 30, 3).await;
    let council = app.council().await;
    let post = |query: &str, accept: Option<&str>| {
        let mut request = app
            .http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&council.token)
            .json(&json!({ "query": query }));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        request.send()
    };
    let plain = post(PAGE, None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() > 1024, "{} bytes", plain.len());

    let gzip = post(PAGE, Some("gzip")).await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert!(
        gzip.headers()["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    let packed = gzip.bytes().await.unwrap();
    assert!(
        packed.len() < plain.len() / 2,
        "{} of {}",
        packed.len(),
        plain.len()
    );
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut unpacked)
        .unwrap();
    let body: Value = serde_json::from_str(&unpacked).unwrap();
    assert_eq!(
        body["data"]["mentors"]["nodes"].as_array().unwrap().len(),
        30
    );

    let zstd = post(PAGE, Some("zstd")).await.unwrap();
    assert_eq!(zstd.headers()["content-encoding"], "zstd");
    let packed = zstd.bytes().await.unwrap();
    assert_eq!(&packed[..4], &[0x28, 0xb5, 0x2f, 0xfd], "a zstd frame");
    assert!(packed.len() < plain.len() / 2);

    // The client's preference decides (q-values), brotli among them.
    let br = post(PAGE, Some("gzip;q=0.5, br;q=1.0")).await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert!(br.bytes().await.unwrap().len() < plain.len() / 2);

    // Small answers are sent as they are.
    let small = post("{ me { id } }", Some("gzip, br, zstd")).await.unwrap();
    assert!(small.headers().get("content-encoding").is_none());
    let body: Value = small.json().await.unwrap();
    assert!(body["data"]["me"]["id"].is_string(), "{body}");
}
