//! `schema.graphql` must be exactly what the server serves: regenerate it with
//! `cargo run -q -- schema > schema.graphql`.

#[test]
fn schema_graphql_matches_the_served_schema() {
    let served = mentorship_api::schema::sdl();
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql exists");
    assert_eq!(
        committed.trim_end(),
        served.trim_end(),
        "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql`"
    );
}
