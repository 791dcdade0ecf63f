"""Small pieces shared by the commands: option types and a progress printer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the solver (and OR-Tools) loads only when a command solves
    from duty_roster.solver.solution import Progress


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


ISO_DATE = IsoDate()


def progress_printer() -> Callable[[Progress], None]:
    """Print each improving solution to stderr: what a progress bar would show."""

    def show(progress: Progress) -> None:
        click.echo(
            f"  {progress.elapsed:6.1f} s  {progress.fraction_of_time_limit:4.0%} of the limit  "
            f"objective {progress.objective:g}  bound {progress.best_bound:g}",
            err=True,
        )

    return show
