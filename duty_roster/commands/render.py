"""Text and JSON views of a roster for the terminal: status, uncovered slots with reasons, fairness table."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa

from duty_roster.extensions import db
from duty_roster.models import Roster, Shift


def roster_summary(roster: Roster) -> dict[str, Any]:
    """What `generate --json`, `repair --json` and `demo --json` print about a roster."""
    report = roster.solve_report or {}
    tz = ZoneInfo(roster.centre.timezone)
    wanted = [u["shift_id"] for u in report.get("uncovered", [])]
    shifts = {s.id: s for s in db.session.scalars(sa.select(Shift).where(Shift.id.in_(wanted)))}
    names = {a.person.code: a.person.full_name for a in roster.assignments}
    uncovered = []
    for slot in report.get("uncovered", []):
        shift = shifts.get(slot["shift_id"])
        uncovered.append(
            {
                **slot,
                "location": shift.location.code if shift else None,
                "start": shift.start_at.astimezone(tz).isoformat() if shift else None,
            }
        )
    return {
        "roster_id": roster.id,
        "centre": roster.centre.code,
        "period": {"start": roster.period_start.isoformat(), "end": roster.period_end.isoformat()},
        "status": roster.status.value,
        "version": roster.version,
        "assignments": len(roster.assignments),
        "solver": {k: report.get(k) for k in ("status", "objective", "best_bound", "gap", "seconds", "changes")},
        "penalties": report.get("penalties", {}),
        "uncovered": uncovered,
        "fairness": [{**s, "name": names.get(s["person"], "")} for s in report.get("stats", [])],
    }


def print_summary(summary: dict[str, Any], echo: Any) -> None:
    solver = summary["solver"]
    gap = solver.get("gap")
    echo(
        f"Roster #{summary['roster_id']} ({summary['status']}) for {summary['centre']} "
        f"{summary['period']['start']} .. {summary['period']['end']}: {summary['assignments']} assignments"
    )
    echo(
        f"Solver: {solver.get('status')}, objective {solver.get('objective')}, bound {solver.get('best_bound')}, "
        f"gap {gap * 100:.2f}%, {solver.get('seconds')} s" if gap is not None else f"Solver: {solver.get('status')}"
    )
    if solver.get("changes"):
        echo(f"Changed assignments versus the published version: {solver['changes']}")
    if summary["uncovered"]:
        echo(f"UNCOVERED slots: {len(summary['uncovered'])}")
        for slot in summary["uncovered"]:
            echo(f"  - {slot['location']} {slot['start']} {slot['role']}: {slot['missing']} missing")
            for cand in slot["candidates"][:8]:
                reasons = "; ".join(r["message"] for r in cand["reasons"]) or "no reason found"
                echo(f"      {cand['person']}: {reasons}")
            if len(slot["candidates"]) > 8:
                echo(f"      ... and {len(slot['candidates']) - 8} more people")
    else:
        echo("Every slot is covered.")
    rows = [r for r in summary["fairness"] if r["shifts"]]
    if rows:
        echo("")
        echo(
            f"{'person':<10} {'name':<28} {'shifts':>6} {'buổi':>6} {'nights':>6} {'wkend':>6} {'holid':>6} "
            f"{'tet':>4}"
        )
        for r in sorted(rows, key=lambda r: r["person"]):
            echo(
                f"{r['person']:<10} {r['name'][:28]:<28} {r['shifts']:>6} {r['sessions']:>6g} {r['nights']:>6} "
                f"{r['weekends']:>6} {r['holidays']:>6} {r['tet']:>4}"
            )


def store_and_report(make_roster: Callable[[], Roster], *, as_json: bool) -> None:
    """Run a use case that stores a roster: commit it, or roll back and print the refusal as one line (exit 1);
    then print the roster's summary, as text or as one JSON object."""
    from duty_roster.rostering.errors import RosteringError

    try:
        roster = make_roster()
        db.session.commit()
    except RosteringError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    summary = roster_summary(roster)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary, click.echo)
