"""Phone numbers as migrants type them, checked and stored in E.164, and masked for logs."""

import phonenumbers

from booking.domain.errors import InvalidPhone

#: Numbers without a country code are read as Dutch; +48, +40, +359, +380... are kept.
DEFAULT_REGION = "NL"
_TEXTABLE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def mobile_e164(raw: str) -> str:
    """The number in E.164 if it is a valid mobile number; InvalidPhone otherwise."""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhone("phone") from None
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _TEXTABLE
    ):
        raise InvalidPhone("phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(e164: str) -> str:
    """``+48601234567`` -> ``+48 *** *** 567``: enough for staff to recognise, not to dial."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "***"
    return f"+{number.country_code} *** *** {str(number.national_number)[-3:]}"
