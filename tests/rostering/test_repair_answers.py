"""A repair respects the answers given to the published version: a declined shift goes to someone else (the person
is unavailable for it), and confirmations of assignments the repair keeps survive."""

from __future__ import annotations

from sqlalchemy.orm import scoped_session

from duty_roster.rostering.confirmations import confirm, decline
from duty_roster.rostering.repair import repair_draft
from tests.rostering.published import BEFORE, assignments_of, published_week


def test_repair_moves_a_declined_shift_and_keeps_confirmations(session: scoped_session) -> None:
    world = published_week(session)
    refused, kept = assignments_of(session, world.roster, "D1")[:2]
    decline(session, refused, via="web", now=BEFORE)
    confirm(session, kept, via="web", now=BEFORE)
    session.commit()

    draft = repair_draft(session, world.roster, time_limit=2.0, workers=2, now=BEFORE)

    on_refused = [a for a in draft.assignments if a.shift_id == refused.shift_id and a.role == refused.role]
    assert on_refused and all(a.person_id != refused.person_id for a in on_refused)
    same = [a for a in draft.assignments
            if (a.shift_id, a.person_id, a.role) == (kept.shift_id, kept.person_id, kept.role)]
    assert len(same) == 1 and same[0].confirmed_at is not None
    assert all(a.declined_at is None for a in draft.assignments)
    others = [a for a in draft.assignments if a is not same[0]]
    assert all(a.confirmed_at is None for a in others)
