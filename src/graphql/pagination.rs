//! Relay connections over [`crate::paging`]: `pageInfo`, opaque cursors, and a `totalCount`
//! that is only counted when the client selects it (from a loader, when a list of parents
//! counts its children in one grouped statement).

use std::sync::Arc;

use std::borrow::Cow;

use async_graphql::{
    Object, OutputType, TypeName,
    connection::{CursorType, Edge, EmptyFields, PageInfo},
    dataloader::Loader,
};
use uuid::Uuid;

use super::{
    context::{batch_loaders, shared_loaders},
    loaders::{ChildCount, DbLoader, FirstChildren, LoadError, Loaders},
};
use crate::paging::encode_cursor;
pub use crate::paging::{Order, Page, TotalCount};
use crate::{
    db::batch::{Children, Sort},
    error::AppError,
};

/// A count from the request's loader, so a list of parents counts their children in one
/// grouped statement.
pub fn loaded_count<K>(loaders: Arc<Loaders>, key: K) -> TotalCount
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = u64, Error = LoadError>,
{
    TotalCount(Arc::new(move || {
        let (loaders, key) = (loaders.clone(), key.clone());
        Box::pin(async move {
            let count = loaders.load_one(key).await.map_err(|e| e.0)?;
            Ok(count.unwrap_or(0))
        })
    }))
}

/// A page of a nested list (a mentorship's check-ins, a thread's messages) and its total:
/// the first page of every parent in a list from one batched statement, a later page (after
/// a cursor, one parent at a time) from `later`, which checks who may read it.
///
/// # Errors
/// A database fault; whatever `later` refuses.
pub async fn nested_page<E, T, Fut>(
    ctx: &async_graphql::Context<'_>,
    parent: Uuid,
    (page, sort): (&Page, Sort),
    later: impl FnOnce() -> Fut,
) -> async_graphql::Result<(Vec<T>, TotalCount)>
where
    E: Children,
    E::Model: sea_orm::FromQueryResult + Clone + Send + Sync,
    T: TryFrom<E::Model, Error = AppError>,
    Fut: std::future::Future<Output = Result<Vec<T>, AppError>>,
{
    let rows = match page.after {
        None => batch_loaders(ctx)?
            .load_one(FirstChildren::<E>::new(parent, page.fetch(), sort))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(T::try_from)
            .collect::<Result<Vec<_>, _>>()?,
        // Boxed: inline, this rarely taken path's future would size every resolution of
        // the parent's fields (async-graphql moves each field's future into a box of its own).
        Some(_) => Box::pin(later()).await?,
    };
    let total = loaded_count(shared_loaders(ctx)?, ChildCount::<E>::new(parent));
    Ok((rows, total))
}

/// A Relay connection page over nodes with UUID ids. Ours rather than async-graphql's
/// `Connection`, which has no type description to give (every connection is described).
pub struct Conn<N: OutputType> {
    edges: Vec<Edge<Cursor, N, EmptyFields>>,
    has_previous_page: bool,
    has_next_page: bool,
    total: TotalCount,
}

impl<N: OutputType> TypeName for Conn<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", N::type_name()).into()
    }
}

/// One page of a list, in the order its field states: the items (`nodes`, or `edges` with
/// the cursor to continue after each), whether more follow (`pageInfo`), and, when selected,
/// how many the whole list holds.
#[Object(name_type)]
impl<N: OutputType> Conn<N> {
    /// Whether pages come before and after this one, and the cursors at its two ends.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| e.cursor.encode_cursor()),
            end_cursor: self.edges.last().map(|e| e.cursor.encode_cursor()),
        }
    }

    /// The page's items, each with the cursor to pass as `after` to continue from it.
    async fn edges(&self) -> &[Edge<Cursor, N, EmptyFields>] {
        &self.edges
    }

    /// The page's items alone, for clients that do not need cursors.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// How many items the whole list has, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        (self.total.0)().await.map_err(|e| LoadError(e).into())
    }
}

/// An edge's cursor, encoded only when a client selects it (a portal page that asks for
/// `nodes` has thousands of edges and reads none of their cursors).
pub struct Cursor(Uuid);

impl CursorType for Cursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        // Arguments are read by `Page::parse`; this is only async-graphql's side of the trait.
        Page::parse(Some(0), Some(s))
            .ok()
            .and_then(|p| p.after)
            .map(Self)
            .ok_or("not a cursor of this list")
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(self.0)
    }
}

/// Builds the page from rows fetched with [`Page::fetch`].
pub fn connection<T, N: OutputType>(
    page: &Page,
    mut rows: Vec<T>,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
    total: TotalCount,
) -> Conn<N> {
    let has_next = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Conn {
        edges: rows
            .into_iter()
            .map(|row| Edge::new(Cursor(id(&row)), node(row)))
            .collect(),
        has_previous_page: page.after.is_some(),
        has_next_page: has_next,
        total,
    }
}
