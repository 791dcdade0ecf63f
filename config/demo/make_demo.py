"""Generate config/demo/centre.json: the demo centre, Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ.

Deterministic (a fixed seed, no clock): running it again gives the same file byte for byte. The JSON is the artefact
that `duty-roster demo` loads; this script is kept so the data can be regenerated after a format change.

    .venv/bin/python config/demo/make_demo.py            # writes config/demo/centre.json
    .venv/bin/python config/demo/make_demo.py --check    # fails if centre.json is not what the script produces

Facts and assumptions: /work/shared/domain/vietnam-legal-aid.md, docs/centre-file.md. Everything personal here is
fictional: names are drawn from common Vietnamese (and Khmer) name parts, phone numbers are valid Vietnamese mobile
numbers chosen at random, e-mail addresses use the reserved `.example` domain. Assumptions made for the demo:
- head office Ninh Kiều (NK), branches Sóc Trăng (ST) and Vị Thanh (VT) — the three former provincial centres;
- which regional court ("Tòa án nhân dân khu vực N – Cần Thơ") lies near which office is assumed (1-4 NK, 5-7 VT,
  8-11 ST), as are the court weekdays: the head office sits at the city court on Tuesdays and Thursdays (Thursday:
  family and juvenile sessions, juvenile-trained people only), each regional court gets one day a week;
- investigation duty (5789/BTP-BCA) runs four 24 h telephone lines, 07:30-07:30 every day: the city police
  investigation agency (duty person + duty assistant, two duty persons on holidays), the security investigation
  agency, and one line per branch area at the detention camps of Sóc Trăng (duty person + assistant) and Vị Thanh;
  the city detention camp calls the investigation-agency line. Duty assistants back both assistant lines by phone,
  so they serve every branch area;
- leave and training fall in December 2026 and January 2027 (absolute dates); the two holiday overrides for Tết
  2027 are illustrative, not the government's announcement.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import phonenumbers

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "centre.json"
SEED = 5789  # the investigation-duty programme's number, for luck

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Châu", "Tạ", "Lâm", "Quách", "Mai"]
MALE_MIDDLE = ["Văn", "Minh", "Quốc", "Hoàng", "Thanh", "Hữu", "Công", "Đức", "Tấn", "Trọng"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Phương", "Diễm"]
MALE_GIVEN = ["An", "Bình", "Dũng", "Hải", "Hiếu", "Hòa", "Hùng", "Khang", "Khoa", "Long", "Nam", "Nhân", "Phúc",
              "Quân", "Tâm", "Thắng", "Trí", "Tuấn", "Vinh", "Thịnh", "Lộc", "Tài", "Đạt", "Kiệt", "Sơn"]
FEMALE_GIVEN = ["Châu", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Vy",
                "Yến", "Ngân", "Nhung", "Trinh", "Tuyết", "Loan", "Diệu", "Quyên", "Duyên", "Thư", "Uyên"]
# Khmer names as they are commonly written in Vietnamese (Sóc Trăng has a large Khmer community).
KHMER_NAMES = ["Thạch Sô Phi", "Sơn Thị Sóc Kha", "Lâm Thị Sa Rây", "Danh Sô Phon", "Thạch Thị Mỹ Liên",
               "Kim Sóc Thia"]
# Mobile prefixes of the three big networks (Viettel, VinaPhone, MobiFone).
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
                   "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079",
                   "089", "090", "093"]

BRANCHES = [
    {"code": "NK", "name": "Trụ sở chính – Ninh Kiều", "address": "Phường Ninh Kiều, thành phố Cần Thơ",
     "phone": "0292 3812 345", "is_head_office": True},
    {"code": "ST", "name": "Chi nhánh Sóc Trăng", "address": "Phường Phú Lợi, thành phố Cần Thơ",
     "phone": "0299 3821 456"},
    {"code": "VT", "name": "Chi nhánh Vị Thanh", "address": "Phường Vị Thanh, thành phố Cần Thơ",
     "phone": "0293 3870 567"},
]
# (branch, officers, lawyers, assistants): 24 officers including the director and two deputies, 30 lawyers,
# 6 duty assistants.
STAFF = [("NK", 12, 16, 2), ("ST", 7, 8, 2), ("VT", 5, 6, 2)]

SESSIONS = [  # (code suffix, name, start, end)
    ("am", "Buổi sáng", "07:30", "11:30"),
    ("pm", "Buổi chiều", "13:30", "17:00"),
]
# Regional court number -> (branch, weekday). Weekdays: 0 = Monday.
REGIONAL_COURTS = {1: ("NK", 0), 2: ("NK", 2), 3: ("NK", 4), 4: ("NK", 3),
                   5: ("VT", 0), 6: ("VT", 2), 7: ("VT", 4),
                   8: ("ST", 0), 9: ("ST", 1), 10: ("ST", 2), 11: ("ST", 3)}
KHMER_COURT = 9  # its morning session needs a Khmer speaker (assumption)
WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Names:
    """Unique realistic names, drawn deterministically."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, female: bool) -> str:
        while True:
            middle = FEMALE_MIDDLE if female else MALE_MIDDLE
            given = FEMALE_GIVEN if female else MALE_GIVEN
            name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(middle)} {self.rng.choice(given)}"
            if name not in self.used:
                self.used.add(name)
                return name


