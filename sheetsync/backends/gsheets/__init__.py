"""The Google Sheets backend.

    address.py    a sheet's ID from any address a browser shows (pure text)
    client.py     service-account credentials, Google's errors in sheetsync's words
    transport.py  every HTTP call: timeouts, retries, one deadline per call (SHEETSYNC_GOOGLE_TIMEOUT)
    values.py     cell values to and from the API: ExtendedValue and CellData, Sheets' date serials, fingerprints
    backend.py    GoogleSheetsBackend: one read of every tab, one guarded write

Creating a campaign spreadsheet is template content: sheetsync.template.gsheets.
"""

from .backend import GoogleSheetsBackend, open_gsheet

__all__ = ["GoogleSheetsBackend", "open_gsheet"]
