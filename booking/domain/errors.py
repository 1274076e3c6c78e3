"""What can go wrong for a caller, each with a stable code and a message the catalog translates.

The web layer maps each class to an HTTP status in one place (booking/web/errors.py) and
renders ``message`` in the caller's language with ``params`` filled in.
"""

from __future__ import annotations

from typing import Any, ClassVar


def N_(message: str) -> str:
    """Marks ``message`` for the catalog; translated later, in the reader's language."""
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural form for the catalog (the extractor knows this name);
    the form is chosen later by the ``num`` parameter, in the reader's language."""
    return singular, plural


class LoketError(Exception):
    """Base of every error a user or client may see."""

    code: ClassVar[str] = "error"
    message: ClassVar[str] = N_("Something went wrong. Please try again.")
    #: The plural of ``message`` when it shows a number (the ``num`` parameter).
    plural: ClassVar[str | None] = None

    def __init__(self, field: str | None = None, **params: Any) -> None:
        super().__init__(f"{self.code}{f' ({field})' if field else ''}")
        self.field = field
        self.params = params


class NotAuthenticated(LoketError):
    """What was given does not prove who is asking (a password, a code): 401, on the pages
    and in the API alike."""

    code = "not_authenticated"
    message = N_("Please log in first.")


class NotFound(LoketError):
    code = "not_found"
    message = N_("We could not find what you asked for.")


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"
    message = N_("This link is not valid any more. The appointment may have been removed.")


class InvalidInput(LoketError):
    code = "invalid_input"
    message = N_("Please check what you entered.")


class UnknownPoint(InvalidInput):
    code = "unknown_point"
    message = N_("This information point does not exist or does not take appointments.")


class UnknownTopic(InvalidInput):
    code = "unknown_topic"
    message = N_("This topic does not exist.")


class NoSuchTopic(NotFound):
    """A page's URL names a topic that does not exist: the page is not there (404)."""

    code = UnknownTopic.code
    message = UnknownTopic.message


class NoSuchPoint(NotFound):
    """A page's URL names a point that does not exist or is not the reader's: 404."""

    code = UnknownPoint.code
    message = UnknownPoint.message


class UnsupportedLanguage(InvalidInput):
    code = "unsupported_language"
    message = N_("We cannot offer appointments in this language.")


class InvalidPhone(InvalidInput):
    code = "invalid_phone"
    message = N_("Please enter a mobile phone number that can receive text messages.")


class InvalidDateRange(InvalidInput):
    code = "invalid_date_range"
    message = N_("Please choose dates from today up to %(days)s days ahead.")


class DateOutOfRange(InvalidInput):
    code = "date_out_of_range"
    message = N_("Please choose a date between %(first)s and %(last)s.")


class Unstorable(InvalidInput):
    """NUL and other control characters: PostgreSQL refuses NUL, and no input needs them."""

    code = "unstorable"
    message = N_("What you entered contains characters that cannot be stored. Please remove them.")


class TooDeep(InvalidInput):
    code = "too_deep"
    message = N_("Please check what you entered.")


class InvalidTime(InvalidInput):
    code = "invalid_time"
    message = N_("Please give the time with its time zone.")


class SlotNotOffered(InvalidInput):
    code = "slot_not_offered"
    message = N_("This time cannot be booked. Please choose one of the times offered.")


class Conflict(LoketError):
    code = "conflict"
    message = N_("This changed in the meantime. Please try again.")


class SlotTaken(Conflict):
    code = "slot_taken"
    message = N_("Someone has just booked this time. Please choose another time.")


class AppointmentClosed(Conflict):
    code = "appointment_closed"
    message = N_("This appointment can no longer be changed.")


class WrongCode(InvalidInput):
    """``num``: how many more wrong codes the hold allows."""

    code = "wrong_code"
    message, plural = ngettext(
        "This code is not right. Please check the text message and try again: %(num)d try left.",
        "This code is not right. Please check the text message and try again: %(num)d tries left.",
    )


class HoldEnded(Conflict):
    code = "hold_ended"
    message = N_("The time to enter the code has ended. Please choose a time again.")


class OfferEnded(Conflict):
    """A time offered from the waiting list is no longer kept (let pass, taken, or left)."""

    code = "offer_ended"
    message = N_(
        "This time is no longer kept for you. If you are still on the waiting list, we will"
        " text you when another time comes free."
    )


