"""What the outbox keeps instead of capabilities: placeholders, filled in only at send time.

A stored SMS says ⟨link⟩ where the manage link goes and ⟨code⟩ where the SMS code goes.
The link is derived again from the appointment's salt and the secret key; the code is kept
sealed (booking/sealing.py) in the message's ``seed`` until the message is sent or given
up. A copy of the database, a subject-access export or a staff page then shows no working
link and no code.
"""

from __future__ import annotations

from booking import sealing
from booking.domain.policy import Policy

LINK = "⟨link⟩"
CODE = "⟨code⟩"
#: The sealing purpose of SMS codes kept in ``message.seed``.
CODE_PURPOSE = "sms-code"


def seal_code(policy: Policy, code: str) -> str:
    return sealing.seal(policy.secret, CODE_PURPOSE, CODE_PURPOSE, code)


def manage_link(policy: Policy, salt: str | None) -> str | None:
    """The appointment's manage link, derived again; None once its data is erased."""
    return policy.manage_url(policy.manage_token(salt)) if salt else None


def fill(policy: Policy, body: str, *, link: str | None, seed: str | None) -> str | None:
    """The text as it goes out, or None when it needs a secret that is gone."""
    if LINK in body:
        if link is None:
            return None
        body = body.replace(LINK, link)
    if CODE in body:
        if not seed:
            return None
        try:
            body = body.replace(
                CODE, sealing.unseal(policy.secret, CODE_PURPOSE, CODE_PURPOSE, seed)
            )
        except sealing.Unsealable:
            return None
    return body
