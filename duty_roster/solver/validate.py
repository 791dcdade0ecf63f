"""An independent check of a roster against every hard rule of a Problem.

The CP-SAT model (model.py, constraints/) is one reading of the rules; this module is a second one, written apart from
it on purpose and sharing no code with it, so that a bug in one is caught by the other (property tests compare them).
It is also what the rostering layer runs on a coordinator's manual edit ("move X onto shift Y"), so every violation
says in plain English what is wrong, with `params` for a Vietnamese rendering in the UI.

Speed matters for interactive edits: everything is one pass over the assignments plus per-person sorted sweeps
(a month of 60 people and 1,500 slots validates in a few tens of milliseconds).

Missing people are not violations: a roster may leave a slot uncovered when the rules make it impossible; `uncovered()`
reports those slots separately, in the same shape as `Solution.uncovered`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from duty_roster.solver.problem import Assignment, Person, Problem, Shift, Unavailability
from duty_roster.solver.solution import UncoveredSlot

ONE_DAY = timedelta(days=1)

# Stable rule names (translation keys for the UI), in the order `validate` checks them.
UNKNOWN_PERSON = "unknown_person"
UNKNOWN_SHIFT = "unknown_shift"
DUPLICATE_ASSIGNMENT = "duplicate_assignment"
ONE_ROLE_PER_SHIFT = "one_role_per_shift"
OVER_COVERAGE = "over_coverage"
ROLE_NOT_HELD = "role_not_held"
KIND_NOT_ALLOWED = "kind_not_allowed"
AREA_NOT_SERVED = "area_not_served"
MISSING_SKILL = "missing_skill"
MISSING_LANGUAGE = "missing_language"
OUTSIDE_CONTRACT = "outside_contract"
UNAVAILABLE = "unavailable"
LOCKED_MISSING = "locked"
OVERLAPPING_SHIFTS = "no_overlap"
MINIMUM_REST = "minimum_rest"
REST_AFTER_LONG_SHIFT = "rest_after_long_shift"
MAX_SHIFTS_PER_DAY = "max_shifts_per_day"
FORBIDDEN_SUCCESSION = "forbidden_successions"
MAX_CONSECUTIVE_NIGHTS = "max_consecutive_nights"
MAX_SHIFTS_PER_WEEK = "max_shifts_per_week"
MAX_SHIFTS_PER_MONTH = "max_shifts_per_month"
MAX_SHIFTS_PER_TYPE = "max_shifts_per_type"
MIN_TOTAL_MINUTES = "min_total_minutes"
MAX_TOTAL_MINUTES = "max_total_minutes"
MAX_CONSECUTIVE_DAYS = "max_consecutive_days"
MIN_CONSECUTIVE_DAYS = "min_consecutive_days"
MIN_CONSECUTIVE_DAYS_OFF = "min_consecutive_days_off"
MAX_WEEKENDS = "max_weekends"

RULES = (
    UNKNOWN_PERSON,
    UNKNOWN_SHIFT,
    DUPLICATE_ASSIGNMENT,
    ONE_ROLE_PER_SHIFT,
    OVER_COVERAGE,
    ROLE_NOT_HELD,
    KIND_NOT_ALLOWED,
    AREA_NOT_SERVED,
    MISSING_SKILL,
    MISSING_LANGUAGE,
    OUTSIDE_CONTRACT,
    UNAVAILABLE,
    LOCKED_MISSING,
    OVERLAPPING_SHIFTS,
    MINIMUM_REST,
    REST_AFTER_LONG_SHIFT,
    MAX_SHIFTS_PER_DAY,
    FORBIDDEN_SUCCESSION,
    MAX_CONSECUTIVE_NIGHTS,
    MAX_SHIFTS_PER_WEEK,
    MAX_SHIFTS_PER_MONTH,
    MAX_SHIFTS_PER_TYPE,
    MIN_TOTAL_MINUTES,
    MAX_TOTAL_MINUTES,
    MAX_CONSECUTIVE_DAYS,
    MIN_CONSECUTIVE_DAYS,
    MIN_CONSECUTIVE_DAYS_OFF,
    MAX_WEEKENDS,
)

# The constraint function (constraints/) each validator rule corresponds to: the validator is finer-grained (it says
# *which* eligibility condition fails), the model names the family. Unknown ids and duplicates have no counterpart.
CONSTRAINT = {
    UNKNOWN_PERSON: None,
    UNKNOWN_SHIFT: None,
    DUPLICATE_ASSIGNMENT: None,
    ONE_ROLE_PER_SHIFT: "one_role_per_shift",
    OVER_COVERAGE: "coverage",
    ROLE_NOT_HELD: "eligibility",
    KIND_NOT_ALLOWED: "eligibility",
    AREA_NOT_SERVED: "eligibility",
    MISSING_SKILL: "eligibility",
    MISSING_LANGUAGE: "eligibility",
    OUTSIDE_CONTRACT: "eligibility",
    UNAVAILABLE: "unavailability",
    LOCKED_MISSING: "locked",
    OVERLAPPING_SHIFTS: "no_overlap",
    MINIMUM_REST: "minimum_rest",
    REST_AFTER_LONG_SHIFT: "rest_after_long_shift",
    MAX_SHIFTS_PER_DAY: "max_shifts_per_day",
    FORBIDDEN_SUCCESSION: "forbidden_successions",
    MAX_CONSECUTIVE_NIGHTS: "max_consecutive_nights",
    MAX_SHIFTS_PER_WEEK: "capacity",
    MAX_SHIFTS_PER_MONTH: "capacity",
    MAX_SHIFTS_PER_TYPE: "max_shifts_per_type",
    MIN_TOTAL_MINUTES: "total_minutes",
    MAX_TOTAL_MINUTES: "total_minutes",
    MAX_CONSECUTIVE_DAYS: "max_consecutive_days",
    MIN_CONSECUTIVE_DAYS: "min_consecutive_days",
    MIN_CONSECUTIVE_DAYS_OFF: "min_consecutive_days_off",
    MAX_WEEKENDS: "max_weekends",
}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule. `rule` is a stable name from RULES; `message` is English for logs, the CLI and the API;
    `params` carries the values so the UI can say the same thing in Vietnamese."""

    rule: str
    message: str
    person: str | None = None
    shifts: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def constraint(self) -> str | None:
        """Name of the model's constraint function for this rule (None for unknown ids and duplicates)."""
        return CONSTRAINT[self.rule]

    @property
    def key(self) -> tuple[str, str | None, tuple[str, ...]]:
        """Identity of the violation, independent of its wording (used to diff two rosters)."""
        return (self.rule, self.person, self.shifts)


