//! Mail texts in the reader's language, through Project Fluent: `locales/<lang>/*.ftl`,
//! compiled into the binary. A person's `locale` (`es-MX`, `es`, `en-GB`) picks the closest
//! locale present, then `en-US`; a message missing from a locale falls back to `en-US`.

use std::{borrow::Cow, collections::HashMap};

use fluent_templates::{
    LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid, static_loader,
};

use crate::notifications::NotificationKind;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en-US",
        // Plain-text mail has no use for Unicode bidi isolation marks around placeables.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The locale every message exists in.
pub const FALLBACK: LanguageIdentifier = langid!("en-US");

/// Arguments of one message.
pub type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

/// The carried locale to write to a person in: theirs, else one of their language
/// (`es-MX` → `es`), else `en-US`.
pub fn language(locale: Option<&str>) -> LanguageIdentifier {
    let Some(wanted) = locale.and_then(|l| l.parse::<LanguageIdentifier>().ok()) else {
        return FALLBACK;
    };
    let carried = locales();
    if carried.contains(&wanted) {
        return wanted;
    }
    carried
        .into_iter()
        .find(|l| l.language == wanted.language)
        .unwrap_or(FALLBACK)
}

/// Message `id` in `lang` (with fallbacks); the id itself if no locale has it, which the
/// completeness test below keeps from happening.
pub fn text(lang: &LanguageIdentifier, id: &str, args: &Args) -> String {
    LOCALES
        .try_lookup_with_args(lang, id, args)
        .unwrap_or_else(|| id.to_owned())
}

/// One argument.
pub fn args<const N: usize>(pairs: [(&'static str, FluentValue<'static>); N]) -> Args {
    pairs
        .into_iter()
        .map(|(k, v)| (Cow::Borrowed(k), v))
        .collect()
}

/// The message ids of a notification kind: its title and its one-line explanation.
pub fn kind_ids(kind: NotificationKind) -> (String, String) {
    let stem = format!("kind-{}", kind.as_str().to_lowercase().replace('_', "-"));
    let text = format!("{stem}-text");
    (stem, text)
}

/// Every message id the service looks up, besides the kinds' ([`kind_ids`]).
pub const MESSAGE_IDS: &[&str] = &[
    "mail-greeting",
    "mail-open",
    "mail-why",
    "mail-stop",
    "mail-settings",
    "mail-digest-subject",
    "mail-digest-intro",
    "mail-digest-more",
    "unsubscribe-title",
    "unsubscribe-confirm",
    "unsubscribe-done",
    "calendar-name",
    "calendar-check-in",
    "calendar-check-in-due",
    "calendar-mentor-call",
];

/// Every locale the binary carries.
pub fn locales() -> Vec<LanguageIdentifier> {
    LOCALES.locales().cloned().collect()
}

/// Whether `lang` itself (no fallback) has message `id`.
pub fn has(lang: &LanguageIdentifier, id: &str) -> bool {
    // Every placeable the messages use, so a present message formats without an error.
    let any = args([
        ("name", "x".into()),
        ("count", 2.into()),
        ("mentor", "x".into()),
        ("mentee", "x".into()),
    ]);
    LOCALES.lookup_single_language(lang, id, Some(&any)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_id() -> Vec<String> {
        let mut ids: Vec<String> = MESSAGE_IDS.iter().map(|s| (*s).to_owned()).collect();
        for kind in NotificationKind::ALL {
            let (title, text) = kind_ids(*kind);
            ids.extend([title, text]);
        }
        ids
    }

    #[test]
    fn en_us_has_every_message_the_service_uses() {
        let missing: Vec<String> = every_id()
            .into_iter()
            .filter(|id| !has(&FALLBACK, id))
            .collect();
        assert!(missing.is_empty(), "missing from en-US: {missing:?}");
    }

    #[test]
    fn every_message_of_another_locale_exists_in_en_us() {
        // A message only a translation has would never be looked up: a typo in its id.
        for path in std::fs::read_dir("locales").unwrap() {
            let dir = path.unwrap().path();
            for file in std::fs::read_dir(&dir).unwrap() {
                let source = std::fs::read_to_string(file.unwrap().path()).unwrap();
                for id in source.lines().filter_map(message_id) {
                    assert!(
                        has(&FALLBACK, id),
                        "{} has {id}, en-US has not",
                        dir.display()
                    );
                }
            }
        }
        assert!(locales().contains(&langid!("es")), "es is carried");
    }

    #[test]
    fn spanish_readers_get_spanish_and_others_fall_back() {
        let none = Args::new();
        assert_eq!(
            text(&language(Some("es-MX")), "mail-open", &none),
            "Ábrelo en el portal"
        );
        assert_eq!(
            text(&language(Some("de")), "mail-open", &none),
            "Open it in the portal"
        );
        assert_eq!(
            text(&language(Some("??")), "mail-open", &none),
            "Open it in the portal"
        );
        let two = args([("count", 2.into())]);
        assert!(
            text(&language(Some("es")), "mail-digest-subject", &two).contains("2 notificaciones")
        );
    }

    fn message_id(line: &str) -> Option<&str> {
        let (id, _) = line.split_once(" =")?;
        (!id.starts_with(['#', ' ', '-', '.']) && !id.is_empty()).then_some(id)
    }
}