class Phones:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self) -> str:
        while True:
            digits = f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**7):07d}"
            number = phonenumbers.parse(digits, "VN")
            if digits not in self.used and phonenumbers.is_valid_number(number):
                self.used.add(digits)
                return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def people(rng: random.Random) -> list[dict[str, Any]]:
    names, phones = Names(rng), Phones(rng)
    khmer = list(KHMER_NAMES)
    result: list[dict[str, Any]] = []
    counters = {"officer": 0, "lawyer": 0, "assistant": 0}
    prefix = {"officer": "TGV", "lawyer": "LS", "assistant": "HT"}
    for branch, n_officers, n_lawyers, n_assistants in STAFF:
        for kind, count in (("officer", n_officers), ("lawyer", n_lawyers), ("assistant", n_assistants)):
            for i in range(count):
                counters[kind] += 1
                number = counters[kind]
                code = f"{prefix[kind]}{number:02d}"
                speaks_khmer = branch == "ST" and (
                    (kind == "officer" and i < 2) or (kind == "lawyer" and i < 2) or (kind == "assistant" and i < 1)
                )
                full_name = khmer.pop(0) if speaks_khmer else names.draw(female=rng.random() < 0.5)
                person: dict[str, Any] = {
                    "code": code,
                    "full_name": full_name,
                    "kind": kind,
                    "branch": branch,
                    "phone": phones.draw(),
                    "email": f"{code.lower()}@tgpl-cantho.example",
                }
                if kind == "assistant":
                    person["areas"] = [b["code"] for b in BRANCHES if b["code"] != branch]
                skills = []
                # Juvenile-trained (người chưa thành niên): four head-office officers after the management, two
                # officers in each branch, three head-office lawyers.
                if (kind == "officer" and ((branch == "NK" and 3 <= i <= 6) or (branch != "NK" and i in (2, 3)))) or (
                    kind == "lawyer" and branch == "NK" and i in (0, 5, 10)
                ):
                    skills.append("juvenile")
                if skills:
                    person["skills"] = skills
                if speaks_khmer:
                    person["languages"] = ["khmer"]
                if kind == "officer" and number == 1:
                    person.update(capacity=0.5, max_shifts_per_month=6)  # the director
                elif kind == "officer" and number in (2, 3):
                    person.update(capacity=0.75, max_shifts_per_month=10)  # the deputy directors
                elif kind == "lawyer":
                    person.update(
                        capacity=1.0 if i % 3 else 0.5,
                        max_shifts_per_week=3,
                        max_shifts_per_month=10,
                        contract_start="2025-07-01",
                        contract_end="2027-06-30",
                    )
                    if rng.random() < 0.3:
                        person["sms_ascii"] = True  # an old phone or a gateway without Unicode
                else:
                    person["max_shifts_per_week"] = 4
                result.append(person)
    # One lawyer's contract ends with 2026 and another's starts in 2027: contract dates in action.
    lawyers = [p for p in result if p["kind"] == "lawyer"]
    lawyers[-1]["contract_end"] = "2026-12-31"
    lawyers[-2]["contract_start"] = "2027-01-01"
    return result


