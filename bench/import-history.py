#!/usr/bin/env python3
"""A synthetic old-portal history for `mentorship-api import`, of the size the adoption
benchmark names: per unit 10,000 people (500 of them mentors), 10,000 mentorships and
50,000 held check-ins, all within the past six years. Deterministic (fixed seed).

Usage: bench/import-history.py [UNITS] > history.jsonl
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

units = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rng = random.Random(20261203)
now = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
begin = now - timedelta(days=6 * 365)
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
out = sys.stdout
countries = ["DE", "BR", "IN", "NG", "ES", "JP", "FR", "KE", "MX", "ID"]
zones = ["Europe/Berlin", "America/Sao_Paulo", "Asia/Kolkata", "Africa/Lagos", "Europe/Madrid"]
for u in range(units):
    people = 10_000
    mentors = 500
    for i in range(people):
        out.write(json.dumps({
            "type": "person", "externalId": f"u{u}p{i}", "subject": f"old|{u}|{i}",
            "displayName": f"Rep {u}-{i}", "email": f"rep{u}.{i}@example.org",
            "country": countries[i % len(countries)], "timezone": zones[i % len(zones)],
            "languages": ["en"], "joinedAt": iso(begin - timedelta(days=rng.randrange(1, 900))),
        }) + "\n")
    for i in range(mentors):
        out.write(json.dumps({"type": "mentorProfile", "person": f"u{u}p{i}", "capacity": 20}) + "\n")
    # Each rep who is not a mentor: one ended mentorship, then one active one.
    check_ins = 0
    for i in range(mentors, people):
        mentee = f"u{u}p{i}"
        start = begin + timedelta(days=rng.randrange(0, 700))
        switch = start + timedelta(days=rng.randrange(200, 700))
        spans = [(f"u{u}m{i}a", start, switch), (f"u{u}m{i}b", switch, None)]
        for key, s, e in spans:
            mentor = f"u{u}p{rng.randrange(0, mentors)}"
            out.write(json.dumps({
                "type": "mentorship", "externalId": key, "mentor": mentor, "mentee": mentee,
                "startedAt": iso(s), "endedAt": iso(e) if e else None,
                "endReason": "REASSIGNED" if e else None,
            }) + "\n")
        # About 5.3 check-ins per mentee: 50,000 per unit.
        n = 5 if i % 3 else 6
        for k in range(n):
            key, s, e = spans[k % 2]
            top = (e or now) - s
            held = s + timedelta(seconds=rng.randrange(0, int(top.total_seconds())))
            out.write(json.dumps({
                "type": "checkIn", "mentorship": key, "heldAt": iso(held),
                "notes": "Talked about events and plans.",
            }) + "\n")
            check_ins += 1
    sys.stderr.write(f"unit {u}: {people} people, {mentors} mentors, {check_ins} check-ins\n")
