#!/usr/bin/env bash
# Benchmark (not a test): ours against the auto-generated peer, PostGraphile 4.14.1, on one
# throwaway PostgreSQL seeded by our own `seed --scale`. Ours runs the release build in `dev`
# on that database and verifies every request's ES256 token; the peer has no authentication.
# Scenarios run interleaved, in rounds, so the noise of a shared machine hits both sides:
#
#   bench/compare.sh [SCALE] [ROUNDS] [SECONDS]      (defaults: 1 3 20; WARMUP=5 seconds)
#   PROFILE="portal c=4" bench/compare.sh …          (also: perf's top entries for ours)
#
# Prints per round and scenario: req/s, p50, p99 of each side and the ratio ours/peer, then
# the median ratio, statements per request (pg_stat_statements), response bytes and each
# server's peak RSS. Needs: wrk (Debian's package), node + npm (PostGraphile from the
# committed lockfile), PostgreSQL's server binaries (run as an unprivileged user).
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1}
rounds=${2:-3}
secs=${3:-20}
warm=${WARMUP:-5}
root=$PWD

command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q
BIN=$root/target/release/mentorship-api
(cd bench/postgraphile && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

work=$(mktemp -d /tmp/mbench.XXXXXX)
chmod 755 "$work"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PG_PORT:-55433}
OURS_PORT=${OURS_PORT:-18081}
PEER_PORT=${PEER_PORT:-18082}
ours_pid= peer_pid=
cleanup() {
  [[ -n "$ours_pid" ]] && kill "$ours_pid" 2>/dev/null || true
  [[ -n "$peer_pid" ]] && kill "$peer_pid" 2>/dev/null || true
  su pgbench -s /bin/bash -c "'$PG_BIN/pg_ctl' -D '$work/pg' -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# A throwaway PostgreSQL (postgres refuses to run as root).
id -u pgbench >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgbench
chown pgbench "$work"
su pgbench -s /bin/bash -c "'$PG_BIN/initdb' -D '$work/pg' -U postgres --auth=trust" >/dev/null
su pgbench -s /bin/bash -c "'$PG_BIN/pg_ctl' -D '$work/pg' -l '$work/pg.log' -w -o \"-p $PG_PORT \
  -k '$work' -c listen_addresses=127.0.0.1 -c max_connections=200 \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all\" start" >/dev/null
psql() { command psql -q -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE bench"
psql -d bench -c "CREATE EXTENSION pg_stat_statements"
DB="postgres://postgres@127.0.0.1:$PG_PORT/bench"

# Ours: migrated, seeded, then `dev` on that database (rate limits off: this is load).
export DATABASE_URL=$DB MENTORSHIP_LISTEN=127.0.0.1:$OURS_PORT
export MENTORSHIP_OIDC_ISSUER="http://127.0.0.1:$OURS_PORT/dev/oidc"
export MENTORSHIP_JOBS_INTERVAL=24h MENTORSHIP_RATE_LIMIT_PER_MINUTE=0 MENTORSHIP_COST_LIMIT_PER_MINUTE=0
"$BIN" migrate up >/dev/null
echo "seed: $("$BIN" seed --scale "$scale")"
"$BIN" dev --db "$work/dev.db" >"$work/ours.log" 2>&1 &
ours_pid=$!
node bench/postgraphile/node_modules/postgraphile/cli.js -c "$DB" --schema public \
  --disable-graphiql --port "$PEER_PORT" >"$work/peer.log" 2>&1 &
peer_pid=$!
ours="http://127.0.0.1:$OURS_PORT/graphql"
peer="http://127.0.0.1:$PEER_PORT/graphql"
for _ in $(seq 300); do
  curl -fs "http://127.0.0.1:$OURS_PORT/readyz" >/dev/null 2>&1 &&
    curl -fs -o /dev/null -H 'content-type: application/json' -d '{"query":"{__typename}"}' "$peer" 2>/dev/null && break
  sleep 0.2
done

token() {
  curl -fsS "http://127.0.0.1:$OURS_PORT/dev/oidc/token" -H 'content-type: application/json' \
    -d "{\"role\": \"$1\", \"subject\": \"$2\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
council=$(token council bench-council)
person_id=$(psql -d bench -c "SELECT id FROM person ORDER BY id LIMIT 1 OFFSET 100")
read -r mentor_subject mentorship_id < <(psql -d bench -F ' ' -c "SELECT p.subject, m.id FROM \
  mentorship m JOIN person p ON p.id = m.mentor_id WHERE m.status = 'ACTIVE' ORDER BY m.id LIMIT 1")
mentor=$(token mentor "$mentor_subject")

# name | side | concurrency | token | body
json() { python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1], "variables": json.loads(sys.argv[2])}))' "$1" "$2"; }
portal_ours='{ mentors(first: 50) { nodes { id displayName mentees(first: 30) { nodes { id displayName currentMentorship { checkIns(first: 3, orderBy: HELD_AT_DESC) { nodes { id heldAt notes } } } } } } } }'
portal_peer='{ allMentorProfiles(first: 50, orderBy: PERSON_ID_ASC) { nodes { personByPersonId { id displayName mentorshipsByMentorId(first: 30, condition: {status: "ACTIVE"}) { nodes { personByMenteeId { id displayName } checkInsByMentorshipId(first: 3, orderBy: HELD_AT_DESC) { nodes { id heldAt notes } } } } } } } }'
metrics='{ programMetrics { mentors { total } load { activeMentorships } orphans { count } checkIns { coverage overdue } support { open } alerts { open } onboarding { completedInPeriod } announcements { overall { reachedShare } } roleGuide { acknowledgedShare } calls { attendanceShare } } }'
cat >"$work/scenarios" <<SCEN
person c=32|ours|32|$council|$(json 'query($id: ID!) { person(id: $id) { id displayName } }' "{\"id\": \"$person_id\"}")
person c=32|peer|32||$(json 'query($id: UUID!) { personById(id: $id) { id displayName } }' "{\"id\": \"$person_id\"}")
portal c=4|ours|4|$council|$(json "$portal_ours" '{}')
portal c=4|peer|4||$(json "$portal_peer" '{}')
portal c=32|ours|32|$council|$(json "$portal_ours" '{}')
portal c=32|peer|32||$(json "$portal_peer" '{}')
recordCheckIn c=16|ours|16|$mentor|$(json 'mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at, notes: "bench"}) { id } }' "{\"m\": \"$mentorship_id\", \"at\": \"$(date -u -d '-1 hour' +%FT%TZ)\"}")
programMetrics c=1|ours|1|$council|$(json "$metrics" '{}')
SCEN

