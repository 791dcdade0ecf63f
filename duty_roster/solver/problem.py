"""The solver's input: plain, immutable dataclasses (no Flask, no database).

A `Problem` says who can work (`Person`), what must be filled (`Shift`, each with a demand per role), what is
forbidden or costly (`Rules`, `Weights`), and what happened before (`History`, `locked`, `published`).
Everything the legal-aid centres need and everything the Curtois & Qu benchmark needs is expressed with the same
fields; `rostering/` builds a Problem from the database, `benchmarks/curtois` builds one from an instance file.

Conventions
- Times are timezone-aware datetimes; `Shift.day` is the local date the shift starts on (Asia/Ho_Chi_Minh for
  centres). Day-based rules (consecutive days, days off, weekends, one shift per day) use `Shift.day`.
- A person "works on day d" when they start at least one shift on d. Shifts starting on the same day form one
  working day: the minimum rest applies between working days, not between the morning and afternoon court
  sessions (buổi sáng / buổi chiều) of the same day.
- Identifiers are strings chosen by the caller (person codes, shift ids); roles are short strings such as
  "duty" (người trực) and "assistant" (người hỗ trợ trực).
- Weights and penalties are integers (CP-SAT works on integers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

DUTY = "duty"
ASSISTANT = "assistant"


@dataclass(frozen=True)
class Person:
    """Someone who can be rostered: a legal-aid officer, a contracted lawyer or a duty assistant."""

    id: str
    name: str = ""
    kind: str = "officer"  # "officer" | "lawyer" | "assistant" (or any kind the caller uses)
    branch: str | None = None
    # Branch codes whose locations this person serves; empty means only `branch` (or anywhere if branch is None).
    areas: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset({DUTY})
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    capacity: float = 1.0  # relative share of the load (FTE); fairness targets are proportional to it
    max_shifts_per_week: int | None = None
    max_shifts_per_month: int | None = None
    contract_start: date | None = None
    contract_end: date | None = None  # inclusive
    # Benchmark-style per-person limits (None = no limit).
    max_shifts_per_type: Mapping[str, int] = field(default_factory=dict)  # shift type -> max count
    min_total_minutes: int | None = None
    max_total_minutes: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None


@dataclass(frozen=True)
class Shift:
    """One slot in time to fill (ca trực) at one location, with a number of people per role."""

    id: str
    start: datetime
    end: datetime
    day: date  # local date the shift starts on
    type: str  # shift type code, e.g. "court_am", "court_pm", "oncall_24h" or a benchmark's "D", "E", "N"
    location: str = ""
    duty_type: str = "court"  # "court" | "investigation" (DutyType)
    area: str | None = None  # branch code of the location's area; None = any branch may serve it
    demand: Mapping[str, int] = field(default_factory=lambda: {DUTY: 1})  # role -> people required
    required_skills: frozenset[str] = frozenset()
    required_languages: frozenset[str] = frozenset()
    is_night: bool = False
    is_weekend: bool = False
    is_holiday: bool = False
    is_tet: bool = False
    sessions: float = 0.0  # buổi counted per Thông tư 02/2021 (4 h = 1; remainder < 3 h = ½, >= 3 h = 1)
    # Weight per missing person (elastic coverage). None = Weights.uncovered.
    under_weight: int | None = None
    # Weight per person above demand; None = over-cover is forbidden (hard cap at demand).
    over_weight: int | None = None

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)


@dataclass(frozen=True)
class Unavailability:
    """Leave, training, business trip (nghỉ phép, tập huấn, công tác): no shift overlapping [start, end)."""

    person: str
    start: datetime
    end: datetime
    reason: str = "leave"  # shown in explanations: "leave", "training", "business_trip", "day_off", ...


@dataclass(frozen=True)
class Preference:
    """A wish with a weight: `wanted=True` is "I want this", `False` is "I'd rather not".

    Matches shifts by any combination of `shift` id, `day`, `weekday` (0 = Monday) and shift `type`; None matches
    all. A wanted preference costs `weight` when no matching shift is assigned on the matched day(s) (for a single
    day: when the person does not work that matching shift); an unwanted one costs `weight` per matching shift
    assigned.
    """

    person: str
    wanted: bool
    weight: int = 1
    shift: str | None = None
    day: date | None = None
    weekday: int | None = None
    type: str | None = None


@dataclass(frozen=True)
class Assignment:
    """A person in a role on a shift (phân công)."""

    person: str
    shift: str
    role: str = DUTY


@dataclass(frozen=True)
class History:
    """A person's load from earlier periods, so that fairness converges across months."""

    person: str
    shifts: int = 0
    minutes: int = 0
    nights: int = 0
    weekends: int = 0
    holidays: int = 0
    tet: int = 0
    capacity_periods: float = 0.0  # sum of capacity over the earlier periods counted (same unit as Person.capacity)


