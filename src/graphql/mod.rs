//! The GraphQL kit every domain's resolvers use: the request context, ids, paging,
//! batched loading and the document limits. It imports no domain; the schema that merges the
//! domains' roots is [`crate::schema`], and its transports live in [`crate::http`].

pub mod context;
pub mod fair;
pub mod ids;
pub mod limits;
pub mod loaders;
pub mod pagination;
pub mod shape;
pub mod text;

pub use context::{RequestId, batch_loaders, request, shared_loaders};
pub use ids::{parse_id, to_id};
