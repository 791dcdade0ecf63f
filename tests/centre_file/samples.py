"""Centre files for the tests: a small valid one, and the same file with a dozen kinds of mistakes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

DEMO_FILE = Path(__file__).resolve().parents[2] / "config" / "demo" / "centre.json"


def demo_centre() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def small_centre() -> dict[str, Any]:
    """Two branches, three people, a court and a police line: every section present and valid."""
    return {
        "format_version": 1,
        "centre": {"code": "TST", "name": "Trung tâm thử nghiệm", "duty_phone": "0292 3812 399"},
        "rules": {"min_rest_hours": 11, "max_shifts_per_day": None},
        "weights": {"fair_tet": 40},
        "branches": [
            {"code": "HQ", "name": "Trụ sở chính", "is_head_office": True},
            {"code": "B2", "name": "Chi nhánh 2"},
        ],
        "people": [
            {"code": "P1", "full_name": "Nguyễn Văn An", "kind": "officer", "branch": "HQ", "phone": "0912 345 678"},
            {"code": "P2", "full_name": "Trần Thị Bình", "kind": "lawyer", "branch": "B2", "phone": "0987 654 321",
             "areas": ["HQ"], "skills": ["Juvenile"], "contract_start": "2026-01-01", "contract_end": "2027-12-31"},
            {"code": "P3", "full_name": "Lê Văn Cường", "kind": "assistant", "branch": "HQ",
             "phone": "+84 903 123 456"},
        ],
        "locations": [
            {"code": "COURT", "name": "Tòa án nhân dân khu vực 1", "kind": "court", "branch": "HQ", "shifts": [
                {"code": "court_am", "name": "Buổi sáng", "duty_type": "court", "start": "07:30", "end": "11:30",
                 "days": "working_days", "weekdays": ["tue", 3]},
            ]},
            {"code": "POLICE", "name": "Cơ quan Cảnh sát điều tra", "kind": "investigation", "branch": "HQ",
             "shifts": [
                 {"code": "oncall_24h", "name": "Trực 24 giờ", "duty_type": "investigation", "start": "07:30",
                  "end": "07:30", "days": "every_day", "demand": {"duty": 1, "assistant": 1},
                  "holiday_demand": {"duty": 2, "assistant": 1}, "is_night": True},
             ]},
        ],
        "holiday_overrides": [
            {"day": "2026-12-26", "kind": "working_day", "name": "Làm bù"},
            {"day": "2026-12-31", "kind": "day_off", "name": "Nghỉ bù"},
        ],
        "unavailability": [
            {"person": "P1", "start": "2026-12-07", "end": "2026-12-09", "reason": "training"},
            {"person": "P2", "start": "2026-12-10T13:30", "end": "2026-12-10T17:00", "note": "Phiên tòa khác"},
        ],
        "preferences": [{"person": "P2", "wanted": False, "weekday": "sun"}],
    }


# path in the file -> a piece of its message, in the order the loader reports them (file order)
MISTAKES = {
    "centre.timezone": "unknown time zone",  # bad timezone
    "people[0].kind": "must be one of",  # bad kind
    "people[1].branch": "unknown branch 'VT2'",  # unknown branch
    "people[2].phone": "not a valid phone number",  # invalid phone
    "people[3].code": "duplicate code 'P1'",  # duplicate code
    "people[3].contract_end": "contract ends before it starts",
    "locations[0].shifts[0].start": "not a valid time of day",  # "25:00"
    "locations[1].shifts[0].demand.interpreter": "unknown role",  # demand for an unknown role
    "locations[2].branch": "unknown branch 'VT2'",
    "locations[2].kind": "must be one of",
    "unavailability[2].start": "overlaps unavailability[0]",  # overlapping leave
    "unavailability[3].end": "end is not after start",  # end before start
    "unavailability[4].person": "unknown person 'P9'",  # unknown person
    "preferences[1]": "name a weekday, a day or a shift type",
}


def centre_with_mistakes() -> dict[str, Any]:
    """The small centre with every mistake of MISTAKES made once."""
    data = copy.deepcopy(small_centre())
    data["centre"]["timezone"] = "Asia/Can_Tho"
    people = data["people"]
    people[0]["kind"] = "judge"
    people[1]["branch"] = "VT2"
    people[2]["phone"] = "0123 456 789"
    people.append({"code": "P1", "full_name": "Phạm Văn Dũng", "kind": "lawyer", "branch": "HQ",
                   "phone": "0912 000 111", "contract_start": "2026-06-01", "contract_end": "2026-01-31"})
    data["locations"][0]["shifts"][0]["start"] = "25:00"
    data["locations"][1]["shifts"][0]["demand"] = {"duty": 1, "interpreter": 1}
    data["locations"].append({"code": "JAIL", "name": "Trại tạm giam", "kind": "prison", "branch": "VT2"})
    data["unavailability"] += [
        {"person": "P1", "start": "2026-12-08", "end": "2026-12-12"},
        {"person": "P2", "start": "2026-12-20", "end": "2026-12-18"},
        {"person": "P9", "start": "2026-12-01", "end": "2026-12-02"},
    ]
    data["preferences"].append({"person": "P1", "wanted": True})
    return data
