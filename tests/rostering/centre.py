"""A small centre that can be fully covered: one court twice a week and one police on-call line every day."""

from __future__ import annotations

from typing import Any

DUTY_PEOPLE = 7
ASSISTANTS = 3


def covered_centre() -> dict[str, Any]:
    people = [
        {"code": f"D{i}", "full_name": f"Trợ giúp viên {i}", "kind": "officer" if i % 2 else "lawyer",
         "branch": "HQ", "phone": f"0912 000 {100 + i:03d}"}
        for i in range(1, DUTY_PEOPLE + 1)
    ] + [
        {"code": f"A{i}", "full_name": f"Người hỗ trợ {i}", "kind": "assistant", "branch": "HQ",
         "phone": f"0987 000 {100 + i:03d}"}
        for i in range(1, ASSISTANTS + 1)
    ]
    return {
        "format_version": 1,
        "centre": {"code": "TST", "name": "Trung tâm thử nghiệm", "duty_phone": "0292 3812 399"},
        "rules": {
            "min_rest_hours": 11,
            "rest_after_long_shift_hours": 24,
            "allowed_kinds": {"investigation": {"assistant": ["assistant"]}},
        },
        "branches": [{"code": "HQ", "name": "Trụ sở chính", "is_head_office": True}],
        "people": people,
        "locations": [
            {"code": "COURT", "name": "Tòa án nhân dân khu vực 1 – Cần Thơ", "kind": "court", "branch": "HQ",
             "shifts": [
                 {"code": "court_am", "name": "Buổi sáng", "duty_type": "court", "start": "07:30", "end": "11:30",
                  "days": "working_days", "weekdays": ["tue", "thu"]},
                 {"code": "court_pm", "name": "Buổi chiều", "duty_type": "court", "start": "13:30", "end": "17:00",
                  "days": "working_days", "weekdays": ["tue", "thu"]},
             ]},
            {"code": "POLICE", "name": "Cơ quan Cảnh sát điều tra", "kind": "investigation", "branch": "HQ",
             "shifts": [
                 {"code": "oncall_24h", "name": "Trực 24 giờ", "duty_type": "investigation", "start": "07:30",
                  "end": "07:30", "days": "every_day", "demand": {"duty": 1, "assistant": 1},
                  "holiday_demand": {"duty": 2, "assistant": 1}, "is_night": True},
             ]},
        ],
    }
