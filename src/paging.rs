//! Keyset paging, the one way every list is read: `first` (default 20, at most 100) rows
//! after an opaque cursor over the UUIDv7 primary key (creation order, stable), fetched one
//! past the page to know whether another follows, and a total counted only when asked for.
//! A persistence concept: services and repos page with it; `graphql::pagination` turns a page
//! into a Relay connection.

use std::{future::Future, pin::Pin, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// Items per page when `first` is not given.
pub const DEFAULT_FIRST: i32 = 20;
/// Most items per page.
pub const MAX_FIRST: i32 = 100;
const CURSOR_PREFIX: &str = "c1:";

/// A requested page: how many, after which id.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// Items wanted.
    pub first: u64,
    /// Exclusive lower bound on the id.
    pub after: Option<Uuid>,
}

impl Page {
    /// Reads `first` and `after` as the client sent them.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `first` outside 0–100 or an `after` that is not one of our cursors.
    pub fn parse(first: Option<i32>, after: Option<&str>) -> AppResult<Self> {
        let first = first.unwrap_or(DEFAULT_FIRST);
        if !(0..=MAX_FIRST).contains(&first) {
            return Err(AppError::bad_input(
                "first",
                format!("first must be 0 to {MAX_FIRST}"),
            ));
        }
        let after = after.map(decode_cursor).transpose()?;
        Ok(Self {
            first: first as u64,
            after,
        })
    }

    /// Rows to fetch: one more than wanted, to know whether there is a next page.
    pub fn fetch(&self) -> u64 {
        self.first + 1
    }

    /// Applies the page to rows already in id order (lists held in memory, such as one
    /// mentor's current mentees, which capacity bounds).
    pub fn slice<T>(&self, rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> Vec<T> {
        rows.into_iter()
            .filter(|r| self.after.is_none_or(|after| id(r) > after))
            .take(self.fetch() as usize)
            .collect()
    }
}

/// The opaque cursor of a row.
pub fn encode_cursor(id: Uuid) -> String {
    let mut text = [0u8; CURSOR_PREFIX.len() + uuid::fmt::Hyphenated::LENGTH];
    text[..CURSOR_PREFIX.len()].copy_from_slice(CURSOR_PREFIX.as_bytes());
    id.hyphenated()
        .encode_lower(&mut text[CURSOR_PREFIX.len()..]);
    URL_SAFE_NO_PAD.encode(text)
}

fn decode_cursor(cursor: &str) -> AppResult<Uuid> {
    let bad = || AppError::bad_input("after", "not a cursor of this list");
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let id = text.strip_prefix(CURSOR_PREFIX).ok_or_else(bad)?;
    Uuid::parse_str(id).map_err(|_| bad())
}

/// A count's outcome. The error is shared because a count read from a loader shares its
/// batch's error with every other key of the batch.
pub(crate) type CountFuture = Pin<Box<dyn Future<Output = Result<u64, Arc<AppError>>> + Send>>;

/// `totalCount`, run only when the client selects it.
pub struct TotalCount(pub(crate) Arc<dyn Fn() -> CountFuture + Send + Sync>);

impl TotalCount {
    /// A count computed by `count` on demand.
    pub fn new<F, Fut>(count: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = AppResult<u64>> + Send + 'static,
    {
        Self(Arc::new(move || {
            let count = count();
            Box::pin(async move { count.await.map_err(Arc::new) })
        }))
    }

    /// A count already known (lists held in memory).
    pub fn known(n: usize) -> Self {
        Self::new(move || async move { Ok(n as u64) })
    }
}

/// Which way a list runs over its time-ordered ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    OldestFirst,
    NewestFirst,
}

/// Applies a page to any query (plain, joined or `select_also`): the rows after the cursor,
/// in id order, one more than wanted. The one way a list is paged.
pub fn keyset<S, C>(select: S, id: C, order: Order, page: &Page) -> S
where
    S: QueryFilter + QueryOrder + QuerySelect,
    C: ColumnTrait,
{
    let mut select = select;
    if let Some(after) = page.after {
        select = select.filter(match order {
            Order::OldestFirst => id.gt(after),
            Order::NewestFirst => id.lt(after),
        });
    }
    let select = match order {
        Order::OldestFirst => select.order_by_asc(id),
        Order::NewestFirst => select.order_by_desc(id),
    };
    select.limit(page.fetch())
}

/// Applies a page to a query in the order of `key` — SQL over the table's columns, each
/// written `{t}.column` — ties broken by `id` in the same direction: the rows after the
/// cursor's row in that order (a row-value comparison against the cursor's own key), one
/// more than wanted. The keyset of a list that is not in id order.
pub fn keyset_by<E: EntityTrait>(
    (backend, select): (DbBackend, Select<E>),
    key: &str,
    id: E::Column,
    order: Order,
    page: &Page,
) -> Select<E> {
    use sea_orm::sea_query::Expr;
    let table = E::default().table_name();
    let here = key.replace("{t}", &format!("\"{table}\""));
    let mut select = select;
    if let Some(after) = page.after {
        let cursor = key.replace("{t}", "c");
        let op = match order {
            Order::OldestFirst => ">",
            Order::NewestFirst => "<",
        };
        // sea-query's placeholder is the backend's own.
        let mark = match backend {
            DbBackend::Postgres => "$1",
            _ => "?",
        };
        select = select.filter(Expr::cust_with_values(
            format!(
                "({here}, \"{table}\".\"id\") {op} (SELECT {cursor}, c.id FROM {table} c WHERE c.id = {mark})"
            ),
            [after],
        ));
    }
    let direction = match order {
        Order::OldestFirst => sea_orm::Order::Asc,
        Order::NewestFirst => sea_orm::Order::Desc,
    };
    select
        .order_by(Expr::cust(here), direction.clone())
        .order_by(id, direction)
        .limit(page.fetch())
}

/// The total of `select`, counted only when asked for.
pub fn total_of<E>(db: &DatabaseConnection, select: Select<E>) -> TotalCount
where
    E: EntityTrait,
    E::Model: Send + Sync,
    Select<E>: Clone + Send + Sync + 'static,
{
    let (select, conn) = (select, db.clone());
    TotalCount::new(move || {
        let (select, conn) = (select.clone(), conn.clone());
        async move { Ok(select.count(&conn).await?) }
    })
}

/// A page of `select` in id order, and its `totalCount` counted lazily from the same query.
///
/// # Errors
/// A database fault.
pub async fn page_of<E>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: E::Column,
    order: Order,
    page: &Page,
) -> AppResult<(Vec<E::Model>, TotalCount)>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    Select<E>: Clone + Send + Sync + 'static,
{
    let total = total_of(db, select.clone());
    Ok((keyset(select, id, order, page).all(db).await?, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_strangers() {
        let id = Uuid::now_v7();
        let page = Page::parse(Some(5), Some(&encode_cursor(id))).unwrap();
        assert_eq!(page.after, Some(id));
        for bad in [
            "",
            "abc",
            &URL_SAFE_NO_PAD.encode("c1:nope"),
            &URL_SAFE_NO_PAD.encode(id.to_string()),
        ] {
            assert!(Page::parse(None, Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn first_is_bounded() {
        for (first, ok) in [
            (None, true),
            (Some(0), true),
            (Some(100), true),
            (Some(101), false),
            (Some(-1), false),
        ] {
            assert_eq!(Page::parse(first, None).is_ok(), ok, "{first:?}");
        }
    }
}
