"""Users and API tokens: passwords hashed with werkzeug (scrypt), tokens shown once and stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from duty_roster.models import ApiToken, AuditLog, Centre, Location, Person, Role, User, utcnow

TOKEN_PREFIX = "dr_"


class AccountError(ValueError):
    """A user or token request that cannot be honoured (message says why)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    centre: Centre | None,
    full_name: str = "",
    person: Person | None = None,
    locations: Iterable[Location] = (),
) -> User:
    """Create a user; every role but admin belongs to a centre; liaisons are scoped to named locations."""
    if len(password) < 8:
        raise AccountError("Mật khẩu phải có ít nhất 8 ký tự / password must have at least 8 characters")
    if role is not Role.ADMIN and centre is None:
        raise AccountError(f"role {role.value} needs a centre")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"username {username!r} is taken")
    locations = list(locations)
    if any(loc.centre_id != (centre.id if centre else None) for loc in locations):
        raise AccountError("a liaison's locations must belong to the user's centre")
    user = User(
        username=username,
        full_name=full_name,
        password_hash=generate_password_hash(password),
        role=role,
        centre=centre,
        person=person,
        locations=locations,
    )
    session.add(user)
    session.flush()
    return user


def check_password(user: User, password: str) -> bool:
    return user.active and check_password_hash(user.password_hash, password)


LOGIN_FAILURES_ALLOWED = 5
LOGIN_LOCKOUT = timedelta(minutes=15)


def login_locked_until(session: Session, user: User, *, now: datetime | None = None) -> datetime | None:
    """When the account may try again after LOGIN_FAILURES_ALLOWED wrong passwords within LOGIN_LOCKOUT (counted
    from the audit log, so every web worker sees the same count; a successful login starts the count afresh).
    None when it may try now. Guessing a password online then takes years, and a lockout lasts minutes."""
    now = now or utcnow()
    since = now - LOGIN_LOCKOUT
    last_success = session.scalar(sa.select(sa.func.max(AuditLog.at)).where(
        AuditLog.user_id == user.id, AuditLog.action == "user.login", AuditLog.at >= since))
    failures = list(session.scalars(
        sa.select(AuditLog.at).where(AuditLog.user_id == user.id, AuditLog.action == "user.login_failed",
                                     AuditLog.at >= (last_success or since))
        .order_by(AuditLog.at.desc()).limit(LOGIN_FAILURES_ALLOWED)))
    if len(failures) < LOGIN_FAILURES_ALLOWED:
        return None
    return failures[-1] + LOGIN_LOCKOUT  # the oldest of the last N failures leaves the window then


def issue_token(session: Session, user: User, *, name: str = "", ttl: timedelta | None = timedelta(days=365)) -> str:
    """Create a Bearer token and return it in clear text: the only time anyone sees it."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user=user,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:10],
            expires_at=utcnow() + ttl if ttl else None,
        )
    )
    session.flush()
    return token


def user_for_token(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The active user a token belongs to, or None when unknown, revoked or expired."""
    now = now or utcnow()
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not row.user.active:
        return None
    row.last_used_at = now
    return row.user


def revoke_token(session: Session, token_prefix_or_id: str | int) -> int:
    """Revoke tokens by id or by their shown prefix; returns how many were revoked."""
    query = sa.select(ApiToken).where(ApiToken.revoked_at.is_(None))
    if isinstance(token_prefix_or_id, int):
        query = query.where(ApiToken.id == token_prefix_or_id)
    else:
        query = query.where(ApiToken.prefix == token_prefix_or_id)
    rows = session.scalars(query).all()
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)
