"""Fairness: load, nights, weekends, holidays and Tết shared in proportion to capacity, counting history.

For one measure (say nights), everyone who could take at least one such shift, in any role, forms a pool (History is
kept per person, not per role, and an hour of on-call is an hour whether as duty person or assistant). Over history
and this period together, person i should carry in proportion to C_i = capacity_i · present_i + capacity_periods_i,
where present_i is the fraction of this period's demand (in the measure's units) falling outside their leave and
contract dates: leave is not a debt to pay back later. This period's target t_i is what that asks of them *as far
as their eligibility reaches* (`attainable_targets`): the period's slots are split fractionally among who may fill
them (area, skills, role, leave, contract: the x variables), so that (H_i + t_i) / C_i is as level as eligibility
allows. Someone far ahead from earlier months gets 0; someone who can reach only one court's sessions is asked for
those, not for a share of a pool they cannot serve. Then dev_i >= |SCALE · count_i − round(SCALE · t_i)| and each
goal adds `weight · max_i dev_i` (nobody far off, an add_max_equality) and `weight · Σ dev_i` (everybody close).
Because history is cumulative, shares converge across months.

Why (measured on the province benchmark M, 60 people, 582 slots, 2026-11-23, see benchmarks/RESULTS.md "Solver
tuning"): the former targets, capacity shares of each role's whole pool, were not attainable: officers sit in both
the duty and the assistant pools and were given a full share in each (history counted in one only), branch-only
people were asked for a share of the whole centre, leave lowered no one's share. CP-SAT could not reduce that part
and its bound saw none of it. Side by side, same load, 10 s: objective 51.4k -> 18.4k; both rosters judged by the
new targets: 37.9k -> 17.4k (with greedy.py aiming at them).

Targets are constants on purpose: a target tied to the variable period total couples every person's deviation to
every assignment with large coefficients and weakened CP-SAT's bound; full coverage is the norm, so the demand is
the right total.

Units: load is counted in hours (a 24 h on-call weighs six court sessions) with SCALE 1; nights, weekend days,
holidays and Tết in tenths (SCALE 10), so a weight is per hour or per tenth of a shift off target. Weekends count
days (two shifts on one Saturday are one weekend day), and a weekend day's demand is its largest shift head count.
Each goal's targets are kept on the model (`RosterModel.fair_goals`) for the greedy first roster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from duty_roster.solver.model import Literal, RosterModel
from duty_roster.solver.problem import History, Person, Shift, Unavailability

WATER_FILL_ROUNDS = 300  # proportional-response rounds of attainable_targets


@dataclass(frozen=True)
class FairGoal:
    """One fair_* goal as built: person -> target (scaled units). The greedy first roster reads it (greedy.py)."""

    goal: str
    weight: int
    amount: Callable[[Shift], int]  # scaled units one shift adds (0 when the goal does not count it)
    per_day: bool  # count a day once, however many of its shifts someone works
    targets: dict[str, int]


def _time_available(person: Person, shift: Shift, unavailable: Sequence[Unavailability]) -> bool:
    """Within the contract and not on declared leave: what scales this period's capacity (area and skills do not)."""
    if person.contract_start is not None and shift.day < person.contract_start:
        return False
    if person.contract_end is not None and shift.day > person.contract_end:
        return False
    return not any(u.start < shift.end and shift.start < u.end for u in unavailable)


