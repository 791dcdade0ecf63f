"""The centre file: one JSON document describing a whole centre (docs/centre-file.md), its validation and loader.

    from duty_roster.centre_file import CentreFileError, load_centre_file
    summary = load_centre_file(db.session, "config/demo/centre.json")   # raises CentreFileError listing every error
    db.session.commit()                                                # the caller owns the transaction
"""

from duty_roster.centre_file.issues import CentreFileError, Issue
from duty_roster.centre_file.load import Counts, LoadSummary, load_centre_data, load_centre_file, read_centre_file
from duty_roster.centre_file.validate import ValidCentre, validate_centre_data

__all__ = [
    "CentreFileError",
    "Counts",
    "Issue",
    "LoadSummary",
    "ValidCentre",
    "load_centre_data",
    "load_centre_file",
    "read_centre_file",
    "validate_centre_data",
]
