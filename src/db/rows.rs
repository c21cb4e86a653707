//! Rows decoded by position, straight from the driver. sea-orm's derived decoding looks each
//! column up by name, builds a `{prefix}{column}` string per column of a joined row and
//! formats an error message for every NULL it reads: a third of the portal query's CPU in
//! the profile (`bench/README.md`). Used for the rows read by the thousands (the loaders'
//! persons, mentorships and check-ins); everything else keeps the derived decoding.

use sea_orm::{
    DbErr, QueryResult,
    sqlx::{Decode, Postgres, Row, Sqlite, Type},
};

/// A column type both engines decode.
pub trait Col:
    for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite>
{
}

impl<T> Col for T where
    T: for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite>
{
}

/// The columns of one row, read left to right.
pub struct Cols<'a> {
    row: &'a QueryResult,
    at: usize,
}

impl<'a> Cols<'a> {
    /// Reads `row` from column `at` on.
    pub fn new(row: &'a QueryResult, at: usize) -> Self {
        Self { row, at }
    }

    /// The next column.
    ///
    /// # Errors
    /// A column of another type (or a NULL where `T` is not an `Option`).
    #[allow(clippy::should_implement_trait)]
    pub fn next<T: Col>(&mut self) -> Result<T, DbErr> {
        let at = self.at;
        self.at += 1;
        let value = if let Some(row) = self.row.try_as_pg_row() {
            row.try_get::<T, _>(at)
        } else if let Some(row) = self.row.try_as_sqlite_row() {
            row.try_get::<T, _>(at)
        } else {
            return Err(DbErr::Type(
                "rows by position need PostgreSQL or SQLite".into(),
            ));
        };
        value.map_err(|e| DbErr::Type(format!("column {at}: {e}")))
    }
}

/// The columns of entity `E` in the order its model declares them, each prefixed with
/// `alias.`: a select list whose positions the decoders rely on.
pub fn select_list<E: sea_orm::EntityTrait>(alias: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    E::Column::iter()
        .map(|c| format!("{alias}.{}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::select_list;

    /// The decoders by position (`people::repo`, `mentorship::repo`, `check_in::model`)
    /// assume these orders: a reordered entity must fail here, not swap two text columns.
    #[test]
    fn the_decoders_know_the_column_orders() {
        assert_eq!(
            select_list::<entity::person::Entity>("t"),
            "t.id, t.issuer, t.subject, t.display_name, t.email, t.country, t.languages, \
             t.timezone, t.locale, t.bio, t.token_roles, t.status, t.joined_at, \
             t.last_active_at, t.updated_at, t.email_preference, t.calendar_feed_generation"
        );
        assert_eq!(
            select_list::<entity::mentor_profile::Entity>("t"),
            "t.person_id, t.capacity, t.status, t.accepting_mentees, t.bio, t.expertise, \
             t.onboarded_at, t.break_until, t.updated_at"
        );
        assert_eq!(
            select_list::<entity::mentorship::Entity>("t"),
            "t.id, t.mentor_id, t.mentee_id, t.status, t.started_at, t.ended_at, t.end_reason, \
             t.note, t.end_note, t.assigned_by, t.ended_by, t.over_capacity"
        );
        assert_eq!(
            select_list::<entity::check_in::Entity>("t"),
            "t.id, t.mentorship_id, t.status, t.scheduled_for, t.held_at, t.agenda, \
             t.mentee_plans, t.support_needs, t.notes, t.cancel_reason, t.created_by, \
             t.created_at, t.updated_at"
        );
    }
}