script() { # token body -> a wrk Lua script
  local f="$work/req.$RANDOM.lua"
  {
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/json"'
    [[ -n "$1" ]] && echo "wrk.headers[\"Authorization\"] = \"Bearer $1\""
    printf 'wrk.body = [==[%s]==]\n' "$2"
  } >"$f"
  echo "$f"
}

# Every query must answer without errors on both sides before anything is measured.
while IFS='|' read -r name side _ tok body; do
  url=$ours; [[ $side == peer ]] && url=$peer
  auth=(); [[ -n "$tok" ]] && auth=(-H "authorization: Bearer $tok")
  out=$(curl -sS "$url" -H 'content-type: application/json' "${auth[@]}" -d "$body")
  if [[ "$out" == *'"errors"'* ]]; then echo "$name ($side) answers an error: ${out:0:300}" >&2; exit 1; fi
  echo "$name|$side" >>"$work/bytes.keys"; echo "${#out}" >>"$work/bytes.vals"
done <"$work/scenarios"

run() { # side c script -> "rps p50 p99 statements/request"
  local url=$ours; [[ $1 == peer ]] && url=$peer
  local t=$(( $2 < 2 ? $2 : 2 ))
  wrk -t"$t" -c"$2" -d"${warm}s" -s "$3" "$url" >/dev/null 2>&1
  psql -d bench -c "SELECT pg_stat_statements_reset()" >/dev/null
  local out; out=$(wrk -t"$t" -c"$2" -d"${secs}s" --latency -s "$3" "$url")
  local calls; calls=$(psql -d bench -c "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements \
    WHERE query NOT ILIKE '%pg_stat_statements%'")
  echo "$out" | awk -v calls="$calls" '
    /Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    /Non-2xx/ { bad = $NF }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    END { printf "%.1f %s %s %.1f %d\n", rps, p50, p99, (n > 0 ? calls / n : 0), bad + 0 }'
}

