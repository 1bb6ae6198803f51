"""The one exception root: everything sheetsync raises to a caller derives from SheetsyncError.

Third-party errors (openpyxl, lxml, gspread, google-auth, requests, xlwings,
smtplib) are translated where they enter, with `raise ... from exc`. The whole
tree, each class with the module it lives in:

    SheetsyncError            sheetsync.errors
        TargetError           sheetsync.errors
        WorkbookLockedError   sheetsync.errors
        WriteError            sheetsync.errors
            SheetMovedError   sheetsync.errors
        UsageError            sheetsync.errors
        CellError             sheetsync.parse.cells             (also a ValueError)
        UnknownCountryError   sheetsync.engine.calendar         (also a ValueError)
        CalendarRangeError    sheetsync.engine.calendar         (also a ValueError)
        RulePackError         sheetsync.engine.compliance_pattern
        RenderError           sheetsync.digest.render
        LedgerError           sheetsync.digest.ledger

Internal: control flow inside one module's job, caught there and never raised
to a caller, so they are not SheetsyncErrors:

    NotStreamable   sheetsync.backends.xlsx.stream_grammar  the streaming patcher hands a sheet to the tree patcher
    GaveUp          sheetsync.backends.gsheets.transport    retries ran out; a gspread APIError so gspread passes it
                                                            on, and google_errors translates it with the rest
    ArgumentsRejected   sheetsync.cli_parser                argparse refused the command line; main()
                                                            prints why (as JSON too with --json), exits 2
    _Failure        sheetsync.digest.smtp                   one failed SMTP attempt; the delivery loop retries or
                                                            records it
    _NoAnswer       sheetsync.chat.post                     a webhook's answer did not arrive in time; the post
                                                            loop reports that the digest may have been posted
    UnknownPlaceholder  sheetsync.engine.compliance_grammar  a pattern names an unknown {NAME}; compliance_pattern
                                                            raises a RulePackError naming the pack and rule
    Refused         sheetsync.serve.app                     a request the service refuses (401, 409, 429…); the
                                                            route answers it as {"error": "<one line>"}
    TooLarge        sheetsync.serve.limits                  a request body over --max-body; the app answers 413
"""

from __future__ import annotations

from collections.abc import Callable


class SheetsyncError(Exception):
    """Base of every error sheetsync raises; its message is one line a person can act on.

    An error raised before the workbook's language is known may carry `reword`, which
    words the message again in the active language, and `lang`, the book's language
    once sheetsync has found it: a front end prints the error in that language.
    """

    def __init__(self, *args: object, reword: Callable[[], str] | None = None) -> None:
        super().__init__(*args)
        self.reword = reword
        self.lang: str | None = None

    def __str__(self) -> str:
        return self.reword() if self.reword is not None else super().__str__()


class TargetError(SheetsyncError):
    """The workbook cannot be opened: missing, unreadable, not a workbook."""


class WorkbookLockedError(SheetsyncError):
    """The workbook is busy: open in Excel or LibreOffice (without --force), or another sync kept it locked."""


class WriteError(SheetsyncError):
    """Saving the workbook failed; the previous file is untouched."""


class SheetMovedError(WriteError):
    """The sheet changed between sheetsync's read and its write; nothing was written: read and plan again."""


class UsageError(SheetsyncError):
    """A command-line or API argument is invalid (bad date, unknown language...)."""
