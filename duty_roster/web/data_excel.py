"""Excel import and export of people and absences (duty_roster.excel): download, template, upload -> preview ->
confirm.

The uploaded workbook waits between preview and confirmation in a file under the instance folder, named by a random
token kept in the (signed) session cookie, never in the cookie itself. Preview and confirmation run the same import;
the preview always rolls back, and confirmation commits only when no row is bad (all or nothing).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from duty_roster import clock
from duty_roster.excel import importing
from duty_roster.excel import people as people_sheet
from duty_roster.excel import unavailability as leave_sheet
from duty_roster.excel.sheets import RowError
from duty_roster.extensions import db
from duty_roster.web.data import bp, can, centre, user
from duty_roster.web.validation_messages import describe

MAX_BYTES = 5 * 1024 * 1024
KEEP_SECONDS = 24 * 3600  # pending uploads older than this are removed
SESSION_KEY = "data_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS: dict[str, Any] = {"people": people_sheet, "unavailability": leave_sheet}
KIND_NAMES = {"people": lazy_gettext("People"), "unavailability": lazy_gettext("Absences")}
FILE_NAMES = {"people": "nguoi-truc", "unavailability": "lich-vang"}
ACTIONS = {"create": lazy_gettext("New"), "update": lazy_gettext("Changed"), "unchanged": lazy_gettext("Unchanged")}
CHOICES = {"Loại": people_sheet.KIND_LABELS, "Lý do": leave_sheet.REASON_LABELS}


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _clean_old(folder: Path) -> None:
    limit = clock.utcnow().timestamp() - KEEP_SECONDS  # mtimes are set from the same clock (excel_upload)
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:  # removed by another request meanwhile
            pass


def _kind(kind: str) -> Any:
    if kind not in SHEETS:
        raise NotFound()
    return SHEETS[kind]


def _pending() -> tuple[dict[str, Any], Path] | None:
    """The upload waiting for confirmation, if it belongs to this centre and its file is still there."""
    info = session.get(SESSION_KEY)
    if not isinstance(info, dict) or info.get("centre") != centre().id or info.get("kind") not in SHEETS:
        return None
    token = str(info.get("token", ""))
    if not token.isalnum():
        return None
    path = _folder() / f"{token}.xlsx"
    return (info, path) if path.is_file() else None


def _discard() -> None:
    pending = _pending()
    session.pop(SESSION_KEY, None)
    if pending is not None:
        pending[1].unlink(missing_ok=True)


@bp.get("/excel")
@can("person.write")
def excel() -> str:
    return render_template("data/excel.html", kinds=KIND_NAMES, pending=_pending())


@bp.get("/excel/<kind>.xlsx")
@can("person.write")
def excel_export(kind: str) -> Response:
    data = _kind(kind).export(db.session, centre())
    return _download(data, f"{FILE_NAMES[kind]}-{centre().code}.xlsx")


@bp.get("/excel/<kind>-template.xlsx")
@can("person.write")
def excel_template(kind: str) -> Response:
    return _download(_kind(kind).template(), f"{FILE_NAMES[kind]}-mau.xlsx")


def _download(data: bytes, name: str) -> Response:
    import io

    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name, max_age=0)


def _upload_error(code: str) -> tuple[str, int]:
    flash(describe(code), "error")
    return render_template("data/excel.html", kinds=KIND_NAMES, pending=_pending()), 400


@bp.post("/excel/import")
@can("person.write")
def excel_upload() -> Any:
    kind = request.form.get("kind", "")
    _kind(kind)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_error("no_file")
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return _upload_error("file_too_large")
    if not data:
        return _upload_error("no_file")
    _discard()
    folder = _folder()
    _clean_old(folder)
    token = secrets.token_hex(16)
    path = folder / f"{token}.xlsx"
    path.write_bytes(data)
    stamp = clock.utcnow().timestamp()
    os.utime(path, (stamp, stamp))  # its age is measured on the product's clock, not the file system's
    session[SESSION_KEY] = {"token": token, "kind": kind, "name": Path(upload.filename).name[:100],
                            "centre": centre().id}
    return redirect(url_for("data.excel_preview"))


def _run(info: dict[str, Any], path: Path) -> importing.ImportReport:
    return importing.IMPORTERS[info["kind"]](db.session, centre(), path.read_bytes(), user=user(),
                                             filename=info.get("name", ""))


def _reason(error: RowError) -> str:
    text = describe(error.code, error.message, row=error.row)
    if error.code == "choice" and error.column in CHOICES:
        text += " (" + ", ".join(CHOICES[error.column].values()) + ")"
    return text


def _preview_page(info: dict[str, Any], report: importing.ImportReport, status: int = 200) -> tuple[str, int]:
    errors = [(e, _reason(e)) for e in sorted(report.errors, key=lambda e: (e.row, e.column))]
    return render_template("data/excel_preview.html", info=info, report=report, errors=errors,
                           kind_name=KIND_NAMES[info["kind"]], actions=ACTIONS), status


@bp.get("/excel/preview")
@can("person.write")
def excel_preview() -> Any:
    pending = _pending()
    if pending is None:
        flash(_("No file is waiting: upload it again."), "warning")
        return redirect(url_for("data.excel"))
    info, path = pending
    try:
        report = _run(info, path)
    finally:
        db.session.rollback()  # a preview never writes
    return _preview_page(info, report)


@bp.post("/excel/confirm")
@can("person.write")
def excel_confirm() -> Any:
    pending = _pending()
    if pending is None:
        flash(_("No file is waiting: upload it again."), "warning")
        return redirect(url_for("data.excel"))
    info, path = pending
    report = _run(info, path)
    if not report.ok:
        db.session.rollback()
        flash(_("Nothing was imported: the file has errors."), "error")
        return _preview_page(info, report, 422)
    db.session.commit()
    _discard()
    flash(_("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            created=report.count("create"), updated=report.count("update"), unchanged=report.count("unchanged")),
          "success")
    return redirect(url_for("data.people" if info["kind"] == "people" else "data.unavailability"))


@bp.post("/excel/cancel")
@can("person.write")
def excel_cancel() -> Response:
    _discard()
    flash(_("Import cancelled; nothing was written."), "info")
    return redirect(url_for("data.excel"))
