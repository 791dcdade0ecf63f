"""Validate a whole centre file: each entry against the schema, then the checks that span entries.

Every problem is collected before anything is reported, so one run lists them all. Cross-entry checks read the raw
entries where they can (a code, a branch reference), so an entry with a bad phone still has its branch checked,
and a branch with a typo in its address does not make every person in it "unknown branch".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from duty_roster.centre_file.issues import CentreFileError, Issue, from_validation_error, join_path, sort_issues
from duty_roster.centre_file.schema import (
    BUILTIN_ROLES,
    FORMAT_VERSION,
    LIST_SECTIONS,
    OBJECT_SECTIONS,
    TOP_LEVEL_KEYS,
    BranchSpec,
    CentreSpec,
    HolidayOverrideSpec,
    LocationSpec,
    PersonSpec,
    PreferenceSpec,
    RulesSpec,
    UnavailabilitySpec,
)
from duty_roster.workdays import WorkCalendar

REQUIRED_SECTIONS = ("centre", "branches", "people", "locations")
# Roles each kind of person takes unless `rules.roles_by_kind` says otherwise (same default as rostering).
DEFAULT_ROLES_BY_KIND = {"officer": ("duty",), "lawyer": ("duty",), "assistant": ("assistant",)}


@dataclass(frozen=True)
class Leave:
    """An unavailability entry with its instants resolved in the centre's time zone."""

    index: int
    spec: UnavailabilitySpec
    start_at: datetime  # UTC
    end_at: datetime  # UTC


@dataclass
class ValidCentre:
    """A centre file that passed every check. Optional sections left out of the file are None."""

    centre: CentreSpec
    rules: dict[str, Any] | None
    weights: dict[str, Any] | None
    branches: list[BranchSpec]
    people: list[PersonSpec]
    locations: list[LocationSpec]
    holiday_overrides: list[HolidayOverrideSpec] | None
    unavailability: list[Leave] | None
    preferences: list[PreferenceSpec] | None
    warnings: list[Issue] = field(default_factory=list)

    def describe(self) -> str:
        patterns = sum(len(loc.shifts) for loc in self.locations)
        parts = [
            f"{len(self.branches)} branches",
            f"{len(self.people)} people",
            f"{len(self.locations)} locations ({patterns} shift patterns)",
        ]
        for name in ("holiday_overrides", "unavailability", "preferences"):
            entries = getattr(self, name)
            parts.append(f"{len(entries)} {name.replace('_', ' ')}" if entries is not None else f"no {name} section")
        return f"centre {self.centre.code}: " + ", ".join(parts)


def _raw_str(entry: Any, key: str) -> str | None:
    value = entry.get(key) if isinstance(entry, Mapping) else None
    return value.strip() if isinstance(value, str) else None


