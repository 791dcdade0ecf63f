"""Send what the outbox holds, at most once per message.

One message at a time: claim it (pending -> sending, committed), ask the provider first if an earlier attempt may
have gone through, send, record the answer (committed with the next claim, or at the end of the run). A crash
anywhere leaves either a pending row (nothing was sent) or a sending/uncertain row, which is reconciled against the
provider's message list before any resend. Two dispatchers never claim the same row: the claim is a conditional
UPDATE (plus SKIP LOCKED on PostgreSQL).
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import OutboxMessage, OutboxState, utcnow
from duty_roster.notify.channels.base import (
    Channel,
    ChannelError,
    PermanentError,
    RetryableError,
    SendResult,
    scrub,
)
from duty_roster.notify.channels.console import ConsoleChannel
from duty_roster.notify.channels.twilio_sms import DEFAULT_TIMEOUT, TwilioChannel
from duty_roster.notify.outbox import record_provider_status
from duty_roster.phones import mask_phone

log = logging.getLogger("duty_roster.sms.dispatch")

LEASE_SECONDS = 120.0  # a row in `sending` longer than this was left by a dead dispatcher
MAX_BACKOFF_SECONDS = 6 * 3600.0
JITTER = 0.1  # up to +10 % on every backoff, so failed messages do not retry in lock-step
CLOCK_SKEW = timedelta(minutes=5)  # look-ups start this long before the row was created
STATUS_CALLBACK_PATH = "/twilio/status"


class HeldByOtherRows:
    """`sid in held`: does an outbox row other than `row_id` already hold this provider SID? Asked of the database
    for each candidate the look-up finds (an indexed, unique column), never from a list cut by a time window."""

    def __init__(self, session: Session, row_id: int) -> None:
        self.session, self.row_id = session, row_id

    def __contains__(self, sid: object) -> bool:
        return self.session.scalar(
            sa.select(OutboxMessage.id).where(OutboxMessage.provider_sid == str(sid), OutboxMessage.id != self.row_id)
            .limit(1)
        ) is not None


@dataclass
class DispatchReport:
    """What one run did. `released`: rows found stuck in `sending` (a dispatcher died) and taken back."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    reconciled: int = 0
    released: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.reconciled


class Pacer:
    """The rate cap on a monotonic clock (rate 0 = no cap). Thread-safe.

    Sends start at least 1/rate seconds apart, and at most ceil(rate) start within any WINDOW_MARGIN + 1 second: the
    margin absorbs network jitter, so the provider, which counts arrivals, still sees no more than the cap in any
    second (measured in benchmarks/RESULTS.md, "SMS dispatch").
    """

    WINDOW_MARGIN = 0.025

    def __init__(self, rate_per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Any] = time.sleep) -> None:
        self.interval = 1.0 / rate_per_second if rate_per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._recent: deque[float] = deque(maxlen=max(1, math.ceil(rate_per_second - 1e-9)))
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            if self._recent:
                ready = self._recent[-1] + self.interval
                if len(self._recent) == self._recent.maxlen:
                    ready = max(ready, self._recent[0] + 1.0 + self.WINDOW_MARGIN)
                delay = ready - self.clock()
                if delay > 0:
                    self.sleep(delay)
            self._recent.append(self.clock())


_shared_pacers: dict[float, Pacer] = {}
_shared_lock = threading.Lock()


def shared_pacer(rate_per_second: float) -> Pacer:
    """One pacer per rate for the whole process, so back-to-back runs (scheduler ticks) keep the cap too."""
    with _shared_lock:
        return _shared_pacers.setdefault(rate_per_second, Pacer(rate_per_second))


