use std::time::{Duration, Instant};

use async_graphql::Variables;

use super::{Limits, analyse};
use crate::graphql::shape::Shape;

fn shape() -> Shape {
    Shape::from_sdl(&crate::schema::sdl())
}

fn outcome(shape: &Shape, query: &str) -> Result<u64, String> {
    let doc = async_graphql::parser::parse_query(query).map_err(|e| e.to_string())?;
    analyse(shape, &doc, &Variables::default(), None)
        .map(|a| a.cost)
        .map_err(|e| {
            e.extensions
                .and_then(|x| x.get("limit").map(|v| v.to_string()))
                .unwrap_or_default()
        })
}

/// `levels` fragments, each spreading the next twice (2^levels fields expanded).
pub fn fragment_bomb(levels: usize) -> String {
    let mut query = String::from("query { me { ...G0 } }");
    for i in 0..levels {
        query.push_str(&format!(
            " fragment G{i} on Person {{ id ...G{n} ...G{n} }}",
            n = i + 1
        ));
    }
    query.push_str(&format!(" fragment G{levels} on Person {{ id }}"));
    query
}

/// The portal's page: 50 mentors, 30 mentees each, each mentee's last 3 check-ins.
pub const PORTAL: &str = "{ mentors(first: 50) { totalCount nodes { id displayName mentorProfile { capacity } mentees(first: 30) { totalCount nodes { id displayName currentMentorship { startedAt checkIns(first: 3) { nodes { heldAt } } } } } } } }";

#[test]
fn objects_connections_lists_and_reads_are_costed() {
    let shape = shape();
    let cases = [
        ("{ me { id displayName } }", 1),
        ("{ a: me { id } b: me { id } }", 2),
        ("{ unreadNotificationCount }", 1),
        ("{ mentors(first: 50) { totalCount nodes { id } } }", 50),
        ("{ mentors { edges { node { id } } } }", 20),
        (PORTAL, 50 + 50 + 1_500 + 1_500 + 4_500),
        ("query { ...F } fragment F on Query { me { id } }", 1),
        ("{ mentors(first: 500) { edges { node { id } } } }", 100),
        ("{ __typename }", 0),
    ];
    for (query, want) in cases {
        assert_eq!(outcome(&shape, query), Ok(want), "{query}");
    }
}

#[test]
fn each_limit_refuses_by_name() {
    let shape = shape();
    let aliases = |n: usize, field: &str| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: {field}")).collect();
        format!("{{ me {{ {} }} }}", fields.join(" "))
    };
    let roots = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: me {{ id }}")).collect();
        format!("{{ {} }}", fields.join(" "))
    };
    // `depth` fields deep, the leaf included.
    let nested = |depth: usize| {
        format!(
            "{{ {}id{} }}",
            "me { ".repeat(depth - 1),
            " }".repeat(depth - 1)
        )
    };
    assert!(outcome(&shape, &aliases(30, "id")).is_ok());
    assert_eq!(
        outcome(&shape, &aliases(31, "id")),
        Err("\"aliases\"".into())
    );
    assert_eq!(outcome(&shape, &roots(21)), Err("\"rootFields\"".into()));
    let unaliased_roots = format!("{{ {} }}", "me { id } ".repeat(21));
    assert_eq!(
        outcome(&shape, &unaliased_roots),
        Err("\"rootFields\"".into())
    );
    assert!(outcome(&shape, &nested(10)).is_ok(), "depth 10 passes");
    assert_eq!(outcome(&shape, &nested(11)), Err("\"depth\"".into()));
    let wide = format!("{{ me {{ {} }} }}", "id ".repeat(2_001));
    assert_eq!(outcome(&shape, &wide), Err("\"selections\"".into()));
    assert_eq!(
        outcome(&shape, &fragment_bomb(30)),
        Err("\"selections\"".into())
    );
    let cycle = "query { me { ...A } } fragment A on Person { ...B } fragment B on Person { ...A }";
    assert_eq!(outcome(&shape, cycle), Err("\"fragmentCycle\"".into()));
    let costly = "{ mentors(first: 100) { nodes { mentees(first: 100) { nodes { checkIns(first: 100) { nodes { id } } } } } } }";
    assert_eq!(outcome(&shape, costly), Err("\"cost\"".into()));
}

#[test]
fn a_variable_sets_the_page_size() {
    let shape = shape();
    let doc = async_graphql::parser::parse_query(
        "query($n: Int) { mentors(first: $n) { edges { node { id } } } }",
    )
    .unwrap();
    let vars = Variables::from_json(serde_json::json!({"n": 7}));
    assert_eq!(analyse(&shape, &doc, &vars, None).unwrap().cost, 7);
    let unknown = analyse(&shape, &doc, &Variables::default(), None).unwrap();
    assert_eq!(
        unknown.cost, 100,
        "a variable not given counts as the maximum"
    );
}

/// A long chain of fragments, each spreading the next once: deep, not wide.
fn fragment_chain(n: usize) -> String {
    let mut query = String::from("query { me { ...C0 } }");
    for i in 0..n {
        query.push_str(&format!(" fragment C{i} on Person {{ ...C{} }}", i + 1));
    }
    query.push_str(&format!(" fragment C{n} on Person {{ id }}"));
    query
}

/// How long the analysis of `query` takes (parsing is async-graphql's, and not timed).
fn time(shape: &Shape, query: &str) -> Duration {
    let doc = async_graphql::parser::parse_query(query).unwrap();
    let start = Instant::now();
    let _ = analyse(shape, &doc, &Variables::default(), None);
    start.elapsed()
}

#[test]
fn analysis_grows_linearly_with_the_document() {
    let shape = shape();
    // Each fragment is visited once whatever the expansion: 30 levels take about twice as
    // long as 15, never 2^15 times. Best of five runs, to ride out a busy machine.
    let best = |q: &str| (0..5).map(|_| time(&shape, q)).min().unwrap();
    let small = best(&fragment_bomb(1_000)).max(Duration::from_micros(50));
    let big = best(&fragment_bomb(2_000));
    assert!(big < small * 6, "15: {small:?}, 30: {big:?}");
    // The worst documents of the body limit (256 KiB) end in milliseconds.
    let limit = 256 * 1024;
    let chain = fragment_chain(limit / 40);
    let wide = format!("{{ me {{ {} }} }}", "id ".repeat(limit / 3 - 10));
    let aliases: String = (0..limit / 11).map(|i| format!("a{i}:id ")).collect();
    let aliases = format!("{{ me {{ {aliases} }} }}");
    for query in [&chain, &wide, &aliases, &fragment_bomb(limit / 60)] {
        assert!(query.len() <= limit, "{} bytes", query.len());
        assert!(query.len() > limit * 3 / 4, "{} bytes", query.len());
        let took = time(&shape, query);
        assert!(
            took < Duration::from_secs(1),
            "{took:?} for {} bytes",
            query.len()
        );
    }
}

#[test]
fn the_standard_introspection_query_is_costed_under_the_limit() {
    let shape = shape();
    let standard = include_str!("../../../tests/api/fixtures/introspection.graphql");
    let cost = outcome(&shape, standard).unwrap();
    // About what it returns: every type, field and argument of the schema, each with its
    // type reference.
    assert!((2_000..=Limits::MAX_COST / 2).contains(&cost), "{cost}");
}
