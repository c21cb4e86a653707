//! Limits that hold for any document, checked once per document before async-graphql
//! validates or runs it.
//!
//! Everything is computed in one pass with each fragment summarised once (memoised), so the
//! analysis is linear in the document's size: a fragment spread twice by each of 30
//! fragments is 2^30 fields *expanded*, and is refused after reading 30 fragments. It runs in
//! `prepare_request`, before async-graphql's own directive, recursion and validation walks,
//! which follow every spread and would otherwise do the exponential work.
//!
//! Cost, in what a query may make us read: an object field costs one per parent object, a
//! connection its `first` (default 20) per parent, a list without `first` its largest
//! length; a leaf costs one per parent when it reads the database (a root field, a field
//! with arguments), else nothing. `edges`, `node`, `nodes`, `pageInfo` and
//! introspection's `ofType` are free wrappers. So `mentors(first: 50)` with `mentees(first:
//! 30)` inside costs 50 + 1,500.

pub mod ws;

use std::collections::HashMap;

use async_graphql::{
    Name, Positioned, Request, ServerError, Value, Variables,
    parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet},
};

use super::shape::Shape;
use crate::paging::{DEFAULT_FIRST, MAX_FIRST};

/// The limits of one request (a batch shares one cost budget).
pub struct Limits;

impl Limits {
    /// Highest cost of a request (all operations of a batch together).
    pub const MAX_COST: u64 = 12_000;
    /// Deepest field nesting; fields of introspection types do not count, so the standard
    /// introspection query (whose type references nest nine deep) passes.
    pub const MAX_DEPTH: u32 = 10;
    /// Most aliased fields in an operation, fragments expanded.
    pub const MAX_ALIASES: u64 = 30;
    /// Most root fields in an operation, fragments expanded.
    pub const MAX_ROOT_FIELDS: u64 = 20;
    /// Most field selections in a document: every operation and every fragment definition
    /// with its spreads expanded.
    pub const MAX_SELECTIONS: u64 = 2_000;
    /// Deepest nesting of selection sets and fragment spreads followed.
    pub const MAX_NESTING: u32 = 64;
}

/// What every document is checked against: the schema's shape and whether introspection is
/// on. Kept as schema data, for the transports.
pub struct Checks {
    /// The schema's shape.
    pub shape: Shape,
    /// Whether `__schema` and `__type` may be asked for.
    pub introspection: bool,
}

/// Checks `request`'s document against every limit before anything else reads it, and leaves
/// the parsed document in the request (async-graphql runs it without parsing again). HTTP
/// calls this itself, so that its schema has no extension: any extension puts every field of
/// every answer through async-graphql's extension chain (a tenth of the portal's CPU).
///
/// # Errors
/// A parse error, the first limit broken, or introspection while it is off.
pub fn prepare(checks: &Checks, request: &mut Request) -> Result<Analysis, ServerError> {
    let doc = async_graphql::parser::parse_query(&request.query)?;
    let analysis = analyse(
        &checks.shape,
        &doc,
        &request.variables,
        request.operation_name.as_deref(),
    )?;
    // async-graphql answers a disabled `__schema` with a silent `null`; say so instead.
    if analysis.introspection && !checks.introspection {
        return Err(refusal(
            "introspection",
            "Introspection is disabled on this server".into(),
        ));
    }
    super::text::check(&doc, &request.variables)?;
    request.set_parsed_query(doc);
    Ok(analysis)
}

/// What one document asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The cost of the operation that will run (the costliest, if none is named).
    pub cost: u64,
    /// Whether that operation is a mutation.
    pub mutation: bool,
    /// The fields at that operation's root (fragments spread there included).
    pub root_fields: u64,
    /// Whether any operation asks for `__schema` or `__type`.
    pub introspection: bool,
}

