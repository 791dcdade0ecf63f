"""Validating centre files without a database: the demo file, the schema's match with the solver, every mistake."""

from __future__ import annotations

import copy
import importlib.util
import json
from dataclasses import fields
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from duty_roster.centre_file import CentreFileError, read_centre_file, validate_centre_data
from duty_roster.centre_file.schema import RULES_TO_SOLVER, RulesSpec, ShiftPatternSpec, WeightsSpec
from duty_roster.rostering.problem_builder import rules_from_settings, weights_from_settings
from duty_roster.solver import problem as sp
from tests.centre_file.samples import DEMO_FILE, MISTAKES, centre_with_mistakes, demo_centre, small_centre


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(CentreFileError) as caught:
        validate_centre_data(data)
    return {e.path: e.message for e in caught.value.errors}


# -- the demo centre -----------------------------------------------------------------------------------------------


def test_the_demo_centre_validates_without_warnings() -> None:
    valid = validate_centre_data(demo_centre())
    assert valid.warnings == []
    assert valid.centre.code == "CT"
    assert valid.centre.name == "Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ"
    assert [b.code for b in valid.branches] == ["NK", "ST", "VT"]
    assert [b.code for b in valid.branches if b.is_head_office] == ["NK"]


def test_the_demo_centre_has_the_promised_shape() -> None:
    valid = validate_centre_data(demo_centre())
    kinds = [p.kind for p in valid.people]
    assert (kinds.count("officer"), kinds.count("lawyer"), kinds.count("assistant")) == (24, 30, 6)
    assert all(p.phone.startswith("+84") and len(p.phone) == 12 for p in valid.people)  # E.164 mobiles
    assert len({p.phone for p in valid.people}) == 60
    khmer = [p for p in valid.people if "khmer" in p.languages]
    assert len(khmer) >= 4 and {p.branch for p in khmer} == {"ST"}
    assert sum("juvenile" in p.skills for p in valid.people if p.kind == "officer") >= 6
    assert any(ch in valid.people[0].full_name for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỷỹý"
                                                         "àáèéìíòóùú")
    courts = [loc for loc in valid.locations if loc.kind == "court"]
    assert courts[0].name == "Tòa án nhân dân thành phố Cần Thơ"
    assert [c.name for c in courts[1:]] == [f"Tòa án nhân dân khu vực {n} – Cần Thơ" for n in range(1, 12)]
    for court in courts:
        for pattern in court.shifts:
            assert (pattern.start, pattern.end) in {(time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))}
            assert pattern.days == "working_days"
    city_days = sorted({d for p in courts[0].shifts for d in p.weekdays or []})
    assert len(city_days) == 2  # the head office sits at the city court twice a week
    assert all(len({d for p in c.shifts for d in p.weekdays or []}) == 1 for c in courts[1:])  # regional: once
    oncall = [(loc.code, p) for loc in valid.locations for p in loc.shifts if p.duty_type == "investigation"]
    assert oncall and all(p.start == time(7, 30) and p.duration_minutes == 24 * 60 and p.days == "every_day"
                          for _, p in oncall)
    assert {"duty": 1, "assistant": 1} in [p.demand for _, p in oncall]
    names = {loc.name for loc in valid.locations}
    assert "Cơ quan Cảnh sát điều tra Công an thành phố Cần Thơ" in names
    assert "Cơ quan An ninh điều tra Công an thành phố Cần Thơ" in names
    assert sum(loc.kind == "detention" for loc in valid.locations) == 3
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    assert valid.unavailability and all(  # leave in the coming months, as absolute dates
        date(2026, 12, 1) <= leave.start_at.astimezone(hcm).date() <= date(2027, 1, 31)
        for leave in valid.unavailability
    )


