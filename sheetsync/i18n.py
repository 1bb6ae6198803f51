"""Messages in the workbook's language: gettext catalogues, one language active per call.

Every sentence sheetsync writes into a workbook or prints is an English message
wrapped in `_()` (or `n_()` when it counts something). The catalogues that turn
it into another language are standard gettext files a translator edits without
reading code: `sheetsync/locale/<lang>/*.po` (one file per part of the product),
compiled by `scripts/build-catalogues` (Babel) into
`sheetsync/locale/<lang>/LC_MESSAGES/sheetsync.mo`, which the standard library's
`gettext` reads at run time — no dependency beyond Python for users.

The language is the workbook's: `analyse` works it out (the `Language` setting,
else the language of the book's headers) and runs inside `language(lang)`; the
renderers do the same with the language a report carries. Words of the
workbook contract itself (headers, dropdown values, flags) are not messages:
they live in `contract.py`, because parsing must recognise both languages' words
whatever language is active.

Placeholders are named (`{task}`), filled by `_()` after translation, so a
translation may reorder them.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sheetsync"

_active: ContextVar[str] = ContextVar("sheetsync_language", default="")


def normalise(lang: object) -> str | None:
    """'zh', 'zh-CN', 'zh_CN.UTF-8', '中文', 'Chinese' → 'zh'; 'en…', 'English' → 'en'; anything else → None."""
    text = str(lang or "").strip().lower()
    if not text:
        return None
    if text.startswith(("zh", "中", "chinese", "汉", "简体")):
        return "zh"
    if text.startswith(("en", "英", "english")):
        return "en"
    return None


def environment_language() -> str:
    """The language of the person's terminal ($LC_ALL, $LC_MESSAGES, $LANG), for text before a book is read."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        lang = normalise(os.environ.get(name))
        if lang:
            return lang
    return DEFAULT


def current() -> str:
    """The active language: the one `language()` set, else the terminal's."""
    return _active.get() or environment_language()


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Make `lang` the active language inside the block (None or unknown: leave the active one)."""
    chosen = normalise(lang) or current()
    token = _active.set(chosen)
    try:
        yield chosen
    finally:
        _active.reset(token)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    except OSError:  # no compiled catalogue for this language: the English messages
        return gettext.NullTranslations()


def _(message: str, /, **params: object) -> str:
    """`message` in the active language, its {placeholders} filled from `params`."""
    text = _catalogue(current()).gettext(message)
    return text.format(**params) if params else text


def n_(singular: str, plural: str, n: int, /, **params: object) -> str:
    """The singular or plural message for `n` in the active language; `{n}` and `params` filled in."""
    text = _catalogue(current()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def N_(message: str, /) -> str:
    """Mark a message for the catalogues without translating it now (tables defined at import time)."""
    return message


def translate(message: str, /, **params: object) -> str:
    """Translate a message marked with `N_` (same as `_`, named apart so extraction skips the variable)."""
    return _(message, **params)


def pick(lang: str | None, en: str, zh: str) -> str:
    """One of a contract word's two spellings for `lang` (default: the active language)."""
    return zh if (normalise(lang) or current()) == "zh" else en
