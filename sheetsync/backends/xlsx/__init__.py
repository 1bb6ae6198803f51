"""The Excel file backend: an .xlsx/.xlsm on disk, read in one pass and patched in place, no Excel needed.

    backend.py         XlsxFileBackend: read, write, hold the lock from one to the other
    package.py         the zip package: workbook map, parts, damaged-file errors
    read.py            the package streamed into a RawWorkbook
    styles.py          which number formats are dates; adding a date style to styles.xml
    cell_rules.py      what a value becomes in a <c> element: both patchers decide through it
    patch.py           the tree patcher: any well-formed sheet, as an lxml tree
    stream_grammar.py  the byte grammar of rows and cells the streaming patcher works in
    stream.py          the streaming patcher: ordinary sheets, without holding a tree
    write.py           which parts change, and the new package copied member by member
    safe_save.py       atomic replace with a backup beside it, only if the file is still the one read
    locks.py           the sync lock beside the workbook; Excel's and LibreOffice's lock files

Excel's date serials (1900 and 1904 systems) are sheetsync/serials.py, outside
this package: parse.cells reads them too, and the command line must not load a
backend to parse a date.
"""

from .backend import XlsxFileBackend, open_xlsx

__all__ = ["XlsxFileBackend", "open_xlsx"]