def test_the_demo_file_is_what_make_demo_generates() -> None:
    spec = importlib.util.spec_from_file_location("make_demo", DEMO_FILE.parent / "make_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == DEMO_FILE.read_text(encoding="utf-8")


# -- the schema follows the solver ---------------------------------------------------------------------------------


def test_every_solver_rule_can_be_set_from_the_file() -> None:
    assert set(RULES_TO_SOLVER.values()) == {f.name for f in fields(sp.Rules)}
    assert set(RULES_TO_SOLVER) <= set(RulesSpec.model_fields)


def test_file_defaults_are_the_solver_defaults() -> None:
    assert rules_from_settings(RulesSpec().model_dump(mode="json")) == sp.Rules()
    assert weights_from_settings({"weights": WeightsSpec().model_dump()}) == sp.Weights()
    assert set(WeightsSpec.model_fields) == {f.name for f in fields(sp.Weights)}


def test_the_demo_rules_reach_the_solver() -> None:
    valid = validate_centre_data(demo_centre())
    assert valid.rules is not None and valid.weights is not None
    rules = rules_from_settings(valid.rules)
    assert rules.max_consecutive_nights == 2
    assert rules.allowed_kinds["investigation"]["assistant"] == frozenset({"assistant"})
    assert weights_from_settings({"weights": valid.weights}).fair_tet == 30


def test_a_misspelt_rule_or_weight_is_an_error() -> None:
    data = small_centre()
    data["rules"]["min_rest_hour"] = 11
    data["weights"]["fairness"] = 3
    data["rules"]["max_consecutive_nights"] = -1
    assert errors_of(data) == {
        "rules.min_rest_hour": "Trường không được hỗ trợ (sai chính tả?) / unknown field (misspelt?)",
        "rules.max_consecutive_nights": "Giá trị -1 ngoài giới hạn / Input should be greater than or equal to 1",
        "weights.fairness": "Trường không được hỗ trợ (sai chính tả?) / unknown field (misspelt?)",
    }


# -- one file, every mistake ---------------------------------------------------------------------------------------


def test_a_file_with_many_kinds_of_mistakes_reports_every_one_with_its_path() -> None:
    with pytest.raises(CentreFileError) as caught:
        validate_centre_data(centre_with_mistakes())
    found = {e.path: e.message for e in caught.value.errors}
    assert set(found) == set(MISTAKES)
    for path, piece in MISTAKES.items():
        assert piece in found[path], (path, found[path])
    # Reported in file order, each "path: message", Vietnamese first.
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("centre.timezone: Múi giờ không tồn tại: 'Asia/Can_Tho' / unknown time zone")
    assert "people[2].phone: Số điện thoại không hợp lệ: '0123 456 789' / not a valid phone number" in lines
    assert [line.split(":")[0] for line in lines] == [e.path for e in caught.value.errors]
    assert [e.path for e in caught.value.errors][-1] == "preferences[1]"


def test_the_small_centre_is_valid_and_normalised() -> None:
    valid = validate_centre_data(small_centre())
    assert valid.warnings == []
    assert [p.phone for p in valid.people] == ["+84912345678", "+84987654321", "+84903123456"]
    assert valid.people[1].skills == ["juvenile"]  # free text, compared case-insensitively
    court, police = valid.locations
    assert court.shifts[0].weekdays == [1, 3]
    assert court.shifts[0].duration_minutes == 240
    assert police.shifts[0].duration_minutes == 24 * 60  # end == start: a 24 h shift
    assert valid.rules == {"min_rest_hours": 11.0, "max_shifts_per_day": None}  # only what the file says
    assert valid.weights == {"fair_tet": 40}
    leave, session = valid.unavailability or []
    # Whole local days 7-9 December: from midnight in Cần Thơ (17:00 UTC the day before) to midnight after the 9th.
    assert (leave.start_at, leave.end_at) == (datetime(2026, 12, 6, 17, tzinfo=UTC),
                                              datetime(2026, 12, 9, 17, tzinfo=UTC))
    assert (session.start_at, session.end_at) == (datetime(2026, 12, 10, 6, 30, tzinfo=UTC),
                                                 datetime(2026, 12, 10, 10, tzinfo=UTC))


@pytest.mark.parametrize(
    ("change", "path", "piece"),
    [
        (lambda d: d["centre"].pop("code"), "centre.code", "required field is missing"),
        (lambda d: d.pop("people"), "people", "required section is missing"),
        (lambda d: d.update(staff=[]), "staff", "unknown section"),
        (lambda d: d.update(format_version=2), "format_version", "unsupported format version"),
        (lambda d: d["people"][0].update(ful_name="x"), "people[0].ful_name", "unknown field"),
        (lambda d: d["people"][2].update(code="P 3"), "people[2].code", "not a valid code"),
        (lambda d: d["people"][0].update(email="an-at-example"), "people[0].email", "not a valid e-mail"),
        (lambda d: d["people"][0].update(capacity=0), "people[0].capacity", "greater than 0"),
        (lambda d: d["people"][0].update(contract_start=20260101), "people[0].contract_start", "not a valid date"),
        (lambda d: d["people"][1].update(areas=["HQ", "XX"]), "people[1].areas[1]", "unknown branch 'XX'"),
        (lambda d: d["branches"][1].update(is_head_office=True), "branches[1].is_head_office", "only one head"),
        (lambda d: d["branches"].append({"code": "HQ", "name": "x"}), "branches[2].code", "duplicate code 'HQ'"),
        (lambda d: d["locations"][0]["shifts"][0].update(duration_hours=4), "locations[0].shifts[0]",
         "exactly one of end or duration_hours"),
        (lambda d: d["locations"][0]["shifts"][0].update(weekdays=["funday"]), "locations[0].shifts[0].weekdays[0]",
         "not a weekday"),
        (lambda d: d["locations"][0]["shifts"][0].update(demand={"duty": 0}), "locations[0].shifts[0].demand",
         "at least one person"),
        (lambda d: d["locations"][0]["shifts"][0].update(valid_from="2027-01-01", valid_to="2026-01-01"),
         "locations[0].shifts[0].valid_to", "before valid_from"),
        (lambda d: d["locations"][0]["shifts"].append(dict(d["locations"][0]["shifts"][0])),
         "locations[0].shifts[1].code", "duplicate code 'court_am'"),
        (lambda d: d["holiday_overrides"].append({"day": "2026-12-31", "kind": "day_off"}),
         "holiday_overrides[2].day", "duplicate day '2026-12-31'"),
        (lambda d: d["holiday_overrides"][0].update(kind="holiday"), "holiday_overrides[0].kind", "must be one of"),
        (lambda d: d["unavailability"][0].update(end="2026-13-01"), "unavailability[0].end", "not a valid date"),
        (lambda d: d["unavailability"][1].update(end="2026-12-10T13:30"), "unavailability[1].end",
         "end is not after start"),
        (lambda d: d["preferences"][0].update(shift_type="night"), "preferences[0].shift_type",
         "unknown shift pattern code 'night'"),
        (lambda d: d["rules"].update(forbidden_successions=[["oncall_24h", "nap"]]),
         "rules.forbidden_successions[0][1]", "unknown shift pattern code 'nap'"),
        (lambda d: d["rules"].update(allowed_kinds={"court": {"judge": ["officer"]}}),
         "rules.allowed_kinds.court.judge", "unknown role"),
        (lambda d: d["centre"].update(duty_phone="12"), "centre.duty_phone", "phone number"),
    ],
)
def test_each_mistake_is_reported_at_its_path(change: Any, path: str, piece: str) -> None:
    data = copy.deepcopy(small_centre())
    change(data)
    found = errors_of(data)
    assert list(found) == [path], found
    assert piece in found[path]


def test_roles_added_by_the_centre_are_known() -> None:
    data = small_centre()
    data["rules"]["roles_by_kind"] = {"officer": ["duty", "interpreter"]}
    data["locations"][0]["shifts"][0]["demand"] = {"duty": 1, "interpreter": 1}
    assert validate_centre_data(data).warnings == []


def test_a_skill_or_language_nobody_has_is_a_warning_not_an_error() -> None:
    data = small_centre()
    data["locations"][0]["shifts"][0]["required_skills"] = ["juvenile", "tax"]
    data["locations"][0]["shifts"][0]["required_languages"] = ["khmer"]
    warnings = {str(w) for w in validate_centre_data(data).warnings}
    assert warnings == {
        "locations[0].shifts[0].required_skills: Không ai có kỹ năng 'tax' / nobody active has the skill 'tax'",
        "locations[0].shifts[0].required_languages: Không ai nói 'khmer' / nobody active speaks 'khmer'",
    }


def test_an_override_without_effect_is_a_warning() -> None:
    data = small_centre()
    data["holiday_overrides"] = [{"day": "2026-12-25", "kind": "working_day"}]  # a Friday: already working
    assert [w.path for w in validate_centre_data(data).warnings] == ["holiday_overrides[0].kind"]


def test_leave_that_only_touches_is_no_overlap() -> None:
    data = small_centre()
    data["unavailability"].append({"person": "P1", "start": "2026-12-10", "end": "2026-12-11"})
    data["unavailability"].append({"person": "P1", "start": "2026-12-12T00:00+07:00", "end": "2026-12-12T08:00+07:00"})
    assert len(validate_centre_data(data).unavailability or []) == 4


def test_pattern_length_from_end_or_duration() -> None:
    base = {"code": "x", "name": "x", "duty_type": "investigation", "start": "19:00", "days": "every_day"}
    assert ShiftPatternSpec.model_validate({**base, "end": "07:00"}).duration_minutes == 12 * 60
    assert ShiftPatternSpec.model_validate({**base, "duration_hours": 3.5}).duration_minutes == 210
    assert ShiftPatternSpec.model_validate({**base, "end": "19:00"}).duration_minutes == 24 * 60


def test_not_an_object_and_not_json(tmp_path: Path) -> None:
    assert errors_of([]) == {"": "Tệp phải là một đối tượng JSON {...} / the file must hold a JSON object"}
    broken = tmp_path / "broken.json"
    broken.write_text('{"centre": {"code": "CT",}\n}', encoding="utf-8")
    with pytest.raises(CentreFileError, match=r"invalid JSON at line 1, column 26"):
        read_centre_file(broken)
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps(small_centre(), ensure_ascii=False), encoding="utf-8")
    assert read_centre_file(fine) == small_centre()


def test_the_example_in_the_documentation_is_valid() -> None:
    doc = (DEMO_FILE.parents[2] / "docs" / "centre-file.md").read_text(encoding="utf-8")
    example = doc.split("## A small complete example", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    valid = validate_centre_data(json.loads(example))
    assert valid.warnings == []
    assert valid.describe() == (
        "centre TST: 2 branches, 3 people, 2 locations (3 shift patterns), 2 holiday overrides, 2 unavailability, "
        "2 preferences"
    )


def test_numbers_no_centre_could_mean_are_refused_with_their_path() -> None:
    """A typo such as 10**40 must be a validation error, not a database overflow (a 500 in the API)."""
    data = small_centre()
    data["people"][0]["max_shifts_per_week"] = 10**40
    data["weights"] = {"fair_load": 10**40}
    data["locations"][0]["shifts"][0]["demand"] = {"duty": 10**40}
    errors = errors_of(data)
    assert set(errors) == {
        "people[0].max_shifts_per_week",
        "weights.fair_load",
        "locations[0].shifts[0].demand.duty",
    }
    assert all("less than or equal to" in message for message in errors.values())
