"""Results from the ad platforms' exports: read them (read.py, platforms.py) and append them (write.py).

`sheetsync import TARGET FILE…` and Workbook.import_results are the front ends. A sync only names
the platforms (results/report.py), so the readers and the writer are imported on first use
(sheetsync.lazy): importing them with the package was 20 ms of every Sync now click.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

if TYPE_CHECKING:
    from .read import ExportFile, ImportedRow, read_export
    from .write import ImportReport, run_import

__getattr__ = lazy_attributes(__name__, {
    "ExportFile": "read", "ImportedRow": "read", "read_export": "read", "ImportReport": "write", "run_import": "write",
})

__all__ = ["ExportFile", "ImportReport", "ImportedRow", "read_export", "run_import"]
