"""Why a single sign-on did not end in a session, each with a message the catalog translates.

Three kinds, so the web layer can answer 400, 403 or 503: the sign-in itself was broken or
tampered with, the provider vouched for someone Loket may not let in, or the provider could
not be used at all.
"""

from __future__ import annotations

from booking.domain.errors import N_, LoketError


class SsoError(LoketError):
    code = "sso_error"


class SsoRejected(SsoError):
    """The callback does not belong to a sign-in this browser started, or does not check out."""

    code = "sso_rejected"
    message = N_("This sign-in could not be completed. Please start again from the login page.")


class SsoRefused(SsoError):
    """The provider knows the person, but their groups do not give access to Loket."""

    code = "sso_refused"
    message = N_(
        "Your account at %(name)s does not give access to Loket. Ask your coordinator for access."
    )


class ConflictingRegions(SsoRefused):
    code = "sso_conflicting_regions"
    message = N_(
        "Your groups at %(name)s give you access to more than one region. Ask your coordinator"
        " to keep only one."
    )


class UnknownRegion(SsoRefused):
    code = "sso_unknown_region"
    message = N_(
        "Your groups at %(name)s name a region Loket does not know. Ask your coordinator to"
        " correct the role map."
    )


class EmailNotVerified(SsoRefused):
    code = "sso_email_not_verified"
    message = N_(
        "%(name)s did not confirm your e-mail address, which a first sign-in needs. Ask your"
        " coordinator."
    )


class SsoUnavailable(SsoError):
    """The provider cannot be reached, or does not name itself as configured."""

    code = "sso_unavailable"
    message = N_(
        "Signing in with %(name)s is not possible right now. Please try again later, or log in"
        " with your password."
    )
