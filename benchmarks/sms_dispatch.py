"""`python -m benchmarks.sms_dispatch`: SMS outbox dispatch throughput, and the rate cap holding.

1,000 pending messages (10 people) are dispatched through the real Twilio SDK to the local fake Twilio server
(tests/notify/fake_twilio.py) by `duty_roster.notify.dispatch.dispatch_pending`, on a fresh SQLite file (or
--database-url). Measured:
- cap off (rate 0): messages per second, median of --runs runs;
- cap on (--rate, default 20/s): the observed rate and the most messages the provider received in any 1-second
  window (from the fake server's receive times), which must not exceed the cap.
Each message costs one commit (its claim, carrying the previous message's result) and one HTTP request, so the
disk's fsync latency sets the uncapped rate.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

MESSAGES = 1000
PEOPLE = 10


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most events in any half-open interval [t, t + window)."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def make_app(database_url: str | None, folder: Path) -> Any:
    from flask_migrate import upgrade

    from duty_roster import create_app
    from duty_roster.extensions import db

    url = database_url or f"sqlite:///{folder / 'sms.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "b" * 48,
                      "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def fill(session: Any, count: int, run: int) -> None:
    """A centre with PEOPLE people (created once) and `count` pending messages for this run."""
    from duty_roster.models import Branch, Centre, OutboxMessage, Person, PersonKind
    from duty_roster.notify.outbox import enqueue

    session.execute(sa.delete(OutboxMessage))
    centre = session.scalar(sa.select(Centre).where(Centre.code == "SMSB"))
    if centre is None:
        centre = Centre(code="SMSB", name="Trung tâm TGPL (benchmark)", short_name="TGPL BM")
        head = Branch(code="HQ", name="Trụ sở", is_head_office=True)
        centre.branches.append(head)
        centre.people.extend(
            Person(code=f"P{i}", full_name=f"Người {i}", kind=PersonKind.OFFICER, branch=head,
                   phone=f"0912 000 {i:03d}")
            for i in range(PEOPLE)
        )
        session.add(centre)
        session.flush()
    people = list(centre.people)
    for i in range(count):
        enqueue(session, centre=centre, key=f"bench-{run}-{i}", kind="reminder", person=people[i % len(people)],
                body=f"TGPL BM: Nhắc ca trực ngày 0{i % 9 + 1}/12, 07:30-11:30, Tòa án KV1. Mã {run}-{i}.")
    session.commit()


def one_run(app: Any, count: int, rate: float, run: int) -> dict[str, Any]:
    from duty_roster.extensions import db
    from duty_roster.models import OutboxMessage, OutboxState
    from duty_roster.notify.channels.twilio_sms import TwilioChannel
    from duty_roster.notify.dispatch import Pacer, dispatch_pending
    from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

    with app.app_context(), FakeTwilio() as fake:
        fill(db.session, count, run)
        channel = TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, "+84900000001", api_base=fake.base_url)
        started = time.perf_counter()
        report = dispatch_pending(db.session, channel, now=datetime.now(UTC), rate_per_second=rate,
                                  max_attempts=3, retry_base_seconds=30, pacer=Pacer(rate))
        seconds = time.perf_counter() - started
        sent = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.state == OutboxState.SENT))
        db.session.commit()
        times = [m.accepted_at for m in fake.accepted()]
        assert report.sent == sent == count == len(times), (report, sent, len(times))
        assert set(fake.counts().values()) == {1}
        span = max(times) - min(times) if len(times) > 1 else 0.0
        return {"seconds": seconds, "rate": count / seconds, "max_window": max_in_window(times),
                "received_rate": (len(times) - 1) / span if span else float("inf")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.sms_dispatch", description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=MESSAGES)
    ap.add_argument("--runs", type=int, default=3, help="uncapped runs (median reported)")
    ap.add_argument("--rate", type=float, default=20.0, help="the cap for the capped run (messages/second)")
    ap.add_argument("--capped-messages", type=int, default=MESSAGES)
    ap.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    ap.add_argument("--out", type=Path, help="also write the markdown lines to this file")
    args = ap.parse_args(argv)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args.database_url, Path(tmp))
        backend = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
        uncapped = []
        for run in range(args.runs):
            result = one_run(app, args.messages, 0, run)
            uncapped.append(result)
            print(f"uncapped run {run + 1}: {args.messages} in {result['seconds']:.2f} s = {result['rate']:.1f}/s "
                  f"(max {result['max_window']} in a 1 s window)", flush=True)
        capped = one_run(app, args.capped_messages, args.rate, args.runs)
        print(f"capped at {args.rate:g}/s: {args.capped_messages} in {capped['seconds']:.2f} s = "
              f"{capped['rate']:.2f}/s, received {capped['received_rate']:.2f}/s, max {capped['max_window']} "
              f"in any 1 s window", flush=True)
    median = statistics.median(r["rate"] for r in uncapped)
    rates = ", ".join(f"{r['rate']:.1f}" for r in uncapped)
    lines.append(f"| {backend} | off | {args.messages} | {rates} | "
                 f"**{median:.1f}** | {max(r['max_window'] for r in uncapped)} |")
    lines.append(f"| {backend} | {args.rate:g}/s | {args.capped_messages} | {capped['rate']:.2f} | "
                 f"{capped['received_rate']:.2f} received | **{capped['max_window']}** (cap {args.rate:g}) |")
    verdict = "holds" if capped["max_window"] <= args.rate else "EXCEEDED"
    lines.append(f"cap {verdict}: at most {capped['max_window']} messages in any 1-second window at {args.rate:g}/s")
    print("\n".join(lines))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if capped["max_window"] <= args.rate else 1


if __name__ == "__main__":
    raise SystemExit(main())
