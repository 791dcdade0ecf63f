"""unavailability: no shift overlapping declared leave, training or business trips."""

from __future__ import annotations

from duty_roster.solver.constraints import locked, unavailability
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import DUTY, Unavailability
from tests.solver.builders import assign, at, make_leave, make_person, make_problem, make_shift, solve_with


def test_a_person_on_leave_is_not_rostered() -> None:
    shift = make_shift(2)
    problem = make_problem([make_person("an")], [shift], unavailability=(make_leave("an", 2),))
    out = solve_with(problem, hard=[unavailability])
    assert out.pairs == set()
    assert out.uncovered == {(shift.id, DUTY): 1}


def test_leave_is_half_open_so_it_may_end_when_the_shift_starts() -> None:
    shift = make_shift(2, "07:30")
    training = Unavailability("an", at(2, "00:00"), at(2, "07:30"), reason="training")
    out = solve_with(make_problem([make_person("an")], [shift], unavailability=(training,)), hard=[unavailability])
    assert out.pairs == {("an", shift.id)}


def test_a_night_shift_overlapping_the_first_leave_day_is_blocked() -> None:
    night = make_shift(1, "22:00", 8, is_night=True)
    problem = make_problem([make_person("an")], [night], unavailability=(make_leave("an", 2, reason="business_trip"),))
    m = RosterModel(problem)
    assert m.x == {}
    reasons = m.ineligibility_reasons(problem.people[0], night, DUTY)
    assert [(r.rule, r.params["reason"]) for r in reasons] == [("unavailability", "business_trip")]


def test_a_locked_assignment_during_leave_stands_with_a_warning() -> None:
    shift = make_shift(2)
    problem = make_problem([make_person("an")], [shift], unavailability=(make_leave("an", 2),),
                           locked=(assign("an", shift.id),))
    out = solve_with(problem, hard=[unavailability, locked])
    assert out.pairs == {("an", shift.id)}
    assert [w.rule for w in out.warnings] == ["unavailability"]