/// Analyses `doc`, or says which limit it breaks (a BAD_USER_INPUT error naming the limit in
/// `extensions.limit`).
///
/// # Errors
/// The first limit broken.
pub fn analyse(
    shape: &Shape,
    doc: &ExecutableDocument,
    variables: &Variables,
    operation_name: Option<&str>,
) -> Result<Analysis, ServerError> {
    let mut walk = Walk {
        shape,
        doc,
        variables,
        memo: HashMap::new(),
        introspection: false,
    };
    let mut selections: u64 = 0;
    for name in doc.fragments.keys() {
        selections = selections.saturating_add(walk.fragment(name, 0)?.selections);
    }
    let mut chosen = Analysis::default();
    for (name, operation) in doc.operations.iter() {
        let op = &operation.node;
        let root = shape.root(op.ty);
        let s = walk.set(&op.selection_set, root, 0)?;
        selections = selections.saturating_add(s.selections);
        check(
            "depth",
            u64::from(s.depth),
            u64::from(Limits::MAX_DEPTH),
            "levels deep",
        )?;
        check("aliases", s.aliases, Limits::MAX_ALIASES, "aliases")?;
        check(
            "rootFields",
            s.top_fields,
            Limits::MAX_ROOT_FIELDS,
            "root fields",
        )?;
        let this = Analysis {
            cost: s.cost,
            mutation: op.ty == OperationType::Mutation,
            root_fields: s.top_fields,
            introspection: false,
        };
        let named = operation_name.is_some_and(|n| name.is_some_and(|m| m.as_str() == n));
        if named || (operation_name.is_none() && this.cost >= chosen.cost) {
            chosen = this;
        }
    }
    check(
        "selections",
        selections,
        Limits::MAX_SELECTIONS,
        "field selections",
    )?;
    chosen.introspection = walk.introspection;
    check("cost", chosen.cost, Limits::MAX_COST, "cost")?;
    Ok(chosen)
}

/// The error of a request over a limit.
pub fn refusal(limit: &str, message: String) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    ext.set("limit", limit);
    error.extensions = Some(ext);
    error
}

fn check(limit: &str, value: u64, max: u64, what: &str) -> Result<(), ServerError> {
    if value <= max {
        return Ok(());
    }
    let message = match limit {
        "cost" => format!(
            "Query is too complex: its cost is {value}, the limit is {max} (an object counts \
             one per parent, a connection its `first` per parent)"
        ),
        "depth" => format!("Query is nested too deep: {value} levels, the limit is {max}"),
        _ => format!("Query has too many {what}: {value}, the limit is {max}"),
    };
    Err(refusal(limit, message))
}

/// What a selection set adds up to, cost at a multiplier of one (cost is linear in it).
#[derive(Clone, Copy, Default)]
struct Summary {
    selections: u64,
    aliases: u64,
    top_fields: u64,
    depth: u32,
    /// Deepest nesting of sets and spreads inside, to bound recursion exactly.
    nesting: u32,
    cost: u64,
}

impl Summary {
    fn add(&mut self, other: &Summary) {
        self.selections = self.selections.saturating_add(other.selections);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.top_fields = self.top_fields.saturating_add(other.top_fields);
        self.depth = self.depth.max(other.depth);
        self.nesting = self.nesting.max(other.nesting);
        self.cost = self.cost.saturating_add(other.cost);
    }
}

enum Memo {
    InProgress,
    Done(Summary),
}

struct Walk<'a> {
    shape: &'a Shape,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    memo: HashMap<&'a Name, Memo>,
    /// Met `__schema` or `__type` anywhere (fragments included).
    introspection: bool,
}

impl<'a> Walk<'a> {
    fn fragment(&mut self, name: &'a Name, nesting: u32) -> Result<Summary, ServerError> {
        let summary = match self.memo.get(name) {
            Some(Memo::Done(s)) => *s,
            Some(Memo::InProgress) => {
                return Err(refusal(
                    "fragmentCycle",
                    format!("Fragment \"{name}\" spreads itself"),
                ));
            }
            None => {
                let Some(fragment) = self.doc.fragments.get(name) else {
                    // Unknown fragments are validation's to report.
                    return Ok(Summary::default());
                };
                self.memo.insert(name, Memo::InProgress);
                let on = fragment.node.type_condition.node.on.node.as_str();
                let s = self.set(&fragment.node.selection_set, on, nesting)?;
                self.memo.insert(name, Memo::Done(s));
                s
            }
        };
        if nesting.saturating_add(summary.nesting) > Limits::MAX_NESTING {
            return Err(nested_too_deep());
        }
        Ok(summary)
    }

