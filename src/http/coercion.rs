//! Naming the argument a coercion error is about. async-graphql reports a value that does
//! not coerce (`from: "yesterday"` for a `DateTime`) with the position of the value and no
//! field; the argument at that position in the document is the field the client must fix.
//! For a value inside an input object the argument (`input`) is named, with the message
//! saying which input type failed.

use async_graphql::{
    Name, Pos, Positioned, ServerError,
    parser::{
        parse_query,
        types::{ExecutableDocument, Selection, SelectionSet},
    },
};

/// Sets `extensions.field` on each coercion error of `errors` that has none, from `query`
/// (parsed again only when there is such an error).
pub(super) fn name_arguments(errors: &mut [ServerError], query: &str) {
    let unnamed = |e: &ServerError| {
        e.message.starts_with("Failed to parse ")
            && e.extensions
                .as_ref()
                .is_none_or(|x| x.get("field").is_none())
    };
    if !errors.iter().any(unnamed) {
        return;
    }
    let Ok(doc) = parse_query(query) else {
        return;
    };
    for error in errors.iter_mut().filter(|e| unnamed(e)) {
        let Some(at) = error.locations.first().copied() else {
            continue;
        };
        if let Some(name) = argument_at(&doc, at) {
            let mut ext = error.extensions.take().unwrap_or_default();
            ext.set("field", name.as_str());
            error.extensions = Some(ext);
        }
    }
}

fn argument_at(doc: &ExecutableDocument, at: Pos) -> Option<Name> {
    let operations = doc.operations.iter().map(|(_, op)| &op.node.selection_set);
    let fragments = doc.fragments.values().map(|f| &f.node.selection_set);
    operations
        .chain(fragments)
        .find_map(|set| in_selection_set(set, at))
}

fn in_selection_set(set: &Positioned<SelectionSet>, at: Pos) -> Option<Name> {
    set.node.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => field
            .node
            .arguments
            .iter()
            .find(|(_, value)| value.pos == at)
            .map(|(name, _)| name.node.clone())
            .or_else(|| in_selection_set(&field.node.selection_set, at)),
        Selection::InlineFragment(fragment) => in_selection_set(&fragment.node.selection_set, at),
        Selection::FragmentSpread(_) => None,
    })
}
