"""Backends turn a workbook into raw cells and write computed cells back; they never compute.

One subpackage a kind of workbook, as httpx keeps its transports:

    base.py     the Backend protocol sync needs (SelectionBackend: one with a selection), and open_backend
    xlsx/       an .xlsx/.xlsm file on disk (no Excel needed)
    gsheets/    a Google Sheet through the Sheets API
    xlwings/    the workbook open in Excel, through xlwings

Each subpackage loads its third-party library only when it is used.
"""

from .base import Backend, SelectionBackend, open_backend

__all__ = ["Backend", "SelectionBackend", "open_backend"]
