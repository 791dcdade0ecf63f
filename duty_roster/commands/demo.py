"""`duty-roster demo`: the Cần Thơ demo centre, next month's roster generated and published, then the app served.

Safe to run again: the centre file loads idempotently, accounts are reset to the demo passwords, and an already
published roster for next month is reused rather than solved again.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

DEMO_FILE = Path(__file__).resolve().parents[2] / "config" / "demo" / "centre.json"
DEMO_CENTRE = "CT"
# (role, username, password): demo-only credentials, printed on purpose.
DEMO_ACCOUNTS = (
    ("admin", "quantri", "demo-quantri"),
    ("director", "giamdoc", "demo-giamdoc"),
    ("coordinator", "dieuphoi", "demo-dieuphoi"),
    ("officer", "trogiupvien", "demo-trogiupvien"),
    ("liaison", "lienlac.congan", "demo-lienlac"),
)


def next_month(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Serve the app on 127.0.0.1 afterwards (default: serve).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (centre, roster_id, accounts, paths).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), help="Seconds the solver may search.")
@click.option("--file", "centre_file", type=click.Path(dir_okay=False, path_type=Path), default=DEMO_FILE,
              show_default=True, help="The centre file to load.")
@with_appcontext
def command(serve: bool, as_json: bool, time_limit: float | None, centre_file: Path) -> None:
    """Load the demo centre, generate and publish next month's roster, print what to try, serve the app."""
    result = prepare_demo(centre_file, time_limit=time_limit, quiet=as_json)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        show(result)
    if serve:
        settings = current_app.config["SETTINGS"]
        click.echo(f"\nServing on http://{settings.HOST}:{settings.PORT}/ (Ctrl+C to stop)")
        # Not app.run(): Flask ignores it inside a CLI command. run_simple is what `flask run` itself calls.
        from werkzeug.serving import run_simple

        embedded = start_embedded_scheduler() if settings.JOB_RUNNER == "embedded" else None
        try:
            run_simple(settings.HOST, settings.PORT, current_app._get_current_object(), threaded=True)
        finally:
            if embedded is not None:
                embedded.stop()


def start_embedded_scheduler() -> Any:
    """The demo is one process: it also runs the scheduler's jobs (its SMS land in this console log) in a background
    thread, unless a `duty-roster scheduler` already holds the lock. None when it does not run them."""
    from duty_roster.scheduler.process import EmbeddedScheduler

    embedded = EmbeddedScheduler(current_app._get_current_object())
    return embedded if embedded.start() else None


def prepare_demo(centre_file: Path, *, time_limit: float | None, quiet: bool) -> dict[str, Any]:
    from flask_migrate import upgrade

    from duty_roster.centre_file import CentreFileError, load_centre_file
    from duty_roster.commands.options import progress_printer
    from duty_roster.commands.render import roster_summary
    from duty_roster.extensions import db
    from duty_roster.models import utcnow
    from duty_roster.rostering.drafts import generate_draft
    from duty_roster.rostering.errors import RosteringError
    from duty_roster.rostering.problem_builder import published_roster
    from duty_roster.rostering.publish import publish
    from duty_roster.rostering.queries import centre_by_code

    settings = current_app.config["SETTINGS"]
    say = (lambda *_a, **_k: None) if quiet else click.echo
    upgrade()
    try:
        loaded = load_centre_file(db.session, centre_file)
    except CentreFileError as exc:
        db.session.rollback()
        raise click.ClickException(f"the demo centre file does not load:\n{exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read the demo centre file {centre_file}: {exc.strerror}") from None
    say(f"Loaded {centre_file.name}: {loaded}")
    try:
        centre = centre_by_code(db.session, DEMO_CENTRE)
    except RosteringError as exc:
        raise click.ClickException(str(exc)) from None
    today = utcnow().astimezone(ZoneInfo(centre.timezone)).date()
    start, end = next_month(today)
    roster = published_roster(db.session, centre, start, end)
    warning = None
    if roster is None:
        say(f"Generating the roster for {start:%d/%m/%Y} – {end:%d/%m/%Y} ...")
        try:
            roster = generate_draft(
                db.session, centre, start, end,
                time_limit=time_limit or settings.SOLVER_TIME_LIMIT,
                workers=settings.SOLVER_WORKERS,
                max_days=settings.MAX_PERIOD_DAYS,
                on_progress=None if quiet else progress_printer(),
            )
            result = publish(db.session, roster, notice_working_days=settings.PUBLISH_NOTICE_WORKING_DAYS)
        except RosteringError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        warning = result.late_warning
    else:
        say(f"Next month's roster is already published (#{roster.id}, version {roster.version}).")
    police = investigation_agency(centre)
    accounts = demo_accounts(centre, roster, police)
    paths = demo_paths(roster, police.code if police else None)
    paths.update(demo_feeds(centre, police))
    sms = queued_sms(centre)
    db.session.commit()
    return {
        "centre": centre.code,
        "roster_id": roster.id,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "publish_warning": warning,
        "summary": roster_summary(roster),
        "accounts": accounts,
        "paths": paths,
        "sms": sms,
    }


