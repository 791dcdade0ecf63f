"""`duty-roster feed issue|list|revoke`: calendar feed links from the command line.

`feed issue CT location CA` prints the https:// link and the webcal:// link (the token is in them; only its hash and
salt are stored). Re-issuing for the same --user revokes that user's previous link for the same feed.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("feed")
def command() -> None:
    """Issue, list and revoke calendar feed links (person, location, centre)."""


@command.command("issue")
@click.argument("centre_code")
@click.argument("kind", type=click.Choice(["person", "location", "centre"]))
@click.argument("target_code", required=False)
@click.option("--user", "username", help="The account the link belongs to (it then lists it in GET /api/v1/feeds).")
@click.option("--alarm-minutes", type=click.IntRange(0, 10_080), help="Person feeds: a reminder before each shift.")
@with_appcontext
def issue(centre_code: str, kind: str, target_code: str | None, username: str | None,
          alarm_minutes: int | None) -> None:
    """Issue a feed of CENTRE_CODE: `person PERSON_CODE`, `location LOCATION_CODE` or `centre`."""
    import sqlalchemy as sa
    from flask import current_app

    from duty_roster.calendar import tokens
    from duty_roster.extensions import db
    from duty_roster.models import FeedKind, Location, Person, User
    from duty_roster.rostering.errors import RosteringError
    from duty_roster.rostering.queries import centre_by_code

    session = db.session
    try:
        centre = centre_by_code(session, centre_code)
    except RosteringError as exc:
        raise click.ClickException(str(exc)) from None
    feed_kind = FeedKind(kind)
    if feed_kind is FeedKind.CENTRE:
        if target_code:
            raise click.UsageError("a centre feed takes no target code")
        target = centre.id
    else:
        if not target_code:
            raise click.UsageError(f"a {kind} feed needs the {kind} code")
        model = Person if feed_kind is FeedKind.PERSON else Location
        found = session.scalar(sa.select(model.id).where(model.centre_id == centre.id, model.code == target_code))
        if found is None:
            raise click.ClickException(f"no {kind} with code {target_code!r} in centre {centre.code}")
        target = found
    if alarm_minutes is not None and feed_kind is not FeedKind.PERSON:
        raise click.UsageError("--alarm-minutes is for person feeds only")
    user = None
    if username:
        user = session.scalar(sa.select(User).where(User.username == username))
        if user is None or user.centre_id != centre.id:
            raise click.ClickException(f"no account {username!r} in centre {centre.code}")
    settings = current_app.config["SETTINGS"]
    feed, token = tokens.issue(session, secret_key=current_app.config["SECRET_KEY"], centre_id=centre.id,
                               kind=feed_kind, target_id=target, user=user, alarm_minutes=alarm_minutes)
    session.commit()
    links = tokens.links(settings.PUBLIC_BASE_URL, token)
    click.echo(f"feed #{feed.id} ({kind}) issued; subscribe with:", err=True)
    click.echo(links["url"])
    click.echo(links["webcal"])


@command.command("list")
@click.argument("centre_code")
@with_appcontext
def list_(centre_code: str) -> None:
    """List the live feeds of CENTRE_CODE (id, kind, target id, owner, token prefix)."""
    import sqlalchemy as sa

    from duty_roster.extensions import db
    from duty_roster.models import FeedToken
    from duty_roster.rostering.errors import RosteringError
    from duty_roster.rostering.queries import centre_by_code

    try:
        centre = centre_by_code(db.session, centre_code)
    except RosteringError as exc:
        raise click.ClickException(str(exc)) from None
    rows = db.session.scalars(sa.select(FeedToken).where(FeedToken.centre_id == centre.id,
                                                         FeedToken.revoked_at.is_(None)).order_by(FeedToken.id))
    for row in rows:
        owner = row.user.username if row.user else "-"
        click.echo(f"{row.id}\t{row.kind.value}\t{row.target_id}\t{owner}\t{row.prefix}…")



@command.command("revoke")
@click.argument("feed", metavar="ID_OR_PREFIX")
@with_appcontext
def revoke(feed: str) -> None:
    """Revoke a feed by its id or its token prefix (as `feed list` shows); its URL answers 404 from now on."""
    import sqlalchemy as sa

    from duty_roster.calendar import tokens
    from duty_roster.extensions import db
    from duty_roster.models import FeedToken

    query = sa.select(FeedToken).where(FeedToken.revoked_at.is_(None))
    query = query.where(FeedToken.id == int(feed)) if feed.isdigit() else query.where(FeedToken.prefix == feed)
    rows = db.session.scalars(query).all()
    if not rows:
        raise click.ClickException(f"no live feed {feed!r}")
    for row in rows:
        tokens.revoke(row)
    db.session.commit()
    click.echo(f"revoked {len(rows)} feed(s)")
