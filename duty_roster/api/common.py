"""Pieces every API view uses: pagination, local-time rendering, and turning a FieldErrors into field paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.extensions import db

MAX_PER_PAGE = 200


class PageQuery(BaseModel):
    """?page=1&per_page=50. Unknown query parameters are refused (a misspelt filter would silently match all)."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


def page_of(query: sa.Select[Any], page: PageQuery, render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """One page of `query`'s rows (the query must be ordered), rendered, with the totals a client pages by."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.limit(page.per_page).offset((page.page - 1) * page.per_page)).all()
    return {
        "items": [render(row) for row in rows],
        "page": page.page,
        "per_page": page.per_page,
        "total": total,
        "pages": (total + page.per_page - 1) // page.per_page,
    }


def local_iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    """An aware instant as ISO 8601 in the centre's zone, with its offset (2026-03-02T07:30:00+07:00)."""
    return value.astimezone(tz).isoformat() if value is not None else None