def court_patterns(weekdays: list[int], *, code_prefix: str = "court", name: str = "Phiên tòa",
                   skills: tuple[str, ...] = (), languages_am: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    patterns = []
    for suffix, label, start, end in SESSIONS:
        pattern: dict[str, Any] = {
            "code": f"{code_prefix}_{suffix}",
            "name": f"{name} – {label.lower()}",
            "duty_type": "court",
            "start": start,
            "end": end,
            "days": "working_days",
            "weekdays": [WEEKDAY_NAMES[d] for d in weekdays],
            "demand": {"duty": 1},
        }
        if skills:
            pattern["required_skills"] = list(skills)
        if languages_am and suffix == "am":
            pattern["required_languages"] = list(languages_am)
        patterns.append(pattern)
    return patterns


def oncall(name: str, demand: dict[str, int], holiday_demand: dict[str, int] | None = None) -> dict[str, Any]:
    pattern: dict[str, Any] = {
        "code": "oncall_24h",
        "name": name,
        "duty_type": "investigation",
        "start": "07:30",
        "duration_hours": 24,
        "days": "every_day",
        "demand": demand,
        "is_night": True,
    }
    if holiday_demand:
        pattern["holiday_demand"] = holiday_demand
    return pattern


def locations() -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = [
        {
            "code": "TAND-TP",
            "name": "Tòa án nhân dân thành phố Cần Thơ",
            "kind": "court",
            "branch": "NK",
            "address": "Phường Ninh Kiều, thành phố Cần Thơ",
            "shifts": court_patterns([1])
            + court_patterns([3], code_prefix="juvenile", name="Phiên tòa gia đình và người chưa thành niên",
                             skills=("juvenile",)),
        }
    ]
    for number, (branch, weekday) in REGIONAL_COURTS.items():
        result.append({
            "code": f"TAND-KV{number}",
            "name": f"Tòa án nhân dân khu vực {number} – Cần Thơ",
            "kind": "court",
            "branch": branch,
            "shifts": court_patterns([weekday], languages_am=("khmer",) if number == KHMER_COURT else ()),
        })
    result += [
        {
            "code": "CSDT",
            "name": "Cơ quan Cảnh sát điều tra Công an thành phố Cần Thơ",
            "kind": "investigation",
            "branch": "NK",
            "address": "Phường Ninh Kiều, thành phố Cần Thơ",
            "shifts": [oncall("Trực TGPL điều tra hình sự 24/24 giờ", {"duty": 1, "assistant": 1},
                              {"duty": 2, "assistant": 1})],
        },
        {
            "code": "ANDT",
            "name": "Cơ quan An ninh điều tra Công an thành phố Cần Thơ",
            "kind": "investigation",
            "branch": "NK",
            "shifts": [oncall("Trực TGPL điều tra (an ninh) 24/24 giờ", {"duty": 1})],
        },
        {
            "code": "TTG-CT",
            "name": "Trại tạm giam Công an thành phố Cần Thơ",
            "kind": "detention",
            "branch": "NK",
        },
        {
            "code": "TTG-ST",
            "name": "Trại tạm giam Công an thành phố Cần Thơ – cơ sở Sóc Trăng",
            "kind": "detention",
            "branch": "ST",
            "shifts": [oncall("Trực TGPL điều tra hình sự 24/24 giờ – khu vực Sóc Trăng",
                              {"duty": 1, "assistant": 1})],
        },
        {
            "code": "TTG-VT",
            "name": "Trại tạm giam Công an thành phố Cần Thơ – cơ sở Vị Thanh",
            "kind": "detention",
            "branch": "VT",
            "shifts": [oncall("Trực TGPL điều tra hình sự 24/24 giờ – khu vực Vị Thanh", {"duty": 1})],
        },
    ]
    return result


def unavailability(staff: list[dict[str, Any]]) -> list[dict[str, Any]]:
    code = {p["code"]: p for p in staff}
    entries = [
        ("TGV05", "2026-12-14", "2026-12-18", "leave", "Nghỉ phép năm"),
        ("TGV09", "2026-12-07", "2026-12-09", "training", "Tập huấn kỹ năng TGPL cho người chưa thành niên"),
        ("TGV15", "2026-12-21", "2026-12-25", "leave", "Nghỉ phép năm"),
        ("LS03", "2026-12-01", "2026-12-04", "business_trip", "Công tác Hà Nội"),
        ("LS12", "2026-12-28", "2027-01-03", "leave", "Nghỉ phép cuối năm"),
        ("LS20", "2026-12-10T13:30", "2026-12-11T17:00", "other", "Tham gia phiên tòa ngoài chương trình"),
        ("HT02", "2026-12-24", "2026-12-27", "leave", "Nghỉ phép"),
        ("TGV02", "2027-01-11", "2027-01-15", "training", "Bồi dưỡng nghiệp vụ tại Học viện Tư pháp"),
        ("LS07", "2027-01-18", "2027-01-22", "sick", "Nghỉ ốm"),
        ("HT05", "2027-01-25", "2027-01-29", "leave", "Nghỉ phép trước Tết"),
    ]
    for person, *_ in entries:
        assert person in code, person
    return [{"person": p, "start": s, "end": e, "reason": r, "note": n} for p, s, e, r, n in entries]


def preferences() -> list[dict[str, Any]]:
    return [
        {"person": "TGV04", "wanted": True, "weight": 2, "weekday": "thu", "shift_type": "juvenile_am"},
        {"person": "LS02", "wanted": False, "weight": 2, "weekday": "sun"},
        {"person": "LS09", "wanted": False, "weight": 1, "weekday": "sat", "shift_type": "oncall_24h"},
        {"person": "TGV16", "wanted": True, "weight": 1, "weekday": "tue", "shift_type": "court_am"},
        {"person": "LS18", "wanted": False, "weight": 3, "day": "2026-12-24"},
        {"person": "TGV20", "wanted": False, "weight": 2, "day": "2026-12-31", "shift_type": "oncall_24h"},
    ]


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    staff = people(rng)
    return {
        "format_version": 1,
        "$comment": "Demo data, generated by config/demo/make_demo.py; people, phones and e-mails are fictional.",
        "centre": {
            "code": "CT",
            "name": "Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ",
            "short_name": "TGPL CT",
            "timezone": "Asia/Ho_Chi_Minh",
            "duty_phone": "0292 3812 399",
            "address": "Phường Ninh Kiều, thành phố Cần Thơ",
        },
        "rules": {
            "min_rest_hours": 11,
            "long_shift_hours": 24,
            "rest_after_long_shift_hours": 24,
            "max_consecutive_nights": 2,
            "max_shifts_per_day": None,
            "allowed_kinds": {
                "court": {"duty": ["officer", "lawyer"]},
                "investigation": {"duty": ["officer", "lawyer"], "assistant": ["assistant"]},
            },
            "roles_by_kind": {"officer": ["duty"], "lawyer": ["duty"], "assistant": ["assistant"]},
            "week_start": 0,
        },
        "weights": {"fair_tet": 30, "preference": 5, "continuity_people": 2, "cross_branch": 3},
        "branches": BRANCHES,
        "people": staff,
        "locations": locations(),
        "holiday_overrides": [
            {"day": "2027-02-03", "kind": "day_off", "name": "Nghỉ bù Tết Đinh Mùi (minh họa)"},
            {"day": "2027-01-30", "kind": "working_day", "name": "Làm bù cho ngày 03/02/2027 (minh họa)"},
        ],
        "unavailability": unavailability(staff),
        "preferences": preferences(),
    }


def compact(value: Any, indent: int = 0, width: int = 118) -> str:
    """JSON with each entry on one line when it fits: a person or a shift pattern reads as one row."""
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, dict | list) or indent + len(flat) <= width or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + compact(v, indent + 2, width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {compact(v, indent + 2, width - len(k) - 4)}"
             for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


def render() -> str:
    return compact(build()) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if centre.json differs from the generated one")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
