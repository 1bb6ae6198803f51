"""The detailed digest's timeline picture: a small Gantt chart drawn with Pillow, as PNG bytes.

Email clients show an inline PNG everywhere (SVG and canvas are stripped by
most of them), so the timeline is a bitmap. Its words (legend, `today`,
`launch`, flag names) are in the active language — the digest's. ASCII labels
use Pillow's built-in font; labels with other characters (a Chinese legend
or task name)
use a CJK font already on the machine (Noto Sans CJK, WenQuanYi, Droid
fallback, PingFang, Microsoft YaHei; or $SHEETSYNC_CJK_FONT), nothing is
downloaded. Without one the picture falls back to English labels rather than
boxes. The same bars give the same bytes: the picture is part of a message
whose Message-ID is stable, and tests compare it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from .. import i18n
from ..contract import FLAG_BY_NAME, FLAG_COLOURS, OK, PICTURE_OK_COLOURS, TIMELINE_FLAGS, flag_label, flag_rank
from ..i18n import _
from .model import GanttBar

MAX_ROWS = 40  # beyond this an inline picture gets too tall to read on a phone

ROW_HEIGHT = 18
LABEL_WIDTH = 64  # the label column with IDs alone
NAMED_LABEL_WIDTH = 190  # with task names: about 30 Latin or 15 Chinese characters before the cut
MARGIN = 10
AXIS_HEIGHT = 22
PLANNED_COLOUR = (150, 150, 150)
TODAY_COLOUR = (31, 78, 121)
LAUNCH_COLOUR = (0, 97, 0)
LATE_LAUNCH_COLOUR = (192, 0, 0)
GRID_COLOUR = (230, 230, 230)
TEXT_COLOUR = (40, 40, 40)
WHITE = (255, 255, 255)
FONT_SIZE = 11
CJK_FONT_ENV = "SHEETSYNC_CJK_FONT"
# Where common systems keep a font with Chinese glyphs (Debian/Ubuntu fonts-noto-cjk first: scripts/test installs it).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
Font = ImageFont.ImageFont | ImageFont.FreeTypeFont


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def flag_colours(flag: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(fill, outline) for a flag: the workbook's own row colours, so the picture matches the sheet."""
    fill, font = FLAG_COLOURS.get(flag, PICTURE_OK_COLOURS)
    return _rgb(fill), _rgb(font)


def most_urgent(bars: Sequence[GanttBar], limit: int = MAX_ROWS) -> list[GanttBar]:
    """The bars worth a row when there are too many: overdue and at risk first, then by due date.

    The survivors keep the order the composer gave them (the Timeline's order),
    so the picture still reads top to bottom like the sheet.
    """
    if len(bars) <= limit:
        return list(bars)

    def rank(index: int) -> tuple[tuple[int, str], dt.date, int]:
        bar = bars[index]  # the contract's urgency order; a word that is no flag counts as OK
        return flag_rank(bar.flag if bar.flag in FLAG_BY_NAME else OK), bar.due, index

    kept = sorted(sorted(range(len(bars)), key=rank)[:limit])
    return [bars[i] for i in kept]