printf '%-22s %5s | %9s %9s %9s %6s | %9s %9s %9s %6s | %s\n' scenario round \
  "ours r/s" p50 p99 stmts "peer r/s" p50 p99 stmts "ours/peer"
declare -A ratios
for r in $(seq "$rounds"); do
  mapfile -t names < <(cut -d'|' -f1 "$work/scenarios" | uniq)
  for name in "${names[@]}"; do
    o=(- - - -) p=(- - - -) ratio=-
    while IFS='|' read -r n side c tok body; do
      [[ $n == "$name" ]] || continue
      res=($(run "$side" "$c" "$(script "$tok" "$body")"))
      [[ ${res[4]} != 0 ]] && echo "warning: $name ($side): ${res[4]} non-2xx answers" >&2
      if [[ $side == ours ]]; then o=("${res[@]}"); else p=("${res[@]}"); fi
    done <"$work/scenarios"
    if [[ ${p[0]} != - ]]; then
      ratio=$(awk -v a="${o[0]}" -v b="${p[0]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      ratios[$name]+="$ratio "
    fi
    printf '%-22s %5s | %9s %9s %9s %6s | %9s %9s %9s %6s | %s\n' "$name" "$r" \
      "${o[0]}" "${o[1]}" "${o[2]}" "${o[3]}" "${p[0]}" "${p[1]}" "${p[2]}" "${p[3]}" "$ratio"
  done
done

# Where the writes' and the metrics' time goes: their statements by mean time, from a run
# of their own.
while IFS='|' read -r n side c tok body; do
  [[ ($n == programMetrics* || $n == recordCheckIn*) && $side == ours ]] || continue
  run ours "$c" "$(script "$tok" "$body")" >/dev/null
  echo; echo "statements of $n (mean ms, calls; top 6):"
  psql -d bench -F ' | ' -c "SELECT round(mean_exec_time::numeric, 2), calls, \
    left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements \
    WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY mean_exec_time DESC LIMIT 6"
done <"$work/scenarios"

# PROFILE="portal c=4,person c=32" (scenario names): one more run of ours under `perf
# record` each, and the functions where its CPU time went (self time, flat), for
# bench/README.md.
if [[ -n "${PROFILE:-}" ]] && command -v perf >/dev/null; then
  while IFS='|' read -r n side c tok body; do
    [[ ",$PROFILE," == *",$n,"* && $side == ours ]] || continue
    perf record -q -F 999 -p "$ours_pid" -o "$work/perf.data" -- sleep "$((warm + secs))" >/dev/null 2>&1 &
    perf_pid=$!
    run ours "$c" "$(script "$tok" "$body")" >/dev/null
    wait "$perf_pid" || true
    echo; echo "profile of ours, $n (self time, top entries):"
    perf report -i "$work/perf.data" --no-children -F overhead,dso,sym --percent-limit 1 \
      --stdio 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +/ /g; s/ +$//' | cut -c1-150 \
      | head -n 25
  done <"$work/scenarios"
fi

echo
for name in "${!ratios[@]}"; do
  echo "median ours/peer, $name: $(echo "${ratios[$name]}" | tr ' ' '\n' | sed '/^$/d' | sort -n \
    | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
done | sort
paste -d'|' "$work/bytes.keys" "$work/bytes.vals" | awk -F'|' '{ printf "response bytes, %s (%s): %s\n", $1, $2, $3 }'
rss() { awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
echo "peak RSS: ours $(rss "$ours_pid"), peer $(rss "$peer_pid") (node)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); commit $(git rev-parse --short HEAD)"
