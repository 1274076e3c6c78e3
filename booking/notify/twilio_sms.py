"""Sending SMS through Twilio with the official SDK, asynchronously.

TWILIO_API_BASE_URL points the SDK at Twilio or at a compatible server (tests, staging).
Errors are recorded by HTTP status and Twilio code only: Twilio's own error messages can
quote the phone number, which must never reach a log or the database.
"""

from __future__ import annotations

import logging

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from booking.notify.sms import SendError
from booking.settings import Settings

#: Twilio codes after which retrying cannot help: invalid, unreachable or not a mobile number,
#: no permission for the country, unsubscribed.
PERMANENT_CODES = frozenset({21211, 21214, 21408, 21610, 21612, 21614, 30003, 30005, 30006})
UNSUBSCRIBED = 21610
TIMEOUT_SECONDS = 10

# The SDK logs every request at INFO; Loket's logs stay about Loket.
logging.getLogger("twilio").setLevel(logging.WARNING)


class TwilioSender:
    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self._http = AsyncTwilioHttpClient(timeout=TIMEOUT_SECONDS)
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self._http
        )
        self._client.api.base_url = settings.twilio_api_base_url
        self._sender = (
            {"messaging_service_sid": settings.twilio_messaging_service_sid}
            if settings.twilio_messaging_service_sid
            else {"from_": settings.twilio_from}
        )
        self._callback = f"{settings.public_base_url}/webhooks/twilio/status"

    async def send(self, to: str, body: str, *, kind: str) -> str:
        return await self.create(to=to, body=body)

    async def create(self, **fields: str) -> str:
        """One message with these fields (to, body or content) from this sender."""
        try:
            message = await self._client.messages.create_async(
                status_callback=self._callback, **self._sender, **fields
            )
        except TwilioRestException as error:
            raise classify(error) from None
        except (TimeoutError, aiohttp.ClientError, TwilioException) as error:
            raise SendError(f"transport: {type(error).__name__}", permanent=False) from None
        return message.sid

    async def close(self) -> None:
        await self._http.close()


def classify(error: TwilioRestException) -> SendError:
    """Whether Twilio's answer is worth retrying: 429, 5xx and auth problems are temporary."""
    code = error.code if isinstance(error.code, int) else None
    reason = f"twilio {error.status}" + (f" code {code}" if code else "")
    temporary = error.status in (401, 403, 408, 429) or error.status >= 500
    permanent = not temporary and (code in PERMANENT_CODES or 400 <= error.status < 500)
    return SendError(reason, permanent=permanent, opted_out=code == UNSUBSCRIBED)
