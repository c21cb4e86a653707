//! GraphQL: `programMetrics` (each section computed when selected) and `metricsHistory`.

use async_graphql::{Context, InputObject, Object};

use super::{
    history::{self, Granularity},
    model::*,
    service::{self, Window, WindowFields},
};
use crate::{graphql::request, timestamp::Timestamp};

/// A period: `[from, to)`.
#[derive(InputObject, Clone, Copy)]
pub struct PeriodInput {
    /// Where the window starts (inclusive).
    pub from: Timestamp,
    /// Exclusive; not after `asOf`.
    pub to: Timestamp,
}

/// Program metrics.
#[derive(Default)]
pub struct MetricsQuery;

#[Object]
impl MetricsQuery {
    /// Every program figure (council, or a machine token with `metrics:read`). `asOf`
    /// (default now) is the moment described; `period` (default the 30 days up to `asOf`,
    /// at most three years) is the window of the "in the period" figures.
    async fn program_metrics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The moment the figures describe (RFC 3339); default now.")] as_of: Option<
            Timestamp,
        >,
        #[graphql(
            desc = "The window of the \"in the period\" figures; default the 30 days up to `asOf`, at most three years."
        )]
        period: Option<PeriodInput>,
    ) -> async_graphql::Result<ProgramMetrics> {
        let (state, rc) = request(ctx).await?;
        let window = Window::authorize(
            rc,
            state.clock().now(),
            as_of.map(|t| t.0),
            period.map(|p| p.from.0),
            period.map(|p| p.to.0),
            WindowFields::GRAPHQL,
        )?;
        Ok(ProgramMetrics(window))
    }

    /// The main figures per month from the month holding `from` to the one holding `to`
    /// (default now), at most 36 months (council, or `metrics:read`).
    async fn metrics_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How the figures are grouped; months only, for now.")]
        granularity: Granularity,
        #[graphql(desc = "A moment in the first month to report (RFC 3339).")] from: Timestamp,
        #[graphql(desc = "A moment in the last month to report (RFC 3339); default now.")]
        to: Option<Timestamp>,
    ) -> async_graphql::Result<Vec<MonthFigures>> {
        let (state, rc) = request(ctx).await?;
        let Granularity::Month = granularity;
        let (from, to) = (from.0, to.map(|t| t.0));
        Ok(history::metrics_history(state.db(), rc, state.clock().now(), from, to).await?)
    }
}

/// The figures of one window; each section is one or two aggregate statements, run only
/// when selected.
pub struct ProgramMetrics(Window);

/// The figures the council watches the program by (mentor load, check-in coverage,
/// support response times, reach of announcements, onboarding), as of one moment and over
/// one period; each section is computed only when selected.
#[Object]
impl ProgramMetrics {
    /// The moment the "as of" figures describe.
    async fn as_of(&self) -> Timestamp {
        Timestamp(self.0.as_of)
    }

    /// Start of the period (inclusive).
    async fn from(&self) -> Timestamp {
        Timestamp(self.0.from)
    }

    /// End of the period (exclusive).
    async fn to(&self) -> Timestamp {
        Timestamp(self.0.to)
    }

    /// Mentors by status.
    async fn mentors(&self, ctx: &Context<'_>) -> async_graphql::Result<MentorCounts> {
        let (state, _) = request(ctx).await?;
        Ok(service::mentors(state.db(), &self.0).await?)
    }

    /// Mentees per mentor at `asOf`.
    async fn load(&self, ctx: &Context<'_>) -> async_graphql::Result<LoadMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::load(state.db(), &self.0).await?)
    }

    /// Reps without a mentor at `asOf`, and for how long.
    async fn orphans(&self, ctx: &Context<'_>) -> async_graphql::Result<OrphanMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::orphans(state.db(), &self.0).await?)
    }

    /// Check-in coverage and overdue check-ins at `asOf`.
    async fn check_ins(&self, ctx: &Context<'_>) -> async_graphql::Result<CheckInMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::check_ins(state.db(), &self.0, state.settings()).await?)
    }

    /// Support requests: open and escalated at `asOf`, response times in the period.
    async fn support(&self, ctx: &Context<'_>) -> async_graphql::Result<SupportMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::support(state.db(), &self.0).await?)
    }

    /// Mentor alerts opened and resolved in the period, open at `asOf`.
    async fn alerts(&self, ctx: &Context<'_>) -> async_graphql::Result<AlertMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::alerts(state.db(), &self.0).await?)
    }

    /// Mentors onboarded in the period and how long it took.
    async fn onboarding(&self, ctx: &Context<'_>) -> async_graphql::Result<OnboardingMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::onboarding(state.db(), &self.0).await?)
    }

    /// Reach at `asOf` of the announcements published in the period.
    async fn announcements(&self, ctx: &Context<'_>) -> async_graphql::Result<ReachMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::reach(state.db(), &self.0).await?)
    }

    /// Acknowledgement of the role guide current at `asOf`.
    async fn role_guide(&self, ctx: &Context<'_>) -> async_graphql::Result<RoleGuideMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::role_guide(state.db(), &self.0).await?)
    }

    /// Attendance of the mentor calls held in the period.
    async fn calls(&self, ctx: &Context<'_>) -> async_graphql::Result<CallMetrics> {
        let (state, _) = request(ctx).await?;
        Ok(service::calls(state.db(), &self.0).await?)
    }
}
