//! A mail from templates (`templates/mail.txt`, `templates/mail.html`, HTML auto-escaped)
//! and Fluent texts. What goes in is only what [`Content`] holds — kinds, ids, the reader's
//! name — so no private note, plan, support need or confidential subject can reach a mail:
//! the notification's own stored title and body are never read here.

use std::sync::LazyLock;

use fluent_templates::LanguageIdentifier;
use minijinja::{Environment, context};
use serde::Serialize;
use uuid::Uuid;

use super::i18n::{self, args};
use crate::{error::AppResult, notifications::NotificationKind};

/// Most notifications listed in one digest; the rest are counted.
pub const DIGEST_MAX_ITEMS: usize = 30;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // Both are compiled into the binary and checked by the tests below.
    let _ = env.add_template("mail.txt", include_str!("../../templates/mail.txt"));
    let _ = env.add_template("mail.html", include_str!("../../templates/mail.html"));
    let _ = env.add_template(
        "unsubscribe.html",
        include_str!("../../templates/unsubscribe.html"),
    );
    env
});

/// One notification in a mail.
#[derive(Clone, Debug)]
pub struct Item {
    pub notification_id: Uuid,
    pub kind: NotificationKind,
    pub subject_id: Option<Uuid>,
}

impl Item {
    /// What a mail takes from a stored notification: its kind and ids. Its title and body
    /// — written for the in-app inbox, in one language, possibly naming a request — stay.
    ///
    /// # Errors
    /// INTERNAL for a kind this version does not know.
    pub fn from_row(row: &entity::notification::Model) -> AppResult<Self> {
        Ok(Self {
            notification_id: row.id,
            kind: NotificationKind::from_db(&row.kind)?,
            subject_id: row.subject_id,
        })
    }
}

/// Everything a mail may say.
#[derive(Clone, Debug)]
pub struct Content {
    pub lang: LanguageIdentifier,
    /// The reader's display name.
    pub name: String,
    pub items: Vec<Item>,
    /// Notifications of a digest beyond [`DIGEST_MAX_ITEMS`].
    pub more: usize,
    pub digest: bool,
    /// `MENTORSHIP_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
    /// The one-click unsubscribe link.
    pub unsubscribe_url: String,
}

/// A rendered mail.
#[derive(Clone, Debug, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Serialize)]
struct ItemView {
    title: String,
    text: String,
    link: String,
}

/// Renders `content`.
///
/// # Errors
/// INTERNAL if a template fails to render (a defect the tests catch).
pub fn render(content: &Content) -> AppResult<Rendered> {
    let lang = &content.lang;
    let none = i18n::Args::new();
    let t = |id: &str| i18n::text(lang, id, &none);
    let items: Vec<ItemView> = content
        .items
        .iter()
        .map(|item| {
            let (title, text) = i18n::kind_ids(item.kind);
            ItemView {
                title: t(&title),
                text: t(&text),
                link: link(&content.public_url, item),
            }
        })
        .collect();
    let total = content.items.len() + content.more;
    let subject = match (content.digest, items.first()) {
        (false, Some(first)) => first.title.clone(),
        _ => i18n::text(
            lang,
            "mail-digest-subject",
            &args([("count", total.into())]),
        ),
    };
    let ctx = context! {
        lang => lang.to_string(),
        subject => &subject,
        greeting => i18n::text(lang, "mail-greeting", &args([("name", content.name.clone().into())])),
        intro => content.digest.then(|| t("mail-digest-intro")),
        items => items,
        more => (content.more > 0)
            .then(|| i18n::text(lang, "mail-digest-more", &args([("count", content.more.into())]))),
        open => t("mail-open"),
        why => t("mail-why"),
        settings => t("mail-settings"),
        stop => t("mail-stop"),
        stop_url => &content.unsubscribe_url,
    };
    let fill = |name: &str| {
        TEMPLATES
            .get_template(name)
            .and_then(|template| template.render(&ctx))
            .map_err(crate::error::AppError::internal)
    };
    Ok(Rendered {
        text: fill("mail.txt")?,
        html: fill("mail.html")?,
        subject,
    })
}

