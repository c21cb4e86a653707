//! No control characters in any string a client sends (NUL, escape sequences, C1 controls):
//! PostgreSQL refuses NUL in text while SQLite stores it, and the others only ever hide
//! things from the people who read the text. Tab, newline and carriage return stay allowed;
//! each domain rule still decides whether its field may hold several lines.
//!
//! Checked once per document, before validation: every argument written in the document
//! (each definition once, so linear) and every variable.

use async_graphql::{
    ServerError, Variables,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};
use async_graphql_value::{ConstValue, Value};

/// The first string holding a control character, as BAD_USER_INPUT naming its field.
///
/// # Errors
/// A control character in an argument or a variable.
pub fn check(doc: &ExecutableDocument, variables: &Variables) -> Result<(), ServerError> {
    for (name, value) in variables.iter() {
        const_value(value, name.as_str())?;
    }
    let sets = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node));
    for set in sets {
        selection_set(set)?;
    }
    Ok(())
}

fn selection_set(set: &SelectionSet) -> Result<(), ServerError> {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    literal(&value.node, name.node.as_str())?;
                }
                selection_set(&field.node.selection_set.node)?;
            }
            Selection::InlineFragment(inline) => selection_set(&inline.node.selection_set.node)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn literal(value: &Value, path: &str) -> Result<(), ServerError> {
    match value {
        Value::String(s) => text(s, path),
        Value::List(items) => items.iter().try_for_each(|v| literal(v, path)),
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(k, v)| literal(v, &format!("{path}.{k}"))),
        _ => Ok(()),
    }
}

fn const_value(value: &ConstValue, path: &str) -> Result<(), ServerError> {
    match value {
        ConstValue::String(s) => text(s, path),
        ConstValue::List(items) => items.iter().try_for_each(|v| const_value(v, path)),
        ConstValue::Object(fields) => fields
            .iter()
            .try_for_each(|(k, v)| const_value(v, &format!("{path}.{k}"))),
        _ => Ok(()),
    }
}

fn text(s: &str, path: &str) -> Result<(), ServerError> {
    if !s
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Ok(());
    }
    let mut error = ServerError::new(
        format!("{path}: control characters are not allowed (tab and newline are)"),
        None,
    );
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    ext.set("field", path);
    error.extensions = Some(ext);
    Err(error)
}
