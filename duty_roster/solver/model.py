"""The CP-SAT model of a roster: decision variables, shared helpers, and the two doors every rule goes through.

A `RosterModel` holds one Boolean `x[person, shift, role]` per combination that passes the static eligibility
filters (role, kind, area, skills, languages, contract dates, declared unavailability), and one elastic
`uncovered[shift, role]` integer per demanded slot. Constraint functions (`constraints/`) read the problem and add
rules through two doors:

- `add_hard(rule, ...)` for every hard constraint, so that in `explain_mode` each one gets its own assumption literal
  and an infeasibility core can be read back as human reasons ("rest after shift X", "weekly limit 5 reached");
- `add_penalty(rule, expr, coefficient)` for every soft term, so the objective is a sum of *named* penalties and the
  UI can show what each goal cost (the OR-Tools shift_scheduling_sat idea).

Two generic builders (`forbid_together`, `at_most`) cover almost every hard rule and make locked assignments win:
a constraint that the locks alone already break is relaxed just enough to let the locks stand, and a warning is
recorded (`warnings`) instead of making the whole roster infeasible. Past shifts happened; the repair of next week
must not fail because of them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from duty_roster.solver.problem import Assignment, Person, Problem, Shift, Unavailability
from duty_roster.solver.solution import Reason

Literal = Any  # a cp_model IntVar used as a Boolean, its negation, or the constants 0/1
LinearTerm = Any  # anything cp_model accepts in a linear expression
# A message, or a function making it: rules build many constraints and the text is only read in explain mode or for
# a warning, so formatting it lazily keeps model building fast.
Message = str | Callable[[], str]


def _text(message: Message) -> str:
    return message if isinstance(message, str) else message()

# Rule names of the static filters (the constraint functions that own them carry the same names).
ELIGIBILITY = "eligibility"
UNAVAILABILITY = "unavailability"


@dataclass(frozen=True)
class HardTerm:
    """One call to `add_hard`, remembered so an infeasibility core can be turned back into a reason."""

    rule: str
    person: str | None
    shifts: tuple[str, ...]
    message: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PenaltyTerm:
    rule: str
    expr: LinearTerm
    coefficient: int


def ineligibility_reasons(
    problem: Problem, person: Person, shift: Shift, role: str, unavailability: Iterable[Unavailability] | None = None
) -> list[Reason]:
    """Why `person` may never take `role` on `shift`, whatever else happens (empty list = eligible).

    Static rules only: they depend on the person and the shift, never on other assignments. `unavailability`
    defaults to the person's entries in `problem.unavailability`; pass a pre-filtered list when calling in a loop.
    """
    return list(_ineligibility(problem, person, shift, role, unavailability))


def is_eligible(
    problem: Problem, person: Person, shift: Shift, role: str, unavailability: Iterable[Unavailability] | None = None
) -> bool:
    """True when `ineligibility_reasons` is empty (stops at the first reason, formats nothing else)."""
    return next(_ineligibility(problem, person, shift, role, unavailability), None) is None


def _ineligibility(
    problem: Problem, person: Person, shift: Shift, role: str, unavailability: Iterable[Unavailability] | None
) -> Iterator[Reason]:
    if role not in person.roles:
        yield Reason(ELIGIBILITY, f"does not take the role {role}", {"role": role})
    by_role = problem.rules.allowed_kinds.get(shift.duty_type)
    if by_role is not None and role in by_role and person.kind not in by_role[role]:
        yield Reason(
            ELIGIBILITY,
            f"a {person.kind} may not be {role} on {shift.duty_type} duty",
            {"kind": person.kind, "role": role, "duty_type": shift.duty_type},
        )
    if shift.area is not None:
        served = person.areas or ({person.branch} if person.branch is not None else None)
        if served is not None and shift.area not in served:
            yield Reason(ELIGIBILITY, f"does not serve the area {shift.area}", {"area": shift.area})
    for skill in sorted(shift.required_skills - person.skills):
        yield Reason(ELIGIBILITY, f"lacks the skill {skill}", {"skill": skill})
    for language in sorted(shift.required_languages - person.languages):
        yield Reason(ELIGIBILITY, f"does not speak {language}", {"language": language})
    if person.contract_start is not None and shift.day < person.contract_start:
        start = str(person.contract_start)
        yield Reason(ELIGIBILITY, f"contract starts {start}", {"contract_start": start})
    if person.contract_end is not None and shift.day > person.contract_end:
        end = str(person.contract_end)
        yield Reason(ELIGIBILITY, f"contract ended {end}", {"contract_end": end})
    entries = (
        unavailability if unavailability is not None else (u for u in problem.unavailability if u.person == person.id)
    )
    for u in entries:
        if u.start < shift.end and shift.start < u.end:
            yield Reason(
                UNAVAILABILITY,
                f"{u.reason} {u.start:%Y-%m-%d %H:%M} – {u.end:%Y-%m-%d %H:%M}",
                {"reason": u.reason, "start": u.start.isoformat(), "end": u.end.isoformat()},
            )


def describe_shift(shift: Shift) -> str:
    """Short human label of a shift for messages: `<id> (<location> <local start>)`."""
    where = f"{shift.location} " if shift.location else ""
    return f"{shift.id} ({where}{shift.start:%Y-%m-%d %H:%M})"


class RosterModel:
    """Variables and helpers for one `Problem`; constraint functions add the rules.

    Attributes
    - `problem`, `model` (the `cp_model.CpModel`), `explain_mode`;
    - `x[(person_id, shift_id, role)]`: BoolVar, only for statically eligible combinations (plus locked ones:
      locks win, see `eligibility`);
    - `uncovered[(shift_id, role)]`: IntVar 0..demand, the people missing in that slot (linked by `coverage`);
    - `warnings`: reasons why a locked assignment breaks a rule that was relaxed to let it stand;
    - `assumptions`: in explain_mode, assumption literal index -> `HardTerm`.

    Build a complete model with `RosterModel.build(problem)` (all HARD rules and the selected SOFT goals) or apply
    chosen rule functions yourself (`m = RosterModel(p); coverage(m); m.finalize()`), as the rule tests do.
    """

    def __init__(
        self, problem: Problem, *, explain_mode: bool = False, forced: Iterable[Assignment] = ()
    ) -> None:
        """`forced` assignments are fixed to 1 and every other x to 0 (explain.py's sub-problems). Unlike
        `problem.locked`, forced ones are never relaxed: the point is to see which rule they break."""
        self.problem = problem
        self.model = cp_model.CpModel()
        self.explain_mode = explain_mode
        self.x: dict[tuple[str, str, str], cp_model.IntVar] = {}
        self.uncovered: dict[tuple[str, str], cp_model.IntVar] = {}
        self.warnings: list[Reason] = []
        self.assumptions: dict[int, HardTerm] = {}
        self.penalties: list[PenaltyTerm] = []
        self.hard_count: dict[str, int] = defaultdict(int)
        self.applied: list[str] = []  # names of the rule functions applied, in order
        # What each fair_* goal aims at (constraints.fairness.FairGoal), so the greedy first roster can aim there too
        self.fair_goals: list[Any] = []
        self._warning_keys: set[tuple[str, str]] = set()
        self._locked_index: set[int] = set()  # indices of variables that problem.locked forces to 1
        self._works: dict[tuple[str, str], Literal] = {}
        self._works_on_day: dict[tuple[str, date], Literal] = {}
        self._any_of: dict[tuple[int, ...], Literal] = {}
        self._false = self.model.new_constant(0)
        self._shifts_of: dict[str, list[Shift]] = {}
        self._shifts_of_by_day: dict[str, dict[date, list[Shift]]] = {}
        self._starts_of: dict[str, list] = {}

        self.days: list[date] = _date_range(problem.first_day, problem.last_day) if problem.shifts else []
        self._shifts_sorted: list[Shift] = sorted(problem.shifts, key=lambda s: (s.start, s.end, s.id))
        self._shifts_by_day: dict[date, list[Shift]] = defaultdict(list)
        for s in self._shifts_sorted:
            self._shifts_by_day[s.day].append(s)
        self._unavailable: dict[str, list[Unavailability]] = defaultdict(list)
        for u in problem.unavailability:
            self._unavailable[u.person].append(u)
        self._by_person: dict[str, list[tuple[Shift, str, cp_model.IntVar]]] = defaultdict(list)
        self._by_shift: dict[str, list[tuple[Person, str, cp_model.IntVar]]] = defaultdict(list)
        self._by_person_shift: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        self.locked_keys: set[tuple[str, str, str]] = set()
        self._create_variables(forced)

    # ----------------------------------------------------------------------------------------------- construction

    @classmethod
    def build(
        cls,
        problem: Problem,
        *,
        explain_mode: bool = False,
        hard: Sequence[Callable[[RosterModel], None]] | None = None,
        soft: Sequence[Callable[[RosterModel], None]] | None = None,
        forced: Iterable[Assignment] = (),
    ) -> RosterModel:
        """A complete model: `hard` rules (default constraints.HARD), then `soft` goals (default: constraints.SOFT
        filtered by `problem.soft_goals`), then the objective."""
        from duty_roster.solver import constraints  # late import: constraint modules import this module

        m = cls(problem, explain_mode=explain_mode, forced=forced)
        m.apply(constraints.HARD if hard is None else hard)
        m.apply(constraints.selected_soft(problem) if soft is None else soft)
        m.finalize()
        return m

    def apply(self, rules: Iterable[Callable[[RosterModel], None]]) -> None:
        for rule in rules:
            rule(self)
            self.applied.append(rule.__name__)

    def _create_variables(self, forced: Iterable[Assignment]) -> None:
        p = self.problem
        people = {person.id: person for person in p.people}
        shifts = {s.id: s for s in p.shifts}
        for a in p.locked:
            if a.person not in people or a.shift not in shifts:
                self.warn("locked", f"locked assignment {a.person} on {a.shift} names an unknown person or shift",
                          {"person": a.person, "shift": a.shift})
                continue
            self.locked_keys.add((a.person, a.shift, a.role))
        forced_keys = {(a.person, a.shift, a.role) for a in forced}

        for person in p.people:
            own_unavailability = self._unavailable.get(person.id, [])
            for shift in self._shifts_sorted:
                for role, demand in shift.demand.items():
                    key = (person.id, shift.id, role)
                    # A role demanded 0 times stays closed, unless over-cover is priced (shift.over_weight).
                    closed = demand <= 0 and shift.over_weight is None
                    if closed and key not in self.locked_keys and key not in forced_keys:
                        continue
                    if (
                        key not in self.locked_keys
                        and key not in forced_keys
                        and not is_eligible(p, person, shift, role, own_unavailability)
                    ):
                        continue
                    self._new_x(person, shift, role)
        # Locked or forced roles outside the shift's demand still need a variable.
        extra = [k for k in sorted(self.locked_keys | forced_keys)
                 if k not in self.x and k[0] in people and k[1] in shifts]
        for key in extra:
            self._new_x(people[key[0]], shifts[key[1]], key[2])
        if extra:
            order = {s.id: i for i, s in enumerate(self._shifts_sorted)}
            for entries in self._by_person.values():
                entries.sort(key=lambda e: order[e[0].id])
            for entries in self._by_shift.values():
                entries.sort(key=lambda e: e[0].id)
        for key in self.locked_keys:
            self._locked_index.add(self.x[key].index)
        for shift in p.shifts:
            for role, demand in shift.demand.items():
                if demand > 0:
                    self.uncovered[shift.id, role] = self.model.new_int_var(0, demand, f"uncovered[{shift.id},{role}]")
        if forced_keys:
            for key, var in self.x.items():
                self.model.add(var == (1 if key in forced_keys else 0))

    def _new_x(self, person: Person, shift: Shift, role: str) -> None:
        var = self.model.new_bool_var(f"x[{person.id},{shift.id},{role}]")
        self.x[person.id, shift.id, role] = var
        self._by_person[person.id].append((shift, role, var))
        self._by_shift[shift.id].append((person, role, var))
        self._by_person_shift[person.id, shift.id].append(var)

    # ------------------------------------------------------------------------------------------------ lookups

    def ineligibility_reasons(self, person: Person, shift: Shift, role: str) -> list[Reason]:
        """Static reasons why `person` can never take `role` on `shift` (see the module-level function)."""
        return ineligibility_reasons(self.problem, person, shift, role, self._unavailable.get(person.id, []))

    def vars_for_person(self, person_id: str) -> list[tuple[Shift, str, cp_model.IntVar]]:
        """(shift, role, x) for every slot this person may take, in order of shift start."""
        return self._by_person.get(person_id, [])

    def vars_for_shift(self, shift_id: str, role: str | None = None) -> list[tuple[Person, str, cp_model.IntVar]]:
        """(person, role, x) for everyone who may take this shift (in `role` only, if given)."""
        entries = self._by_shift.get(shift_id, [])
        return entries if role is None else [e for e in entries if e[1] == role]

    def shifts_of(self, person_id: str) -> list[Shift]:
        """Distinct shifts this person has a variable for, sorted by start (cached)."""
        cached = self._shifts_of.get(person_id)
        if cached is None:
            seen: dict[str, Shift] = {}
            for shift, _role, _var in self.vars_for_person(person_id):
                seen.setdefault(shift.id, shift)
            cached = self._shifts_of[person_id] = list(seen.values())
        return cached

    def shifts_on_day(self, day: date) -> list[Shift]:
        """Shifts starting on `day` (their `Shift.day`), sorted by start."""
        return self._shifts_by_day.get(day, [])

    @property
    def shifts_sorted(self) -> list[Shift]:
        return self._shifts_sorted

    def works(self, person_id: str, shift_id: str) -> Literal:
        """1 iff the person takes the shift in any role (a literal; the constant 0 when they cannot take it).

        With one role variable this is that variable; with several it is a cached Boolean equal to their OR
        (`one_role_per_shift` separately forbids holding two roles)."""
        key = (person_id, shift_id)
        if key in self._works:
            return self._works[key]
        lit = self.any_of(self._by_person_shift.get(key, []), f"works[{person_id},{shift_id}]")
        self._works[key] = lit
        return lit

    def works_on_day(self, person_id: str, day: date) -> Literal:
        """1 iff the person starts at least one shift on `day` (cached; the constant 0 if they cannot)."""
        key = (person_id, day)
        if key not in self._works_on_day:
            lits = [self.works(person_id, s.id) for s in self.shifts_of_on_day(person_id, day)]
            self._works_on_day[key] = self.any_of(lits, f"works_on_day[{person_id},{day}]")
        return self._works_on_day[key]

    def shifts_of_on_day(self, person_id: str, day: date) -> list[Shift]:
        """This person's shifts (those they have a variable for) starting on `day`."""
        by_day = self._shifts_of_by_day.get(person_id)
        if by_day is None:
            by_day = self._shifts_of_by_day[person_id] = defaultdict(list)
            for s in self.shifts_of(person_id):
                by_day[s.day].append(s)
        return by_day.get(day, [])

    def any_of(self, lits: Sequence[Literal], name: str = "any") -> Literal:
        """A literal equal to OR(lits), cached by its operands: the constant 0 for no literal, the literal itself
        for one. It counts as locked when one operand is locked."""
        lits = [lit for lit in lits if not (isinstance(lit, int) and lit == 0) and lit is not self._false]
        if not lits:
            return self._false
        if len(lits) == 1:
            return lits[0]
        key = tuple(sorted(lit.index for lit in lits))
        if key in self._any_of:
            return self._any_of[key]
        var = self.model.new_bool_var(name)
        self.model.add_bool_or([*lits, ~var])
        for lit in lits:
            self.model.add_implication(lit, var)
        if any(self.is_locked(lit) for lit in lits):
            self._locked_index.add(var.index)
        self._any_of[key] = var
        return var

    def is_locked(self, lit: Literal) -> bool:
        """True when `problem.locked` forces this (positive) literal to 1."""
        return isinstance(lit, cp_model.IntVar) and lit.index in self._locked_index

    @property
    def false(self) -> Literal:
        return self._false

    # ------------------------------------------------------------------------------------------------ hard rules

    def add_hard(
        self,
        rule: str,
        constraint: Any,
        *,
        person: str | None = None,
        shifts: tuple[str, ...] = (),
        message: Message = "",
        params: dict[str, str] | None = None,
    ) -> list[cp_model.Constraint]:
        """Add one hard constraint on behalf of the rule function `rule`.

        `constraint` is a `cp_model.Constraint` already added to `self.model` (it must support enforcement
        literals: linear constraints, `add_bool_or`, `add_bool_and`; not `add_at_most_one`/`add_exactly_one`,
        write those as `sum(lits) <= 1`), a `BoundedLinearExpression` such as `sum(lits) <= 5` (added here),
        a list of those, or a zero-argument callable returning any of them. In explain_mode the constraint is
        enforced by a fresh assumption literal remembered with (rule, person, shifts, message, params).
        """
        if callable(constraint) and not isinstance(constraint, cp_model.Constraint):
            constraint = constraint()
        items = constraint if isinstance(constraint, list | tuple) else [constraint]
        cts: list[cp_model.Constraint] = []
        for item in items:
            if isinstance(item, cp_model.Constraint):
                cts.append(item)
            elif item is True:
                continue
            else:
                cts.append(self.model.add(item))
        if not cts:
            return cts
        self.hard_count[rule] += 1
        if self.explain_mode:
            lit = self.model.new_bool_var(f"assume[{rule}#{self.hard_count[rule]}]")
            for ct in cts:
                ct.only_enforce_if(lit)
            self.model.add_assumptions([lit])
            self.assumptions[lit.index] = HardTerm(rule, person, tuple(shifts), _text(message), dict(params or {}))
        return cts

    def forbid_together(
        self,
        rule: str,
        lits: Sequence[Literal],
        *,
        person: str | None = None,
        shifts: tuple[str, ...] = (),
        message: Message = "",
        params: dict[str, str] | None = None,
    ) -> list[cp_model.Constraint]:
        """Not all of `lits` may be true (a clause of negations). Skipped with a warning when locks force them all."""
        real = [lit for lit in lits if lit is not self._false and not isinstance(lit, int)]
        if len(real) < len(lits) or len(real) < 2:
            return []  # one of them can never be true, or nothing to combine
        if all(self.is_locked(lit) for lit in real):
            self.warn(rule, f"locked assignments break {rule}: {_text(message)}",
                      {"person": person or "", **(params or {})})
            return []
        return self.add_hard(
            rule, self.model.add_bool_or([~lit for lit in real]),
            person=person, shifts=shifts, message=message, params=params,
        )

    def at_most(
        self,
        rule: str,
        lits: Sequence[Literal],
        limit: int,
        *,
        coefficients: Sequence[int] | None = None,
        person: str | None = None,
        shifts: tuple[str, ...] = (),
        message: Message = "",
        params: dict[str, str] | None = None,
    ) -> list[cp_model.Constraint]:
        """sum(coefficient * lit) <= limit, raised to what the locked literals already use (with a warning)."""
        coefs = list(coefficients) if coefficients is not None else [1] * len(lits)
        pairs = [(lit, c) for lit, c in zip(lits, coefs, strict=True) if lit is not self._false and c != 0]
        pairs = [(lit, c) for lit, c in pairs if not isinstance(lit, int) or lit != 0]
        if sum(c for _lit, c in pairs if c > 0) <= limit:
            return []  # can never be exceeded
        locked_use = sum(c for lit, c in pairs if self.is_locked(lit))
        bound = limit
        if locked_use > limit:
            self.warn(rule, f"locked assignments break {rule}: {_text(message)}",
                      {"person": person or "", **(params or {})})
            bound = locked_use
        return self.add_hard(
            rule, sum(c * lit for lit, c in pairs) <= bound,
            person=person, shifts=shifts, message=message, params=params,
        )

    def warn(self, rule: str, message: str, params: dict[str, str] | None = None) -> None:
        """Record that a lock breaks `rule` (shown in Solution.warnings); duplicates are dropped."""
        if (rule, message) in self._warning_keys:
            return
        self._warning_keys.add((rule, message))
        self.warnings.append(Reason(rule, message, {k: str(v) for k, v in (params or {}).items()}))

    # ------------------------------------------------------------------------------------------------ soft goals

    def add_penalty(self, rule: str, expr: LinearTerm, coefficient: int) -> None:
        """Add `coefficient * expr` to the objective under the name `rule` (a soft goal's function name)."""
        if coefficient == 0:
            return
        self.penalties.append(PenaltyTerm(rule, expr, int(coefficient)))

    def penalty_expr(self, rules: Iterable[str] | None = None) -> LinearTerm:
        """Sum of the penalty terms of `rules` (all when None)."""
        wanted = None if rules is None else set(rules)
        return sum(
            (t.coefficient * t.expr for t in self.penalties if wanted is None or t.rule in wanted), start=0
        )

    def penalty_breakdown(self, solver: cp_model.CpSolver) -> dict[str, int]:
        """Each rule's share of the objective in the solver's current solution."""
        out: dict[str, int] = {}
        for t in self.penalties:
            value = t.expr if isinstance(t.expr, int) else int(solver.value(t.expr))
            out[t.rule] = out.get(t.rule, 0) + t.coefficient * value
        return out

    def finalize(self) -> None:
        """Set the objective to the sum of all penalties (no objective when there are none)."""
        if self.penalties:
            self.model.minimize(self.penalty_expr())

    # ------------------------------------------------------------------------------------------------ geometry

    def overlap_cliques(self, person_id: str) -> list[list[Shift]]:
        """Maximal groups of this person's shifts that all overlap at one instant (a sweep over sorted starts).

        Every overlapping pair falls inside one group, so `at most one per group` forbids all overlaps with one
        constraint per group instead of one per pair."""
        shifts = self.shifts_of(person_id)
        cliques: list[list[Shift]] = []
        active: list[Shift] = []
        for i, shift in enumerate(shifts):
            active = [a for a in active if a.end > shift.start]
            active.append(shift)
            next_start = shifts[i + 1].start if i + 1 < len(shifts) else None
            # Emit only when the group is maximal: someone leaves before anyone else arrives.
            if len(active) > 1 and (next_start is None or next_start >= min(a.end for a in active)):
                cliques.append(list(active))
        return cliques

    def following_within(self, person_id: str, shift: Shift, gap: timedelta) -> list[Shift]:
        """This person's shifts starting in [shift.end, shift.end + gap), in start order."""
        shifts = self.shifts_of(person_id)
        starts = self._starts_of.get(person_id)
        if starts is None:
            starts = self._starts_of[person_id] = [s.start for s in shifts]
        lo = bisect.bisect_left(starts, shift.end)
        hi = bisect.bisect_left(starts, shift.end + gap)
        return [s for s in shifts[lo:hi] if s.id != shift.id]


def _date_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
