"""Text made safe for one line of a message: a subject, a header, a table cell.

Apart from model.py (the digest's dataclasses) so that a sync's printed summary
(report_text.py) can use it without building the digest's classes.
"""

from __future__ import annotations

import re

# C0/C1 controls, DEL, and Unicode line/paragraph separators: none may reach a header line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")


def one_line(text: str) -> str:
    """A header-safe single line: control characters (CR, LF, tab...) become spaces.

    The composer writes one-line subjects with it and the renderer applies it again to
    every header and table cell: header injection ("\\r\\nBcc: ...") from text copied
    out of a sheet cannot get through either.
    """
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
