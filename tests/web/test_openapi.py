"""The OpenAPI tells the truth (issue 10): the staff API's Bearer scheme on each of its
routes and on no public one, the one error shape, and the statuses each route can answer.
Whether the answers really stay inside what is documented is tests/web/test_fuzz.py's part."""

from booking.web.openapi import BEARER

STAFF_API = ("/api/staff/", "/api/handovers", "/api/feeds", "/api/busy-sources")


async def test_staff_routes_need_the_bearer_scheme_and_public_ones_do_not(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["components"]["securitySchemes"][BEARER] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The token from POST /api/staff/login (a staff session).",
    }
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    for path, method, operation in operations:
        staff = path.startswith(STAFF_API) and path != "/api/staff/login"
        assert (operation.get("security") == [{BEARER: []}]) is staff, (method, path)
        if staff:
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


async def test_every_error_is_the_problem_shape(client):
    schema = (await client.get("/schema/openapi.json")).json()
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"code", "message", "field"}
    assert "ValidationException" not in str(schema) and "status_code" not in str(schema)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            errors = {s: r for s, r in operation["responses"].items() if s.startswith("4")}
            assert "422" in errors, (method, path)
            for status, response in errors.items():
                media = response.get("content", {}).get("application/json")
                if media:  # the webhooks' and /metrics' own 403 have no JSON body
                    assert media["schema"] == {"$ref": "#/components/schemas/Problem"}, (
                        method, path, status,
                    )  # fmt: skip
    appointments = schema["paths"]["/api/appointments"]["post"]["responses"]
    assert {"400", "404", "409", "413", "422", "429"} <= set(appointments)
    cancel = schema["paths"]["/api/handovers/{appointment_id}/cancel"]["post"]["responses"]
    assert {"401", "403", "404", "409", "422"} <= set(cancel)
