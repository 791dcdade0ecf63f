"""SQLAlchemy 2 typed models, one module per aggregate. Import from here."""

from duty_roster.models.audit import AuditLog
from duty_roster.models.base import Base, utcnow
from duty_roster.models.centre import Branch, Centre, HolidayKind, HolidayOverride
from duty_roster.models.feeds import FeedKind, FeedToken
from duty_roster.models.jobs import JobStatus, SolveJob
from duty_roster.models.locations import DutyType, Location, LocationKind, PatternDays, ShiftPattern
from duty_roster.models.outbox import OutboxMessage, OutboxState
from duty_roster.models.people import Person, PersonKind, Preference, Unavailability, UnavailabilityReason
from duty_roster.models.rosters import Assignment, AssignmentSource, Roster, RosterStatus, Shift
from duty_roster.models.swaps import OPEN_SWAP_STATUSES, SwapRequest, SwapStatus
from duty_roster.models.users import ApiToken, Role, User, liaison_location

__all__ = [
    "OPEN_SWAP_STATUSES",
    "ApiToken",
    "Assignment",
    "AssignmentSource",
    "AuditLog",
    "Base",
    "Branch",
    "Centre",
    "DutyType",
    "FeedKind",
    "FeedToken",
    "HolidayKind",
    "HolidayOverride",
    "JobStatus",
    "Location",
    "LocationKind",
    "OutboxMessage",
    "OutboxState",
    "PatternDays",
    "Person",
    "PersonKind",
    "Preference",
    "Role",
    "Roster",
    "RosterStatus",
    "Shift",
    "ShiftPattern",
    "SolveJob",
    "SwapRequest",
    "SwapStatus",
    "Unavailability",
    "UnavailabilityReason",
    "User",
    "liaison_location",
    "utcnow",
]
