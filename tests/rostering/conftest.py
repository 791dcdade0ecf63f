from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import scoped_session

from duty_roster.centre_file import load_centre_data
from duty_roster.models import Centre
from duty_roster.rostering.queries import centre_by_code
from tests.rostering.centre import covered_centre


@pytest.fixture
def centre(session: scoped_session) -> Centre:
    """The small test centre, loaded through the centre-file loader like a user would."""
    load_centre_data(session, covered_centre())
    session.commit()
    return centre_by_code(session, "TST")


def load(session: scoped_session, data: dict[str, Any]) -> Centre:
    load_centre_data(session, data)
    session.commit()
    return centre_by_code(session, data["centre"]["code"])
