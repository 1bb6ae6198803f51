"""Results from the ad platforms' exports: read them (read.py, platforms.py) and append them (write.py).

`sheetsync import TARGET FILE…` and Workbook.import_results are the front ends.
"""

from .read import ExportFile, ImportedRow, read_export
from .write import ImportReport, run_import

__all__ = ["ExportFile", "ImportReport", "ImportedRow", "read_export", "run_import"]
