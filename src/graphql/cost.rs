//! Query cost, counted in objects the query may return: every object-typed field costs one
//! per parent object, a connection costs its `first` per parent, scalars are free, and
//! `edges` / `node` / `nodes` / `pageInfo` are free wrappers. So `mentors(first: 100)` with
//! `mentees(first: 3)` inside costs 100 + 300. A query whose operations could exceed
//! [`super::MAX_COMPLEXITY`] is refused before validation or execution.
//!
//! async-graphql's own complexity counts every field, scalars included, times `first`;
//! with a limit of 1,000 that refuses a page of 100 mentors with their mentees, which the
//! portal needs. This is the model public GraphQL APIs bill by.

use std::{collections::HashSet, sync::Arc};

use async_graphql::{
    Name, ServerError, ServerResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use super::{
    MAX_COMPLEXITY,
    pagination::{DEFAULT_FIRST, MAX_FIRST},
};

const WRAPPERS: [&str; 4] = ["edges", "node", "nodes", "pageInfo"];
/// Fragment nesting followed before giving up (the depth limit refuses such queries anyway).
const MAX_NESTING: usize = 64;

/// The extension that enforces the limit.
pub struct CostLimit;

impl ExtensionFactory for CostLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CostLimitExtension)
    }
}

struct CostLimitExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for CostLimitExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let cost = document_cost(&doc, variables);
        if cost > MAX_COMPLEXITY as u64 {
            return Err(ServerError::new(
                format!(
                    "Query is too complex: it may return {cost} objects, the limit is \
                     {MAX_COMPLEXITY} (a connection counts its `first` for each parent)"
                ),
                None,
            ));
        }
        Ok(doc)
    }
}

/// The cost of the costliest operation of `doc`.
pub fn document_cost(doc: &ExecutableDocument, variables: &Variables) -> u64 {
    doc.operations
        .iter()
        .map(|(_, op)| {
            let mut walk = Walk {
                doc,
                variables,
                path: HashSet::new(),
            };
            walk.set(&op.node.selection_set.node, 1, 0)
        })
        .max()
        .unwrap_or(0)
}

struct Walk<'a> {
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    /// Fragments on the current path (a cycle is a validation error; do not loop on it).
    path: HashSet<Name>,
}

impl Walk<'_> {
    fn set(&mut self, set: &SelectionSet, multiplier: u64, nesting: usize) -> u64 {
        if nesting > MAX_NESTING {
            return 0;
        }
        let mut cost: u64 = 0;
        for selection in &set.items {
            let add = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if field.selection_set.node.items.is_empty() {
                        continue;
                    }
                    let name = field.name.node.as_str();
                    let (own, inner) = match field.get_argument("first") {
                        Some(first) => {
                            let value = first.node.clone().into_const_with(|name| {
                                self.variables.get(&name).cloned().ok_or(())
                            });
                            let n = multiplier.saturating_mul(page_size(value.ok()));
                            (n, n)
                        }
                        None if WRAPPERS.contains(&name) => (0, multiplier),
                        // A connection queried without `first` gets the default page.
                        None if is_connection(&field.selection_set.node) => {
                            let n = multiplier.saturating_mul(DEFAULT_FIRST as u64);
                            (n, n)
                        }
                        None => (multiplier, multiplier),
                    };
                    own.saturating_add(self.set(&field.selection_set.node, inner, nesting + 1))
                }
                Selection::InlineFragment(fragment) => {
                    self.set(&fragment.node.selection_set.node, multiplier, nesting + 1)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.clone();
                    match self.doc.fragments.get(&name) {
                        Some(fragment) if self.path.insert(name.clone()) => {
                            let c = self.set(
                                &fragment.node.selection_set.node,
                                multiplier,
                                nesting + 1,
                            );
                            self.path.remove(&name);
                            c
                        }
                        _ => 0,
                    }
                }
            };
            cost = cost.saturating_add(add);
        }
        cost
    }
}

fn is_connection(set: &SelectionSet) -> bool {
    set.items.iter().any(|s| match &s.node {
        Selection::Field(f) => matches!(f.node.name.node.as_str(), "edges" | "nodes"),
        _ => false,
    })
}

/// The page size asked for; an unknown variable counts as the maximum.
fn page_size(value: Option<Value>) -> u64 {
    let max = i64::from(MAX_FIRST);
    match value {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(max).clamp(0, max) as u64,
        Some(Value::Null) => DEFAULT_FIRST as u64,
        _ => max as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str) -> u64 {
        let doc = async_graphql::parser::parse_query(query).unwrap();
        document_cost(&doc, &Variables::default())
    }

    #[test]
    fn objects_count_and_connections_multiply() {
        let cases = [
            ("{ me { id displayName } }", 1),
            ("{ a: me { id } b: me { id } }", 2),
            (
                "{ mentors(first: 100) { totalCount edges { node { id } } } }",
                100,
            ),
            ("{ mentors { edges { node { id } } } }", 20),
            (
                "{ mentors(first: 100) { edges { node { mentorProfile { capacity } mentees(first: 3) { edges { node { currentMentorship { lastCheckInAt } } } } } } } }",
                100 + 100 + 300 + 300,
            ),
            ("query { ...F } fragment F on Query { me { id } }", 1),
            ("{ mentors(first: 500) { edges { node { id } } } }", 100),
        ];
        for (query, want) in cases {
            assert_eq!(cost(query), want, "{query}");
        }
    }

    #[test]
    fn variables_set_the_page_size() {
        let doc = async_graphql::parser::parse_query(
            "query($n: Int) { mentors(first: $n) { edges { node { id } } } }",
        )
        .unwrap();
        let vars = Variables::from_json(serde_json::json!({"n": 7}));
        assert_eq!(document_cost(&doc, &vars), 7);
        assert_eq!(
            document_cost(&doc, &Variables::default()),
            100,
            "unknown counts as the maximum"
        );
    }
}