def queued_sms(centre: Any) -> dict[str, Any]:
    """What the outbox holds for the centre: messages waiting, how many may leave now, and when the first of the
    others may (quiet hours hold publications at night), as local ISO time."""
    import sqlalchemy as sa

    from duty_roster.extensions import db
    from duty_roster.models import OutboxMessage, OutboxState, utcnow

    now = utcnow()
    pending = (OutboxMessage.centre_id == centre.id, OutboxMessage.state == OutboxState.PENDING)
    count = db.session.scalar(sa.select(sa.func.count()).where(*pending)) or 0
    held = sa.select(sa.func.min(OutboxMessage.not_before), sa.func.count()).where(
        *pending, OutboxMessage.not_before > now)
    first, held_count = db.session.execute(held).one()
    return {
        "pending": count,
        "held": held_count,
        "held_until": first.astimezone(ZoneInfo(centre.timezone)).isoformat(timespec="minutes") if first else None,
    }


def demo_paths(roster: Any, police_code: str | None) -> dict[str, str]:
    """Server-relative URLs worth trying, with a demo token as `Authorization: Bearer ...`."""
    start, end = roster.period_start.isoformat(), roster.period_end.isoformat()
    paths = {
        "healthz": "/healthz",
        "api_docs": "/api/v1/docs",
        "openapi": "/api/v1/openapi.json",
        "me": "/api/v1/me",
        "roster": f"/api/v1/rosters/{roster.id}",
        "assignments": f"/api/v1/rosters/{roster.id}/assignments",
        "sessions_report": f"/api/v1/reports/sessions?start={start}&end={end}",
    }
    if police_code:
        paths["on_duty"] = f"/api/v1/on-duty?location={police_code}"  # now: empty until the roster's month begins
        first_morning = quote(f"{start}T09:00:00+07:00")  # "+" must be encoded in a query string
        paths["on_duty_first_day"] = f"/api/v1/on-duty?location={police_code}&at={first_morning}"
    return paths


def demo_feeds(centre: Any, police: Any) -> dict[str, str]:
    """Calendar feed paths (secret URLs, no login): the officer's shifts, the liaison's location, the centre."""
    import sqlalchemy as sa

    from duty_roster.calendar import tokens
    from duty_roster.extensions import db
    from duty_roster.models import FeedKind, User
    from duty_roster.notify.announce import person_feed_token

    users = {u.username: u for u in db.session.scalars(sa.select(User).where(User.centre_id == centre.id))}
    secret = current_app.config["SECRET_KEY"]
    paths = {}
    officer = users.get("trogiupvien")
    if officer is not None and officer.person is not None:
        # The link the publication SMS carried: re-issuing it would revoke the link the officer already has.
        token = person_feed_token(db.session, officer.person)
        if token is not None:
            paths["person_feed"] = tokens.feed_path(token)
    wanted = [("centre_feed", users.get("giamdoc"), FeedKind.CENTRE, centre.id)]
    if police is not None:
        wanted.insert(0, ("location_feed", users.get("lienlac.congan"), FeedKind.LOCATION, police.id))
    for name, user, kind, target in wanted:
        _feed, token = tokens.issue(db.session, secret_key=secret, centre_id=centre.id, kind=kind, target_id=target,
                                    user=user)
        paths[name] = tokens.feed_path(token)
    return paths


