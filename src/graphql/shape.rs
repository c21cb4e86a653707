//! What the limits need to know of the schema: for each field, the type it returns (object or
//! leaf, list or not) and whether it pages with `first`. Read once from the served SDL, plus
//! the introspection types, whose lists are bounded by this schema's own sizes.

use std::collections::HashMap;

use async_graphql::parser::{
    parse_schema,
    types::{BaseType, TypeKind, TypeSystemDefinition},
};

use crate::paging::MAX_FIRST;

/// One field as the limits see it.
#[derive(Clone, Copy, Debug, Default)]
pub struct FieldShape {
    /// Returns an object, interface or union (has a selection set).
    pub composite: bool,
    /// Returns a list.
    pub list: bool,
    /// Takes a `first` argument (a connection).
    pub paged: bool,
    /// Takes any argument (a leaf with arguments is computed, usually by a query).
    pub has_args: bool,
    /// Most items the list can hold (lists only).
    pub bound: u64,
}

/// The schema's fields by type, and its root types.
#[derive(Debug, Default)]
pub struct Shape {
    fields: HashMap<String, HashMap<String, (String, FieldShape)>>,
    roots: Vec<String>,
}

impl Shape {
    /// Reads `sdl` (as [`crate::schema::sdl`] prints it) and adds the introspection types.
    pub fn from_sdl(sdl: &str) -> Self {
        let mut shape = Self::default();
        let Ok(doc) = parse_schema(sdl) else {
            return shape;
        };
        let mut composite = std::collections::HashSet::new();
        let mut counts = Counts::default();
        let mut raw: Vec<(String, String, String, bool, bool, bool)> = Vec::new();
        for definition in &doc.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let s = &schema.node;
                    shape.roots = [&s.query, &s.mutation, &s.subscription]
                        .into_iter()
                        .flatten()
                        .map(|n| n.node.to_string())
                        .collect();
                }
                TypeSystemDefinition::Type(ty) => {
                    let name = ty.node.name.node.to_string();
                    counts.types += 1;
                    let fields = match &ty.node.kind {
                        TypeKind::Object(o) => &o.fields,
                        TypeKind::Interface(i) => &i.fields,
                        TypeKind::Union(_) => {
                            composite.insert(name);
                            continue;
                        }
                        TypeKind::Enum(e) => {
                            counts.enum_values += e.values.len();
                            continue;
                        }
                        TypeKind::InputObject(i) => {
                            counts.input_fields += i.fields.len();
                            continue;
                        }
                        TypeKind::Scalar => continue,
                    };
                    composite.insert(name.clone());
                    for field in fields {
                        let f = &field.node;
                        counts.fields += 1;
                        counts.args += f.arguments.len();
                        let (named, list) = named_type(&f.ty.node.base);
                        let paged = f.arguments.iter().any(|a| a.node.name.node == "first");
                        let has_args = !f.arguments.is_empty();
                        raw.push((
                            name.clone(),
                            f.name.node.to_string(),
                            named,
                            list,
                            paged,
                            has_args,
                        ));
                    }
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        if shape.roots.is_empty() {
            shape.roots = vec!["Query".into(), "Mutation".into(), "Subscription".into()];
        }
        for (owner, field, named, list, paged, has_args) in raw {
            let fs = FieldShape {
                composite: composite.contains(&named),
                list,
                paged,
                has_args,
                bound: u64::from(MAX_FIRST.unsigned_abs()),
            };
            shape
                .fields
                .entry(owner)
                .or_default()
                .insert(field, (named, fs));
        }
        shape.add_introspection(&counts);
        shape
    }

    /// The field `field` of type `owner`, with the name of the type it returns.
    pub fn field(&self, owner: &str, field: &str) -> Option<(&str, FieldShape)> {
        self.fields
            .get(owner)?
            .get(field)
            .map(|(ty, shape)| (ty.as_str(), *shape))
    }

    /// Whether `ty` is a root operation type.
    pub fn is_root(&self, ty: &str) -> bool {
        self.roots.iter().any(|r| r == ty)
    }

    /// The root type of an operation.
    pub fn root(&self, operation: async_graphql::parser::types::OperationType) -> &str {
        use async_graphql::parser::types::OperationType::*;
        let index = match operation {
            Query => 0,
            Mutation => 1,
            Subscription => 2,
        };
        self.roots.get(index).map_or("", String::as_str)
    }

    /// Introspection answers from memory, but its lists are as long as this schema is big:
    /// each list is bounded by the schema's own average (types × average fields = all fields),
    /// so the standard introspection query costs about what it returns.
    fn add_introspection(&mut self, c: &Counts) {
        let types = c.types.max(1) as u64 + BUILT_IN_TYPES;
        let per = |n: usize, of: u64| (n as u64).div_ceil(of).max(1);
        let object = |bound: Option<u64>| FieldShape {
            composite: true,
            list: bound.is_some(),
            bound: bound.unwrap_or(1),
            ..FieldShape::default()
        };
        let args = per(c.args, c.fields.max(1) as u64);
        let table = [
            ("Query", "__schema", "__Schema", object(None)),
            ("Query", "__type", "__Type", object(None)),
            ("__Schema", "types", "__Type", object(Some(types))),
            ("__Schema", "queryType", "__Type", object(None)),
            ("__Schema", "mutationType", "__Type", object(None)),
            ("__Schema", "subscriptionType", "__Type", object(None)),
            ("__Schema", "directives", "__Directive", object(Some(8))),
            (
                "__Type",
                "fields",
                "__Field",
                object(Some(per(c.fields, types))),
            ),
            ("__Type", "interfaces", "__Type", object(Some(1))),
            ("__Type", "possibleTypes", "__Type", object(Some(1))),
            (
                "__Type",
                "enumValues",
                "__EnumValue",
                object(Some(per(c.enum_values, types))),
            ),
            (
                "__Type",
                "inputFields",
                "__InputValue",
                object(Some(per(c.input_fields, types))),
            ),
            ("__Field", "args", "__InputValue", object(Some(args))),
            ("__Directive", "args", "__InputValue", object(Some(args))),
            ("__Field", "type", "__Type", object(None)),
            ("__InputValue", "type", "__Type", object(None)),
            // The rest of one type reference (`[Person!]!`); the analysis counts it free.
            ("__Type", "ofType", "__Type", object(None)),
        ];
        for (owner, field, ty, fs) in table {
            self.fields
                .entry(owner.into())
                .or_default()
                .insert(field.into(), (ty.into(), fs));
        }
    }
}

/// Scalars and introspection types the SDL does not print.
const BUILT_IN_TYPES: u64 = 13;

#[derive(Default)]
struct Counts {
    types: usize,
    fields: usize,
    args: usize,
    enum_values: usize,
    input_fields: usize,
}

fn named_type(base: &BaseType) -> (String, bool) {
    match base {
        BaseType::Named(name) => (name.to_string(), false),
        BaseType::List(inner) => (named_type(&inner.base).0, true),
    }
}