def validate(problem: Problem, assignments: Iterable[Assignment]) -> list[Violation]:
    """Every hard-rule violation of `assignments` against `problem`; an empty list means the roster is legal."""
    return _Validator(problem, assignments).run()


def uncovered(problem: Problem, assignments: Iterable[Assignment]) -> tuple[UncoveredSlot, ...]:
    """Slots with fewer people than demanded, in problem order (same shape as `Solution.uncovered`, no candidates).

    Counts distinct known people per (shift, role); unknown people and duplicates do not fill a slot."""
    people = problem._people_by_id
    filled: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in assignments:
        if a.person in people:
            filled[a.shift, a.role].add(a.person)
    slots = []
    for s in problem.shifts:
        for role, need in s.demand.items():
            missing = need - len(filled.get((s.id, role), ()))
            if missing > 0:
                slots.append(UncoveredSlot(shift=s.id, role=role, missing=missing))
    return tuple(slots)


def new_violations(problem: Problem, before: Iterable[Assignment], after: Iterable[Assignment]) -> list[Violation]:
    """Violations present in `after` but not in `before`: what a manual edit (move, swap, add) would break.

    A roster that was already illegal somewhere else does not block an unrelated edit."""
    old = {v.key for v in validate(problem, before)}
    return [v for v in validate(problem, after) if v.key not in old]


# --------------------------------------------------------------------------------------------------------------------


def _who(person: Person) -> str:
    return f"{person.name} ({person.id})" if person.name and person.name != person.id else person.id


def _what(shift: Shift) -> str:
    where = f" at {shift.location}" if shift.location else ""
    return f"shift {shift.id} ({shift.type}{where}, {shift.start:%Y-%m-%d %H:%M}–{shift.end:%Y-%m-%d %H:%M})"