def investigation_agency(centre: Any) -> Any:
    """The demo's first police investigation agency: the liaison's location and the on-duty example."""
    import sqlalchemy as sa

    from duty_roster.extensions import db
    from duty_roster.models import Location, LocationKind

    return db.session.scalar(
        sa.select(Location)
        .where(Location.centre_id == centre.id, Location.kind == LocationKind.INVESTIGATION)
        .order_by(Location.code)
    )


def demo_accounts(centre: Any, roster: Any, police: Any) -> list[dict[str, str]]:
    """Create (or reset) one account per role, with a fresh API token each."""
    import sqlalchemy as sa

    from duty_roster.accounts import create_user, issue_token
    from duty_roster.extensions import db
    from duty_roster.models import Role, User
    from duty_roster.models.people import Person, PersonKind

    session = db.session
    on_duty = sorted({a.person for a in roster.assignments}, key=lambda p: p.code)
    officer = next((p for p in on_duty if p.kind is PersonKind.OFFICER), on_duty[0] if on_duty else None)
    director = session.scalar(
        sa.select(Person).where(Person.centre_id == centre.id, Person.kind == PersonKind.OFFICER).order_by(Person.code)
    )
    people = {"director": director, "officer": officer}
    accounts = []
    for role_name, username, password in DEMO_ACCOUNTS:
        role = Role(role_name)
        user = session.scalar(sa.select(User).where(User.username == username))
        if user is not None:
            session.delete(user)  # reset: the demo account is recreated exactly as documented
            session.flush()
        person = people.get(role_name)
        user = create_user(
            session,
            username=username,
            password=password,
            role=role,
            centre=None if role is Role.ADMIN else centre,
            full_name=person.full_name if person else username,
            person=person,
            locations=[police] if role is Role.LIAISON and police else [],
        )
        token = issue_token(session, user, name="demo")
        accounts.append({"role": role_name, "username": username, "password": password, "token": token})
    return accounts


def show(result: dict[str, Any]) -> None:
    from duty_roster.commands.render import print_summary

    print_summary(result["summary"], click.echo)
    if result["publish_warning"]:
        click.echo(f"\nWarning: {result['publish_warning']}")
    click.echo(f"\nPublished roster #{result['roster_id']} for centre {result['centre']}.")
    click.echo("\nDemo accounts (role, username, password, API token):")
    for acc in result["accounts"]:
        click.echo(f"  {acc['role']:<12} {acc['username']:<16} {acc['password']:<18} {acc['token']}")
    settings = current_app.config["SETTINGS"]
    base = f"http://{settings.HOST}:{settings.PORT}"
    token = next(acc["token"] for acc in result["accounts"] if acc["role"] == "director")
    sms = result["sms"]
    if sms["pending"]:
        later = f", {sms['held']} of them from {sms['held_until'][11:16]} (quiet hours)" if sms["held"] else ""
        twilio = all((settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM))
        where = "through Twilio" if twilio else "to its log (no Twilio credentials set)"
        click.echo(f"\n{sms['pending']} SMS wait in the outbox: the served demo sends them {where}{later}."
                   " See docs/notifications.md.")
    click.echo(f"\nIn a browser: {base}/login with a username and password above (director → /desk, officer → /me,"
               " liaison → /board).")
    click.echo("\nTry (as the director; the liaison's token works for on_duty):")
    for name, path in result["paths"].items():
        click.echo(f"  {name:<16} curl -H 'Authorization: Bearer {token}' '{base}{path}'")
