"""Feed tokens: issue (re-issue), revoke, look up, and the feed's https:// and webcal:// links.

A token is HMAC-SHA256(SECRET_KEY, salt) with a fresh 128-bit random salt: 256 unguessable bits. The database keeps
the salt and SHA-256(token): look-ups go by the hash, and the server can show a user their links again by re-deriving
the token, while a stolen database copy (without the key) cannot. Rotating SECRET_KEY invalidates every feed link;
the list then says so and the user re-issues.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import FeedKind, FeedToken, Role, User, utcnow

TOKEN_PREFIX = "fd_"


def derive(secret_key: str, salt: str) -> str:
    digest = hmac.new(secret_key.encode(), f"duty-roster calendar feed {salt}".encode(), hashlib.sha256).digest()
    return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(feed: FeedToken, secret_key: str) -> str | None:
    """The feed's token in clear, or None when it cannot be re-derived (the secret key changed since issue)."""
    token = derive(secret_key, feed.salt)
    return token if hmac.compare_digest(hash_token(token), feed.token_hash) else None


def issue(session: Session, *, secret_key: str, centre_id: int, kind: FeedKind, target_id: int,
          user: User | None = None, alarm_minutes: int | None = None) -> tuple[FeedToken, str]:
    """A new feed token; the same user's active token for the same feed is revoked (re-issue = new secret URL)."""
    if user is not None:
        for old in session.scalars(sa.select(FeedToken).where(
                FeedToken.user_id == user.id, FeedToken.kind == kind, FeedToken.target_id == target_id,
                FeedToken.centre_id == centre_id, FeedToken.revoked_at.is_(None))):
            old.revoked_at = utcnow()
    salt = secrets.token_hex(16)
    token = derive(secret_key, salt)
    feed = FeedToken(centre_id=centre_id, kind=kind, target_id=target_id, user=user, salt=salt,
                     token_hash=hash_token(token), prefix=token[:10], alarm_minutes=alarm_minutes)
    session.add(feed)
    session.flush()
    return feed, token


def revoke(feed: FeedToken) -> bool:
    """Revoke; False when it already was."""
    if feed.revoked_at is not None:
        return False
    feed.revoked_at = utcnow()
    return True


def active_feed(session: Session, token: str) -> FeedToken | None:
    """The live feed a token opens, or None (unknown, malformed or revoked: all the same 404)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    feed = session.scalar(sa.select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
    return feed if feed is not None and feed.revoked_at is None else None


def still_entitled(feed: FeedToken) -> bool:
    """Whether the feed's owner may still see it: a deactivated account, a liaison moved off the location, or an
    officer whose account now names another person lose the feed without anyone having to revoke it.
    Feeds issued from the CLI without an owner are the operator's to revoke."""
    user = feed.user
    if user is None:
        return True
    if not user.active or user.centre_id != feed.centre_id:
        return False
    if user.role is Role.LIAISON:
        return feed.kind is FeedKind.LOCATION and feed.target_id in {loc.id for loc in user.locations}
    if user.role is Role.OFFICER:
        return feed.kind is FeedKind.LOCATION or (feed.kind is FeedKind.PERSON and feed.target_id == user.person_id)
    return user.role in (Role.DIRECTOR, Role.COORDINATOR)


def feed_path(token: str) -> str:
    return f"/feeds/{token}.ics"


def links(base_url: str, token: str) -> dict[str, str]:
    """The plain link (https:// in production: PUBLIC_BASE_URL) and the webcal:// link calendar apps subscribe to."""
    url = base_url.rstrip("/") + feed_path(token)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}
