//! Authorization rules, one named function per rule. Every service operation starts with
//! one of these; resolvers never check roles themselves. Rights over particular mentees come
//! from mentorship rows, never from the token alone.

use uuid::Uuid;

use super::{
    Role,
    actor::{Actor, PersonActor},
};
use crate::error::{AppError, AppResult};

/// How much of a person the viewer may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Nothing: the person is reported NOT_FOUND.
    None,
    /// Id, name and roles: a participant of a mentorship the viewer can see.
    Minimal,
    /// Public profile: mentors and council members, to every signed-in person.
    Public,
    /// Personal data: the person themself, their current mentor, the council.
    Full,
}

/// The caller must be a person, not a machine client.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub fn require_person(actor: &Actor) -> AppResult<&PersonActor> {
    actor.person().ok_or_else(|| {
        AppError::Forbidden("this operation needs a person with a program role".into())
    })
}

/// The caller must be a council member.
///
/// # Errors
/// FORBIDDEN otherwise.
pub fn require_council(actor: &Actor) -> AppResult<&PersonActor> {
    let person = require_person(actor)?;
    if person.has(Role::Council) {
        Ok(person)
    } else {
        Err(AppError::Forbidden("only the council may do this".into()))
    }
}

/// Whether the caller sees the council's oversight fields — reach, attendance, who read the
/// role guide, application counts per round. Everyone else gets `null` there, not an error,
/// so one query serves every role.
pub fn sees_oversight(actor: &Actor) -> bool {
    actor.person().is_some_and(|p| p.has(Role::Council))
}

/// The scope a machine client needs to read program metrics.
pub const METRICS_READ: &str = "metrics:read";

/// The caller must be a council member, or a machine client granted `metrics:read`.
///
/// # Errors
/// FORBIDDEN otherwise.
pub fn require_metrics_reader(actor: &Actor) -> AppResult<()> {
    let allowed = match actor {
        Actor::Person(person) => person.has(Role::Council),
        Actor::Machine { scopes, .. } => scopes.contains(METRICS_READ),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "metrics are for the council and for clients with the {METRICS_READ} scope"
        )))
    }
}

/// The caller must be the mentor `mentor_id` (editing their own profile) or the council.
///
/// # Errors
/// FORBIDDEN otherwise.
pub fn require_self_or_council(actor: &Actor, person_id: Uuid) -> AppResult<&PersonActor> {
    let person = require_person(actor)?;
    if person.id == person_id || person.has(Role::Council) {
        Ok(person)
    } else {
        Err(AppError::Forbidden(
            "only the person themself or the council may do this".into(),
        ))
    }
}

/// Whether the caller is the person `person_id` — the rule of what only a person sees of
/// themselves, not even the council: e-mail preferences, the calendar feed URL.
pub fn is_self(actor: &Actor, person_id: Uuid) -> bool {
    actor.person().is_some_and(|p| p.id == person_id)
}

/// What `viewer` may see of `target`, given the target's roles and current mentor.
pub fn person_access(
    viewer: &PersonActor,
    target_id: Uuid,
    target_is_public: bool,
    target_current_mentor: Option<Uuid>,
) -> Access {
    if viewer.id == target_id
        || viewer.has(Role::Council)
        || target_current_mentor == Some(viewer.id)
    {
        Access::Full
    } else if target_is_public {
        Access::Public
    } else {
        Access::None
    }
}

/// Personal data of a person (contact details, mentorship history) needs full access.
pub fn sees_personal_data(access: Access) -> bool {
    access == Access::Full
}

/// The parties of a mentorship, as far as visibility is concerned.
#[derive(Clone, Copy, Debug)]
pub struct Parties {
    /// The mentorship's mentor.
    pub mentor: Uuid,
    /// The mentorship's mentee.
    pub mentee: Uuid,
    /// The mentee's current mentor, if any (may be another person).
    pub mentee_current_mentor: Option<Uuid>,
}

/// A mentorship is visible to its mentee, its mentor (also once it ended), the mentee's
/// current mentor (their history) and the council.
pub fn can_view_mentorship(viewer: &PersonActor, parties: Parties) -> bool {
    viewer.has(Role::Council)
        || viewer.id == parties.mentee
        || viewer.id == parties.mentor
        || parties.mentee_current_mentor == Some(viewer.id)
}

/// Plans, support needs and notes of a check-in stay between the two participants of its
/// mentorship: `null` for the council and for any later mentor.
pub fn can_read_check_in_notes(viewer: &PersonActor, parties: Parties) -> bool {
    viewer.id == parties.mentee || viewer.id == parties.mentor
}

