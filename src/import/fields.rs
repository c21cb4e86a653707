//! The fields of one import line, taken one by one: each read checks its JSON type and
//! names the field when it is wrong, and what is left at the end is an unknown field.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Code, Invalid};
use crate::{error::AppError, people::model::bounded_text};

/// The fields of one line, taken one by one so that what is left over is unknown.
pub(super) struct Fields {
    pub(super) map: Map<String, Value>,
    pub(super) number: usize,
}

impl Fields {
    pub(super) fn err(&self, field: &str, code: Code, message: impl Into<String>) -> Invalid {
        Invalid {
            line: self.number,
            field: Some(field.to_owned()),
            code,
            message: message.into(),
        }
    }

    /// A validator's BAD_USER_INPUT as this line's INVALID_VALUE on `field`.
    pub(super) fn app(&self, field: &str, err: AppError) -> Invalid {
        self.err(field, Code::InvalidValue, err.message().to_owned())
    }

    /// The field unless absent or null.
    pub(super) fn take(&mut self, field: &str) -> Option<Value> {
        self.map.remove(field).filter(|v| !v.is_null())
    }

    pub(super) fn opt_string(&mut self, field: &str) -> Result<Option<String>, Invalid> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(_) => Err(self.err(field, Code::InvalidValue, "must be a string")),
        }
    }

    pub(super) fn string(&mut self, field: &str) -> Result<String, Invalid> {
        self.opt_string(field)?
            .ok_or_else(|| self.err(field, Code::MissingField, "required"))
    }

    pub(super) fn opt_strings(&mut self, field: &str) -> Result<Option<Vec<String>>, Invalid> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(self.err(field, Code::InvalidValue, "must be a list of strings")),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(_) => Err(self.err(field, Code::InvalidValue, "must be a list of strings")),
        }
    }

    pub(super) fn opt_bool(&mut self, field: &str) -> Result<Option<bool>, Invalid> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(self.err(field, Code::InvalidValue, "must be true or false")),
        }
    }

    pub(super) fn integer(&mut self, field: &str) -> Result<i32, Invalid> {
        match self.take(field) {
            None => Err(self.err(field, Code::MissingField, "required")),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| self.err(field, Code::InvalidValue, "must be a whole number")),
        }
    }

    pub(super) fn opt_time(&mut self, field: &str) -> Result<Option<DateTime<Utc>>, Invalid> {
        self.opt_string(field)?
            .map(|raw| {
                DateTime::parse_from_rfc3339(&raw)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        self.err(
                            field,
                            Code::InvalidValue,
                            "must be an RFC 3339 time such as 2020-01-10T00:00:00Z",
                        )
                    })
            })
            .transpose()
    }

    pub(super) fn time(&mut self, field: &str) -> Result<DateTime<Utc>, Invalid> {
        self.opt_time(field)?
            .ok_or_else(|| self.err(field, Code::MissingField, "required"))
    }

    pub(super) fn text(&mut self, field: &str, max: usize) -> Result<Option<String>, Invalid> {
        let raw = self.opt_string(field)?;
        bounded_text(field, raw.as_deref(), max).map_err(|e| self.app(field, e))
    }

    pub(super) fn opt_parse<T>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str, &str) -> Result<T, AppError>,
    ) -> Result<Option<T>, Invalid> {
        self.opt_string(field)?
            .map(|raw| parse(field, &raw).map_err(|e| self.app(field, e)))
            .transpose()
    }

    pub(super) fn parse<T>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str, &str) -> Result<T, AppError>,
    ) -> Result<T, Invalid> {
        self.opt_parse(field, parse)?
            .ok_or_else(|| self.err(field, Code::MissingField, "required"))
    }

    /// Refuses a field no kind knows, so a misspelt one is not silently dropped.
    pub(super) fn finish(self) -> Result<(), Invalid> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(field) => Err(self.err(
                field,
                Code::UnknownField,
                format!("unknown field {field:?}"),
            )),
        }
    }
}
