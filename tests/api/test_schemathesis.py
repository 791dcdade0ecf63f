"""Property-based fuzzing of every operation in the OpenAPI document with schemathesis, in process (WSGI), as the
director of a populated centre: valid and invalid inputs (wrong types, missing fields, odd ids, huge numbers) must
never produce a 5xx (the `not_a_server_error` check).

A small number of examples per operation and mode keeps it under a minute on two busy cores; failures are gathered
per operation (without shrinking, which would cost minutes) and reported together with the request that failed.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402

from tests.api.conftest import World  # noqa: E402

MAX_EXAMPLES = 15  # per operation and generation mode


def _run_operation(world: World, operation: Any, mode: Any, failures: list[str], statuses: Counter[int]) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['director']}"}

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label} [{mode.value}]: {case.as_curl_command(headers)}\n  -> "
                            f"{response.status_code} {response.text[:300]} ({type(exc).__name__})")

    with contextlib.suppress(Unsatisfiable):  # negative mode on an operation without parameters: nothing to break
        run()


@pytest.mark.db
def test_no_endpoint_answers_with_a_server_error(world: World) -> None:
    # Repair solves inside the request: keep every solve tiny.
    settings_ = world.app.config["SETTINGS"]
    world.app.config["SETTINGS"] = dataclasses.replace(settings_, SOLVER_TIME_LIMIT=0.3, SOLVER_WORKERS=1)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", world.app)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _run_operation(world, operation, mode, failures, statuses)
    assert operations >= 30, operations
    assert not failures, "\n".join(failures[:20])
    # The fuzzing reached the views as the director (not just the authentication in front of them).
    print(sorted(statuses.items()))
    assert sum(n for code, n in statuses.items() if 200 <= code < 300) >= operations // 2, statuses
    assert sum(n for code, n in statuses.items() if code in (400, 404, 409, 422)) >= operations, statuses
