//! Calendar feeds: one unguessable URL per person (`…/api/v1/calendar/{token}.ics`, for
//! calendar apps, which cannot send bearer tokens) with their planned check-ins, the next
//! due date of each of their mentorships, and the mentor calls they are invited to.
//!
//! Rules owned here: only the person sees their URL (`Person.calendarFeedUrl` on `me`);
//! `rotateCalendarFeedUrl` makes every earlier URL answer 404; an erased person has no feed;
//! a feed never holds a check-in's agenda, notes, plans or support needs.

pub mod feed;
pub mod graphql;
pub mod token;