/// Only the mentor or the mentee of a mentorship may schedule, record or cancel its
/// check-ins (whether it is still active is the check-in service's rule).
///
/// # Errors
/// NOT_FOUND for anyone who cannot see the mentorship, FORBIDDEN for those who can.
pub fn require_check_in_participant(viewer: &PersonActor, parties: Parties) -> AppResult<()> {
    if viewer.id == parties.mentee || viewer.id == parties.mentor {
        Ok(())
    } else if can_view_mentorship(viewer, parties) {
        Err(AppError::Forbidden(
            "only the mentor and the mentee log their meetings".into(),
        ))
    } else {
        Err(AppError::NotFound("no such mentorship".into()))
    }
}

/// Which rows of a list the caller sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every row (the council).
    All,
    /// The rows that concern this person.
    Own(Uuid),
}

/// The rule of every "council sees all, others see their own" list: alerts, calls,
/// announcements, applications, support requests.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub fn list_scope(actor: &Actor) -> AppResult<Scope> {
    let person = require_person(actor)?;
    Ok(if person.has(Role::Council) {
        Scope::All
    } else {
        Scope::Own(person.id)
    })
}

/// A mentor call is visible to the council and to the mentors invited to it.
pub fn can_view_call(viewer: &PersonActor, invited: bool) -> bool {
    viewer.has(Role::Council) || invited
}

/// Only an invited mentor answers an invitation; to anyone else the call does not exist.
///
/// # Errors
/// NOT_FOUND unless invited.
pub fn require_invited(invited: bool) -> AppResult<()> {
    if invited {
        Ok(())
    } else {
        Err(AppError::NotFound("no such mentor call".into()))
    }
}

/// An announcement is visible to the council and to the people it was sent to.
pub fn can_view_announcement(viewer: &PersonActor, received: bool) -> bool {
    viewer.has(Role::Council) || received
}

/// Only a recipient relays an announcement (and confirms it); to anyone else it does not
/// exist.
///
/// # Errors
/// NOT_FOUND unless the caller received it.
pub fn require_recipient(received: bool) -> AppResult<()> {
    if received {
        Ok(())
    } else {
        Err(AppError::NotFound("no such announcement".into()))
    }
}

/// The notes of a mentorship (the assignment's and the ending's) are for the council and
/// the two parties.
pub fn can_read_mentorship_notes(viewer: &PersonActor, mentor: Uuid, mentee: Uuid) -> bool {
    viewer.has(Role::Council) || viewer.id == mentor || viewer.id == mentee
}

/// A mentor's current mentees are listed to the mentor themself and to the council.
pub fn can_list_mentees_of(viewer: &PersonActor, mentor: Uuid) -> bool {
    viewer.id == mentor || viewer.has(Role::Council)
}

/// A support request is visible to its requester, to the mentor it is addressed to unless it
/// is confidential, and to the council.
pub fn can_view_support_request(viewer: &PersonActor, facts: SupportFacts) -> bool {
    viewer.has(Role::Council)
        || viewer.id == facts.requester
        || (!facts.confidential && facts.assigned_mentor == Some(viewer.id))
}

/// What [`can_view_support_request`] reads of a request.
#[derive(Clone, Copy, Debug)]
pub struct SupportFacts {
    /// Who opened it.
    pub requester: Uuid,
    /// The mentor it is addressed to, if any.
    pub assigned_mentor: Option<Uuid>,
    /// Meant for the council only.
    pub confidential: bool,
}

/// Only live mentors and people with an open mentor application acknowledge the role guide.
///
/// # Errors
/// FORBIDDEN otherwise.
pub fn require_mentor_or_applicant(
    is_live_mentor: bool,
    has_open_application: bool,
) -> AppResult<()> {
    if is_live_mentor || has_open_application {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only mentors and mentor applicants acknowledge the role guide".into(),
        ))
    }
}

/// Only live mentors (a profile, not retired) report their load.
///
/// # Errors
/// FORBIDDEN otherwise.
pub fn require_live_mentor(is_live_mentor: bool) -> AppResult<()> {
    if is_live_mentor {
        Ok(())
    } else {
        Err(AppError::Forbidden("only mentors report their load".into()))
    }
}

/// A mentor application is visible to its applicant and the council.
pub fn can_view_application(viewer: &PersonActor, applicant: Uuid) -> bool {
    viewer.id == applicant || viewer.has(Role::Council)
}

/// Who takes a step of an application: the council moves it forward or declines it, the
/// applicant withdraws it (`stepper` is `None` for a status no step reaches).
///
/// # Errors
/// FORBIDDEN for a step that is not the caller's to take.
pub fn require_application_step(
    viewer: &PersonActor,
    stepper: Option<Stepper>,
    applicant: Uuid,
) -> AppResult<()> {
    match stepper {
        Some(Stepper::Council) if !viewer.has(Role::Council) => Err(AppError::Forbidden(
            "only the council moves an application forward or declines it".into(),
        )),
        Some(Stepper::Applicant) if viewer.id != applicant => Err(AppError::Forbidden(
            "only the applicant withdraws an application".into(),
        )),
        _ => Ok(()),
    }
}

/// Who may take an application's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stepper {
    /// Review, onboarding, completion, decline.
    Council,
    /// Withdrawal.
    Applicant,
}
