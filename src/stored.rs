//! Enums stored as text, mapped one way everywhere and strictly: `stored_enum!` gives an enum
//! its stored spelling (`as_str`), every value (`ALL`) and `from_db`, which reads an unknown
//! spelling as an INTERNAL fault — a corrupt or newer row is reported, never read as some
//! default that would then be acted on.

use crate::error::{AppError, AppResult};

/// A stored spelling no variant has.
#[derive(Debug, thiserror::Error)]
#[error("unknown stored {kind} {value:?}")]
pub struct UnknownStored {
    /// The enum read.
    pub kind: &'static str,
    /// What the row held.
    pub value: String,
}

/// Reads rows into domain values, failing on the first corrupt one.
///
/// # Errors
/// INTERNAL for a row with an unknown stored value.
pub fn read_all<R, T>(rows: Vec<R>) -> AppResult<Vec<T>>
where
    T: TryFrom<R, Error = AppError>,
{
    rows.into_iter().map(T::try_from).collect()
}

/// Declares `as_str`, `ALL` and a strict `from_db` for an enum declared just before:
/// `stored_enum!(CallStatus { Scheduled => "SCHEDULED", Held => "HELD" });`
macro_rules! stored_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Reads the stored spelling.
            ///
            /// # Errors
            /// INTERNAL for a spelling no variant has.
            pub fn from_db(raw: &str) -> $crate::error::AppResult<Self> {
                match raw {
                    $($text => Ok(Self::$variant),)+
                    other => Err($crate::error::AppError::internal($crate::stored::UnknownStored {
                        kind: stringify!($name),
                        value: other.to_owned(),
                    })),
                }
            }
        }
    };
}

pub(crate) use stored_enum;
