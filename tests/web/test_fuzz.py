"""No input, valid or not, makes the API answer with a 5xx (schemathesis, black box).

The server runs as `loket serve` in its own process on loopback, on the test database with
the demo data loaded, exactly as it runs for users.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.live import serving

EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def server(demo_data) -> Iterator[str]:
    with serving() as url:
        yield url


def operations(server: str):
    schema = schemathesis.openapi.from_url(f"{server}/schema/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
def test_no_input_makes_a_server_error(server, mode):
    """Schemathesis' strategies drive each operation (its pytest loader trips on pytest 9)."""
    checked = 0
    for operation in operations(server):

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def no_server_error(case):
            response = case.call()
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.text[:300]}"
            )
            if response.status_code >= 400 and case.formatted_path.startswith("/api"):
                assert {"code", "message"} <= set(response.json()), response.text[:300]

        try:
            no_server_error()
        except Unsatisfiable:
            # Only an operation without required input has nothing to get wrong.
            required = [p for p in operation.query if p.is_required]
            assert mode is GenerationMode.NEGATIVE, operation.label
            assert not (required or len(operation.path_parameters) or len(operation.body)), (
                operation.label
            )
            continue
        checked += 1
    assert checked >= 4
