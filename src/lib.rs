//! mentorship-api: the mentorship side of a volunteer program (first user: Mozilla Reps).

pub mod alerts; // mentors' load and availability, for the council
pub mod announcements; // council announcements, relays and reach
pub mod audit; // the audit log of council and assignment actions
pub mod auth; // tokens → principals, and the authorization rules
pub mod calendar; // calendar feeds of check-ins, due dates and mentor calls
pub mod calls; // mentor calls with the council, RSVPs and attendance
pub mod check_in; // touch-base meetings
pub mod cli; // the command line
pub mod clock; // injectable time
pub mod commands; // the command line's command bodies
pub mod config; // typed, layered settings
pub mod council; // council points of contact
pub mod db; // connect, migrate, readiness, write transactions
pub mod demo; // demo data for `dev`
pub mod dev; // what `dev` prints and prepares
pub mod error; // the one error type and its codes
pub mod events; // domain events, published after commit
pub mod graphql; // the resolvers' kit: context, ids, paging, loaders, limits
pub mod http; // router, layers, health, OpenAPI, the GraphQL transports
pub mod idempotency; // Idempotency-Key: one run per caller and key, the answer stored
pub mod import; // `import FILE`: a program's history from its old portal
pub mod jobs; // periodic work, once across instances
pub mod links; // signed links that work without signing in
pub mod live; // live-update hints across instances (LISTEN/NOTIFY)
pub mod mail; // e-mail delivery of notifications, preferences, templates
pub mod mentor; // mentor profiles, capacity, the directory
pub mod mentorship; // assignments, history, due dates, suggestions
pub mod metrics; // program figures for the council and its scripts
pub mod notifications; // each person's inbox
pub mod onboarding; // new mentors: applications, checklists, rounds
pub mod paging; // keyset pages and lazy totals, for every list
pub mod people; // reps, mentors, council members
pub mod persisted; // automatic persisted queries: documents by hash, shared
pub mod privacy; // data rights: export of everything stored about a person, erasure
pub mod rate_limit; // per-caller request and cost budgets, failed sign-ins per address
pub mod request; // what a service call knows about its request
pub mod role_guide; // the versioned mentor role guide
pub mod schema; // every domain's roots merged into the one schema
pub mod secret; // values that never reach a log
pub mod server; // the HTTP server loop: timeouts, graceful stop with a deadline
pub mod shutdown; // telling sockets the process is stopping
pub mod startup; // building and running an instance
pub mod state; // state shared by handlers and resolvers
pub mod stored; // enums stored as text, read strictly
pub mod support; // reaching out: support requests and their threads
pub mod telemetry;
pub mod timestamp; // the DateTime scalar: RFC 3339 with Z // logging
