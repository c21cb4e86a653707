//! The `DateTime` scalar: an instant, written RFC 3339 in UTC with `Z` — the spelling REST
//! and the logs use too — and read from any RFC 3339 offset. Ours rather than
//! async-graphql's chrono scalar, which writes `+00:00` and answers a bad value with the
//! parser's own words.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, SecondsFormat, Utc};

/// An instant as the API reads and writes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub DateTime<Utc>);

/// An instant: RFC 3339, written in UTC with `Z` (`2026-03-01T09:00:00Z`); any offset is
/// read (`2026-03-01T10:00:00+01:00` is the same instant).
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        DateTime::parse_from_rfc3339(text)
            .map(|t| Self(t.with_timezone(&Utc)))
            .map_err(|_| {
                InputValueError::custom(
                    "expected an RFC 3339 date-time such as 2026-03-01T09:00:00Z",
                )
            })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Self(t)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}
