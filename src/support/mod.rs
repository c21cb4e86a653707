//! Reaching out: a rep opens a support request to their mentor or to the council, and the
//! thread of replies that follows.
//!
//! Rules owned here: a request to the mentor goes to the current mentor, or to the council
//! when the rep has no active mentorship or the mentor is not ACTIVE (the rep is told so); a
//! MENTOR_CHANGE request always goes to the council and is confidential — the mentor never
//! sees it; the first reply by someone other than the requester sets `firstResponseAt` and
//! ACKNOWLEDGED; a request to a mentor unanswered for `MENTORSHIP_SUPPORT_SLA` is ESCALATED
//! to the council exactly once ([`escalate`]); resolved and closed requests take no replies.
//! Visible to the requester, the mentor addressed (unless confidential) and the council.

pub mod escalate;
pub mod graphql;
pub mod model;
pub mod repo;
pub mod service;
pub mod watch;
