"""Writing and reading one simple table per workbook: a header row of Vietnamese column names, one record a row.

The column names are the file format (like the centre file's keys), so they stay Vietnamese whatever the
interface language: a workbook exported in English still imports.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 5000  # a centre has a few hundred people; more is a wrong file
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


@dataclass(frozen=True)
class Column:
    field: str  # the centre-file field (PersonSpec / UnavailabilitySpec), or "" for informative columns
    header: str
    width: int = 16
    required: bool = False  # the header must be present
    kind: str = "text"  # text, date, moment (date or date-time), phone


@dataclass(frozen=True)
class RowError:
    """One problem: `row` as Excel numbers it (1 is the header row), the column's header, and a `code` the web
    layer words in the user's language; `message` is the bilingual detail from the rules, when there is one."""

    row: int
    column: str
    field: str
    code: str
    message: str = ""
    value: str = ""


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, Any]  # field -> raw cell value, for the columns present
    time_shown: dict[str, bool]  # field -> the cell's number format shows a time of day


class SheetError(ValueError):
    """The file as a whole cannot be read (not an .xlsx file, no header, a required column missing)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.row}:{e.column}:{e.code}" for e in errors))


def write(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *,
          notes: Sequence[tuple[str, str]] = ()) -> bytes:
    """An .xlsx with a bold, frozen header row; dates shown dd/mm/yyyy (date-times with hh:mm).
    `notes` (column header, how to fill it in) become a second sheet "Hướng dẫn"."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT if cell.value.time() != datetime.min.time() else DATE_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                cell.number_format = "@"  # phone numbers and codes stay text when edited
                if cell.value.startswith("="):
                    cell.data_type = "s"  # typed text (a note "=1+1"), never a formula Excel would run
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = column.width
    sheet.freeze_panes = "A2"
    if notes:
        guide = book.create_sheet("Hướng dẫn")
        guide.append(["Cột", "Cách nhập"])
        for cell in guide[1]:
            cell.font = Font(bold=True)
        for header, note in notes:
            guide.append([header, note])
        guide.column_dimensions["A"].width = 22
        guide.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_key(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def read(data: bytes, columns: Sequence[Column]) -> list[SheetRow]:
    """The data rows of the first sheet, by column field; blank rows skipped. Raises SheetError for a file that
    is not a workbook, lacks a required column or has too many rows."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise SheetError([RowError(0, "", "", "file")]) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SheetError([RowError(0, "", "", "file")])
        lines = sheet.iter_rows()
        header = next(lines, None)
        if header is None:
            raise SheetError([RowError(1, "", "", "no_header")])
        by_header = {_header_key(c.header): c for c in columns}
        positions: dict[int, Column] = {}
        for index, cell in enumerate(header):
            column = by_header.get(_header_key(cell.value))
            if column is not None and column not in positions.values():
                positions[index] = column
        missing = [c for c in columns if c.required and c not in positions.values()]
        if missing:
            raise SheetError([RowError(1, c.header, c.field, "missing_column") for c in missing])
        rows: list[SheetRow] = []
        for number, line in enumerate(lines, start=2):
            values: dict[str, Any] = {}
            shown: dict[str, bool] = {}
            for index, column in positions.items():
                cell = line[index] if index < len(line) else None
                value = getattr(cell, "value", None)
                values[column.field or column.header] = value
                shown[column.field or column.header] = "h" in str(getattr(cell, "number_format", "") or "").lower()
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise SheetError([RowError(number, "", "", "too_many_rows")])
            rows.append(SheetRow(number, values, shown))
        return rows
    finally:
        book.close()