    fn set(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        owner: &str,
        nesting: u32,
    ) -> Result<Summary, ServerError> {
        if nesting > Limits::MAX_NESTING {
            return Err(nested_too_deep());
        }
        let mut total = Summary::default();
        for selection in &set.node.items {
            let part = match &selection.node {
                Selection::Field(field) => self.field(&field.node, owner, nesting)?,
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(owner, |c| c.node.on.node.as_str());
                    self.set(&inline.node.selection_set, on, nesting + 1)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, nesting + 1)?
                }
            };
            total.add(&part);
        }
        total.nesting = total.nesting.saturating_add(1);
        Ok(total)
    }

    fn field(
        &mut self,
        field: &'a async_graphql::parser::types::Field,
        owner: &str,
        nesting: u32,
    ) -> Result<Summary, ServerError> {
        let name = field.name.node.as_str();
        let mut own = Summary {
            selections: 1,
            aliases: u64::from(field.alias.is_some()),
            top_fields: 1,
            ..Summary::default()
        };
        if name == "__typename" {
            return Ok(own);
        }
        if matches!(name, "__schema" | "__type") {
            self.introspection = true;
        }
        let known = self.shape.field(owner, name);
        let returns = known.map_or("", |(ty, _)| ty);
        let shape = known.map(|(_, s)| s).unwrap_or_default();
        let composite = shape.composite || !field.selection_set.node.items.is_empty();
        let (cost, factor) = if composite {
            if shape.paged {
                let n = self.page_size(field);
                (n, n)
            } else if is_wrapper(owner, name) {
                (0, 1)
            } else if shape.list {
                (shape.bound, shape.bound)
            } else {
                (1, 1)
            }
        } else {
            // A connection's own leaves (`totalCount`) are paid for by its `first`.
            let reads = self.shape.is_root(owner) || shape.has_args;
            (u64::from(reads), 0)
        };
        let inner = if field.selection_set.node.items.is_empty() {
            Summary::default()
        } else {
            self.set(&field.selection_set, returns, nesting + 1)?
        };
        // Fields of introspection types add no depth: the standard query nests type
        // references nine deep, and the parser's recursion limit still bounds them.
        let level = u32::from(!owner.starts_with("__"));
        own.selections = own.selections.saturating_add(inner.selections);
        own.aliases = own.aliases.saturating_add(inner.aliases);
        own.depth = level.saturating_add(inner.depth);
        own.nesting = inner.nesting;
        own.cost = cost.saturating_add(factor.saturating_mul(inner.cost));
        Ok(own)
    }

    /// The page size asked for; a variable not given counts as the maximum.
    fn page_size(&self, field: &async_graphql::parser::types::Field) -> u64 {
        let max = u64::from(MAX_FIRST.unsigned_abs());
        let Some(first) = field.get_argument("first") else {
            return u64::from(DEFAULT_FIRST.unsigned_abs());
        };
        let value = first
            .node
            .clone()
            .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()));
        match value {
            Ok(Value::Number(n)) => n.as_u64().map_or(max, |n| n.min(max)),
            Ok(Value::Null) => u64::from(DEFAULT_FIRST.unsigned_abs()),
            _ => max,
        }
    }
}

fn is_wrapper(owner: &str, field: &str) -> bool {
    (owner.ends_with("Connection") && matches!(field, "edges" | "nodes" | "pageInfo"))
        || (owner.ends_with("Edge") && field == "node")
        || (owner == "__Type" && field == "ofType")
}

fn nested_too_deep() -> ServerError {
    refusal(
        "nesting",
        format!(
            "Query is nested too deep: selections and fragment spreads nest more than {} levels",
            Limits::MAX_NESTING
        ),
    )
}

#[cfg(test)]
mod tests;
