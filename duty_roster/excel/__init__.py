"""Excel workbooks of people and unavailability: centres keep these lists in Excel.

    data = excel.people.export(session, centre)                      # .xlsx bytes, Vietnamese headers
    report = excel.importing.import_people(session, centre, data)    # every bad row, what would change
    session.commit() if report.ok else session.rollback()           # all or nothing; a preview always rolls back

No Flask here: the web views (duty_roster/web/data_excel.py) word the error codes in the user's language.
"""

from duty_roster.excel import importing, people, unavailability
from duty_roster.excel.importing import Change, ImportReport
from duty_roster.excel.sheets import RowError

__all__ = ["Change", "ImportReport", "RowError", "importing", "people", "unavailability"]
