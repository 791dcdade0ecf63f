"""The dispatcher process the chaos test starts and kills: `python -m tests.notify.chaos_worker DB_URL INSTANCE
API_BASE`. Runs dispatch rounds against the fake Twilio until nothing is pending or sending, then exits 0."""

from __future__ import annotations

import sys
import time

import sqlalchemy as sa

from duty_roster import create_app
from duty_roster.extensions import db
from duty_roster.models import OutboxMessage, OutboxState
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import dispatch_pending
from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN

CLIENT_TIMEOUT = 0.3
RETRY_BASE = 0.05
MAX_ATTEMPTS = 8
RATE = 100.0  # messages/second: a run lasts long enough to be killed in the middle


def main(database_url: str, instance: str, api_base: str) -> int:
    app = create_app({"DATABASE_URL": database_url, "INSTANCE_PATH": instance, "TESTING": True,
                      "SECRET_KEY": "chaos-worker-secret-key-0123456789abcdefghijkl"})
    channel = TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, "+84900000001", api_base=api_base, timeout=CLIENT_TIMEOUT)
    open_states = (OutboxState.PENDING, OutboxState.SENDING)
    with app.app_context():
        # A killed process loses nothing the OS already has, so skipping fsync keeps crash semantics and saves
        # ~20 ms per commit on a busy disk.
        sa.event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA synchronous=OFF"))
        print("ready", flush=True)
        while True:
            # lease 0: the previous worker was killed before this one started, so nothing in `sending` is alive
            dispatch_pending(db.session, channel, rate_per_second=RATE, max_attempts=MAX_ATTEMPTS,
                             retry_base_seconds=RETRY_BASE, lease_seconds=0)
            left = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.state.in_(open_states)))
            db.session.commit()
            if not left:
                return 0
            time.sleep(RETRY_BASE)


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