def backoff(attempts: int, base: float, *, cap: float = MAX_BACKOFF_SECONDS, jitter: float = JITTER,
            rng: random.Random | None = None) -> float:
    """Seconds before the next attempt: base * 2**(attempts-1), capped, plus up to `jitter` of it."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * (1 + (rng or random).random() * jitter) if jitter else delay


def channel_from_settings(settings: Any, *, timeout: float = DEFAULT_TIMEOUT) -> Channel:
    """Twilio when its three settings are all present, else the console (log) channel."""
    twilio = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM)
    if all(twilio):
        return TwilioChannel(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM,
            api_base=settings.TWILIO_API_BASE, status_callback=settings.PUBLIC_BASE_URL + STATUS_CALLBACK_PATH,
            timeout=timeout,
        )
    if any(twilio):
        names = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
        missing = [n for n, v in zip(names, twilio, strict=True) if not v]
        log.warning("Twilio is partly configured (missing %s): SMS go to the log only", ", ".join(missing))
    return ConsoleChannel()


class _Run:
    """State of one dispatch_pending call."""

    def __init__(self, session: Session, channel: Channel, now: datetime, clock: Callable[[], float],
                 max_attempts: int, retry_base: float, jitter: float, rng: random.Random | None) -> None:
        self.session, self.channel = session, channel
        self.start, self.clock, self.clock0 = now, clock, clock()
        self.max_attempts, self.retry_base, self.jitter, self.rng = max_attempts, retry_base, jitter, rng
        self.report = DispatchReport()

    def stamp(self) -> datetime:
        """`now` advanced by the time this run has taken (the run's clock), for timestamps written on rows."""
        return self.start + timedelta(seconds=self.clock() - self.clock0)

    # --- claiming ---

    def release_stale(self, lease: float) -> None:
        cut = self.stamp() - timedelta(seconds=lease)
        released = self.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.SENDING,
                   sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at <= cut))
            .values(state=OutboxState.PENDING, uncertain=True, next_attempt_at=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        self.session.commit()
        if released:
            log.warning("%d SMS left in 'sending' by a stopped dispatcher: checking them with %s before any resend",
                        released, self.channel.name)
        self.report.released += released

    def claim(self) -> OutboxMessage | None:
        """The next due row, now ours (state sending, committed together with the previous row's outcome), or None
        when nothing is due."""
        m = OutboxMessage
        due = sa.and_(
            m.state == OutboxState.PENDING,
            sa.or_(m.next_attempt_at.is_(None), m.next_attempt_at <= self.start),
            sa.or_(m.not_before.is_(None), m.not_before <= self.start),
        )
        while True:
            row_id = self.session.scalar(
                sa.select(m.id).where(due).order_by(m.urgent.desc(), m.id).limit(1).with_for_update(skip_locked=True)
            )
            if row_id is None:
                self.session.commit()
                return None
            stamp = self.stamp()
            claimed = self.session.execute(
                sa.update(m).where(m.id == row_id, m.state == OutboxState.PENDING)
                # a plain row counts its attempt in the claim's commit; an uncertain one only after the look-up
                .values(state=OutboxState.SENDING, claimed_at=stamp, updated_at=stamp,
                        attempts=sa.case((m.uncertain.is_(True), m.attempts), else_=m.attempts + 1))
                .execution_options(synchronize_session=False)
            ).rowcount
            self.session.commit()
            if claimed:
                message = self.session.get(m, row_id)
                assert message is not None
                return message
            # another dispatcher took it between our SELECT and UPDATE: look again

    # --- outcomes ---

    def sent(self, message: OutboxMessage, result: SendResult, *, reconciled: bool) -> None:
        at = self.stamp()
        message.provider_sid, message.sent_at, message.uncertain = result.sid, at, False
        message.state, message.next_attempt_at, message.last_error = OutboxState.SENT, None, None
        record_provider_status(message, result.status, at)
        if reconciled:
            self.report.reconciled += 1
        else:
            self.report.sent += 1
        log.info("SMS %s to %s %s: %s (%s)", message.id, mask_phone(message.to_phone),
                 "found already sent" if reconciled else "sent", result.sid, result.status)

    def retry(self, message: OutboxMessage, reason: str, *, uncertain: bool) -> None:
        delay = backoff(message.attempts, self.retry_base, jitter=self.jitter, rng=self.rng)
        message.state, message.uncertain, message.last_error = OutboxState.PENDING, uncertain, reason
        message.next_attempt_at = self.stamp() + timedelta(seconds=delay)
        message.claimed_at = None
        self.report.retried += 1
        log.info("SMS %s to %s: attempt %d failed (%s); next in %.1f s", message.id,
                 mask_phone(message.to_phone), message.attempts, reason, delay)

    def fail(self, message: OutboxMessage, reason: str) -> None:
        message.state, message.uncertain, message.last_error = OutboxState.FAILED, False, reason[:1000]
        message.next_attempt_at = message.claimed_at = None
        self.report.failed += 1
        log.warning("SMS %s to %s failed after %d attempt(s): %s", message.id, mask_phone(message.to_phone),
                    message.attempts, reason)

    # --- one message ---

    def reconcile(self, message: OutboxMessage) -> bool:
        """For a row whose earlier attempt may have gone through: True when settled (found, or rescheduled/failed
        because the provider could not be asked); False when the provider has no such message (send it).

        The provider is asked for messages sent since the row was created, less CLOCK_SKEW: `created_at` comes from
        the product's clock (duty_roster/clock.py), the same wall clock the provider dates its messages by. Which
        SIDs are taken is asked of the database for each candidate, with no time window at all: two rows with the
        same text to the same phone are two messages, whenever and by whichever clock either was sent."""
        since = message.created_at - CLOCK_SKEW
        try:
            try:
                found = self.channel.lookup(message.to_phone, message.idempotency_key, since, body=message.body,
                                            exclude=HeldByOtherRows(self.session, message.id))
            except ChannelError:
                raise
            except Exception as exc:  # a channel bug: same as not being able to ask
                log.error("SMS %s: unexpected %s from %s look-up", message.id, type(exc).__name__, self.channel.name)
                raise RetryableError(f"lookup: unexpected error {type(exc).__name__}", ambiguous=True) from exc
        except ChannelError as exc:
            message.attempts += 1  # asking counts as an attempt, so a provider that never answers ends it
            if message.attempts >= self.max_attempts:
                self.fail(message, f"{exc.reason}; không rõ tin đã gửi hay chưa / it may or may not have been sent")
            else:
                self.retry(message, exc.reason, uncertain=True)
            return True
        if found is not None:
            self.sent(message, found, reconciled=True)
            return True
        message.uncertain = False
        if message.attempts >= self.max_attempts:
            self.fail(message, message.last_error or "hết số lần thử / no attempts left")
            return True
        return False

    def settle(self, message: OutboxMessage) -> None:
        """Commit a reconciled row. Should another dispatcher have recorded the same SID for its own row meanwhile
        (the unique index says so), this row takes nothing: it is looked up again on its next turn."""
        try:
            self.session.commit()
        except sa.exc.IntegrityError:
            self.session.rollback()
            if self.report.reconciled:
                self.report.reconciled -= 1
            message = self.session.get(OutboxMessage, message.id) or message
            self.retry(message, "lookup: provider message taken by another row", uncertain=True)
            self.session.commit()

    def process(self, message: OutboxMessage, pacer: Pacer) -> None:
        to, body, key = message.to_phone, message.body, message.idempotency_key
        if message.uncertain:
            if self.reconcile(message):
                self.settle(message)
                return
            message.attempts += 1
            self.session.commit()  # `sending` + attempts are durable before the provider hears of it
        pacer.wait()
        try:
            result = self.channel.send(to, body, key=key)
        except PermanentError as exc:
            self.fail(message, exc.reason)
        except RetryableError as exc:
            if exc.ambiguous:
                # Even on the last attempt: the next run asks the provider, then marks it sent or failed.
                self.retry(message, exc.reason, uncertain=True)
            elif message.attempts >= self.max_attempts:
                self.fail(message, exc.reason)
            else:
                self.retry(message, exc.reason, uncertain=False)
        except Exception as exc:  # a channel bug must not leave the row in `sending` until the lease runs out
            log.error("SMS %s: unexpected %s from %s", message.id, type(exc).__name__, self.channel.name)
            self.retry(message, scrub(f"unexpected error {type(exc).__name__}: {exc}")[:900], uncertain=True)
        else:
            self.sent(message, result, reconciled=False)
        # Not committed here: the next claim's commit carries this outcome too (one commit per message instead of
        # two; the outcome is still durable before the next send). The caller commits after the last message.


def dispatch_pending(
    session: Session,
    channel: Channel,
    *,
    now: datetime | None = None,
    rate_per_second: float,
    max_attempts: int,
    retry_base_seconds: float,
    limit: int | None = None,
    lease_seconds: float = LEASE_SECONDS,
    pacer: Pacer | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Any] = time.sleep,
    jitter: float = JITTER,
    rng: random.Random | None = None,
) -> DispatchReport:
    """Send every due message (at most `limit`), committing as it goes (the session's open work is committed first).
    Rows that become due while it runs wait for the next run. `now` is the run's start (due cut-off; timestamps are
    `now` plus the run's elapsed `clock` time). `clock`/`sleep` drive the rate cap too (injectable for tests); without
    them, one pacer per rate is shared by every run in the process."""
    run = _Run(session, channel, now or utcnow(), clock, max_attempts, retry_base_seconds, jitter, rng)
    if pacer is None:
        default_clock = clock is time.monotonic and sleep is time.sleep
        pacer = shared_pacer(rate_per_second) if default_clock else Pacer(rate_per_second, clock, sleep)
    session.commit()  # start from a clean transaction: every step below commits on its own
    run.release_stale(lease_seconds)
    while limit is None or run.report.handled < limit:
        message = run.claim()
        if message is None:
            break
        run.process(message, pacer)
    session.commit()
    return run.report
