"""sheetsync: keep a social-media ad campaign on schedule from inside its spreadsheet."""

from __future__ import annotations

from .errors import SheetsyncError

__version__ = "0.1.0"
__all__ = ["SheetsyncError", "__version__"]
