"""What the service says when it refuses a request: one line a person can act on, in their language.

The language is the sheet's once the service has read it and the token opens it (a Chinese
book gets Chinese errors even before it is read again), else the caller's Accept-Language
(zh… → Chinese): a stranger is not told which language, so not whether, a sheet is served.
No message ever repeats the Authorization header or a token: the caller's side of a
request is never echoed back.
"""

from __future__ import annotations

from .. import i18n
from ..i18n import _

ENDPOINTS = "POST /v1/sheets/KEY/sync, /check, /digest or /lint; GET /healthz"


def accepted_language(header: str | None) -> str:
    """The caller's language from Accept-Language: zh… → zh, anything else English.

    The first tag with a non-zero quality wins (RFC 9110 §12.5.4; browsers list the
    preferred one first).
    """
    for part in (header or "").split(","):
        tag, _sep, params = part.strip().partition(";")
        if params.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        lang = i18n.normalise(tag.strip().lower().split("-")[0])
        if lang:
            return lang
        if tag.strip():
            return "en"
    return "en"


def no_token() -> str:
    return _(
        "This request carries no token: in the sheetsync menu's Settings, paste the token the administrator "
        "issued for this sheet (sheetsync serve token add KEY)."
    )


def unknown_token(key: str) -> str:
    return _(
        "This token is not valid (mistyped or revoked); ask the administrator for a new one: "
        "sheetsync serve token add {key}",
        key=key,
    )


def other_sheet(key: str) -> str:
    return _(
        "This token belongs to another sheet; ask the administrator for this sheet's own: "
        "sheetsync serve token add {key}",
        key=key,
    )


def not_found() -> str:
    return _("No such address on this service; use {endpoints}.", endpoints=ENDPOINTS)


def not_a_key(key: str) -> str:
    return _("{key} is not a Google Sheet's key; use /v1/sheets/KEY/…, KEY the part of the sheet's address "
             "after /d/.", key=_shown(key))


def wrong_method(method: str, allowed: str) -> str:
    return _("{method} is not allowed at this address; use {allowed}.", method=method, allowed=allowed)


def too_large(limit: int) -> str:
    return _("The request is larger than {kib} KiB; send fewer cells at a time.", kib=max(1, limit // 1024))


def rate_limited(seconds: int) -> str:
    return _("Too many requests with this sheet's token; try again in {seconds} s.", seconds=seconds)


def slow_body(seconds: float) -> str:
    return _("The request's body did not arrive within {seconds} s; check the connection and try again.",
             seconds=format(seconds, "g"))


def busy(seconds: float) -> str:
    return _(
        "This sheet is busy: another sync, check or digest of it did not finish within {seconds} s; "
        "try again in a moment.",
        seconds=format(seconds, "g"),
    )


def busy_lint(seconds: float) -> str:
    return _(
        "This sheet's copy is being checked already: that check did not finish within {seconds} s; "
        "try again in a moment.",
        seconds=format(seconds, "g"),
    )


def not_json(error: str) -> str:
    return _("The request body is not a JSON object ({error}); send {{}} or an object such as "
             '{{"today": "2026-11-27"}}.', error=error)


def not_unicode() -> str:
    return _("The request body holds text that is not Unicode (an escape such as \\ud800 alone); send the text "
             "as it is, in UTF-8.")


def bad_today(value: object) -> str:
    return _('"today" is {value}, not a date; write it as YYYY-MM-DD, such as 2026-11-27.', value=_shown(value))


def today_out_of_range(value: str, first: int, last: int) -> str:
    return _('"today" is {value}: sheetsync\'s calendar covers the years {first}–{last}; send a date in them, '
             "such as 2026-11-27.", value=_shown(value), first=first, last=last)


def bad_dry_run(value: object) -> str:
    return _('"dry_run" is {value}; write true or false.', value=_shown(value))


def bad_cells() -> str:
    return _('"cells" must be a list of {"cell": "Reviews!H2", "text": "the copy"} objects.')  # no params: as is


def internal() -> str:
    return _("The service failed unexpectedly; its log says why. Try again, or tell the administrator.")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
