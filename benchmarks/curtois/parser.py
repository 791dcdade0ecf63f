"""Reader for the Curtois & Qu shift-scheduling instances (text format, `InstanceN.txt`).

The format is described in `shared/benchmarks/curtois/README.md` §2. The parser is strict: an unknown section, a
malformed line or a reference to an unknown shift raises `InstanceFormatError` with the file and line number, so a
corrupted instance never silently becomes an easier problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DIR = "DUTY_ROSTER_CURTOIS_DIR"
SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


class InstanceFormatError(ValueError):
    """The instance file does not follow the documented text format."""


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...]  # shift types that may not be worked on the day after this one


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: dict[str, int]  # shift type -> max count over the horizon (0 = never)
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class Instance:
    name: str
    horizon: int  # number of days; day 0 is a Monday
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    days_off: dict[str, tuple[int, ...]]  # staff id -> days they must not work
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    def shift_type(self, shift_id: str) -> ShiftType:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


def default_dir() -> Path:
    """`$DUTY_ROSTER_CURTOIS_DIR`, else `shared/benchmarks/curtois` beside the checkout (as on CI and dev machines)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "benchmarks" / "curtois"


def instance_path(name_or_number: str | int, directory: Path | str | None = None) -> Path:
    """`3`, `"3"`, `"Instance3"` or a path to a file -> the file's path."""
    text = str(name_or_number)
    as_path = Path(text)
    if as_path.suffix == ".txt" and (as_path.is_file() or as_path.is_absolute() or len(as_path.parts) > 1):
        return as_path
    base = Path(directory) if directory is not None else default_dir()
    name = f"Instance{text}" if text.isdigit() else text
    return base / f"{name}.txt"


def load(name_or_number: str | int, directory: Path | str | None = None) -> Instance:
    path = instance_path(name_or_number, directory)
    return parse(path.read_text(encoding="ascii"), name=path.stem, source=str(path))


def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InstanceFormatError(f"{where}: expected an integer, got {text!r}") from None


def parse(text: str, name: str = "instance", source: str = "<string>") -> Instance:
    """Parse the text of one instance file."""
    lines: dict[str, list[tuple[int, str]]] = {s: [] for s in SECTIONS}
    current: str | None = None
    seen: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in lines:
                raise InstanceFormatError(f"{source}:{number}: unknown section {line}")
            if line in seen:
                raise InstanceFormatError(f"{source}:{number}: section {line} appears twice")
            seen.append(line)
            current = line
            continue
        if current is None:
            raise InstanceFormatError(f"{source}:{number}: data before the first section")
        lines[current].append((number, line))
    if tuple(seen) != SECTIONS:
        raise InstanceFormatError(f"{source}: sections {seen} differ from the expected {list(SECTIONS)}")

    horizon_lines = lines["SECTION_HORIZON"]
    if len(horizon_lines) != 1:
        raise InstanceFormatError(f"{source}: SECTION_HORIZON must hold exactly one number")
    horizon = _int(horizon_lines[0][1], f"{source}:{horizon_lines[0][0]}")

    shifts: list[ShiftType] = []
    for number, line in lines["SECTION_SHIFTS"]:
        where = f"{source}:{number}"
        fields = line.split(",")
        if len(fields) != 3:
            raise InstanceFormatError(f"{where}: expected ShiftID,LengthMinutes,CannotFollow")
        follow = tuple(f for f in fields[2].split("|") if f)
        shifts.append(ShiftType(fields[0], _int(fields[1], where), follow))
    shift_ids = {s.id for s in shifts}
    for s in shifts:
        unknown = set(s.cannot_follow) - shift_ids
        if unknown:
            raise InstanceFormatError(f"{source}: shift {s.id} cannot be followed by unknown shifts {sorted(unknown)}")

    def check_shift(shift_id: str, where: str) -> str:
        if shift_id not in shift_ids:
            raise InstanceFormatError(f"{where}: unknown shift {shift_id!r}")
        return shift_id

    def check_day(day: int, where: str) -> int:
        if not 0 <= day < horizon:
            raise InstanceFormatError(f"{where}: day {day} outside the horizon 0..{horizon - 1}")
        return day

    staff: list[Staff] = []
    for number, line in lines["SECTION_STAFF"]:
        where = f"{source}:{number}"
        fields = line.split(",")
        if len(fields) != 8:
            raise InstanceFormatError(f"{where}: expected 8 staff fields, got {len(fields)}")
        max_shifts: dict[str, int] = {}
        for pair in fields[1].split("|"):
            if not pair:
                continue
            sid, _, value = pair.partition("=")
            max_shifts[check_shift(sid, where)] = _int(value, where)
        staff.append(
            Staff(
                id=fields[0],
                max_shifts=max_shifts,
                max_total_minutes=_int(fields[2], where),
                min_total_minutes=_int(fields[3], where),
                max_consecutive_shifts=_int(fields[4], where),
                min_consecutive_shifts=_int(fields[5], where),
                min_consecutive_days_off=_int(fields[6], where),
                max_weekends=_int(fields[7], where),
            )
        )
    staff_ids = {s.id for s in staff}

    def check_staff(staff_id: str, where: str) -> str:
        if staff_id not in staff_ids:
            raise InstanceFormatError(f"{where}: unknown employee {staff_id!r}")
        return staff_id

    days_off: dict[str, tuple[int, ...]] = {s.id: () for s in staff}
    for number, line in lines["SECTION_DAYS_OFF"]:
        where = f"{source}:{number}"
        fields = line.split(",")
        sid = check_staff(fields[0], where)
        days_off[sid] = days_off[sid] + tuple(check_day(_int(f, where), where) for f in fields[1:] if f)

    def requests(section: str) -> tuple[Request, ...]:
        out: list[Request] = []
        for number, line in lines[section]:
            where = f"{source}:{number}"
            fields = line.split(",")
            if len(fields) != 4:
                raise InstanceFormatError(f"{where}: expected EmployeeID,Day,ShiftID,Weight")
            out.append(
                Request(
                    check_staff(fields[0], where),
                    check_day(_int(fields[1], where), where),
                    check_shift(fields[2], where),
                    _int(fields[3], where),
                )
            )
        return tuple(out)

    cover: list[Cover] = []
    for number, line in lines["SECTION_COVER"]:
        where = f"{source}:{number}"
        fields = line.split(",")
        if len(fields) != 5:
            raise InstanceFormatError(f"{where}: expected Day,ShiftID,Requirement,WeightUnder,WeightOver")
        cover.append(
            Cover(
                check_day(_int(fields[0], where), where),
                check_shift(fields[1], where),
                _int(fields[2], where),
                _int(fields[3], where),
                _int(fields[4], where),
            )
        )

    return Instance(
        name=name,
        horizon=horizon,
        shifts=tuple(shifts),
        staff=tuple(staff),
        days_off=days_off,
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=tuple(cover),
    )
