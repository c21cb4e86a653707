#!/usr/bin/env bash
# Benchmark (not a test): latency of the whole `programMetrics` query, and of
# /api/v1/metrics, over HTTP, against a program seeded with `seed --scale`.
#
#   bench/metrics.sh [SCALE] [REQUESTS]
#
# SCALE 1 = 10,000 reps, 500 mentors, 50,000 check-ins. DATABASE_URL picks the database
# (an empty one: it is migrated and seeded); default: a fresh SQLite file in a temp dir.
# BIN picks the binary (default: a release build); SEED=0 uses a database already seeded
# (so several runs can measure the same one).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
requests=${2:-30}
if [[ -z "${BIN:-}" ]]; then
  cargo build --release --locked -q
  BIN=target/release/mentorship-api
fi
work=$(mktemp -d)
pid=
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export DATABASE_URL=${DATABASE_URL:-"sqlite://$work/bench.db?mode=rwc"}
export MENTORSHIP_LISTEN=127.0.0.1:${PORT:-18080}
base="http://$MENTORSHIP_LISTEN"

"$BIN" migrate up >/dev/null
[[ "${SEED:-1}" == 0 ]] || echo "seed: $("$BIN" seed --scale "$scale")"
"$BIN" dev --db "$work/bench.db" >"$work/dev.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
token=$(curl -fsS -u bench:bench -d grant_type=client_credentials -d scope=metrics:read \
  "$base/dev/oidc/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

query='{ programMetrics { mentors { total } load { menteesPerMentor { median p90 max } overCapacity atCapacity activeMentorships } orphans { count daysWithoutMentor { median p90 } } checkIns { coverage overdue } support { open escalated openedInPeriod hoursToFirstResponse { median p90 } } alerts { openedInPeriod resolvedInPeriod open } onboarding { mentorsOnboardedInPeriod completedInPeriod daysApplicationToCompletion { median } daysCompletionToFirstMentee { median } } announcements { overall { reachedShare } perAnnouncement { reached pending notReachable } } roleGuide { acknowledgedShare } calls { attendanceShare } } }'
printf '{"query":"%s"}' "$query" >"$work/query.json"

# Prints "min median p95 max" in milliseconds of REQUESTS timed calls of curl "$@".
measure() {
  curl -fsS -o /dev/null "$@" # warm-up
  for _ in $(seq "$requests"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' "$@"
  done | sort -n | awk '{ v[NR] = $1 * 1000 } END {
    p95 = int(NR * 0.95 + 0.999); if (p95 > NR) p95 = NR
    printf "min %.0f ms, median %.0f ms, p95 %.0f ms, max %.0f ms (%d requests)\n",
      v[1], v[int((NR + 1) / 2)], v[p95], v[NR], NR }'
}

echo "database: ${DATABASE_URL%%:*}, scale $scale"
echo "programMetrics (every figure): $(measure "$base/graphql" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" -d @"$work/query.json")"
echo "GET /api/v1/metrics:           $(measure "$base/api/v1/metrics" -H "authorization: Bearer $token")"
