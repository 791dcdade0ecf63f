"""`duty-roster load FILE`: load (or, with --dry-run, check) a centre file, all or nothing.

Exit status 0 when loaded (or valid), 1 when the file has errors — each printed as `path: message`, one per line,
never a traceback — or when the database cannot be written.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (centre, changed, counts, warnings, "
                                                      "errors).")
@with_appcontext
def command(file: Path, dry_run: bool, as_json: bool) -> None:
    """Load a centre file (tệp dữ liệu trung tâm): branches, people, locations, shift patterns, leave..."""
    import sqlalchemy as sa

    from duty_roster.centre_file import CentreFileError, load_centre_file
    from duty_roster.extensions import db

    try:
        summary = load_centre_file(db.session, file, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except CentreFileError as exc:
        db.session.rollback()
        if as_json:
            click.echo(json.dumps({"file": str(file), "errors": [vars(e) for e in exc.errors],
                                   "warnings": [vars(w) for w in exc.warnings]}, ensure_ascii=False))
        else:
            click.echo(f"{file}: {len(exc.errors)} lỗi, không ghi gì / {len(exc.errors)} errors, nothing written:",
                       err=True)
            for error in exc.errors:
                click.echo(f"  {error}", err=True)
            for warning in exc.warnings:
                click.echo(f"  cảnh báo / warning: {warning}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from None
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(
            f"database error, nothing written ({detail}); has the schema been created with `duty-roster init`?"
        ) from None
    if as_json:
        click.echo(json.dumps({"file": str(file), "centre": summary.centre, "dry_run": dry_run,
                               "changed": summary.changed, "counts": summary.as_dict(),
                               "warnings": [vars(w) for w in summary.warnings], "errors": []}, ensure_ascii=False))
        return
    click.echo(f"{file.name}: {summary}" + (" — dry run, nothing written" if dry_run else ""))
    for line in summary.table():
        click.echo(f"  {line}")
    for warning in summary.warnings:
        click.echo(f"  cảnh báo / warning: {warning}")
