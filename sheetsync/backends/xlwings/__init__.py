"""The live-Excel backend: the workbook open in Excel, read and written through xlwings (imported only when used)."""

from .backend import XlwingsBookBackend

__all__ = ["XlwingsBookBackend"]
