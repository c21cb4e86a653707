//! Relay connections over [`crate::paging`]: `pageInfo`, opaque cursors, and a `totalCount`
//! that is only counted when the client selects it (from a loader, when a list of parents
//! counts its children in one grouped statement).

use std::sync::Arc;

use async_graphql::{
    Object, OutputType,
    connection::{Connection, Edge},
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

#[Object]
impl TotalCount {
    /// How many items the whole list has, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        (self.0)().await.map_err(|e| LoadError(e).into())
    }
}

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

/// A Relay connection page over nodes with UUID ids.
pub type Conn<N> = Connection<Cursor, N, TotalCount>;

/// An edge's cursor, encoded only when a client selects it (a portal page that asks for
/// `nodes` has thousands of edges and reads none of their cursors).
pub struct Cursor(Uuid);

impl async_graphql::connection::CursorType for Cursor {
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
    let mut conn = Connection::with_additional_fields(page.after.is_some(), has_next, total);
    conn.edges = rows
        .into_iter()
        .map(|row| Edge::new(Cursor(id(&row)), node(row)))
        .collect();
    conn
}
