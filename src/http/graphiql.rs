//! GraphiQL for `dev`, served by the binary itself so that it works without a network: the
//! page at `GET /graphql` (for a browser) and its assets under [`PATH`], vendored in
//! `assets/graphiql/` from the npm packages at pinned versions (`LICENSES.md` there).

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};

/// Where the assets are served.
pub const PATH: &str = "/graphiql";

/// Name, media type and content of each asset.
const ASSETS: [(&str, &str, &[u8]); 7] = [
    (
        "graphiql.min.js",
        JS,
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        JS,
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "graphql-ws.min.js",
        JS,
        include_bytes!("../../assets/graphiql/graphql-ws.min.js"),
    ),
    (
        "init.js",
        JS,
        include_bytes!("../../assets/graphiql/init.js"),
    ),
    (
        "LICENSES.md",
        "text/markdown; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSES.md"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

/// The page: the assets in the order their globals need (React, ReactDOM, GraphiQL,
/// graphql-ws, then ours), and the demo council member's subject for `init.js`.
pub fn page() -> Response {
    let subject = crate::demo::subject("council", 1);
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mentorship-api · GraphiQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{PATH}/graphiql.min.css">
<style>body {{ margin: 0; }} #graphiql {{ height: 100dvh; }}</style>
</head>
<body>
<div id="graphiql" data-subject="{subject}">Loading GraphiQL…</div>
<script src="{PATH}/react.production.min.js"></script>
<script src="{PATH}/react-dom.production.min.js"></script>
<script src="{PATH}/graphiql.min.js"></script>
<script src="{PATH}/graphql-ws.min.js"></script>
<script src="{PATH}/init.js"></script>
</body>
</html>
"#
    ))
    .into_response()
}

/// The asset routes, to merge in `dev` only.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(&format!("{PATH}/{{name}}"), get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    let Some((_, media, body)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = (*body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    // The files change only with the binary.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
