#!/usr/bin/env bash
# Benchmark (not a test): `mentorship-api import` of a synthetic old-portal history
# (bench/import-history.py: per unit 10,000 people, 500 mentors, 19,000 mentorships and
# ~50,000 held check-ins) into a fresh database, on SQLite and on a throwaway PostgreSQL,
# with the release build. Prints the wall time, peak RSS and the report's counts of each
# run: the first import, then the same file again (everything unchanged).
#
#   bench/import.sh [UNITS]        (default 1; the adoption goal: 1 unit in under a minute)
#
# Needs PostgreSQL's server binaries (run as an unprivileged user) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
units=${1:-1}
cargo build --release --locked -q
BIN=$PWD/target/release/mentorship-api
work=$(mktemp -d /tmp/mimport.XXXXXX)
chmod 755 "$work"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=${PG_PORT:-55434}
cleanup() {
  su pgimport -s /bin/bash -c "'$PG_BIN/pg_ctl' -D '$work/pg' -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
python3 bench/import-history.py "$units" >"$work/history.jsonl"
echo "file: $(wc -l <"$work/history.jsonl") lines, $(du -h "$work/history.jsonl" | cut -f1)"

id -u pgimport >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pgimport
chown pgimport "$work"
su pgimport -s /bin/bash -c "'$PG_BIN/initdb' -D '$work/pg' -U postgres --auth=trust" >/dev/null
su pgimport -s /bin/bash -c "'$PG_BIN/pg_ctl' -D '$work/pg' -l '$work/pg.log' -w -o \"-p $PG_PORT \
  -k '$work' -c listen_addresses=127.0.0.1\" start" >/dev/null
command psql -q -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE import"

export MENTORSHIP_OIDC_ISSUER=https://id.example.org RUST_LOG=warn
for db in "sqlite://$work/import.db?mode=rwc" "postgres://postgres@127.0.0.1:$PG_PORT/import"; do
  export DATABASE_URL=$db
  "$BIN" migrate up >/dev/null
  for run in first again; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$BIN" import "$work/history.jsonl" >"$work/report.json"
    read -r secs kb <"$work/time"
    counts=$(python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = " ".join("%s=%d/%d/%d" % (k, v["created"], v["updated"], v["unchanged"]) for k, v in r["counts"].items())
print(kinds, "overCapacity=%d" % r["overCapacity"], "invalid=%d" % len(r["invalid"]))
PY
)
    printf '%-10s %-6s %7.1f s %6d MB  %s\n' "${db%%:*}" "$run" "$secs" "$((kb / 1024))" "$counts"
  done
done