class CodeTriesUsedUp(HoldEnded):
    """The last wrong code a hold allows (``num``: how many it allows): the hold has ended."""

    code = "code_tries_used_up"
    message, plural = ngettext(
        "The code was wrong %(num)d time. The time is no longer kept for you: please choose a"
        " time again.",
        "The code was wrong %(num)d times. The time is no longer kept for you: please choose a"
        " time again.",
    )


class LimitReached(LoketError):
    """A limit against abuse; answered with 429."""

    code = "limit_reached"
    message = N_("Too many requests. Please try again later.")


class TooManyAppointments(LimitReached):
    code = "too_many_appointments"
    message = N_(
        "This number has reached the most appointments it can have (%(limit)s)."
        " Please cancel one before booking another."
    )


class TooManyCodes(LimitReached):
    code = "too_many_codes"
    message = N_("We have sent too many codes to this number. Please try again in an hour.")


class TooManyHolds(LimitReached):
    code = "too_many_holds"
    message = N_("Too many bookings from this connection. Please try again in an hour.")


class Busy(LoketError):
    """The server is at its limit for this kind of work; answered with 503 and
    Retry-After."""

    code = "busy"
    message = N_("Too many requests. Please try again later.")


class UnknownAgency(InvalidInput):
    code = "unknown_agency"
    message = N_("This partner organisation does not exist or takes no handovers.")


class TopicNotHandled(InvalidInput):
    code = "topic_not_handled"
    message = N_("This partner organisation does not handle this topic.")


class NoInterpreter(InvalidInput):
    code = "no_interpreter"
    message = N_("No interpreter works in this language in this way (on site, phone or video).")


class UnknownConsultant(InvalidInput):
    code = "unknown_consultant"
    message = N_("Choose a consultant of this region.")


class MovedByConsultant(Conflict):
    code = "moved_by_consultant"
    message = N_(
        "This appointment with a partner organisation can only be moved by your consultant."
        " Please contact the information point."
    )


class NotStartedYet(Conflict):
    code = "not_started_yet"
    message = N_("What happened can be recorded once the appointment has begun.")


class InvitationChanged(Conflict):
    code = "invitation_changed"
    message = N_(
        "This invitation has changed since it was sent. Please use the link in the latest e-mail."
    )


class LinkExpired(NotFound):
    code = "link_expired"
    message = N_("This link is not valid any more.")


class PhoneInNote(InvalidInput):
    code = "phone_in_note"
    message = N_("Please leave phone numbers out of the note: it is shared with the agency.")


class HandoverCancelled(Conflict):
    code = "handover_cancelled"
    message = N_("This warm handover has been cancelled. There is nothing to answer any more.")


class UnknownInterpreter(InvalidInput):
    code = "unknown_interpreter"
    message = N_("This interpreter does not exist.")


class AgencyOrInterpreter(InvalidInput):
    code = "agency_or_interpreter"
    message = N_("Choose either a partner organisation or an interpreter.")


class InvalidCalendarUrl(InvalidInput):
    code = "invalid_calendar_url"
    message = N_("Please give the calendar's web address, starting with https://.")


class UnknownPlace(InvalidInput):
    code = "unknown_place"
    message = N_("This partner organisation has no such place.")


class NoEmail(InvalidInput):
    code = "no_email"
    message = N_(
        "%(names)s has no e-mail address and would get no invitation."
        " Please add one under staff or partner organisations first."
    )


class ConsultantNotAtPoint(InvalidInput):
    code = "consultant_not_at_point"
    message = N_("This consultant does not work at this information point.")


class VideoOnlyAgency(InvalidInput):
    code = "video_only_agency"
    message = N_("This partner organisation meets only by video. Please choose “By video”.")


class OnSiteAtVideo(InvalidInput):
    code = "on_site_at_video"
    message = N_("At a video handover the interpreter cannot be on site. Choose phone or video.")


class InvalidWeek(InvalidInput):
    code = "invalid_week"
    message = N_("Please give a week as its year and number, for example 2026-W49.")


class KioskLinkInvalid(NotFound):
    code = "kiosk_link_invalid"
    message = N_("This kiosk link does not work any more. Please ask at the desk.")


class AlreadyCalled(Conflict):
    code = "already_called"
    message = N_("This number has already been called.")


class EntryClosed(Conflict):
    """A number marked served before it was called, or ended twice: the queue moved on."""

    code = "queue_entry_closed"


class QueueEmpty(Conflict):
    code = "queue_empty"
    message = N_("Nobody is waiting in the queue.")
