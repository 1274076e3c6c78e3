"""Logging staff in from tests: the login form with its CSRF token, or a Bearer token for the API.

Every test that needs a logged-in staff member goes through these, so a change to how staff
log in (a second factor, say) is made once here.
"""

import re

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def log_in(client, email: str, password: str = PASSWORD):
    form = await client.get("/staff/login")
    token = CSRF.search(form.text).group(1)
    return await client.post(
        "/staff/login",
        data={"_csrf_token": token, "email": email, "password": password, "next": "/staff/"},
    )


async def csrf(client, url: str = "/staff/login") -> str:
    return CSRF.search((await client.get(url)).text).group(1)


async def api_token(client, email: str) -> dict[str, str]:
    response = await client.post("/api/staff/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
