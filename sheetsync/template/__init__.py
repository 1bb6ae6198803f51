"""Making a new campaign workbook: the layout every format shares, and one builder per format.

    layout    what a new campaign holds: sheets' headers and notes, widths, validations, flag colours, start content
    demo      the demo campaign's content (plain data)
    xlsx      builds .xlsx/.xlsm files with XlsxWriter (``build_workbook``, ``write_campaign``)
    xlsm      the VBA project and buttons of a macro-enabled workbook
    gsheets   creates a Google Sheet (``create_campaign_sheet``) through the Google backend's client

``gsheets`` is not imported here, so that building an Excel file never loads
the Google libraries: import ``sheetsync.template.gsheets`` for it.
"""

from __future__ import annotations

from .layout import (
    COMPUTED_NOTE,
    LANGUAGES,
    LEGEND,
    RACI_NOTE,
    campaign_content,
)
from .xlsx import TEMPLATE_CREATED, build_workbook, write_campaign

__all__ = [
    "COMPUTED_NOTE",
    "LANGUAGES",
    "LEGEND",
    "RACI_NOTE",
    "TEMPLATE_CREATED",
    "build_workbook",
    "campaign_content",
    "write_campaign",
]