class _Checker:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.objects: dict[str, BaseModel | None] = {}
        self.entries: dict[str, list[tuple[int, BaseModel]]] = {}  # section -> (index, parsed entry) that parsed
        self.raw_entries: dict[str, list[Any]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.append(Issue(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Issue(path, message))

    # -- per entry -----------------------------------------------------------------------------------------------

    def parse_sections(self) -> None:
        raw = self.raw
        for key in raw:
            if key not in TOP_LEVEL_KEYS:
                self.error(str(key), f"Mục không được hỗ trợ / unknown section (known: {', '.join(TOP_LEVEL_KEYS)})")
        version = raw.get("format_version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            self.error("format_version", f"Phiên bản định dạng {version!r} không được hỗ trợ / unsupported format "
                                         f"version (this program reads version {FORMAT_VERSION})")
        for key in REQUIRED_SECTIONS:
            if key not in raw:
                self.error(key, "Thiếu mục bắt buộc / required section is missing")
        for key, model in OBJECT_SECTIONS.items():
            if key not in raw:
                continue
            self.objects[key] = self.parse(model, raw[key], key)
        for key, model in LIST_SECTIONS.items():
            if key not in raw:
                continue
            entries = raw[key]
            if not isinstance(entries, list):
                self.error(key, "Cần một danh sách [...] / must be a list")
                entries = []
            self.raw_entries[key] = entries
            self.entries[key] = []
            for i, entry in enumerate(entries):
                parsed = self.parse(model, entry, key, i)
                if parsed is not None:
                    self.entries[key].append((i, parsed))

    def parse(self, model: type[BaseModel], value: Any, *path: str | int) -> BaseModel | None:
        try:
            return model.model_validate(value)
        except ValidationError as exc:
            self.errors.extend(from_validation_error(exc, *path))
            return None

    def parsed(self, section: str) -> list[tuple[int, Any]]:
        return self.entries.get(section, [])

    # -- across entries ------------------------------------------------------------------------------------------

    def unique(self, key: str, entries: Iterable[tuple[str, Any]]) -> set[str]:
        """Codes of `entries` ((path, raw entry) pairs); a repeated code is an error at each repetition."""
        first: dict[str, str] = {}
        for path, entry in entries:
            value = _raw_str(entry, key)
            if not value:
                continue
            if value in first:
                self.error(join_path(path, key), f"Mã {value!r} bị trùng với {first[value]} / duplicate {key} "
                                                 f"{value!r} (first used at {first[value]})")
            else:
                first[value] = path
        return set(first)

    def reference(self, path: str, value: Any, known: set[str], what_vi: str, what_en: str) -> None:
        if isinstance(value, str) and value.strip() and value.strip() not in known:
            self.error(path, f"Không có {what_vi} {value.strip()!r} trong tệp / unknown {what_en} {value.strip()!r}")

    def check_references(self) -> None:
        raw = self.raw_entries
        branches = self.unique("code", ((join_path("branches", i), e)
                                                    for i, e in enumerate(raw.get("branches", []))))
        people = self.unique("code", ((join_path("people", i), e)
                                                for i, e in enumerate(raw.get("people", []))))
        self.unique("code", ((join_path("locations", i), e)
                                          for i, e in enumerate(raw.get("locations", []))))
        self.unique("day", ((join_path("holiday_overrides", i), e)
                                                 for i, e in enumerate(raw.get("holiday_overrides", []))))
        self.pattern_codes: set[str] = set()
        for i, loc in enumerate(raw.get("locations", [])):
            shifts = loc.get("shifts") if isinstance(loc, Mapping) else None
            if isinstance(shifts, list):
                self.pattern_codes |= self.unique(
                    "code", ((join_path("locations", i, "shifts", j), s) for j, s in enumerate(shifts))
                )
        has_branches, has_people = "branches" in raw, "people" in raw
        for i, entry in enumerate(raw.get("people", []) if has_branches else []):
            self.reference(join_path("people", i, "branch"), _raw_str(entry, "branch"), branches, "chi nhánh", "branch")
            areas = entry.get("areas") if isinstance(entry, Mapping) else None
            for j, area in enumerate(areas if isinstance(areas, list) else []):
                self.reference(join_path("people", i, "areas", j), area, branches, "chi nhánh", "branch")
        for i, entry in enumerate(raw.get("locations", []) if has_branches else []):
            self.reference(join_path("locations", i, "branch"), _raw_str(entry, "branch"), branches, "chi nhánh",
                           "branch")
        for section in ("unavailability", "preferences"):
            for i, entry in enumerate(raw.get(section, []) if has_people else []):
                self.reference(join_path(section, i, "person"), _raw_str(entry, "person"), people, "người",
                               "person")
        for i, entry in enumerate(raw.get("preferences", [])):
            self.reference(join_path("preferences", i, "shift_type"), _raw_str(entry, "shift_type"),
                           self.pattern_codes, "ca trực (mã mẫu ca)", "shift pattern code")
        rules = self.objects.get("rules")
        if isinstance(rules, RulesSpec):
            for i, pair in enumerate(rules.forbidden_successions):
                for j, code in enumerate(pair):
                    self.reference(join_path("rules", "forbidden_successions", i, j), code, self.pattern_codes,
                                   "ca trực (mã mẫu ca)", "shift pattern code")
        if not raw.get("branches") and "branches" in self.raw:
            self.error("branches", "Cần ít nhất một chi nhánh (trụ sở) / at least one branch (the head office)")

    def check_head_office(self) -> None:
        heads = [(i, b) for i, b in self.parsed("branches") if b.is_head_office]
        for i, _ in heads[1:]:
            self.error(join_path("branches", i, "is_head_office"),
                       f"Chỉ một trụ sở chính (đã có branches[{heads[0][0]}]) / only one head office "
                       f"(already branches[{heads[0][0]}])")
        if not heads and self.parsed("branches"):
            self.warn("branches", "Không có trụ sở chính (is_head_office) / no branch is marked as the head office")

    def roles(self) -> tuple[set[str], dict[str, set[str]]]:
        """Known roles, and for each role the person kinds that take it."""
        rules = self.objects.get("rules")
        by_kind = {k: set(v) for k, v in DEFAULT_ROLES_BY_KIND.items()}
        if isinstance(rules, RulesSpec):
            by_kind.update({kind: set(roles) for kind, roles in rules.roles_by_kind.items()})
        kinds_by_role: dict[str, set[str]] = defaultdict(set)
        for kind, roles in by_kind.items():
            for role in roles:
                kinds_by_role[role].add(kind)
        return set(BUILTIN_ROLES) | set(kinds_by_role), kinds_by_role

    def check_rules(self) -> None:
        rules = self.objects.get("rules")
        if not isinstance(rules, RulesSpec):
            return
        known, _ = self.roles()
        for duty_type, by_role in rules.allowed_kinds.items():
            for role in by_role:
                if role not in known:
                    self.error(join_path("rules", "allowed_kinds", duty_type, role),
                               f"Vai trò {role!r} không tồn tại / unknown role (known: {', '.join(sorted(known))})")

    def check_people(self) -> None:
        for i, p in self.parsed("people"):
            if p.contract_start and p.contract_end and p.contract_end < p.contract_start:
                self.error(join_path("people", i, "contract_end"),
                           f"Hợp đồng kết thúc ({p.contract_end}) trước khi bắt đầu ({p.contract_start}) / "
                           "contract ends before it starts")
            if p.max_shifts_per_week is not None and p.max_shifts_per_month is not None \
                    and p.max_shifts_per_month < p.max_shifts_per_week:
                self.warn(join_path("people", i, "max_shifts_per_month"),
                          "Tối đa/tháng nhỏ hơn tối đa/tuần / monthly maximum is below the weekly maximum")

    def check_patterns(self) -> None:
        known, kinds_by_role = self.roles()
        active = [p for _, p in self.parsed("people") if p.active]
        skills = {s for p in active for s in p.skills}
        languages = {lang for p in active for lang in p.languages}
        kinds = {p.kind for p in active}
        rules = self.objects.get("rules")
        allowed = rules.allowed_kinds if isinstance(rules, RulesSpec) else {}
        for i, loc in self.parsed("locations"):
            for j, pattern in enumerate(loc.shifts):
                base = join_path("locations", i, "shifts", j)
                for key in ("demand", "holiday_demand"):
                    demand = getattr(pattern, key)
                    if demand is None:
                        continue
                    for role, count in demand.items():
                        if role not in known:
                            self.error(join_path(base, key, role), f"Vai trò {role!r} không tồn tại / unknown role "
                                                                   f"(known: {', '.join(sorted(known))})")
                            continue
                        takers = kinds_by_role[role] & set(allowed.get(pattern.duty_type, {}).get(role, kinds))
                        if count and not takers & kinds:
                            self.warn(join_path(base, key, role), f"Không ai có thể nhận vai trò {role!r} / nobody "
                                                                  f"can take the role {role!r} on this shift")
                    if sum(demand.values()) == 0:
                        self.error(join_path(base, key), "Ca trực cần ít nhất một người / a shift needs at least "
                                                         "one person")
                if pattern.valid_from and pattern.valid_to and pattern.valid_to < pattern.valid_from:
                    self.error(join_path(base, "valid_to"), f"valid_to ({pattern.valid_to}) trước valid_from "
                                                            f"({pattern.valid_from}) / valid_to is before valid_from")
                for skill in pattern.required_skills:
                    if skill not in skills:
                        self.warn(join_path(base, "required_skills"),
                                  f"Không ai có kỹ năng {skill!r} / nobody active has the skill {skill!r}")
                for lang in pattern.required_languages:
                    if lang not in languages:
                        self.warn(join_path(base, "required_languages"),
                                  f"Không ai nói {lang!r} / nobody active speaks {lang!r}")

    def check_overrides(self) -> None:
        national = WorkCalendar()
        for i, o in self.parsed("holiday_overrides"):
            if (o.kind == "working_day") == national.is_working_day(o.day):
                what = "ngày làm việc" if o.kind == "working_day" else "ngày nghỉ"
                self.warn(join_path("holiday_overrides", i, "kind"),
                          f"{o.day} vốn đã là {what} / {o.day} already is a {o.kind.replace('_', ' ')}: no effect")

    def timezone(self) -> ZoneInfo:
        centre = self.objects.get("centre")
        return ZoneInfo(centre.timezone if isinstance(centre, CentreSpec) else "Asia/Ho_Chi_Minh")

    def check_unavailability(self) -> list[Leave]:
        tz = self.timezone()
        leaves = []
        for i, u in self.parsed("unavailability"):
            start_at = _instant(u.start, tz, end=False)
            end_at = _instant(u.end, tz, end=True)
            if end_at <= start_at:
                self.error(join_path("unavailability", i, "end"),
                           f"Kết thúc ({u.end}) không sau bắt đầu ({u.start}) / end is not after start")
                continue
            leaves.append(Leave(i, u, start_at, end_at))
        by_person: dict[str, list[Leave]] = defaultdict(list)
        for leave in leaves:
            by_person[leave.spec.person].append(leave)
        for person, own in by_person.items():
            own.sort(key=lambda x: (x.start_at, x.index))
            latest = own[0]
            for leave in own[1:]:
                if leave.start_at < latest.end_at:
                    self.error(join_path("unavailability", leave.index, "start"),
                               f"Trùng với unavailability[{latest.index}] của cùng người {person!r} / overlaps "
                               f"unavailability[{latest.index}] of the same person")
                if leave.end_at > latest.end_at:
                    latest = leave
        return sorted(leaves, key=lambda x: x.index)

    def check_preferences(self) -> None:
        for i, p in self.parsed("preferences"):
            if p.weekday is None and p.day is None and p.shift_type is None:
                self.error(join_path("preferences", i),
                           "Cần ít nhất một trong weekday, day, shift_type / name a weekday, a day or a shift type")
            elif p.day is not None and p.weekday is not None and p.day.weekday() != p.weekday:
                self.warn(join_path("preferences", i, "weekday"),
                          f"{p.day} không phải thứ {p.weekday + 2 if p.weekday < 6 else 'CN'} / {p.day} is not on "
                          "that weekday: the preference never matches")


def _instant(value: date | datetime, tz: ZoneInfo, *, end: bool) -> datetime:
    """A date means the whole local day: as a start, its midnight; as an end, the next midnight."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=tz)
    else:
        moment = datetime.combine(value + timedelta(days=1) if end else value, time(0), tzinfo=tz)
    return moment.astimezone(UTC)


def validate_centre_data(raw: Any) -> ValidCentre:
    """Check a parsed centre file; return it typed, or raise CentreFileError with every problem found."""
    if not isinstance(raw, Mapping):
        raise CentreFileError([Issue("", "Tệp phải là một đối tượng JSON {...} / the file must hold a JSON object")])
    checker = _Checker(raw)
    checker.parse_sections()
    checker.check_references()
    checker.check_head_office()
    checker.check_rules()
    checker.check_people()
    checker.check_patterns()
    checker.check_overrides()
    leaves = checker.check_unavailability()
    checker.check_preferences()
    warnings = sort_issues(checker.warnings)
    if checker.errors:
        raise CentreFileError(sort_issues(checker.errors), warnings)

    def section(name: str) -> list[Any] | None:
        return [entry for _, entry in checker.parsed(name)] if name in raw else None

    def dump(name: str) -> dict[str, Any] | None:
        obj = checker.objects.get(name)
        return obj.model_dump(mode="json", exclude_unset=True) if obj is not None else None

    centre = checker.objects["centre"]
    assert isinstance(centre, CentreSpec)
    return ValidCentre(
        centre=centre,
        rules=dump("rules"),
        weights=dump("weights"),
        branches=section("branches") or [],
        people=section("people") or [],
        locations=section("locations") or [],
        holiday_overrides=section("holiday_overrides"),
        unavailability=leaves if "unavailability" in raw else None,
        preferences=section("preferences"),
        warnings=warnings,
    )

