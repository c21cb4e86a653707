//! Batch reads for nested lists: each parent's first rows, or each parent's count, for a
//! whole page of parents in one statement. The SQL of the loaders (`graphql::loaders`),
//! kept here with the rest of the database edge.

use sea_orm::ConnectionTrait;

use crate::error::AppError;

/// The first `fetch` rows (in `sort`'s order) of each parent in `parents`, in one statement:
/// a window function numbers each parent's rows. For nested connections asked for their first
/// page in a list (`mentorships { checkIns(first: 3) }`), which would otherwise cost one
/// statement per parent. `only` keeps the rows whose column holds that text (a mentor's
/// *active* mentorships).
///
/// # Errors
/// A database fault.
pub async fn first_of_each<E>(
    conn: &impl ConnectionTrait,
    parent: E::Column,
    parents: &[uuid::Uuid],
    fetch: u64,
    only: Option<(E::Column, &str)>,
    (sort, decode): (Sort, Decode<E>),
) -> Result<Vec<E::Model>, AppError>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::IdenStatic;
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = (E::default().table_name(), parent.as_str());
    let mut values: Vec<sea_orm::Value> = vec![(fetch as i64).into()];
    let only = match only {
        Some((col, text)) => {
            values.push(text.into());
            format!("t.{} = $2 AND ", col.as_str())
        }
        None => String::new(),
    };
    let first = values.len() + 1;
    let list: Vec<String> = (first..parents.len() + first)
        .map(|n| format!("${n}"))
        .collect();
    let rank = match sort {
        Sort::Created => "t.id".to_owned(),
        Sort::Latest(when) => format!("{} DESC, t.id DESC", when.replace("{t}", "t")),
    };
    let sql = format!(
        "SELECT {columns} FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.{column} \
         ORDER BY {rank}) AS page_rank FROM {table} t WHERE {only}t.{column} IN ({})) ranked \
         WHERE page_rank <= $1 ORDER BY ranked.{column}, page_rank",
        list.join(", "),
        columns = super::rows::select_list::<E>("ranked"),
    );
    values.extend(parents.iter().map(|p| sea_orm::Value::from(*p)));
    let statement = crate::db::statement(conn.get_database_backend(), &sql, values);
    let rows = sea_orm::ConnectionTrait::query_all_raw(conn, statement).await?;
    Ok(rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?)
}

/// How a row of `E`, selected in the order of [`super::rows::select_list`], becomes a model.
pub type Decode<E> =
    fn(&sea_orm::QueryResult) -> Result<<E as sea_orm::EntityTrait>::Model, sea_orm::DbErr>;

/// How many rows each parent in `parents` has (those whose column holds `only`'s text, when
/// given), in one grouped statement.
///
/// # Errors
/// A database fault.
pub async fn count_of_each<E>(
    conn: &impl ConnectionTrait,
    parent: E::Column,
    parents: &[uuid::Uuid],
    only: Option<(E::Column, &str)>,
) -> Result<std::collections::HashMap<uuid::Uuid, u64>, AppError>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let mut select = E::find();
    if let Some((col, text)) = only {
        select = select.filter(col.eq(text));
    }
    let rows: Vec<(uuid::Uuid, i64)> = select
        .select_only()
        .column(parent)
        .column_as(parent.count(), "n")
        .filter(parent.is_in(parents.iter().copied()))
        .group_by(parent)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(p, n)| (p, n.max(0) as u64))
        .collect())
}

/// How [`first_of_each`] ranks each parent's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sort {
    /// In creation (id) order.
    Created,
    /// Latest first by a row's time (an SQL expression over the table written `{t}`, as
    /// `paging::keyset_by` takes it), then newest id first.
    Latest(&'static str),
}

/// A table whose rows are listed under a parent row in nested connections (check-ins of a
/// mentorship, messages of a support thread).
pub trait Children: sea_orm::EntityTrait {
    /// The column holding the parent's id.
    fn parent_column() -> Self::Column;
    /// The parent of a row.
    fn parent_of(row: &Self::Model) -> uuid::Uuid;
    /// A row selected in the order of [`super::rows::select_list`].
    ///
    /// # Errors
    /// A column of an unexpected type.
    fn decode(row: &sea_orm::QueryResult) -> Result<Self::Model, sea_orm::DbErr>;
}
