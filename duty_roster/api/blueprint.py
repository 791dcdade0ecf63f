"""The one API blueprint (kept apart so view modules and the policy decorators can import it without cycles)."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("api", __name__, url_prefix="/api/v1", tag="duty-roster")

# Path converter for database ids: positive and within a 32-bit INTEGER, so a huge id in a URL is a 404, not a
# database overflow error (500).
ID = "int(min=1, max=2147483647)"
