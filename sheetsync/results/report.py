"""The import's answer at the terminal, in the book's language: one line per file, then each Problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import i18n
from ..contract import AD_PLATFORM
from ..i18n import _, n_

if TYPE_CHECKING:  # a sync names platforms (platform_name) without importing the import machinery
    from .write import ImportReport


def platform_name(key: str | None, lang: str) -> str:
    """Meta, TikTok, 巨量引擎… as the book's language names the platform."""
    if not key:
        return _("not recognised")
    return i18n.pick(lang, {"meta": "Meta", "tiktok": "TikTok", "oceanengine": "Ocean Engine",
                            "xiaohongshu": "Xiaohongshu Juguang", "tencent": "Tencent Ads"}.get(key, key),
                     AD_PLATFORM.get(key, key))


def render_import(report: ImportReport) -> str:
    """`Imported 7 rows from meta-2026-12.csv (Meta); 2 already there; 1 problem.` per file, then the problems."""
    with i18n.language(report.lang):
        lines = []
        for export in report.files:
            added = report.added.get(export.name, 0)
            name = platform_name(export.platform, report.lang)
            parts = [n_("Imported {count} row from {file} ({platform})",
                        "Imported {count} rows from {file} ({platform})", added,
                        count=added, file=export.name, platform=name)]
            already = report.already.get(export.name, 0)
            if already:
                parts.append(n_("{count} already there", "{count} already there", already, count=already))
            if export.problems:
                parts.append(n_("{count} problem", "{count} problems", len(export.problems),
                                count=len(export.problems)))
            lines.append(i18n.pick(None, "; ", "；").join(parts) + i18n.pick(None, ".", "。"))
        lines += [f"  {p}" for p in report.problems]
        if report.written and report.sync is not None and report.sync.problems:
            count = len(report.sync.problems)
            lines.append(n_("The sync after it found {count} problem in the workbook (sheetsync check lists it).",
                            "The sync after it found {count} problems in the workbook (sheetsync check lists them).",
                            count, count=count))
        elif not report.written and not any(report.added.values()):
            lines.append(_("Nothing new to add: the workbook is unchanged."))
        return "\n".join(lines)


__all__ = ["platform_name", "render_import"]
