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

/// Every element of the schema says what it means for the program: graphql-schema-linter's
/// five description rules (types, fields, arguments, input values, enum values), and a
/// description that is more than the element's name again.
#[test]
fn every_schema_element_is_described() {
    use async_graphql::{
        Positioned,
        parser::{parse_schema, types::*},
    };
    let doc = parse_schema(mentorship_api::schema::sdl()).expect("the SDL parses");
    // (path, name, description) of every element.
    let mut elements: Vec<(String, String, Option<String>)> = Vec::new();
    let text = |d: &Option<Positioned<String>>| d.as_ref().map(|d| d.node.clone());
    let inputs = |owner: &str, values: &[Positioned<InputValueDefinition>]| {
        values
            .iter()
            .map(|v| {
                let name = v.node.name.node.to_string();
                (format!("{owner}({name}:)"), name, text(&v.node.description))
            })
            .collect::<Vec<_>>()
    };
    for definition in &doc.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let ty = &ty.node;
        let name = ty.name.node.to_string();
        elements.push((name.clone(), name.clone(), text(&ty.description)));
        match &ty.kind {
            TypeKind::Object(ObjectType { fields, .. })
            | TypeKind::Interface(InterfaceType { fields, .. }) => {
                for field in fields {
                    let field_name = field.node.name.node.to_string();
                    let path = format!("{name}.{field_name}");
                    elements.extend(inputs(&path, &field.node.arguments));
                    elements.push((path, field_name, text(&field.node.description)));
                }
            }
            TypeKind::InputObject(InputObjectType { fields }) => {
                elements.extend(inputs(&name, fields));
            }
            TypeKind::Enum(EnumType { values }) => {
                for value in values {
                    let value_name = value.node.value.node.to_string();
                    let path = format!("{name}.{value_name}");
                    elements.push((path, value_name, text(&value.node.description)));
                }
            }
            TypeKind::Scalar | TypeKind::Union(_) => {}
        }
    }
    let letters = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    let missing: Vec<&String> = elements
        .iter()
        .filter(|(_, name, description)| {
            let said = description.as_deref().unwrap_or("").trim();
            said.is_empty() || letters(said) == letters(name)
        })
        .map(|(path, _, _)| path)
        .collect();
    assert!(elements.len() > 800, "{} elements read", elements.len());
    assert!(
        missing.is_empty(),
        "{} schema elements have no description (or only their name again):\n  {}",
        missing.len(),
        missing
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
