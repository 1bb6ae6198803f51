"""The detailed digest's burn-down picture: spend against the plan over the flight, as PNG bytes (Pillow).

Drawn beside the timeline picture (chart.py) with the same tooling and the
same rules: an inline PNG every mail client shows, words in the digest's
language (a CJK font from the machine, else English), and the same numbers
give the same bytes. The x axis is the flight (its start through its end);
the y axis is money. Four marks: the plan — a straight grey line from 0 at the
start to the budget at the end (even spending) —, the budget as a horizontal
line, what was spent so far (cumulative, blue), and the forecast — a dashed
line from today's spend to the forecast at the end, red when it ends above
the budget, green when within. A vertical line marks today.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from .. import i18n
from ..i18n import _
from .chart import (
    GRID_COLOUR,
    LATE_LAUNCH_COLOUR,
    LAUNCH_COLOUR,
    PLANNED_COLOUR,
    TEXT_COLOUR,
    TODAY_COLOUR,
    WHITE,
    Font,
    _font,
    _is_ascii,
    cjk_font,
    drawn_once,
)

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 86, 12, 14, 44
# The timeline picture's palette (chart.py), so the two pictures of one digest read alike.
PLAN_COLOUR = PLANNED_COLOUR
BUDGET_COLOUR = (90, 90, 90)
SPENT_COLOUR = TODAY_COLOUR
OVER_COLOUR = LATE_LAUNCH_COLOUR
WITHIN_COLOUR = LAUNCH_COLOUR


@dataclass(frozen=True)
class BurnDown:
    """What the picture shows: the flight, the budget, the spend so far (cumulative, by day) and the forecast."""

    start: dt.date
    end: dt.date
    budget: float
    spent: tuple[tuple[dt.date, float], ...]  # (day, cumulative spend through it), in date order
    forecast: float
    today: dt.date
    symbol: str = ""


def _words() -> dict[str, str]:
    return {"plan": _("plan"), "budget": _("budget"), "spent": _("spent"), "forecast": _("forecast"),
            "today": _("today")}


def _labels(symbol: str) -> tuple[dict[str, str], Font, bool]:
    """The words, a font that draws them and the symbol, and whether that font draws more than ASCII."""
    words = _words()
    if all(_is_ascii(w) for w in (*words.values(), symbol)):
        return words, _font(), False
    font = cjk_font()
    if font is not None:
        return words, font, True
    with i18n.language("en"):
        return _words(), _font(), False


def _short(value: float, symbol: str, wide: bool) -> str:
    """An axis label: ¥12K, ¥1.2M; 1.2万 in Chinese. Without a font for it, the symbol is left out (ASCII only)."""
    sign = symbol if wide or _is_ascii(symbol) else ""
    units = ((1e8, "亿"), (1e4, "万")) if wide and i18n.current() == "zh" else ((1e6, "M"), (1e3, "K"))
    for unit, word in units:
        if abs(value) >= unit:
            return f"{sign}{value / unit:.1f}".removesuffix(".0") + word
    return f"{sign}{value:.0f}"


def _nice_step(top: float) -> float:
    """The smallest round step (1, 2, 2.5 or 5 × 10ⁿ) of which five reach `top`: gridlines at ¥50K, ¥100K…"""
    magnitude = 10 ** math.floor(math.log10(top / 5))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if 5 * m * magnitude >= top)


def burndown_png(burn: BurnDown) -> bytes:
    """The burn-down picture (see _draw_burndown), drawn once for the same figures and language."""
    return drawn_once("burndown", (burn,), lambda: _draw_burndown(burn))


def _draw_burndown(burn: BurnDown) -> bytes:
    """Draw the burn-down picture (module docstring)."""
    words, font, wide = _labels(burn.symbol)
    span = max((burn.end - burn.start).days + 1, 1)
    cumulative = [v for _d, v in burn.spent]
    highest = max([burn.budget, burn.forecast, *cumulative, 1.0]) * 1.04
    step = _nice_step(highest)
    lines = math.ceil(highest / step)
    top_value = step * lines
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM

    def x_of(day: dt.date) -> float:
        days = min(max((day - burn.start).days + 1, 0), span)  # end of `day`: its spend is in
        return plot_left + days * (plot_right - plot_left) / span

    def y_of(value: float) -> float:
        return plot_bottom - value * (plot_bottom - plot_top) / top_value

    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    for i in range(lines + 1):  # money gridlines at round amounts, labelled on the left
        value = step * i
        y = y_of(value)
        draw.line([(plot_left, y), (plot_right, y)], fill=GRID_COLOUR)
        label = _short(value, burn.symbol, wide)
        draw.text((plot_left - 6 - font.getlength(label), y - 6), label, fill=TEXT_COLOUR, font=font)
    for day in (burn.start, burn.end):  # the flight's first and last day under the axis
        label = f"{day.month}/{day.day}"
        x = x_of(day) if day == burn.end else plot_left
        draw.text((min(max(x - font.getlength(label) / 2, plot_left), plot_right - font.getlength(label)),
                   plot_bottom + 4), label, fill=TEXT_COLOUR, font=font)
    draw.line([(plot_left, plot_bottom), (plot_right, plot_bottom)], fill=PLAN_COLOUR)

    draw.line([(plot_left, y_of(0)), (plot_right, y_of(burn.budget))], fill=PLAN_COLOUR, width=2)
    draw.line([(plot_left, y_of(burn.budget)), (plot_right, y_of(burn.budget))], fill=BUDGET_COLOUR, width=1)
    points = [(plot_left, y_of(0)), *((x_of(day), y_of(value)) for day, value in burn.spent)]
    if len(points) > 1:
        draw.line(points, fill=SPENT_COLOUR, width=3)
    last_x, last_y = points[-1]
    colour = OVER_COLOUR if burn.forecast > burn.budget + 0.005 else WITHIN_COLOUR
    if burn.today < burn.end:
        _dashed(draw, (last_x, last_y), (plot_right, y_of(burn.forecast)), colour)
    x_today = x_of(burn.today)
    draw.line([(x_today, plot_top), (x_today, plot_bottom)], fill=TODAY_COLOUR, width=1)

    x, y = plot_left, HEIGHT - 18
    for key, item_colour in (("spent", SPENT_COLOUR), ("plan", PLAN_COLOUR), ("budget", BUDGET_COLOUR),
                             ("forecast", colour), ("today", TODAY_COLOUR)):
        draw.line([(x, y + 6), (x + 14, y + 6)], fill=item_colour, width=3)
        draw.text((x + 18, y), words[key], fill=TEXT_COLOUR, font=font)
        x += 18 + round(font.getlength(words[key])) + 14
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _dashed(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
            colour: tuple[int, int, int]) -> None:
    (x0, y0), (x1, y1) = start, end
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1.0)
    steps = int(length // 8)
    for i in range(steps + 1):
        a, b = i * 8 / length, min((i * 8 + 4) / length, 1.0)
        if a >= 1:
            break
        draw.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                  fill=colour, width=2)


__all__ = ["BurnDown", "burndown_png"]
