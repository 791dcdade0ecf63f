"""`python -m benchmarks.feeds`: calendar feed build time and the 304 path, on a one-year roster.

A centre with an investigation agency on 3 x 8 h shifts every day (1,095 shifts a year: the ~1,100-event location
feed) and a court with two sessions every working day, twelve monthly rosters published, two of them republished
with changes (so SEQUENCE and cancellations are computed, as in real feeds). Measured, each as the median of N runs:
- build: `duty_roster.calendar.feeds.build` for the location-year and the centre-year (queries + history + render);
- stamp: the aggregate queries a conditional request is answered from;
- 304: a full GET /feeds/<token>.ics with If-None-Match through Flask's test client (token look-up included).
Targets (issue 5): <= 50 ms to build one location-year, <= 2 ms for a 304.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

PEOPLE = [(f"OF{i}", name) for i, name in enumerate(
    ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Giang",
     "Đặng Văn Hải", "Bùi Thị Hoa", "Đỗ Văn Khánh", "Ngô Thị Lan"], start=1)]
YEAR = 2027


def centre_file() -> dict[str, Any]:
    return {
        "centre": {"code": "BM", "name": "Trung tâm TGPL Cần Thơ", "duty_phone": "0912000000"},
        "branches": [{"code": "HQ", "name": "Trụ sở", "is_head_office": True}],
        "people": [{"code": code, "full_name": name, "kind": "officer", "branch": "HQ", "phone": f"09120000{i:02d}"}
                   for i, (code, name) in enumerate(PEOPLE, start=1)],
        "locations": [
            {"code": "CA", "name": "Cơ quan Cảnh sát điều tra Công an thành phố Cần Thơ", "kind": "investigation",
             "branch": "HQ", "shifts": [
                 {"code": f"ca{h}", "name": f"Trực điều tra ca {i}", "duty_type": "investigation",
                  "start": f"{h:02d}:30", "duration_hours": 8, "days": "every_day"}
                 for i, h in enumerate((7, 15, 23), start=1)]},
            {"code": "TA", "name": "Tòa án nhân dân thành phố Cần Thơ", "kind": "court", "branch": "HQ", "shifts": [
                {"code": "am", "name": "Buổi sáng", "duty_type": "court", "start": "07:30", "end": "11:30",
                 "days": "working_days"},
                {"code": "pm", "name": "Buổi chiều", "duty_type": "court", "start": "13:30", "end": "17:00",
                 "days": "working_days"}]},
        ],
    }


def months() -> list[tuple[date, date]]:
    out = []
    for m in range(1, 13):
        first = date(YEAR, m, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append((first, last))
    return out


def populate(session: Any) -> tuple[int, int, int]:
    """Load the centre, publish 12 monthly rosters by hand (round robin), republish two with changes."""
    import sqlalchemy as sa

    from duty_roster.centre_file import load_centre_data
    from duty_roster.models import Assignment, AssignmentSource, Location, Person, Roster, RosterStatus
    from duty_roster.rostering.publish import publish
    from duty_roster.rostering.queries import centre_by_code
    from duty_roster.rostering.shifts import materialise_shifts

    load_centre_data(session, centre_file())
    centre = centre_by_code(session, "BM")
    people = session.scalars(sa.select(Person).where(Person.centre_id == centre.id).order_by(Person.code)).all()
    published_at = datetime(YEAR - 1, 12, 1, 3, tzinfo=UTC)
    for n, (start, end) in enumerate(months()):
        shifts = sorted(materialise_shifts(session, centre, start, end), key=lambda s: (s.start_at, s.id))
        for version in (1, 2) if n in (2, 7) else (1,):
            roster = Roster(centre_id=centre.id, period_start=start, period_end=end, status=RosterStatus.DRAFT)
            shift_of = 3 if version == 2 else 0  # version 2 moves everyone by three places: many changes
            roster.assignments = [
                Assignment(shift=s, person=people[(i + shift_of) % len(people)], role="duty",
                           source=AssignmentSource.MANUAL)
                for i, s in enumerate(shifts) if not (version == 2 and i % 17 == 0)  # ... and drops some
            ]
            session.add(roster)
            session.flush()
            publish(session, roster, now=published_at + timedelta(days=n, hours=version))
    session.commit()
    location = session.scalar(sa.select(Location.id).where(Location.centre_id == centre.id, Location.code == "CA"))
    return centre.id, location, people[0].id


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm-up (imports, caches, statement compilation)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.feeds", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="builds per feed (median reported)")
    ap.add_argument("--requests", type=int, default=300, help="conditional requests (median reported)")
    args = ap.parse_args(argv)

    from flask_migrate import upgrade

    from duty_roster import create_app
    from duty_roster.calendar import tokens
    from duty_roster.calendar.feeds import FeedSpec, build, stamp
    from duty_roster.calendar.web import options
    from duty_roster.extensions import db
    from duty_roster.models import FeedKind

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "INSTANCE_PATH": folder,
                          "SECRET_KEY": "benchmark-secret-key-0123456789abcdefghij", "LOG_LEVEL": "WARNING"})
        with app.app_context(), app.test_request_context():
            upgrade()
            centre_id, location_id, person_id = populate(db.session)
            opts = options()
            now = datetime(YEAR - 1, 12, 31, 12, tzinfo=UTC)  # the whole year ahead is in the feeds
            specs = {
                "location-year (CA)": FeedSpec(centre_id, FeedKind.LOCATION, location_id),
                "centre-year": FeedSpec(centre_id, FeedKind.CENTRE, centre_id),
                "person-year": FeedSpec(centre_id, FeedKind.PERSON, person_id, alarm_minutes=60),
            }
            rows = []
            for name, spec in specs.items():
                body = build(db.session, spec, opts, now)
                events = body.count(b"BEGIN:VEVENT")
                cancelled = body.count(b"STATUS:CANCELLED")
                med, best = median_ms(lambda spec=spec: build(db.session, spec, opts, now), args.runs)
                smed, _ = median_ms(lambda spec=spec: stamp(db.session, spec, opts, now), args.runs * 5)
                rows.append((name, events, cancelled, len(body), med, best, smed))
                db.session.rollback()
            _feed, token = tokens.issue(db.session, secret_key=app.config["SECRET_KEY"], centre_id=centre_id,
                                        kind=FeedKind.LOCATION, target_id=location_id)
            db.session.commit()
        client = app.test_client()
        path = tokens.feed_path(token)
        first = client.get(path)
        assert first.status_code == 200, first.status_code
        etag = first.headers["ETag"]
        full_med, _ = median_ms(lambda: client.get(path), max(5, args.runs // 2))
        cond_med, cond_best = median_ms(lambda: client.get(path, headers={"If-None-Match": etag}), args.requests)
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        base_med, _ = median_ms(lambda: client.get("/healthz"), args.requests)

    print(f"runs={args.runs} requests={args.requests}")
    print("| feed | events | cancelled | bytes | build median ms | build best ms | stamp median ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, events, cancelled, size, med, best, smed in rows:
        print(f"| {name} | {events} | {cancelled} | {size:,} | {med:.1f} | {best:.1f} | {smed:.2f} |")
    print(f"\nGET location-year, 200 (full request): median {full_med:.1f} ms")
    print(f"GET location-year with If-None-Match, 304: median {cond_med:.2f} ms, best {cond_best:.2f} ms")
    print(f"baseline GET /healthz through the same test client: median {base_med:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
