"""Realistic legal-aid centres (Trung tâm TGPL) as solver Problems, deterministic from a seed.

The shape follows the merged Cần Thơ centre described in shared/domain/vietnam-legal-aid.md: a head office and
branches, the city court and regional courts staffed in two sessions on working days (07:30–11:30, 13:30–17:00),
police investigation agencies with a 24 h on-call (07:30–07:30, every day, Tết included) needing one duty person and
one duty assistant, a few Khmer speakers and juvenile-trained people that some sessions require, leave and training,
fairness history from earlier months, and the Vietnamese calendar from the `holidays` package (Tết, compensatory days
off and swapped working Saturdays).

Sizes: S (15 people, one month), M (60 people, 12 locations, one month), L (M's centre over a year), and XL (34
independent M-size centres, one per province, each solved as its own job).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from duty_roster.solver.problem import (
    ASSISTANT,
    DUTY,
    History,
    Person,
    Preference,
    Problem,
    Rules,
    Shift,
    Unavailability,
)
from duty_roster.solver.sessions import count_sessions

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)
XL_CENTRES = 34  # provinces and cities after the 1/7/2025 merger

COURT_AM = (time(7, 30), time(11, 30))
COURT_PM = (time(13, 30), time(17, 0))
ONCALL_START = time(7, 30)

JUVENILE = "juvenile"
KHMER = "km"
MIN_JUVENILE = 4  # juvenile-trained duty people serving each branch area
MIN_KHMER = 3  # Khmer speakers serving B1 (Sóc Trăng)

RULES = Rules(
    min_rest=timedelta(hours=11),
    long_shift=timedelta(hours=24),
    rest_after_long_shift=timedelta(hours=24),
    max_consecutive_nights=3,
    allowed_kinds={
        "court": {DUTY: frozenset({"officer", "lawyer"})},
        "investigation": {DUTY: frozenset({"officer", "lawyer"}), ASSISTANT: frozenset({"assistant", "officer"})},
    },
)


@dataclass(frozen=True)
class Size:
    name: str
    officers: int
    lawyers: int
    assistants: int
    branches: tuple[str, ...]
    # (location code, duty type, area): courts sit on working days, investigation agencies need on-call every day.
    locations: tuple[tuple[str, str, str | None], ...]
    months: int

    @property
    def people(self) -> int:
        return self.officers + self.lawyers + self.assistants


_M_LOCATIONS = (
    ("TA-TP", "court", "HO"),  # the city people's court
    ("TA-KV1", "court", "HO"),  # regional courts ("Tòa án nhân dân khu vực N")
    ("TA-KV2", "court", "HO"),
    ("TA-KV3", "court", "HO"),
    ("TA-KV4", "court", "B1"),
    ("TA-KV5", "court", "B1"),
    ("TA-KV6", "court", "B1"),
    ("TA-KV7", "court", "B2"),
    ("TA-KV8", "court", "B2"),
    ("CA-CSDT", "investigation", None),  # city police criminal investigation (telephone duty, centre-wide)
    ("CA-ANDT", "investigation", None),  # security investigation agency
    ("CA-KV4", "investigation", "B1"),  # a regional police investigation office served from the B1 branch
)

SIZES: dict[str, Size] = {
    "S": Size(
        "S",
        officers=6,
        lawyers=6,
        assistants=3,
        branches=("HO", "B1"),
        locations=(("TA-TP", "court", "HO"), ("TA-KV4", "court", "B1"), ("CA-CSDT", "investigation", None)),
        months=1,
    ),
    "M": Size(
        "M", officers=24, lawyers=28, assistants=8, branches=("HO", "B1", "B2"), locations=_M_LOCATIONS, months=1
    ),
    "L": Size(
        "L", officers=24, lawyers=28, assistants=8, branches=("HO", "B1", "B2"), locations=_M_LOCATIONS, months=12
    ),
}
# S falls on Tết (February 2026); M is an ordinary full month (March 2026); L is the whole of 2026, Tết included.
DEFAULT_START = {"S": date(2026, 2, 1), "M": date(2026, 3, 1), "L": date(2026, 1, 1)}
# Staff per branch, close to each area's share of the duty slots (B1 has three courts and a police office).
BRANCH_SHARE = {"HO": 0.45, "B1": 0.35, "B2": 0.2}
NEIGHBOURS = {"HO": ("B2", "B1"), "B1": ("HO",), "B2": ("HO",)}


@dataclass(frozen=True)
class Calendar:
    """Which days are working days and which are holidays or Tết, from the `holidays` package."""

    holidays: dict[date, str]
    swapped_working: frozenset[date]  # Saturdays worked in exchange for a bridge day off

    @classmethod
    def for_years(cls, years: range) -> Calendar:
        vn = holidays.country_holidays("VN", years=list(years), language="en_US")
        swapped = set()
        for name in vn.values():
            m = re.search(r"substituted from (\d\d)/(\d\d)/(\d{4})", name)
            if m:
                swapped.add(date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
        return cls(dict(vn.items()), frozenset(swapped))

    def is_holiday(self, d: date) -> bool:
        return d in self.holidays

    def is_tet(self, d: date) -> bool:
        return "Lunar New Year" in self.holidays.get(d, "")

    def is_tet_eve(self, d: date) -> bool:
        return self.holidays.get(d, "") == "Lunar New Year's Eve"

    def is_working_day(self, d: date) -> bool:
        if d in self.swapped_working:
            return True
        return d.weekday() < 5 and d not in self.holidays


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=TZ)


def generate(size: str = "M", seed: int = 0, *, start: date | None = None, centre: str = "C00") -> Problem:
    """A centre of the given size for the period starting at `start` (the first day of a month)."""
    spec = SIZES[size]
    rng = random.Random(f"{size}/{seed}/{centre}")
    first = start or DEFAULT_START[size]
    last = _add_months(first, spec.months) - ONE_DAY
    cal = Calendar.for_years(range(first.year, last.year + 1))
    people = _people(spec, rng, first, last, centre)
    shifts = _shifts(spec, rng, cal, first, last, centre)
    return Problem(
        people=people,
        shifts=shifts,
        unavailability=_unavailability(people, rng, cal, first, last),
        preferences=_preferences(people, rng),
        rules=RULES,
        history=_history(people, shifts, rng, spec.months),
        horizon_start=first,
        horizon_end=last,
    )


def generate_xl(seed: int = 0, *, start: date | None = None) -> list[Problem]:
    """34 independent M-size centres (one per province), each its own solve job."""
    return [generate("M", seed, start=start, centre=f"C{i:02d}") for i in range(XL_CENTRES)]


def _people(spec: Size, rng: random.Random, first: date, last: date, centre: str) -> tuple[Person, ...]:
    branches = [b for b in BRANCH_SHARE if b in spec.branches]

    def plan(n: int) -> list[str]:
        """Exactly proportional branch counts (largest remainder), in random order: a random draw per person can
        leave a branch without enough staff to cover its courts at all, which no centre would roster with."""
        total = sum(BRANCH_SHARE[b] for b in branches)
        quotas = {b: n * BRANCH_SHARE[b] / total for b in branches}
        counts = {b: int(q) for b, q in quotas.items()}
        for b in sorted(branches, key=lambda b: counts[b] - quotas[b])[: n - sum(counts.values())]:
            counts[b] += 1
        out = [b for b in branches for _ in range(counts[b])]
        rng.shuffle(out)
        return out

    officer_branches = plan(spec.officers - 3)
    lawyer_branches = plan(spec.lawyers)
    assistant_branches = plan(spec.assistants)
    people = []

    def areas_for(branch: str, p_wide: float) -> frozenset[str]:
        extra = [n for n in NEIGHBOURS[branch] if n in spec.branches]
        if extra and rng.random() < p_wide:
            return frozenset({branch, extra[0]})
        return frozenset({branch})

    def languages(branch: str) -> frozenset[str]:
        return frozenset({KHMER}) if rng.random() < (0.35 if branch == "B1" else 0.03) else frozenset()

    for i in range(spec.officers):
        branch = "HO" if i < 3 else officer_branches[i - 3]  # the director and deputies sit at HO
        capacity = 0.5 if i < 3 else rng.choice((1.0, 1.0, 1.0, 0.8))  # leaders carry half a load
        people.append(
            Person(
                id=f"{centre}-TGV{i + 1:02d}",
                name=f"Officer {i + 1}",
                kind="officer",
                branch=branch,
                areas=areas_for(branch, 0.3),
                roles=frozenset({DUTY, ASSISTANT}) if rng.random() < 0.25 else frozenset({DUTY}),
                skills=frozenset({JUVENILE}) if rng.random() < 0.3 else frozenset(),
                languages=languages(branch),
                capacity=capacity,
                max_shifts_per_week=6,
                max_shifts_per_month=round(20 * capacity),
            )
        )
    for i in range(spec.lawyers):
        branch = lawyer_branches[i]
        contract_start = contract_end = None
        r = rng.random()
        span = (last - first).days
        if r < 0.05:  # contract signed during the period
            contract_start = first + timedelta(days=rng.randrange(span // 3, span // 2 + 1))
        elif r < 0.10:  # contract ends during the period
            contract_end = first + timedelta(days=rng.randrange(span // 2, span - 1))
        people.append(
            Person(
                id=f"{centre}-LS{i + 1:02d}",
                name=f"Lawyer {i + 1}",
                kind="lawyer",
                branch=branch,
                areas=areas_for(branch, 0.3),
                roles=frozenset({DUTY}),
                skills=frozenset({JUVENILE}) if rng.random() < 0.15 else frozenset(),
                languages=languages(branch),
                capacity=0.5,
                max_shifts_per_week=3,
                max_shifts_per_month=10,
                contract_start=contract_start,
                contract_end=contract_end,
            )
        )
    for i in range(spec.assistants):
        branch = assistant_branches[i]
        people.append(
            Person(
                id=f"{centre}-HT{i + 1:02d}",
                name=f"Assistant {i + 1}",
                kind="assistant",
                branch=branch,
                areas=frozenset(spec.branches),  # duty assistants answer the phone for the whole centre
                roles=frozenset({ASSISTANT}),
                languages=languages(branch),
                capacity=1.0,
                max_shifts_per_week=4,
                max_shifts_per_month=12,
            )
        )
    return tuple(_ensure_specialists(people, spec))


def _ensure_specialists(people: list[Person], spec: Size) -> list[Person]:
    """Sessions needing juvenile training or Khmer must have enough people able to take them, as a centre plans its
    training: at least four trained duty people serving each branch area and three Khmer speakers serving B1 (a
    random draw could leave a branch with one, who cannot sit every juvenile session of a month alone)."""
    duty = [i for i, p in enumerate(people) if DUTY in p.roles]
    for branch in spec.branches:
        local = [i for i in duty if branch in (people[i].areas or {people[i].branch})]
        lacking = [i for i in local if JUVENILE not in people[i].skills]
        for i in lacking[: max(0, MIN_JUVENILE - (len(local) - len(lacking)))]:
            people[i] = replace(people[i], skills=people[i].skills | {JUVENILE})
        if branch == "B1":
            lacking = [i for i in local if KHMER not in people[i].languages]
            for i in lacking[: max(0, MIN_KHMER - (len(local) - len(lacking)))]:
                people[i] = replace(people[i], languages=people[i].languages | {KHMER})
    return people


def _shifts(spec: Size, rng: random.Random, cal: Calendar, first: date, last: date, centre: str) -> tuple[Shift, ...]:
    # Per court: which weekday's sessions need juvenile training (family and juvenile hearings) and, in the B1 area
    # (Sóc Trăng, a large Khmer community), which weekday needs a Khmer speaker.
    juvenile_day: dict[str, int] = {}
    khmer_day: dict[str, int] = {}
    for branch in spec.branches:
        courts = [code for code, kind, area in spec.locations if kind == "court" and area == branch]
        # Distinct weekdays per area, so the few trained people are never needed in two courts at once.
        juvenile_day.update(zip(courts, rng.sample(range(5), len(courts)), strict=True))
        if branch == "B1":
            khmer_day.update(zip(courts, rng.sample(range(5), len(courts)), strict=True))
    shifts = []
    d = first
    while d <= last:
        weekend = d.weekday() >= 5
        flags = {
            "is_weekend": weekend,
            "is_holiday": cal.is_holiday(d),
            "is_tet": cal.is_tet(d),
        }
        for code, duty_type, area in spec.locations:
            loc = f"{centre}-{code}"
            if duty_type == "court":
                if not cal.is_working_day(d):
                    continue
                skills = frozenset({JUVENILE}) if juvenile_day[code] == d.weekday() else frozenset()
                langs = frozenset({KHMER}) if khmer_day.get(code) == d.weekday() else frozenset()
                for half, (t0, t1) in (("am", COURT_AM), ("pm", COURT_PM)):
                    s, e = _at(d, t0), _at(d, t1)
                    shifts.append(
                        Shift(
                            id=f"{loc}-{d:%Y%m%d}-{half}",
                            start=s,
                            end=e,
                            day=d,
                            type=f"court_{half}",
                            location=loc,
                            duty_type="court",
                            area=area,
                            demand={DUTY: 1},
                            required_skills=skills,
                            required_languages=langs,
                            sessions=count_sessions(e - s),
                            **flags,
                        )
                    )
            else:
                s = _at(d, ONCALL_START)
                e = _at(d + ONE_DAY, ONCALL_START)
                duty = 2 if cal.is_tet_eve(d) and code == "CA-CSDT" else 1  # a second duty person on Tết eve
                shifts.append(
                    Shift(
                        id=f"{loc}-{d:%Y%m%d}-24h",
                        start=s,
                        end=e,
                        day=d,
                        type="oncall_24h",
                        location=loc,
                        duty_type="investigation",
                        area=area,
                        demand={DUTY: duty, ASSISTANT: 1},
                        is_night=True,
                        sessions=count_sessions(e - s),
                        **flags,
                    )
                )
        d += ONE_DAY
    return tuple(shifts)


def _unavailability(
    people: tuple[Person, ...], rng: random.Random, cal: Calendar, first: date, last: date
) -> tuple[Unavailability, ...]:
    span = (last - first).days + 1
    months = max(1, round(span / 30))
    out = []

    def block(pid: str, d0: date, n: int, reason: str) -> None:
        d1 = min(d0 + timedelta(days=n), last + ONE_DAY)
        out.append(Unavailability(pid, _at(d0, time(0)), _at(d1, time(0)), reason))

    for p in people:
        for _ in range(months):
            if rng.random() < 0.3:  # annual leave: 2-6 days
                block(p.id, first + timedelta(days=rng.randrange(span)), rng.randint(2, 6), "leave")
            if rng.random() < 0.15:  # training or a business trip on working days
                d0 = first + timedelta(days=rng.randrange(span))
                if cal.is_working_day(d0):
                    block(p.id, d0, rng.randint(1, 2), rng.choice(("training", "business_trip")))
        # Going home for Tết: a few people are away on the first days of the new year.
        tet_days = sorted(d for d in cal.holidays if first <= d <= last and cal.is_tet(d))
        if tet_days and rng.random() < 0.15:
            block(p.id, tet_days[1] if len(tet_days) > 1 else tet_days[0], 3, "leave")
    return tuple(out)


def _preferences(people: tuple[Person, ...], rng: random.Random) -> tuple[Preference, ...]:
    out = []
    for p in people:
        r = rng.random()
        if r < 0.25:  # e.g. a lawyer with hearings of their own on one weekday
            out.append(Preference(p.id, wanted=False, weight=rng.randint(2, 5), weekday=rng.randrange(5)))
        elif r < 0.35:
            out.append(Preference(p.id, wanted=False, weight=rng.randint(1, 3), type="oncall_24h"))
        elif r < 0.45:
            out.append(Preference(p.id, wanted=True, weight=rng.randint(1, 3), weekday=rng.randrange(5)))
    return tuple(out)


def _history(
    people: tuple[Person, ...], shifts: tuple[Shift, ...], rng: random.Random, months: int
) -> tuple[History, ...]:
    """Three earlier months at roughly this period's average load per unit of capacity, with noise."""
    total_capacity = sum(p.capacity for p in people) or 1.0
    slots = sum(sum(s.demand.values()) for s in shifts)
    per_capacity = slots / total_capacity / months
    weekend_share = sum(1 for s in shifts if s.is_weekend) / max(1, len(shifts))
    out = []
    for p in people:
        base = 3 * per_capacity * p.capacity
        n = max(0, round(base * rng.uniform(0.7, 1.3)))
        out.append(
            History(
                person=p.id,
                shifts=n,
                minutes=n * 300,
                nights=round(n * rng.uniform(0.1, 0.3)) if p.kind != "lawyer" else round(n * rng.uniform(0, 0.2)),
                weekends=round(n * weekend_share * rng.uniform(0.5, 1.5)),
                holidays=rng.randint(0, 2),
                tet=rng.randint(0, 1),
                capacity_periods=3 * p.capacity,
            )
        )
    return tuple(out)


def describe(problem: Problem) -> dict[str, int]:
    """Counts a reader checks at a glance (and the smoke test asserts)."""
    return {
        "people": len(problem.people),
        "officers": sum(p.kind == "officer" for p in problem.people),
        "lawyers": sum(p.kind == "lawyer" for p in problem.people),
        "assistants": sum(p.kind == "assistant" for p in problem.people),
        "locations": len({s.location for s in problem.shifts}),
        "days": (problem.last_day - problem.first_day).days + 1,
        "shifts": len(problem.shifts),
        "slots": sum(sum(s.demand.values()) for s in problem.shifts),
        "court_shifts": sum(s.duty_type == "court" for s in problem.shifts),
        "oncall_shifts": sum(s.duty_type == "investigation" for s in problem.shifts),
        "tet_shifts": sum(s.is_tet for s in problem.shifts),
        "juvenile_shifts": sum(bool(s.required_skills) for s in problem.shifts),
        "khmer_shifts": sum(bool(s.required_languages) for s in problem.shifts),
        "unavailability": len(problem.unavailability),
        "preferences": len(problem.preferences),
    }
