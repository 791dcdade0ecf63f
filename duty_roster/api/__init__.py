"""The JSON API under /api/v1, with its OpenAPI 3 document at /api/v1/openapi.json and a docs page at /api/v1/docs.

Why APIFlask (3.1) and not flask-smorest: APIFlask 3 validates requests with **pydantic models** through its schema
adapters (`apiflask.schema_adapters.pydantic`) and builds the OpenAPI document from the same models, so the API
reuses the centre-file specs (`duty_roster.centre_file.schema`: PersonSpec, LocationSpec, UnavailabilitySpec ...)
as they are: one definition of "a valid person" for the file loader, the API and its documentation. flask-smorest
speaks marshmallow only, which would mean a second, drifting copy of every rule. APIFlask is also a Flask subclass,
so the application factory, blueprints and CLI stay the Flask way (`create_app` builds an `APIFlask`).

Layout: `auth` (who is calling: Bearer token or browser session), `policy` (what each role may do, and tenancy:
objects of another centre are 404), `problems` (RFC 9457 JSON errors naming the field), `schemas` (request models),
one module per area for the views. Views are thin: parse, call a use case (`duty_roster.centre_data`,
`duty_roster.rostering`, `duty_roster.solve_jobs`, `duty_roster.on_duty`, `duty_roster.duty_report`), render.
"""

from __future__ import annotations

from flask import Flask

from duty_roster.api.blueprint import bp

API_TITLE = "duty-roster API"
API_VERSION = "1"
SPEC_PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/v1/docs"


def register(app: Flask) -> None:
    from duty_roster.api import (  # noqa: F401  (importing a module registers its views on `bp`)
        adjust,
        auth,
        centres,
        confirmations,
        feeds,
        locations,
        on_duty,
        people,
        problems,
        reports,
        rosters,
        swaps,
        wishes,
    )

    problems.register(app)
    auth.configure(app)
    app.register_blueprint(bp)
