"""RosterModel: variables only for eligible slots, the lookup helpers, and the two doors (add_hard, add_penalty)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import ASSISTANT, DUTY
from tests.solver.builders import BASE, day_of, make_leave, make_person, make_problem, make_shift

ONCALL = make_shift(1, "07:30", 24, sid="oncall", demand={DUTY: 1, ASSISTANT: 1})
AM = make_shift(2, "07:30", 4, sid="am")
PM = make_shift(2, "13:30", 3.5, sid="pm")
PEOPLE = [make_person("an", roles={DUTY, ASSISTANT}), make_person("binh"), make_person("chi", roles={ASSISTANT})]



def test_variables_exist_only_for_roles_people_hold() -> None:
    m = RosterModel(make_problem(PEOPLE, [PM, AM, ONCALL]))
    assert set(m.x) == {
        ("an", "oncall", DUTY), ("an", "oncall", ASSISTANT), ("an", "am", DUTY), ("an", "pm", DUTY),
        ("binh", "oncall", DUTY), ("binh", "am", DUTY), ("binh", "pm", DUTY),
        ("chi", "oncall", ASSISTANT),
    }
    assert set(m.uncovered) == {("oncall", DUTY), ("oncall", ASSISTANT), ("am", DUTY), ("pm", DUTY)}


def test_lookups_are_sorted_and_filtered() -> None:
    m = RosterModel(make_problem(PEOPLE, [PM, AM, ONCALL]))
    assert [(s.id, r) for s, r, _v in m.vars_for_person("an")] == [
        ("oncall", DUTY), ("oncall", ASSISTANT), ("am", DUTY), ("pm", DUTY)]
    assert [p.id for p, _r, _v in m.vars_for_shift("oncall", ASSISTANT)] == ["an", "chi"]
    assert m.days == [BASE, day_of(2)]
    assert [s.id for s in m.shifts_on_day(day_of(2))] == ["am", "pm"]
    assert m.shifts_on_day(day_of(9)) == []


def test_works_is_the_variable_or_an_or_of_roles_or_zero() -> None:
    m = RosterModel(make_problem(PEOPLE, [PM, AM, ONCALL], unavailability=(make_leave("binh", 1),)))
    assert m.works("binh", "am") is m.x["binh", "am", DUTY]
    assert m.works("an", "oncall") is m.works("an", "oncall")  # cached
    assert m.works("an", "oncall").index not in {v.index for v in m.x.values()}
    assert m.works("binh", "oncall") is m.false
    # works_on_day is 1 iff a shift starts that day: check by solving with am forced.
    day = m.works_on_day("binh", day_of(2))
    m.model.add(m.x["binh", "am", DUTY] == 1)
    solver = cp_model.CpSolver()
    assert solver.solve(m.model) == cp_model.OPTIMAL
    assert solver.value(day) == 1
    assert m.works_on_day("binh", day_of(1)) is m.false


def test_add_hard_takes_an_assumption_only_in_explain_mode() -> None:
    plain = RosterModel(make_problem(PEOPLE, [AM]))
    explain = RosterModel(make_problem(PEOPLE, [AM]), explain_mode=True)
    for m in (plain, explain):
        lits = [v for _p, _r, v in m.vars_for_shift("am")]
        m.add_hard("demo", sum(lits) <= 1, person="an", shifts=("am",), message="at most one", params={"n": "1"})
        m.add_hard("demo", lambda m=m, lits=lits: m.model.add_bool_or([~lits[0], ~lits[1]]))
    assert plain.assumptions == {}
    assert plain.hard_count["demo"] == 2
    first, second = explain.assumptions.values()
    assert (first.rule, first.person, first.shifts, first.message, first.params) == (
        "demo", "an", ("am",), "at most one", {"n": "1"})
    assert second.rule == "demo"
    assert len(explain.model.proto.assumptions) == 2


def test_penalty_breakdown_evaluates_each_rule() -> None:
    m = RosterModel(make_problem(PEOPLE, [AM]))
    an, binh = m.x["an", "am", DUTY], m.x["binh", "am", DUTY]
    m.add_penalty("a", an, 3)
    m.add_penalty("a", binh, 5)
    m.add_penalty("b", 1 - binh, 7)
    m.add_penalty("c", 1, 2)  # a constant term
    m.model.add(an + binh == 1)
    m.finalize()
    solver = cp_model.CpSolver()
    assert solver.solve(m.model) == cp_model.OPTIMAL
    # an: 3 + 7 + 2 = 12; binh: 5 + 0 + 2 = 7 -> binh
    assert m.penalty_breakdown(solver) == {"a": 5, "b": 0, "c": 2}
    assert solver.objective_value == 7