def _fmt_td(td: timedelta) -> str:
    minutes = int(td.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    """Maximal runs of consecutive dates in a sorted list, as (first, last)."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and d - runs[-1][1] == ONE_DAY:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _length(run: tuple[date, date]) -> int:
    return (run[1] - run[0]).days + 1


class _Validator:
    def __init__(self, problem: Problem, assignments: Iterable[Assignment]) -> None:
        self.problem = problem
        self.rules = problem.rules
        self.assignments = list(assignments)
        self.out: list[Violation] = []

    def add(self, rule: str, message: str, person: str | None, shifts: Iterable[str], /, **params: object) -> None:
        self.out.append(
            Violation(
                rule=rule,
                message=message,
                person=person,
                shifts=tuple(shifts),
                params={k: str(v) for k, v in params.items()},
            )
        )

    def run(self) -> list[Violation]:
        people = self.problem._people_by_id
        shifts = self.problem._shifts_by_id
        seen: set[Assignment] = set()
        roles_on: dict[tuple[str, str], list[str]] = defaultdict(list)  # (person, shift) -> roles
        per_slot: Counter[tuple[str, str]] = Counter()  # (shift, role) -> people
        valid: list[Assignment] = []
        for a in self.assignments:
            if a.person not in people:
                self.add(
                    UNKNOWN_PERSON,
                    f"Unknown person {a.person!r} is assigned to shift {a.shift}.",
                    a.person,
                    [a.shift],
                    person=a.person,
                    shift=a.shift,
                )
                continue
            if a.shift not in shifts:
                self.add(
                    UNKNOWN_SHIFT,
                    f"{_who(people[a.person])} is assigned to unknown shift {a.shift!r}.",
                    a.person,
                    [a.shift],
                    person=a.person,
                    shift=a.shift,
                )
                continue
            if a in seen:
                self.add(
                    DUPLICATE_ASSIGNMENT,
                    f"{_who(people[a.person])} is assigned twice as {a.role} on {_what(shifts[a.shift])}.",
                    a.person,
                    [a.shift],
                    person=a.person,
                    shift=a.shift,
                    role=a.role,
                )
                continue
            seen.add(a)
            valid.append(a)
            roles_on[a.person, a.shift].append(a.role)
            per_slot[a.shift, a.role] += 1

        for (pid, sid), roles in roles_on.items():
            if len(roles) > 1:
                self.add(
                    ONE_ROLE_PER_SHIFT,
                    f"{_who(people[pid])} holds {len(roles)} roles ({', '.join(sorted(roles))})"
                    f" on {_what(shifts[sid])}; one person takes one role per shift.",
                    pid,
                    [sid],
                    person=pid,
                    shift=sid,
                    roles=", ".join(sorted(roles)),
                )
        self._coverage(per_slot)
        for a in valid:
            self._eligibility(people[a.person], shifts[a.shift], a.role)
        self._locked(seen)

        by_person: dict[str, list[Shift]] = defaultdict(list)
        for pid, sid in roles_on:
            by_person[pid].append(shifts[sid])
        unavailable: dict[str, list[Unavailability]] = defaultdict(list)
        for u in self.problem.unavailability:
            unavailable[u.person].append(u)
        for person in self.problem.people:  # everyone, also those without shifts (minimum total minutes)
            worked = by_person.get(person.id, [])
            worked.sort(key=lambda s: (s.start, s.end, s.id))
            self._per_person(person, worked, unavailable.get(person.id, ()))
        return self.out

    # --- per assignment ---------------------------------------------------------------------------------------------

    def _coverage(self, per_slot: Counter[tuple[str, str]]) -> None:
        shifts = self.problem._shifts_by_id
        for (sid, role), n in per_slot.items():
            shift = shifts[sid]
            need = shift.demand.get(role, 0)
            if n > need and shift.over_weight is None:
                self.add(
                    OVER_COVERAGE,
                    f"{_what(shift)} needs {need} {role} but has {n}.",
                    None,
                    [sid],
                    shift=sid,
                    role=role,
                    demand=need,
                    assigned=n,
                )

    def _eligibility(self, person: Person, shift: Shift, role: str) -> None:
        who, what, pid, sid = _who(person), _what(shift), person.id, shift.id
        if role not in person.roles:
            self.add(
                ROLE_NOT_HELD,
                f"{who} cannot take the role {role} (holds: {', '.join(sorted(person.roles)) or 'none'}) on {what}.",
                pid,
                [sid],
                person=pid,
                shift=sid,
                role=role,
            )
        by_role = self.rules.allowed_kinds.get(shift.duty_type)
        if by_role is not None:
            kinds = by_role.get(role)
            if kinds is not None and person.kind not in kinds:
                self.add(
                    KIND_NOT_ALLOWED,
                    f"{who} is a {person.kind}, but only {', '.join(sorted(kinds)) or 'nobody'} may take the role"
                    f" {role} on {shift.duty_type} duty such as {what}.",
                    pid,
                    [sid],
                    person=pid,
                    shift=sid,
                    kind=person.kind,
                    role=role,
                    duty_type=shift.duty_type,
                    allowed=", ".join(sorted(kinds)),
                )
        if shift.area is not None:
            served = person.areas or ({person.branch} if person.branch is not None else None)
            if served is not None and shift.area not in served:
                self.add(
                    AREA_NOT_SERVED,
                    f"{who} does not serve area {shift.area} (serves: {', '.join(sorted(served))}) for {what}.",
                    pid,
                    [sid],
                    person=pid,
                    shift=sid,
                    area=shift.area,
                )
        missing = shift.required_skills - person.skills
        if missing:
            self.add(
                MISSING_SKILL,
                f"{who} lacks the skill {', '.join(sorted(missing))} required by {what}.",
                pid,
                [sid],
                person=pid,
                shift=sid,
                skills=", ".join(sorted(missing)),
            )
        missing = shift.required_languages - person.languages
        if missing:
            self.add(
                MISSING_LANGUAGE,
                f"{who} does not speak {', '.join(sorted(missing))}, required by {what}.",
                pid,
                [sid],
                person=pid,
                shift=sid,
                languages=", ".join(sorted(missing)),
            )
        if person.contract_start is not None and shift.day < person.contract_start:
            self.add(
                OUTSIDE_CONTRACT,
                f"{who}'s contract starts on {person.contract_start}, after {what}.",
                pid,
                [sid],
                person=pid,
                shift=sid,
                contract_start=person.contract_start,
            )
        if person.contract_end is not None and shift.day > person.contract_end:
            self.add(
                OUTSIDE_CONTRACT,
                f"{who}'s contract ended on {person.contract_end}, before {what}.",
                pid,
                [sid],
                person=pid,
                shift=sid,
                contract_end=person.contract_end,
            )

    def _locked(self, present: set[Assignment]) -> None:
        for a in self.problem.locked:
            if a not in present:
                self.add(
                    LOCKED_MISSING,
                    f"The locked assignment of {a.person} as {a.role} on shift {a.shift} is missing.",
                    a.person,
                    [a.shift],
                    person=a.person,
                    shift=a.shift,
                    role=a.role,
                )

    # --- per person, over their shifts sorted by start --------------------------------------------------------------

    def _per_person(self, person: Person, worked: list[Shift], unavailable: Sequence[Unavailability]) -> None:
        rules = self.rules
        who, pid = _who(person), person.id

        for u in unavailable:
            for s in worked:
                if s.start < u.end and u.start < s.end:
                    self.add(
                        UNAVAILABLE,
                        f"{who} is unavailable ({u.reason}) from {u.start:%Y-%m-%d %H:%M} to {u.end:%Y-%m-%d %H:%M},"
                        f" which overlaps {_what(s)}.",
                        pid,
                        [s.id],
                        person=pid,
                        shift=s.id,
                        reason=u.reason,
                        start=f"{u.start:%Y-%m-%d %H:%M}",
                        end=f"{u.end:%Y-%m-%d %H:%M}",
                    )

        # Pairs in start order. `active` holds earlier shifts that may still interact with the current one: those
        # ending after (current start - the longest look-back a rule needs).
        min_rest = rules.min_rest
        long_rest = rules.rest_after_long_shift
        look_back = max(min_rest or timedelta(0), long_rest or timedelta(0))
        active: list[Shift] = []
        for b in worked:
            horizon = b.start - look_back
            active = [a for a in active if a.end > horizon]
            for a in active:
                if b.start < a.end:
                    self.add(
                        OVERLAPPING_SHIFTS,
                        f"{who} cannot be on two shifts at once: {_what(a)} overlaps {_what(b)}.",
                        pid,
                        [a.id, b.id],
                        person=pid,
                        first=a.id,
                        second=b.id,
                    )
                    continue
                gap = b.start - a.end
                if min_rest is not None and a.day != b.day and gap < min_rest:
                    self.add(
                        MINIMUM_REST,
                        f"{who} gets only {_fmt_td(gap)} of rest between {_what(a)} and {_what(b)};"
                        f" at least {_fmt_td(min_rest)} is required.",
                        pid,
                        [a.id, b.id],
                        person=pid,
                        first=a.id,
                        second=b.id,
                        rest=_fmt_td(gap),
                        required=_fmt_td(min_rest),
                    )
                if long_rest is not None and a.duration >= rules.long_shift and gap < long_rest:
                    self.add(
                        REST_AFTER_LONG_SHIFT,
                        f"{who} starts {_what(b)} only {_fmt_td(gap)} after the long {_what(a)};"
                        f" {_fmt_td(long_rest)} off is required after a shift of {_fmt_td(rules.long_shift)} or more.",
                        pid,
                        [a.id, b.id],
                        person=pid,
                        first=a.id,
                        second=b.id,
                        rest=_fmt_td(gap),
                        required=_fmt_td(long_rest),
                    )
            active.append(b)

        by_day: dict[date, list[Shift]] = defaultdict(list)
        for s in worked:
            by_day[s.day].append(s)
        days = sorted(by_day)

        if rules.max_shifts_per_day is not None:
            for d in days:
                if len(by_day[d]) > rules.max_shifts_per_day:
                    self.add(
                        MAX_SHIFTS_PER_DAY,
                        f"{who} has {len(by_day[d])} shifts on {d}; at most {rules.max_shifts_per_day} allowed.",
                        pid,
                        [s.id for s in by_day[d]],
                        person=pid,
                        day=d,
                        count=len(by_day[d]),
                        limit=rules.max_shifts_per_day,
                    )

        if rules.forbidden_successions:
            for d in days:
                tomorrow = by_day.get(d + ONE_DAY)
                if not tomorrow:
                    continue
                for a in by_day[d]:
                    for b in tomorrow:
                        if (a.type, b.type) in rules.forbidden_successions:
                            self.add(
                                FORBIDDEN_SUCCESSION,
                                f"{who} works a {b.type} shift on {b.day} right after a {a.type} shift on {a.day};"
                                f" {a.type} may not be followed by {b.type} the next day.",
                                pid,
                                [a.id, b.id],
                                person=pid,
                                first=a.id,
                                second=b.id,
                                first_type=a.type,
                                second_type=b.type,
                            )

        if rules.max_consecutive_nights is not None:
            night_days = sorted({s.day for s in worked if s.is_night})
            for run in _runs(night_days):
                n = _length(run)
                if n > rules.max_consecutive_nights:
                    ids = [s.id for s in worked if s.is_night and run[0] <= s.day <= run[1]]
                    self.add(
                        MAX_CONSECUTIVE_NIGHTS,
                        f"{who} works {n} nights in a row ({run[0]} to {run[1]});"
                        f" at most {rules.max_consecutive_nights} allowed.",
                        pid,
                        ids,
                        person=pid,
                        first_day=run[0],
                        last_day=run[1],
                        count=n,
                        limit=rules.max_consecutive_nights,
                    )

        if person.max_shifts_per_week is not None:
            weeks: dict[date, list[str]] = defaultdict(list)
            for s in worked:
                weeks[s.day - timedelta(days=(s.day.weekday() - rules.week_start) % 7)].append(s.id)
            for monday, ids in sorted(weeks.items()):
                if len(ids) > person.max_shifts_per_week:
                    self.add(
                        MAX_SHIFTS_PER_WEEK,
                        f"{who} has {len(ids)} shifts in the week starting {monday};"
                        f" at most {person.max_shifts_per_week} allowed.",
                        pid,
                        ids,
                        person=pid,
                        week_start=monday,
                        count=len(ids),
                        limit=person.max_shifts_per_week,
                    )

        if person.max_shifts_per_month is not None:
            months: dict[tuple[int, int], list[str]] = defaultdict(list)
            for s in worked:
                months[s.day.year, s.day.month].append(s.id)
            for (year, month), ids in sorted(months.items()):
                if len(ids) > person.max_shifts_per_month:
                    self.add(
                        MAX_SHIFTS_PER_MONTH,
                        f"{who} has {len(ids)} shifts in {year}-{month:02d};"
                        f" at most {person.max_shifts_per_month} allowed.",
                        pid,
                        ids,
                        person=pid,
                        month=f"{year}-{month:02d}",
                        count=len(ids),
                        limit=person.max_shifts_per_month,
                    )

        if person.max_shifts_per_type:
            by_type: dict[str, list[str]] = defaultdict(list)
            for s in worked:
                by_type[s.type].append(s.id)
            for t, ids in sorted(by_type.items()):
                limit = person.max_shifts_per_type.get(t)
                if limit is not None and len(ids) > limit:
                    self.add(
                        MAX_SHIFTS_PER_TYPE,
                        f"{who} has {len(ids)} {t} shifts; at most {limit} allowed.",
                        pid,
                        ids,
                        person=pid,
                        type=t,
                        count=len(ids),
                        limit=limit,
                    )

        self._totals_and_sequences(person, worked, days, by_day)

    def _totals_and_sequences(
        self, person: Person, worked: list[Shift], days: list[date], by_day: Mapping[date, list[Shift]]
    ) -> None:
        who, pid = _who(person), person.id
        if person.max_total_minutes is not None or person.min_total_minutes is not None:
            total = sum(s.minutes for s in worked)
            if person.max_total_minutes is not None and total > person.max_total_minutes:
                self.add(
                    MAX_TOTAL_MINUTES,
                    f"{who} works {total} minutes in total; at most {person.max_total_minutes} allowed.",
                    pid,
                    [s.id for s in worked],
                    person=pid,
                    minutes=total,
                    limit=person.max_total_minutes,
                )
            if person.min_total_minutes is not None and total < person.min_total_minutes:
                self.add(
                    MIN_TOTAL_MINUTES,
                    f"{who} works {total} minutes in total; at least {person.min_total_minutes} required.",
                    pid,
                    [s.id for s in worked],
                    person=pid,
                    minutes=total,
                    limit=person.min_total_minutes,
                )

        def ids_in(run: tuple[date, date]) -> list[str]:
            return [s.id for d in days if run[0] <= d <= run[1] for s in by_day[d]]

        first, last = self.problem.first_day, self.problem.last_day
        # Days outside the horizon count as off, so a working block is only what lies inside it.
        inside = [d for d in days if first <= d <= last]
        work_runs = _runs(inside)
        if person.max_consecutive_days is not None:
            for run in work_runs:
                n = _length(run)
                if n > person.max_consecutive_days:
                    self.add(
                        MAX_CONSECUTIVE_DAYS,
                        f"{who} works {n} days in a row ({run[0]} to {run[1]});"
                        f" at most {person.max_consecutive_days} allowed.",
                        pid,
                        ids_in(run),
                        person=pid,
                        first_day=run[0],
                        last_day=run[1],
                        count=n,
                        limit=person.max_consecutive_days,
                    )
        # The min rules exempt blocks touching the horizon border: they may continue in the neighbouring period.
        if person.min_consecutive_days is not None:
            for run in work_runs:
                n = _length(run)
                if n < person.min_consecutive_days and run[0] != first and run[1] != last:
                    self.add(
                        MIN_CONSECUTIVE_DAYS,
                        f"{who} works only {n} day(s) in a row ({run[0]} to {run[1]});"
                        f" a working stretch must last at least {person.min_consecutive_days} days.",
                        pid,
                        ids_in(run),
                        person=pid,
                        first_day=run[0],
                        last_day=run[1],
                        count=n,
                        limit=person.min_consecutive_days,
                    )
        if person.min_consecutive_days_off is not None:
            # Gaps between consecutive working blocks are the off blocks with work on both sides.
            for before, after in pairwise(work_runs):
                off_first, off_last = before[1] + ONE_DAY, after[0] - ONE_DAY
                n = (off_last - off_first).days + 1
                if n < person.min_consecutive_days_off:
                    self.add(
                        MIN_CONSECUTIVE_DAYS_OFF,
                        f"{who} gets only {n} day(s) off ({off_first} to {off_last}) between working stretches;"
                        f" at least {person.min_consecutive_days_off} are required.",
                        pid,
                        [*ids_in(before)[-1:], *ids_in(after)[:1]],
                        person=pid,
                        first_day=off_first,
                        last_day=off_last,
                        count=n,
                        limit=person.min_consecutive_days_off,
                    )
        if person.max_weekends is not None:
            # A weekend is worked when any weekend shift is worked in it; Saturday and Sunday share a Monday-week.
            weekends: dict[date, list[str]] = defaultdict(list)
            for s in worked:
                if s.is_weekend:
                    weekends[s.day - timedelta(days=s.day.weekday())].append(s.id)
            if len(weekends) > person.max_weekends:
                self.add(
                    MAX_WEEKENDS,
                    f"{who} works {len(weekends)} weekends; at most {person.max_weekends} allowed.",
                    pid,
                    [sid for ids in weekends.values() for sid in ids],
                    person=pid,
                    count=len(weekends),
                    limit=person.max_weekends,
                )
