"""Translated names the roster grid shows: roster statuses, location and person kinds, roles, fairness measures and
the hard rules (by their stable names from the validator and the solver's explanations); short names and numbers."""

from __future__ import annotations

from flask_babel import lazy_gettext

from duty_roster.models import LocationKind, Person, PersonKind, RosterStatus
from duty_roster.rostering.fairness import ASSISTANTS, DUTY
from duty_roster.web.i18n import locale_code

STATUS_LABELS = {
    RosterStatus.DRAFT: lazy_gettext("draft"),
    RosterStatus.PUBLISHED: lazy_gettext("published"),
    RosterStatus.SUPERSEDED: lazy_gettext("superseded"),
}
KIND_LABELS = {
    LocationKind.COURT: lazy_gettext("Courts"),
    LocationKind.INVESTIGATION: lazy_gettext("Investigation agencies"),
    LocationKind.DETENTION: lazy_gettext("Detention facilities"),
    LocationKind.ONLINE_HEARING_POINT: lazy_gettext("Online hearing points"),
}
KIND_ORDER = tuple(KIND_LABELS)
PERSON_KIND_LABELS = {
    PersonKind.OFFICER: lazy_gettext("legal-aid officer"),
    PersonKind.LAWYER: lazy_gettext("contracted lawyer"),
    PersonKind.ASSISTANT: lazy_gettext("duty assistant"),
}
GROUP_LABELS = {DUTY: lazy_gettext("Duty staff"), ASSISTANTS: lazy_gettext("Assistants")}
ROLE_LABELS = {"duty": lazy_gettext("duty"), "assistant": lazy_gettext("assistant")}
MEASURE_LABELS = {
    "nights": lazy_gettext("Nights"), "weekends": lazy_gettext("Weekend days"),
    "holidays": lazy_gettext("Holiday days"), "sessions": lazy_gettext("Sessions"),
}
# Rule names of the validator (solver/validate.py) and of the explanations (solver constraint names).
RULE_LABELS = {
    "unknown_person": lazy_gettext("Unknown person"),
    "unknown_shift": lazy_gettext("Unknown shift"),
    "duplicate_assignment": lazy_gettext("Already assigned to this shift"),
    "one_role_per_shift": lazy_gettext("Only one role per shift"),
    "over_coverage": lazy_gettext("More people than the shift needs"),
    "coverage": lazy_gettext("Already on this shift"),
    "eligibility": lazy_gettext("Not eligible for this shift"),
    "role_not_held": lazy_gettext("Does not take this role"),
    "kind_not_allowed": lazy_gettext("This kind of person may not take this duty"),
    "area_not_served": lazy_gettext("Does not serve this area"),
    "missing_skill": lazy_gettext("Lacks a required skill"),
    "missing_language": lazy_gettext("Does not speak a required language"),
    "outside_contract": lazy_gettext("Outside the contract dates"),
    "unavailable": lazy_gettext("On leave or otherwise unavailable"),
    "unavailability": lazy_gettext("On leave or otherwise unavailable"),
    "locked": lazy_gettext("A locked assignment would be lost"),
    "no_overlap": lazy_gettext("Already on an overlapping shift"),
    "minimum_rest": lazy_gettext("Too little rest between shifts"),
    "rest_after_long_shift": lazy_gettext("Must rest after a long on-call shift"),
    "max_shifts_per_day": lazy_gettext("Too many shifts in one day"),
    "forbidden_successions": lazy_gettext("Forbidden sequence of shifts"),
    "max_consecutive_nights": lazy_gettext("Too many nights in a row"),
    "capacity": lazy_gettext("Weekly or monthly shift limit reached"),
    "max_shifts_per_week": lazy_gettext("Weekly shift limit reached"),
    "max_shifts_per_month": lazy_gettext("Monthly shift limit reached"),
    "max_shifts_per_type": lazy_gettext("Limit for this kind of shift reached"),
    "total_minutes": lazy_gettext("Total working time out of bounds"),
    "min_total_minutes": lazy_gettext("Total working time too low"),
    "max_total_minutes": lazy_gettext("Total working time too high"),
    "max_consecutive_days": lazy_gettext("Too many days in a row"),
    "min_consecutive_days": lazy_gettext("Too few days in a row"),
    "min_consecutive_days_off": lazy_gettext("Too few days off in a row"),
    "max_weekends": lazy_gettext("Too many weekends"),
    "not_proven": lazy_gettext("Could have taken it (the solver stopped early)"),
    "not_checked": lazy_gettext("Not checked (time budget used up)"),
    "time_limit": lazy_gettext("The solver ran out of time"),
}


def rule_label(rule: str) -> str:
    label = RULE_LABELS.get(rule)
    return str(label) if label is not None else rule


def in_language(message: str) -> str:
    """Our use cases write "tiếng Việt / English": keep the half of the current language."""
    vi, sep, en = message.partition(" / ")
    if not sep:
        return message
    return en if locale_code() == "en" else vi


def short_name(person: Person) -> str:
    """"Nguyễn Văn An" → "N.V. An": initials of the family and middle names, then the given name."""
    parts = person.full_name.split()
    if len(parts) < 2:
        return person.full_name or person.code
    return "".join(f"{p[0].upper()}." for p in parts[:-1]) + " " + parts[-1]


def number(value: float) -> str:
    """12 / 12,5 / 0,75 (Vietnamese decimal comma; a point in English)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale_code() == "vi" else text