@dataclass(frozen=True)
class Rules:
    """Hard-rule parameters. None disables a rule."""

    min_rest: timedelta | None = timedelta(hours=11)
    long_shift: timedelta = timedelta(hours=24)  # a shift at least this long is a "long on-call"
    rest_after_long_shift: timedelta | None = timedelta(hours=24)
    max_consecutive_nights: int | None = 3
    max_shifts_per_day: int | None = None  # 1 for the benchmark; centres allow both court sessions of a day
    # Forbidden successions: (type on day d, type on day d+1) pairs that may not follow each other.
    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    # Which person kinds may take which role for which duty type; a missing duty type means no restriction.
    allowed_kinds: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    week_start: int = 0  # weekday a week starts on for weekly capacity (0 = Monday)


@dataclass(frozen=True)
class Weights:
    """Soft-goal weights (integers). Defaults are documented in the solver README section of DESIGN/README."""

    uncovered: int = 100_000  # per missing person in a slot, unless Shift.under_weight says otherwise
    fair_load: int = 10
    fair_nights: int = 10
    fair_weekends: int = 10
    fair_holidays: int = 10
    fair_tet: int = 30  # Tết weighs heavier than an ordinary holiday
    preference: int = 1  # multiplies Preference.weight
    continuity_people: int = 2  # per extra distinct person at a location in a week
    cross_branch: int = 1  # per assignment outside the person's own branch
    stability: int = 1_000  # per published assignment changed (repair)


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs for one centre and one period."""

    people: tuple[Person, ...]
    shifts: tuple[Shift, ...]
    unavailability: tuple[Unavailability, ...] = ()
    preferences: tuple[Preference, ...] = ()
    rules: Rules = field(default_factory=Rules)
    weights: Weights = field(default_factory=Weights)
    history: tuple[History, ...] = ()
    locked: tuple[Assignment, ...] = ()  # must stay exactly as they are (past shifts, hand-confirmed)
    published: tuple[Assignment, ...] = ()  # the current published roster, for minimal-change repair
    horizon_start: date | None = None  # first and last day of the period (default: from the shifts)
    horizon_end: date | None = None
    # Which soft goals to apply (names of functions in constraints.SOFT); None = all.
    soft_goals: tuple[str, ...] | None = None

    def person(self, person_id: str) -> Person:
        return self._people_by_id[person_id]

    def shift(self, shift_id: str) -> Shift:
        return self._shifts_by_id[shift_id]

    @property
    def _people_by_id(self) -> dict[str, Person]:
        cached = self.__dict__.get("_people_cache")
        if cached is None:
            cached = {p.id: p for p in self.people}
            object.__setattr__(self, "_people_cache", cached)
        return cached

    @property
    def _shifts_by_id(self) -> dict[str, Shift]:
        cached = self.__dict__.get("_shifts_cache")
        if cached is None:
            cached = {s.id: s for s in self.shifts}
            object.__setattr__(self, "_shifts_cache", cached)
        return cached

    @property
    def first_day(self) -> date:
        return self.horizon_start or min(s.day for s in self.shifts)

    @property
    def last_day(self) -> date:
        return self.horizon_end or max(s.day for s in self.shifts)
