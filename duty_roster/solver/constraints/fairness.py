"""Fairness: load, nights, weekends, holidays and Tết shared in proportion to capacity, counting history.

For one measure (say nights) and one role, everyone who could take at least one such shift forms a pool. Person i's
share is C_i / ΣC, where C_i = capacity + History.capacity_periods (their capacity summed over all periods counted).
Over history and this period together they should reach share_i · (ΣH + P), ΣH the pool's history and P this
period's demand in the measure (every slot someone in the pool could fill). So this period's target is

    t_i = max(0, share_i · (ΣH + P) − H_i)

(someone far ahead from earlier months gets none, and the constant excess does not clutter the objective), and
dev_i >= |SCALE · count_i − round(SCALE · t_i)|. Each goal adds `weight · max_i dev_i` (nobody far off) and
`weight · Σ dev_i` (everybody close). Because history is cumulative, shares converge across months.

Targets are constants on purpose: a target tied to the variable period total couples every person's deviation to
every assignment with large coefficients and weakened CP-SAT's bound; full coverage is the norm, so the demand is
the right total.

Units: load is counted in hours (a 24 h on-call weighs six court sessions) with SCALE 1; nights, weekend days,
holidays and Tết in tenths (SCALE 10), so a weight is per hour or per tenth of a shift off target. Weekends count
days (two shifts on one Saturday are one weekend day), and a weekend day's demand is its largest shift demand.
History is attributed to the person's primary role (duty if they hold it), since History is not kept per role.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from duty_roster.solver.model import Literal, RosterModel
from duty_roster.solver.problem import DUTY, History, Person, Shift

CAPACITY_SCALE = 100  # capacities are fractions (FTE); two decimals are plenty


def _primary_role(person: Person) -> str:
    return DUTY if DUTY in person.roles or not person.roles else min(person.roles)


def _balance(
    m: RosterModel,
    goal: str,
    weight: int,
    keep: Callable[[Shift], bool],
    history_of: Callable[[History], int],
    *,
    units: Callable[[Shift], int] = lambda s: 1,
    scale: int = 10,
    per_day: bool = False,
) -> None:
    """The generic builder behind every fair_* goal (see the module docstring)."""
    if weight <= 0:
        return
    history = {h.person: h for h in m.problem.history}
    roles = sorted({role for s in m.problem.shifts for role, n in s.demand.items() if n > 0})
    for role in roles:
        shifts = [s for s in m.shifts_sorted if keep(s) and s.demand.get(role, 0) > 0 and m.vars_for_shift(s.id, role)]
        if not shifts:
            continue
        if per_day:
            by_day: dict = defaultdict(int)
            for s in shifts:
                by_day[s.day] = max(by_day[s.day], s.demand[role])
            period_total = sum(by_day.values())
        else:
            period_total = sum(s.demand[role] * units(s) for s in shifts)
        pool: list[tuple[Person, list[tuple[Literal, int]], int, int]] = []
        wanted = {s.id for s in shifts}
        for person in m.problem.people:
            mine = [(s, var) for s, r, var in m.vars_for_person(person.id) if r == role and s.id in wanted]
            if not mine:
                continue
            if per_day:
                days: dict = defaultdict(list)
                for s, var in mine:
                    days[s.day].append(var)
                terms = [(m.any_of(lits, f"{goal}[{person.id},{day},{role}]"), 1) for day, lits in sorted(days.items())]
            else:
                terms = [(var, units(s)) for s, var in mine]
            h = history.get(person.id)
            hist = history_of(h) if h is not None and _primary_role(person) == role else 0
            cap = round(CAPACITY_SCALE * (person.capacity + (h.capacity_periods if h is not None else 0.0)))
            pool.append((person, terms, hist, max(cap, 0)))
        total_cap = sum(cap for *_rest, cap in pool)
        if len(pool) < 2 or total_cap == 0:
            continue
        grand_total = sum(hist for _p, _t, hist, _c in pool) + period_total
        counts = {person.id: scale * sum(c for _lit, c in terms) for person, terms, _h, _c in pool}
        targets = {person.id: max(0, round(scale * (grand_total * cap / total_cap - hist)))
                   for person, _t, hist, cap in pool}
        worst = m.model.new_int_var(0, max(max(counts.values()), max(targets.values())), f"{goal}_max[{role}]")
        for person, terms, _hist, _cap in pool:
            target = targets[person.id]
            dev = m.model.new_int_var(0, max(target, counts[person.id]), f"{goal}_dev[{person.id},{role}]")
            count = scale * sum(c * lit for lit, c in terms)
            m.model.add(dev >= count - target)
            m.model.add(dev >= target - count)
            m.model.add(worst >= dev)
            m.add_penalty(goal, dev, weight)
        m.add_penalty(goal, worst, weight)


def _hours(shift: Shift) -> int:
    return max(1, (shift.minutes + 30) // 60)


def fair_load(m: RosterModel) -> None:
    """Total load (hours on duty) in proportion to capacity, across months."""
    _balance(m, "fair_load", m.problem.weights.fair_load, lambda s: True, lambda h: (h.minutes + 30) // 60,
             units=_hours, scale=1)


def fair_nights(m: RosterModel) -> None:
    """Night shifts in proportion to capacity, across months."""
    _balance(m, "fair_nights", m.problem.weights.fair_nights, lambda s: s.is_night, lambda h: h.nights)


def fair_weekends(m: RosterModel) -> None:
    """Weekend days worked in proportion to capacity, across months (two shifts on one Saturday count once)."""
    _balance(m, "fair_weekends", m.problem.weights.fair_weekends, lambda s: s.is_weekend, lambda h: h.weekends,
             per_day=True)


def fair_holidays(m: RosterModel) -> None:
    """Holiday shifts in proportion to capacity, across months."""
    _balance(m, "fair_holidays", m.problem.weights.fair_holidays, lambda s: s.is_holiday, lambda h: h.holidays)


def fair_tet(m: RosterModel) -> None:
    """Tết shifts in proportion to capacity, across years (weighted heavier than other holidays by default)."""
    _balance(m, "fair_tet", m.problem.weights.fair_tet, lambda s: s.is_tet, lambda h: h.tet)