def _ascii(text: str) -> str:
    """Pillow's built-in font has no CJK glyphs: anything else becomes '?' rather than a box."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)


def _fit(text: str, font: Font, width: int, cut: str = "~") -> str:
    """Shorten a label to the label column, marking the cut (so a cut ID is not mistaken for another ID)."""
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + cut) > width:
        text = text[:-1]
    return text.rstrip() + cut


def row_label(bar: GanttBar) -> str:
    """What a row is called: its ID and task name ("T3 Internal review"), as in the Timeline sheet."""
    return f"{bar.id} {' '.join(bar.name.split())}".strip()


def _font() -> Font:
    # Pillow >= 10.1 bundles a small scalable font; older ones fall back to the bitmap font.
    try:
        return ImageFont.load_default(size=FONT_SIZE)
    except TypeError:  # pragma: no cover - Pillow < 10.1
        return ImageFont.load_default()


@cache
def cjk_font() -> ImageFont.FreeTypeFont | None:
    """A font that draws Chinese, from $SHEETSYNC_CJK_FONT or the usual system places; None when there is none.

    In a .ttc collection the Simplified Chinese face is chosen (Noto's `… CJK SC`), so
    glyphs take the mainland shapes.
    """
    for path in filter(None, (os.environ.get(CJK_FONT_ENV), *CJK_FONTS)):
        if not os.path.isfile(path):
            continue
        faces = []
        for index in range(10):
            try:
                faces.append(ImageFont.truetype(path, FONT_SIZE, index=index))
            except OSError:
                break
        if faces:
            return next((f for f in faces if f.getname()[0].endswith(" SC")), faces[0])
    return None


def _is_ascii(text: str) -> bool:
    return all(" " <= c <= "~" for c in text)


def _labels(bars: Sequence[GanttBar], hidden: int) -> tuple[dict[str, str], Font, bool]:
    """The picture's words in the active language, a font that draws them, and whether it is ASCII only.

    Without a CJK font a non-English legend would be boxes: the words fall back to English.
    """
    def words() -> dict[str, str]:
        out = {flag: flag_label(flag) for flag in TIMELINE_FLAGS}
        out |= {"today": _("today"), "launch": _("launch"), "projected launch": _("projected launch"),
                "no tasks": _("no tasks"), "more": _("+{n} more", n=hidden)}
        return out

    labels = words()
    if all(_is_ascii(text) for text in [*labels.values(), *(row_label(bar) for bar in bars)]):
        return labels, _font(), True
    font = cjk_font()
    if font is not None:
        return labels, font, False
    with i18n.language("en"):
        return words(), _font(), True


def _tick_step(span_days: int) -> int:
    """Days between axis labels: a 'nice' step giving at most ~7 labels."""
    for step in (1, 2, 7, 14, 28, 56, 91, 182, 364):
        if span_days / step <= 7:
            return step
    return 364


def _legend_items(labels: dict[str, str]) -> list[tuple[str, tuple[int, int, int], tuple[int, int, int]]]:
    return [(labels[flag], *flag_colours(flag)) for flag in TIMELINE_FLAGS]


PICTURES_KEPT = 8  # a run draws one or two pictures per book (and language): enough for any run, small


_pictures: dict[tuple[object, ...], bytes] = {}


def clear_picture_cache() -> None:
    """Forget the pictures drawn so far (tests count draws)."""
    _pictures.clear()


def drawn_once(kind: str, key: tuple[object, ...], draw: Callable[[], bytes]) -> bytes:
    """The PNG for `key` in the active language, drawn the first time and shared after.

    Every detailed digest of a book shows the same timeline and burn-down: a
    50-person team gets them drawn once, not once per person. The key holds
    everything the bytes depend on (the bars or figures, the language, the CJK
    font setting), so a shared picture is the very one a fresh draw would give.
    """
    full = (kind, i18n.current(), os.environ.get(CJK_FONT_ENV), *key)
    png = _pictures.get(full)
    if png is None:
        if len(_pictures) >= PICTURES_KEPT:
            _pictures.pop(next(iter(_pictures)))
        png = _pictures[full] = draw()
    return png


def gantt_png(
    bars: Sequence[GanttBar],
    *,
    today: dt.date,
    launch: dt.date | None,
    projected_launch: dt.date | None,
    width: int = 720,
) -> bytes:
    """The timeline picture (see _draw_gantt), drawn once for the same bars, dates and language."""
    return drawn_once("gantt", (tuple(bars), today, launch, projected_launch, width),
                      lambda: _draw_gantt(bars, today=today, launch=launch, projected_launch=projected_launch,
                                          width=width))


def _draw_gantt(
    bars: Sequence[GanttBar],
    *,
    today: dt.date,
    launch: dt.date | None,
    projected_launch: dt.date | None,
    width: int = 720,
) -> bytes:
    """Draw the timeline picture: planned start→due per task, the projected due in its flag colour, today and launch.

    Each row has a thin grey bar for the plan and, under it, a bar to the
    projected due in the flag's colour (a milestone is a diamond at each date
    instead). A vertical line marks today, another the launch, and a dashed
    red one the projected launch when it is later than the launch.
    """
    shown = most_urgent(bars)
    hidden = len(bars) - len(shown)
    words, font, ascii_only = _labels(shown, hidden)
    plain = _ascii if ascii_only else str

    dates = [today]
    for bar in shown:
        dates += [bar.start, bar.due, bar.projected]
    dates += [d for d in (launch, projected_launch) if d is not None]
    first = min(dates) - dt.timedelta(days=1)
    last = max(dates) + dt.timedelta(days=1)
    span = max((last - first).days, 1)

    label_width = NAMED_LABEL_WIDTH if any(bar.name for bar in shown) else LABEL_WIDTH
    cut = "..." if ascii_only else "…"  # Pillow's built-in font has no ellipsis glyph
    plot_left = MARGIN + label_width
    plot_right = width - MARGIN
    plot_width = max(plot_right - plot_left, 1)

    def x_of(day: dt.date) -> int:
        return plot_left + round((day - first).days * plot_width / span)

    # Legend: wrapped onto as many lines as the width needs.
    legend: list[list[tuple[str, tuple[int, int, int], tuple[int, int, int] | None]]] = [[]]
    items: list[tuple[str, tuple[int, int, int], tuple[int, int, int] | None]] = [
        (label, fill, outline) for label, fill, outline in _legend_items(words)
    ]
    items += [(words["today"], TODAY_COLOUR, None), (words["launch"], LAUNCH_COLOUR, None)]
    if launch is not None and projected_launch is not None and projected_launch > launch:
        items.append((words["projected launch"], LATE_LAUNCH_COLOUR, None))
    line_width = MARGIN
    for item in items:
        item_width = 16 + round(font.getlength(item[0])) + 12
        if line_width + item_width > width - MARGIN and legend[-1]:
            legend.append([])
            line_width = MARGIN
        legend[-1].append(item)
        line_width += item_width

    rows_top = MARGIN + AXIS_HEIGHT
    rows_bottom = rows_top + max(len(shown), 1) * ROW_HEIGHT
    more_height = ROW_HEIGHT if hidden else 0
    legend_top = rows_bottom + more_height + 8
    height = legend_top + len(legend) * 16 + MARGIN

    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    # Axis: tick labels on top, faint grid lines down through the rows.
    step = _tick_step(span)
    tick = first + dt.timedelta(days=1)
    if step >= 7:  # weekly and longer steps start on a Monday, as planners count weeks
        tick += dt.timedelta(days=(7 - tick.weekday()) % 7)
    while tick <= last:
        x = x_of(tick)
        draw.line([(x, rows_top - 4), (x, rows_bottom)], fill=GRID_COLOUR)
        label = f"{tick.month}/{tick.day}"
        label_width = font.getlength(label)
        draw.text((min(max(x - label_width / 2, plot_left), plot_right - label_width), MARGIN), label,
                  fill=TEXT_COLOUR, font=font)
        tick += dt.timedelta(days=step)
    draw.line([(plot_left, rows_top - 4), (plot_right, rows_top - 4)], fill=PLANNED_COLOUR)

    if not shown:
        draw.text((plot_left + 4, rows_top + 3), words["no tasks"], fill=TEXT_COLOUR, font=font)

    for row, bar in enumerate(shown):
        top = rows_top + row * ROW_HEIGHT
        middle = top + ROW_HEIGHT // 2
        fill, outline = flag_colours(bar.flag)
        label = _fit(plain(row_label(bar)), font, label_width - 6, cut if bar.name else "~")
        draw.text((MARGIN, top + 3), label, fill=TEXT_COLOUR, font=font)
        if bar.milestone:
            _diamond(draw, x_of(bar.due), middle, 5, fill=WHITE, outline=PLANNED_COLOUR)
            _diamond(draw, x_of(bar.projected), middle, 5, fill=fill, outline=outline)
            continue
        start_x = x_of(bar.start)
        draw.rectangle([start_x, middle - 5, max(x_of(bar.due), start_x + 1), middle - 2], fill=PLANNED_COLOUR)
        draw.rectangle([start_x, middle, max(x_of(bar.projected), start_x + 1), middle + 5], fill=fill, outline=outline)

    # Date lines go over the bars so they stay visible where a bar crosses them.
    _vertical(draw, x_of(today), rows_top - 4, rows_bottom, TODAY_COLOUR, dashed=False)
    if launch is not None:
        _vertical(draw, x_of(launch), rows_top - 4, rows_bottom, LAUNCH_COLOUR, dashed=False)
    if projected_launch is not None and (launch is None or projected_launch > launch):
        _vertical(draw, x_of(projected_launch), rows_top - 4, rows_bottom, LATE_LAUNCH_COLOUR, dashed=True)

    if hidden:
        draw.text((MARGIN, rows_bottom + 3), words["more"], fill=TEXT_COLOUR, font=font)

    for line_number, line in enumerate(legend):
        x = MARGIN
        y = legend_top + line_number * 16
        for label, colour, outline in line:
            if outline is None:
                draw.line([(x + 5, y + 1), (x + 5, y + 11)], fill=colour, width=2)
            else:
                draw.rectangle([x, y + 2, x + 11, y + 10], fill=colour, outline=outline)
            draw.text((x + 16, y), label, fill=TEXT_COLOUR, font=font)
            x += 16 + round(font.getlength(label)) + 12

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)  # no timestamps or text chunks: same bars, same bytes
    return out.getvalue()


def _diamond(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, *, fill: tuple[int, int, int],
             outline: tuple[int, int, int]) -> None:
    draw.polygon([(x, y - r), (x + r, y), (x, y + r), (x - r, y)], fill=fill, outline=outline)


def _vertical(draw: ImageDraw.ImageDraw, x: int, top: int, bottom: int, colour: tuple[int, int, int], *,
              dashed: bool) -> None:
    if not dashed:
        draw.line([(x, top), (x, bottom)], fill=colour, width=2)
        return
    for y in range(top, bottom, 8):
        draw.line([(x, y), (x, min(y + 4, bottom))], fill=colour, width=2)
