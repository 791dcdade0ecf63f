"""Extra objects for the tests that visit every endpoint (access matrix, malformed requests): in each centre, swaps
at each step and the ids the draft-adjustment and swap endpoints need. Kept out of the shared `world` so the swap
tests start from a centre without any swap."""

from __future__ import annotations

import functools
from datetime import date

from sqlalchemy.orm import scoped_session

from duty_roster.models import Assignment, Roster
from duty_roster.rostering import swaps
from tests.api.conftest import World, person

D1, D2, D3 = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)


def _held(roster: Roster, code: str, location: str, day: date, *, prefix: str) -> Assignment:
    return next(a for a in roster.assignments
                if (a.person.code, a.shift.location.code, a.shift.day) == (code, f"{prefix}{location}", day))


def add_swaps(world: World, session: scoped_session) -> World:
    """ids added per tenant: draft_assignment and draft_shift (OF1's 3 March court session in the draft),
    first_shift (the 1 March on-call, empty in the draft), swap_assignment (OF1's 1 March on-call, published, free to
    offer), swap (OF1's open offer of the 3 March court session), swap_to_officer (LS1 asks OF1 to take the 2 March
    court session), swap_accepted (LS1's 3 March on-call, accepted by LS2, awaiting approval)."""
    for tenant, prefix in ((world.ct, ""), (world.hg, "HG-")):
        published = session.get(Roster, tenant.ids["published"])
        draft = session.get(Roster, tenant.ids["draft"])
        assert published is not None and draft is not None
        held = functools.partial(_held, prefix=prefix)
        who = functools.partial(person, session, tenant.centre)
        accepted = swaps.offer(session, held(published, "LS1", "CA", D3), to_person=who("LS2"))
        swaps.accept(session, accepted, who("LS2"))
        tenant.ids.update(
            draft_assignment=held(draft, "OF1", "TA", D3).id,
            draft_shift=held(draft, "OF1", "TA", D3).shift_id,
            first_shift=held(published, "OF1", "CA", D1).shift_id,
            swap_assignment=held(published, "OF1", "CA", D1).id,
            swap=swaps.offer(session, held(published, "OF1", "TA", D3)).id,
            swap_to_officer=swaps.offer(session, held(published, "LS1", "TA", D2), to_person=who("OF1")).id,
            swap_accepted=accepted.id,
        )
    session.commit()
    return world
