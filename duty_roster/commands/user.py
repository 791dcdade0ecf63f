"""`duty-roster user create|token|revoke`: accounts and API tokens from the command line.

A token is printed once, on its own line (so `TOKEN=$(duty-roster user token giamdoc)` works); only its hash is
stored. Errors are one line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("user")
def command() -> None:
    """Manage user accounts and their API tokens."""


@command.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "director", "coordinator", "officer", "liaison"]),
              help="admin creates centres; director publishes; coordinator edits; officer; liaison (court/police).")
@click.option("--centre", "centre_code", help="Centre code (every role but admin belongs to one).")
@click.option("--person", "person_code", help="Code of the person this account is (officers: their own records).")
@click.option("--location", "location_codes", multiple=True, help="Liaisons: a location code they see (repeat).")
@click.option("--full-name", default="", help="Name shown in the UI and the audit log.")
@click.password_option(help="Password (asked twice when not given; at least 8 characters).")
@with_appcontext
def create(username: str, role: str, centre_code: str | None, person_code: str | None,
           location_codes: tuple[str, ...], full_name: str, password: str) -> None:
    """Create the account USERNAME."""
    import sqlalchemy as sa

    from duty_roster import audit
    from duty_roster.accounts import AccountError, create_user
    from duty_roster.extensions import db
    from duty_roster.models import Location, Person, Role
    from duty_roster.rostering.errors import RosteringError
    from duty_roster.rostering.queries import centre_by_code

    session = db.session
    role_ = Role(role)
    if role_ is Role.ADMIN and (centre_code or person_code or location_codes):
        raise click.UsageError("an admin belongs to no centre: drop --centre, --person and --location")
    if role_ is not Role.ADMIN and not centre_code:
        raise click.UsageError(f"a {role} needs --centre CODE")
    if location_codes and role_ is not Role.LIAISON:
        raise click.UsageError("--location is for liaisons only")
    if role_ is Role.LIAISON and not location_codes:
        raise click.UsageError("a liaison needs at least one --location CODE (the places they may see)")
    try:
        centre = centre_by_code(session, centre_code) if centre_code else None
    except RosteringError as exc:
        raise click.ClickException(str(exc)) from None
    person = None
    if person_code:
        assert centre is not None
        person = session.scalar(sa.select(Person).where(Person.centre_id == centre.id, Person.code == person_code))
        if person is None:
            raise click.ClickException(f"no person with code {person_code!r} in centre {centre.code}")
    locations = []
    for code in location_codes:
        assert centre is not None
        location = session.scalar(sa.select(Location).where(Location.centre_id == centre.id, Location.code == code))
        if location is None:
            raise click.ClickException(f"no location with code {code!r} in centre {centre.code}")
        locations.append(location)
    try:
        user = create_user(session, username=username, password=password, role=role_, centre=centre,
                           full_name=full_name, person=person, locations=locations)
    except AccountError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    audit.record(session, "user.create", centre=centre, entity="user", entity_id=user.id, username=username,
                 role=role)
    session.commit()
    where = f" in centre {centre.code}" if centre else ""
    click.echo(f"Created {role} {username!r} (id {user.id}){where}.", err=True)


@command.command("token")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. 'police liaison screen'.")
@click.option("--days", type=click.IntRange(1, 3650), default=365, show_default=True, help="Days until it expires.")
@click.option("--no-expiry", is_flag=True, help="A token that never expires (revoke it when no longer needed).")
@with_appcontext
def token(username: str, name: str, days: int, no_expiry: bool) -> None:
    """Issue an API token for USERNAME and print it once (stdout); details go to stderr."""
    from datetime import timedelta

    import sqlalchemy as sa

    from duty_roster import audit
    from duty_roster.accounts import issue_token
    from duty_roster.extensions import db
    from duty_roster.models import User

    session = db.session
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    if not user.active:
        raise click.ClickException(f"user {username!r} is deactivated")
    secret = issue_token(session, user, name=name, ttl=None if no_expiry else timedelta(days=days))
    audit.record(session, "token.issue", centre=user.centre, entity="user", entity_id=user.id, prefix=secret[:10])
    session.commit()
    expiry = "never expires" if no_expiry else f"expires in {days} days"
    click.echo(f"Token for {username!r} ({expiry}); it is shown only now, store it safely. Prefix: {secret[:10]}",
               err=True)
    click.echo(secret)


@command.command("revoke")
@click.argument("token_ref")
@with_appcontext
def revoke(token_ref: str) -> None:
    """Revoke a token by its id or by the prefix shown when it was issued (e.g. dr_AbC123x)."""
    from duty_roster import audit
    from duty_roster.accounts import revoke_token
    from duty_roster.extensions import db

    ref: str | int = int(token_ref) if token_ref.isdigit() else token_ref
    count = revoke_token(db.session, ref)
    if count == 0:
        db.session.rollback()
        raise click.ClickException(f"no active token with id or prefix {token_ref!r}")
    audit.record(db.session, "token.revoke", entity="api_token", entity_id=token_ref, count=count)
    db.session.commit()
    click.echo(f"Revoked {count} token{'s' if count > 1 else ''}.")
