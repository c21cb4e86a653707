#!/usr/bin/env bash
# Prints the program's headline figures the way a council script gets them: a
# client-credentials token from the OIDC provider, then one GraphQL query.
#
#   examples/council_metrics.sh                  # against `cargo run -- dev`
#
#   MENTORSHIP_API=https://mentorship.example.org \
#   TOKEN_URL=https://sso.example.org/realms/reps/protocol/openid-connect/token \
#   CLIENT_ID=council-metrics CLIENT_SECRET=… examples/council_metrics.sh
#
# Needs curl and jq. The client must be granted the `metrics:read` scope.
set -euo pipefail

api=${MENTORSHIP_API:-http://127.0.0.1:8080}
token_url=${TOKEN_URL:-$api/dev/oidc/token}
client_id=${CLIENT_ID:-council-metrics}
client_secret=${CLIENT_SECRET:-dev}

token=$(curl -fsS -u "$client_id:$client_secret" \
  -d grant_type=client_credentials -d scope=metrics:read "$token_url" | jq -r .access_token)

query='{ programMetrics {
  asOf from to
  mentors { total active paused overwhelmed }
  load { menteesPerMentor { median p90 max } overCapacity activeMentorships }
  orphans { count daysWithoutMentor { median max } }
  checkIns { coverage overdue }
  support { open escalated hoursToFirstResponse { median p90 } }
  onboarding { mentorsOnboardedInPeriod }
  announcements { overall { reachedShare } }
  roleGuide { version acknowledgedShare }
  calls { attendanceShare } } }'

curl -fsS "$api/graphql" -H 'content-type: application/json' -H "authorization: Bearer $token" \
  -d "$(jq -n --arg q "$query" '{query: $q}')" |
  jq -r '
    if .errors then ("\(.errors[0].extensions.code): \(.errors[0].message)" | halt_error(1)) else . end
    | .data.programMetrics as $m
    | def pct: (. * 1000 | round) / 10 | tostring + " %";
      def num: (. * 10 | round) / 10 | tostring;
      "Program metrics as of \($m.asOf) (period \($m.from) to \($m.to))",
      "  mentors                    \($m.mentors.total) (\($m.mentors.active) active, \($m.mentors.paused) on a break, \($m.mentors.overwhelmed) overwhelmed)",
      "  mentees per mentor         median \($m.load.menteesPerMentor.median | num), p90 \($m.load.menteesPerMentor.p90 | num), max \($m.load.menteesPerMentor.max | num); \($m.load.overCapacity) over capacity",
      "  active mentorships         \($m.load.activeMentorships)",
      "  reps without a mentor      \($m.orphans.count) (median \($m.orphans.daysWithoutMentor.median | num) days, longest \($m.orphans.daysWithoutMentor.max | num))",
      "  check-in coverage          \($m.checkIns.coverage | pct); \($m.checkIns.overdue) overdue",
      "  support requests           \($m.support.open) open, \($m.support.escalated) escalated; first answer median \($m.support.hoursToFirstResponse.median | num) h, p90 \($m.support.hoursToFirstResponse.p90 | num) h",
      "  mentors onboarded          \($m.onboarding.mentorsOnboardedInPeriod) in the period",
      "  announcement reach         \($m.announcements.overall.reachedShare | pct)",
      "  role guide acknowledged    \($m.roleGuide.acknowledgedShare | pct) (version \($m.roleGuide.version // "none"))",
      "  mentor-call attendance     \($m.calls.attendanceShare | pct)"'
