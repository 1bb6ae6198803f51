"""Who a campaign Google Sheet is shared with: `--share` addresses checked first, then one Drive permission each.

Every address is checked with the Team's email rule (``email_address``) before
anything is created, so a typo costs nothing. When Google refuses a share after
``init --gsheet`` created the sheet, the sheet is deleted again: it belongs to
the service account, nobody else could open it, and running init again (the
obvious next step) would otherwise leave a second, orphaned copy. Only when
that delete fails too is the sheet left, and the message gives its address and
the command that shares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..backends.gsheets.client import GOOGLEAPIS_BASE, CallContext, GoogleClient, google_errors, sheet_url
from ..email_address import address_problem
from ..errors import SheetsyncError, TargetError, UsageError
from ..i18n import _

__all__ = ["share_addresses", "share_sheet"]

_LIST = re.compile(r"[,;]")


def share_addresses(values: Iterable[str]) -> list[str]:
    """The addresses in ``--share`` values (each repeatable and comma-separated), each one checked; no repeats."""
    found: dict[str, str] = {}
    for value in values:
        for part in _LIST.split(value):
            address = part.strip()
            if not address:
                continue
            problem = address_problem(address)
            if problem is not None:
                raise UsageError(
                    _("--share {address}: {problem}; {fix}.", address=address, problem=problem.problem, fix=problem.fix)
                )
            found.setdefault(address.lower(), address)
    return list(found.values())


def share_sheet(client: GoogleClient, key: str, addresses: Sequence[str], *, created: bool) -> None:
    """Make each address an Editor (Google emails them the link); a ``created`` sheet is deleted again on failure."""
    url = sheet_url(key)
    context = CallContext(url, key, client.account_email, client.key_file, "share")
    shared: list[str] = []
    for email in addresses:
        try:
            with google_errors(context):
                client.http_client.request(
                    "post",
                    f"{GOOGLEAPIS_BASE}/drive/v3/files/{key}/permissions",
                    params={"sendNotificationEmail": "true", "supportsAllDrives": "true"},
                    json={"type": "user", "role": "writer", "emailAddress": email},
                )
        except SheetsyncError as err:
            raise _share_failed(client, key, email, shared, err, created=created) from err
        shared.append(email)


def _share_failed(
    client: GoogleClient, key: str, email: str, shared: list[str], err: SheetsyncError, *, created: bool
) -> TargetError:
    url = sheet_url(key)
    if not created:
        return TargetError(
            _(
                "{url} is laid out, but sharing it with {email} failed: {error} "
                "Share it from Google Sheets' Share button instead.",
                url=url, email=email, error=err,
            )
        )
    try:
        with google_errors(CallContext(url, key, client.account_email, client.key_file, "edit")):
            client.http_client.request(
                "delete", f"{GOOGLEAPIS_BASE}/drive/v3/files/{key}", params={"supportsAllDrives": "true"}
            )
    except SheetsyncError as failed:
        return TargetError(
            _(
                "Sharing the new Google Sheet with {email} failed: {error} The sheet exists at {url}, owned by "
                "{account}, and deleting it failed too ({failed}). Do not run init --gsheet again (that makes a "
                "second sheet); share this one with: sheetsync init gsheet:{key} --share YOUR@ADDRESS",
                email=email, error=err, url=url, account=client.account_email, failed=failed, key=key,
            )
        )
    gone = (
        _(" {people} got Google's invitation to it, which now leads nowhere.", people=", ".join(shared))
        if shared else ""
    )
    return TargetError(
        _(
            "Sharing the new Google Sheet with {email} failed: {error} The sheet was deleted again, so nothing "
            "is left behind and running init again makes no second copy.{gone} Give another address, or ask "
            "your Google Workspace admin to allow sharing with it, then run init again.",
            email=email, error=err, gone=gone,
        )
    )
