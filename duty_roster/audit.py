"""Append entries to the audit log (nhật ký): who did what to which record."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from duty_roster.models import AuditLog, Centre, User


def record(
    session: Session,
    action: str,
    *,
    centre: Centre | None = None,
    user: User | None = None,
    entity: str = "",
    entity_id: object = "",
    **detail: Any,
) -> AuditLog:
    entry = AuditLog(
        action=action,
        centre_id=centre.id if centre else None,
        user_id=user.id if user else None,
        entity=entity,
        entity_id=str(entity_id),
        detail=detail,
    )
    session.add(entry)
    return entry
