//! The error codes are honest: each is raised somewhere in the service (Lemmy's
//! `test_errors_used`), and a fault of ours reaches the client as INTERNAL "internal error"
//! with nothing of its cause.

use std::path::Path;

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{app::error_code, spawn_app};

/// The ways a variant is constructed outside `error.rs` (the classification of database
/// faults inside it constructs CONFLICT-retryable and UNAVAILABLE).
const CONSTRUCTED_BY: [(&str, &[&str]); 11] = [
    ("Unauthenticated", &["AppError::Unauthenticated("]),
    ("Forbidden", &["AppError::Forbidden("]),
    ("NotFound", &["AppError::NotFound("]),
    (
        "BadUserInput",
        &["AppError::bad_input(", "AppError::BadUserInput {"],
    ),
    ("Conflict", &["AppError::Conflict("]),
    ("CapacityExceeded", &["AppError::CapacityExceeded("]),
    ("RateLimited", &["AppError::RateLimited("]),
    ("Contended", &["Self::Contended("]),
    ("Unavailable", &["Self::unavailable("]),
    ("Internal", &["AppError::internal("]),
    ("Internal (faults)", &["Self::internal(err)"]),
];

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn every_error_code_is_raised_somewhere() {
    // Arrange
    let mut files = vec![];
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let error_rs = files
        .iter()
        .find(|(p, _)| p.ends_with("src/error.rs"))
        .map(|(_, t)| t.clone())
        .unwrap();

    // Act
    let unused: Vec<&str> = CONSTRUCTED_BY
        .iter()
        .filter(|(variant, ways)| {
            let elsewhere = |(p, t): &(String, String)| {
                !p.ends_with("src/error.rs") && ways.iter().any(|w| t.contains(w))
            };
            let classified = variant.starts_with("Contended")
                || variant.starts_with("Unavailable")
                || variant.starts_with("Internal (");
            if classified {
                !ways.iter().any(|w| error_rs.contains(w))
            } else {
                !files.iter().any(elsewhere)
            }
        })
        .map(|(variant, _)| *variant)
        .collect();

    // Assert
    assert!(unused.is_empty(), "never constructed: {unused:?}");
    // Every variant of the enum is in the table (a new one must be raised somewhere too).
    let variants = error_rs
        .lines()
        .skip_while(|l| !l.starts_with("pub enum AppError"))
        .skip(1)
        .take_while(|l| !l.starts_with('}'))
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .filter_map(|l| l.split(['(', ' ', '{', ',']).next());
    for variant in variants {
        assert!(
            CONSTRUCTED_BY.iter().any(|(v, _)| v.starts_with(variant)),
            "AppError::{variant} is not in the table of this test"
        );
    }
}

#[tokio::test]
async fn a_broken_database_is_an_internal_error_that_shows_nothing() {
    // Arrange: the person table loses a column the service reads and writes.
    let app = spawn_app().await;
    let conn = app.db.connect().await;
    conn.execute_unprepared("ALTER TABLE person DROP COLUMN bio")
        .await
        .unwrap();

    // Act: a first sign-in creates the person.
    let token = app.issuer.token().subject("after-the-break").sign();
    let body = app.graphql(&token, "{ me { id } }", json!({})).await;

    // Assert
    assert_eq!(error_code(&body), "INTERNAL", "{body}");
    assert_eq!(body["errors"][0]["message"], "internal error");
    assert_eq!(
        body["errors"][0]["extensions"],
        json!({"code": "INTERNAL"}),
        "nothing of the cause in the extensions"
    );
}