def attainable_targets(
    eligible: Sequence[Sequence[int]], demand: Sequence[int], units: Sequence[int], history: Sequence[int],
    capacity: Sequence[float], *, rounds: int = WATER_FILL_ROUNDS,
) -> list[float]:
    """This period's fair amount per person (in the measure's units), reachable through their eligibility.

    `eligible[k]` lists the people (indices) who may take slot group k, which needs `demand[k]` people of
    `units[k]` each. A fractional allocation: group k is split among its candidates in proportion to weights w, and
    w_i is nudged until (history_i + load_i) / capacity_i is the same for everyone who can reach it. Someone whose
    candidates are scarce cannot go lower, someone far ahead from history gets nothing: a fixed number of
    multiplicative rounds (proportional response) converges close enough for targets rounded to a tenth."""
    n = len(capacity)
    pairs_person = np.fromiter((i for group in eligible for i in group), dtype=np.int64)
    pairs_group = np.fromiter((k for k, group in enumerate(eligible) for _ in group), dtype=np.int64)
    if n == 0 or pairs_person.size == 0:
        return [0.0] * n
    sizes = np.array([len(group) for group in eligible], dtype=np.float64)
    need = np.minimum(np.asarray(demand, dtype=np.float64), sizes) * np.asarray(units, dtype=np.float64)
    hist = np.asarray(history, dtype=np.float64)
    cap = np.maximum(np.asarray(capacity, dtype=np.float64), 1e-9)
    w = np.ones(n)
    load = np.zeros(n)
    for _ in range(rounds):
        per_group = np.bincount(pairs_group, weights=w[pairs_person], minlength=len(eligible))
        share = need[pairs_group] * w[pairs_person] / np.maximum(per_group[pairs_group], 1e-300)
        load = np.bincount(pairs_person, weights=share, minlength=n)
        ratio = (hist + load) / cap
        w = w / np.sqrt(np.maximum(ratio, 1e-12))
        w = np.clip(w / w.max(), 1e-12, None)
    return [float(v) for v in load]


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
    unavailable: dict[str, list[Unavailability]] = defaultdict(list)
    for u in m.problem.unavailability:
        unavailable[u.person].append(u)
    shifts = [s for s in m.shifts_sorted if keep(s) and sum(s.demand.values()) > 0 and m.vars_for_shift(s.id)]
    if not shifts:
        return
    # Slot groups: a (shift, role), or per_day a day (its largest head count, one unit each), and who may fill it.
    group_of: dict = {}
    demand: list[int] = []
    group_units: list[int] = []
    for s in shifts:
        for role, n in sorted(s.demand.items()):
            key = s.day if per_day else (s.id, role)
            if key not in group_of:
                group_of[key] = len(demand)
                demand.append(0)
                group_units.append(1 if per_day else units(s))
            k = group_of[key]
            demand[k] = max(demand[k], sum(s.demand.values())) if per_day else n
    period_demand = sum(n * units(s) for s in shifts for n in s.demand.values())
    pool: list[tuple[Person, list[tuple[Literal, int]], int, float]] = []
    eligible: list[set[int]] = [set() for _ in demand]
    wanted = {s.id for s in shifts}
    for person in m.problem.people:
        mine = [(s, role, var) for s, role, var in m.vars_for_person(person.id) if s.id in wanted]
        if not mine:
            continue
        for s, role, _var in mine:
            eligible[group_of[s.day if per_day else (s.id, role)]].add(len(pool))
        if per_day:
            days: dict = defaultdict(list)
            for s, _role, var in mine:
                days[s.day].append(var)
            terms = [(m.any_of(lits, f"{goal}[{person.id},{day}]"), 1) for day, lits in sorted(days.items())]
        else:
            terms = [(var, units(s)) for s, _role, var in mine]
        h = history.get(person.id)
        present = sum(n * units(s) for s in shifts if _time_available(person, s, unavailable[person.id])
                      for n in s.demand.values()) / period_demand
        cap = person.capacity * present + (h.capacity_periods if h is not None else 0.0)
        pool.append((person, terms, history_of(h) if h is not None else 0, max(cap, 0.0)))
    if len(pool) < 2 or sum(cap for *_rest, cap in pool) <= 0:
        return
    shares = attainable_targets([sorted(g) for g in eligible], demand, group_units,
                                [hist for _p, _t, hist, _c in pool], [cap for *_rest, cap in pool])
    worst_bound = 0
    devs = []
    targets: dict[str, int] = {}
    for (person, terms, _hist, _cap), share in zip(pool, shares, strict=True):
        target = targets[person.id] = round(scale * share)
        most = scale * sum(c for _lit, c in terms)
        dev = m.model.new_int_var(0, max(target, most - target), f"{goal}_dev[{person.id}]")
        count = scale * sum(c * lit for lit, c in terms)
        m.model.add(dev >= count - target)
        m.model.add(dev >= target - count)
        devs.append(dev)
        worst_bound = max(worst_bound, target, most - target)
        m.add_penalty(goal, dev, weight)
    m.fair_goals.append(FairGoal(goal, weight, lambda s: scale * units(s) if keep(s) else 0, per_day, targets))
    worst = m.model.new_int_var(0, worst_bound, f"{goal}_max")
    m.model.add_max_equality(worst, devs)
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
