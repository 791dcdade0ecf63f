"""eligibility: role, kind, area, skills, languages and contract decide who may take a slot at all."""

from __future__ import annotations

from datetime import date

from duty_roster.solver.constraints import eligibility, locked
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import ASSISTANT, DUTY, Rules
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

RULES = no_rules(allowed_kinds={"investigation": {DUTY: frozenset({"officer", "lawyer"})}})


def shift_needing_everything():
    return make_shift(1, "07:30", 24, sid="oncall", duty_type="investigation", area="HO",
                      skills={"juvenile"}, languages={"khmer"})


def fit(pid: str = "fit", **kw):
    base = dict(kind="lawyer", branch="HO", skills={"juvenile"}, languages={"khmer"})
    base.update(kw)
    return make_person(pid, **base)


UNFIT = {
    "no_role": fit("no_role", roles={ASSISTANT}),
    "wrong_kind": fit("wrong_kind", kind="assistant"),
    "other_area": fit("other_area", branch="B1"),
    "no_skill": fit("no_skill", skills=()),
    "no_khmer": fit("no_khmer", languages=()),
    "not_yet": fit("not_yet", contract_start=date(2026, 3, 3)),
    "ended": fit("ended", contract_end=date(2026, 3, 1)),
}


def test_only_the_eligible_person_gets_the_slot() -> None:
    shift = shift_needing_everything()
    problem = make_problem([*UNFIT.values(), fit()], [shift], rules=RULES)
    out = solve_with(problem, hard=[eligibility])
    assert out.pairs == {("fit", "oncall")}


def test_no_variable_exists_for_an_ineligible_person_and_the_slot_stays_uncovered() -> None:
    shift = shift_needing_everything()
    problem = make_problem(list(UNFIT.values()), [shift], rules=RULES)
    assert RosterModel(problem).x == {}
    out = solve_with(problem, hard=[eligibility])
    assert out.pairs == set()
    assert out.uncovered == {("oncall", DUTY): 1}


def test_each_reason_names_the_eligibility_rule_and_what_is_missing() -> None:
    shift = shift_needing_everything()
    m = RosterModel(make_problem([*UNFIT.values(), fit()], [shift], rules=RULES))
    got = {pid: m.ineligibility_reasons(p, shift, DUTY) for pid, p in UNFIT.items()}
    assert {pid: [r.rule for r in rs] for pid, rs in got.items()} == {pid: ["eligibility"] for pid in UNFIT}
    assert got["no_role"][0].params == {"role": DUTY}
    assert got["wrong_kind"][0].params["kind"] == "assistant"
    assert got["other_area"][0].params == {"area": "HO"}
    assert got["no_skill"][0].params == {"skill": "juvenile"}
    assert got["no_khmer"][0].params == {"language": "khmer"}
    assert got["not_yet"][0].params == {"contract_start": "2026-03-03"}
    assert got["ended"][0].params == {"contract_end": "2026-03-01"}
    assert m.ineligibility_reasons(fit(), shift, DUTY) == []


def test_areas_list_every_branch_served() -> None:
    shift = make_shift(1, area="B1")
    helper = make_person("helper", branch="HO", areas={"HO", "B1"})
    homebody = make_person("homebody", branch="HO")
    anywhere = make_person("anywhere")  # no branch: serves every area
    m = RosterModel(make_problem([helper, homebody, anywhere], [shift], rules=Rules()))
    assert {key[0] for key in m.x} == {"helper", "anywhere"}


def test_a_locked_ineligible_assignment_stands_with_a_warning() -> None:
    shift = make_shift(1, skills={"khmer"})
    problem = make_problem([make_person("an")], [shift], locked=(assign("an", shift.id),))
    out = solve_with(problem, hard=[eligibility, locked])
    assert out.pairs == {("an", shift.id)}
    assert [(w.rule, w.params["skill"]) for w in out.warnings] == [("eligibility", "khmer")]