/// The object's page in the portal: `{public}/{collection}/{id}`, or the inbox for a
/// notification about nothing in particular.
pub fn link(public_url: &str, item: &Item) -> String {
    use NotificationKind as K;
    let collection = match item.kind {
        K::MentorshipStarted
        | K::MentorshipEnded
        | K::MentorReassigned
        | K::CheckInDueSoon
        | K::CheckInOverdue
        | K::MentorUnavailable => "mentorships",
        K::SupportRequestOpened
        | K::SupportRequestRouted
        | K::SupportRequestReplied
        | K::SupportRequestEscalated
        | K::SupportRequestResolved => "support-requests",
        K::MentorAlertOpened | K::MentorAlertResolved => "mentor-alerts",
        K::AnnouncementPublished | K::RelayReminder => "announcements",
        K::MentorCallScheduled => "mentor-calls",
        K::MentorApplicationReceived | K::MentorApplicationUpdated => "mentor-applications",
        K::RoleGuidePublished => return format!("{public_url}/role-guide"),
        K::MentorBackFromBreak => return format!("{public_url}/notifications"),
    };
    match item.subject_id {
        Some(id) => format!("{public_url}/{collection}/{id}"),
        None => format!("{public_url}/notifications"),
    }
}

/// The page behind an unsubscribe link: a button (a link scanner's GET must not
/// unsubscribe anyone) or, after the POST, the confirmation.
///
/// # Errors
/// INTERNAL if the template fails to render.
pub fn unsubscribe_page(lang: &LanguageIdentifier, action: &str, done: bool) -> AppResult<String> {
    let none = i18n::Args::new();
    let t = |id: &str| i18n::text(lang, id, &none);
    TEMPLATES
        .get_template("unsubscribe.html")
        .and_then(|template| {
            template.render(context! {
                lang => lang.to_string(),
                title => t("unsubscribe-title"),
                confirm => t("unsubscribe-confirm"),
                done => done.then(|| t("unsubscribe-done")),
                action => action,
            })
        })
        .map_err(crate::error::AppError::internal)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn stored(kind: NotificationKind) -> entity::notification::Model {
        entity::notification::Model {
            id: Uuid::now_v7(),
            person_id: Uuid::now_v7(),
            kind: kind.as_str().into(),
            title: "SECRET-TITLE about SECRET-SUBJECT".into(),
            body: "SECRET-NOTE SECRET-PLAN SECRET-NEED".into(),
            subject_id: Some(Uuid::now_v7()),
            created_at: Utc::now(),
            read_at: None,
            mail_id: None,
        }
    }

    fn content(lang: LanguageIdentifier, items: Vec<Item>, digest: bool) -> Content {
        Content {
            lang,
            name: "Ana <b>&</b>".into(),
            items,
            more: usize::from(digest) * 3,
            digest,
            public_url: "https://portal.example".into(),
            unsubscribe_url: "https://portal.example/api/v1/mail/unsubscribe/t.s".into(),
        }
    }

    #[test]
    fn every_kind_renders_in_every_locale_without_stored_text() {
        let all: Vec<Item> = NotificationKind::ALL
            .iter()
            .map(|k| Item::from_row(&stored(*k)).unwrap())
            .collect();
        for lang in i18n::locales() {
            let mut subjects = Vec::new();
            for item in &all {
                let mail = render(&content(lang.clone(), vec![item.clone()], false)).unwrap();
                subjects.push(mail.subject.clone());
                check(&mail, &lang);
                assert!(mail.text.contains(&link("https://portal.example", item)));
            }
            let mut unique = subjects.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), subjects.len(), "{lang}: one title per kind");
            check(
                &render(&content(lang.clone(), all.clone(), true)).unwrap(),
                &lang,
            );
        }
    }

    fn check(mail: &Rendered, lang: &LanguageIdentifier) {
        for part in [&mail.subject, &mail.text, &mail.html] {
            assert!(!part.contains("SECRET"), "{lang}: stored text in {part}");
            assert!(
                !part.contains("kind-") && !part.contains("mail-"),
                "{lang}: an id: {part}"
            );
        }
        // The reader's name is escaped in HTML, verbatim in text.
        assert!(
            mail.html.contains("Ana &lt;b&gt;&amp;&lt;&#x2f;b&gt;"),
            "{}",
            mail.html
        );
        assert!(mail.text.contains("Ana <b>&</b>"));
        assert!(mail.html.contains(&format!("<html lang=\"{lang}\">")));
    }

    #[test]
    fn a_spanish_mail_is_in_spanish() {
        let item = Item::from_row(&stored(NotificationKind::MentorshipStarted)).unwrap();
        let mail = render(&content(i18n::language(Some("es-AR")), vec![item], false)).unwrap();
        assert_eq!(mail.subject, "Comenzó una mentoría");
        assert!(mail.text.contains("No quiero más correos"));
    }
}
