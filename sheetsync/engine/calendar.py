"""The project's working-day calendar.

Monday–Friday, minus the country's public holidays, plus its official make-up
workdays (China's 调休 weekends), then the sheet's extra holidays and extra
workdays (DESIGN.md, "Deadline semantics"). Queries work on date ordinals
against a sorted index of working days so that planning 10,000 tasks stays fast.

The Calendar setting names the country by its ISO code or its name in English
or Chinese (`country_code`). Where a government announces the year's holiday
arrangement late (China's State Council, each November or December), the
installed `holidays` data may not have it yet: `unconfirmed_years` says which
years a plan would be computed on a guess.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import marshal
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache

from ..errors import SheetsyncError
from .disk_cache import cache_dir, keep, load

# How far the index reaches beyond the dates asked about; grown on demand.
_MARGIN_DAYS = 400
# The years working-day arithmetic may reach. Every date a person types lies in 1990–2100 and every
# day count is at most 3650 (parse/cells.py), so only a long chain of dependent tasks can leave them.
_FIRST = dt.date(1900, 1, 1).toordinal()
_LAST = dt.date(2200, 12, 31).toordinal()


class UnknownCountryError(SheetsyncError, ValueError):
    """The Calendar setting names a country the holidays package does not know."""


class CalendarRangeError(SheetsyncError, ValueError):
    """Working-day arithmetic would leave the years 1900–2200 (a chain of tasks longer than centuries)."""


def supported_countries() -> list[str]:
    """ISO codes accepted in the Calendar setting.

    Read from the package's registry rather than list_supported_countries(), which
    imports every country module (about 60 ms on each start of the command).
    """
    return sorted({entry[1] for entry in _registry().values()})


def _country_holidays(country: str, year: int) -> object:
    """holidays.country_holidays(country, years=year), imported only when the cache folder lacks the year."""
    import holidays

    return holidays.country_holidays(country, years=year)


@cache
def _installed() -> str:
    """Which holidays install the cached answers come from, without importing it (importing it: 0.1 s per start).

    Its registry module's and country folder's size and modification times: pip replaces both on an upgrade.
    """
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return "none"
    folder = os.path.dirname(spec.origin)
    stamp = [spec.origin]
    for name in ("registry.py", "version.py", "countries"):
        with contextlib.suppress(OSError):
            found = os.stat(os.path.join(folder, name))
            stamp.append(f"{name}:{found.st_size}:{found.st_mtime_ns}")
    return hashlib.sha256("|".join(stamp).encode()).hexdigest()[:24]


@cache
def _registry() -> dict[str, tuple[str, ...]]:
    """holidays.registry.COUNTRIES (module name → class name, ISO code, aliases), kept in the cache folder."""
    path = cache_dir() / f"holidays-{_installed()}-registry.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        kept = load(path)
        if isinstance(kept, dict) and kept:
            return kept
    import holidays.registry

    countries = {str(module): tuple(map(str, entry)) for module, entry in holidays.registry.COUNTRIES.items()}
    keep(path, marshal.dumps(countries))
    return countries


# Chinese names of the markets a Chinese agency plans for most; English names come from the holidays registry.
CHINESE_COUNTRY_NAMES = {
    "CN": ("中国", "中国大陆", "中华人民共和国", "大陆", "内地"),
    "HK": ("香港", "中国香港"),
    "MO": ("澳门", "中国澳门"),
    "TW": ("台湾", "中国台湾"),
    "SG": ("新加坡",),
    "MY": ("马来西亚",),
    "TH": ("泰国",),
    "VN": ("越南",),
    "ID": ("印度尼西亚", "印尼"),
    "PH": ("菲律宾",),
    "IN": ("印度",),
    "JP": ("日本",),
    "KR": ("韩国", "南韩"),
    "US": ("美国",),
    "CA": ("加拿大",),
    "MX": ("墨西哥",),
    "BR": ("巴西",),
    "GB": ("英国",),
    "IE": ("爱尔兰",),
    "FR": ("法国",),
    "DE": ("德国",),
    "IT": ("意大利",),
    "ES": ("西班牙",),
    "NL": ("荷兰",),
    "CH": ("瑞士",),
    "SE": ("瑞典",),
    "RU": ("俄罗斯",),
    "AE": ("阿联酋", "阿拉伯联合酋长国"),
    "SA": ("沙特阿拉伯", "沙特"),
    "AU": ("澳大利亚", "澳洲"),
    "NZ": ("新西兰",),
}
# Everyday English names the registry does not spell (it has "UK", "Korea", "United States", …).
ENGLISH_ALIASES = {"CN": ("Mainland China", "PRC"), "GB": ("Britain", "Great Britain"), "US": ("America",)}
_NAME_NOISE = re.compile(r"[\s_.\-'’()（）]+")


def _name_key(text: str) -> str:
    return _NAME_NOISE.sub("", text).casefold()


@cache
def _country_names() -> dict[str, str]:
    """Name key → ISO code: every code, alpha-3 code, registry name and alias, and the Chinese names."""
    names: dict[str, str] = {}
    for module, (class_name, code, *aliases) in _registry().items():
        for name in (module, class_name, code, *aliases):
            if not name.startswith("Holidays"):  # HolidaysUS-style class names, not names people write
                names.setdefault(_name_key(name), code)
    for table in (CHINESE_COUNTRY_NAMES, ENGLISH_ALIASES):
        for code, spellings in table.items():
            for name in spellings:
                names[_name_key(name)] = code
    return names


def country_code(text: object) -> str | None:
    """The ISO code of a country written as a code or a name, in English or Chinese ("cn", "China", "中国" → CN)."""
    key = _name_key(str(text or ""))
    return _country_names().get(key) if key else None


# Countries whose holiday arrangement (days off and the weekend days worked to make up for them) is
# announced each year, so that the installed holidays data lags behind: China's State Council
# publishes the next year's 节假日安排 in the autumn (国务院办公厅关于…年部分节假日安排的通知).
ANNOUNCED_YEARLY = ("CN",)


@cache
def _has_arrangement(country: str, year: int) -> bool:
    """Whether the installed data holds the official arrangement of `year`: its make-up workdays.

    Every announced year since 2001 has them, while the lunar holidays of a later
    year are computed by rule (so holidays.CN(years=2027) is not empty): the
    make-up workdays are what only the announcement gives.
    """
    return bool(_year_days(country, year)[1])


@cache
def _year_days(country: str, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The public holidays holidays.country_holidays(country, years=year) gives, and the year's make-up workdays.

    Kept in the user's cache folder (engine/disk_cache) per holidays version, country and year:
    the package's country lookup imports every country's module (0.1 s of each Sync click).
    """
    path = cache_dir() / f"holidays-{_installed()}-{country}-{year}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        public, makeup = load(path)
        return frozenset(map(dt.date.fromordinal, public)), frozenset(map(dt.date.fromordinal, makeup))
    calendar = _country_holidays(country, year)
    # weekend_workdays accumulates every year the package ever populated; keep this year's.
    days = frozenset(calendar.keys()), frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    keep(path, marshal.dumps(tuple(sorted(d.toordinal() for d in part) for part in days)))
    return days


class WorkCalendar:
    """Which days are working days, and arithmetic in working days."""

    def __init__(
        self,
        country: str = "",
        extra_holidays: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
    ) -> None:
        self.country = (country or "").strip().upper()
        if self.country and self.country not in supported_countries():
            raise UnknownCountryError(self.country)
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._years: set[int] = set()
        self._public_holidays: set[dt.date] = set()
        self._makeup_workdays: set[dt.date] = set()
        self._lo = self._hi = 0  # ordinals: index covers [lo, hi)
        self._days: list[int] = []  # sorted ordinals of working days in [lo, hi)

    # --- the rule ---------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        """True if the team works on this day."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if self.country:
            self._load_year(day.year)
            if day in self._makeup_workdays:
                return True
            if day in self._public_holidays:
                return False
        return day.weekday() < 5

    def _load_year(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        public, makeup = _year_days(self.country, year)
        self._public_holidays.update(public)
        self._makeup_workdays.update(makeup)

    def unconfirmed_years(self, first: dt.date, last: dt.date) -> list[int]:
        """Years in [first, last] planned on a guess: announced yearly, missing from the installed data,
        and with no Extra workdays of the year (entering that year's make-up workdays confirms it)."""
        if self.country not in ANNOUNCED_YEARLY:
            return []
        entered = {day.year for day in self.extra_workdays}
        return [
            year for year in range(first.year, last.year + 1)
            if year not in entered and not _has_arrangement(self.country, year)
        ]

    def holidays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Weekdays in [first, last] that are not working days (for reports and tj3 export)."""
        out = []
        day = first
        while day <= last:
            if day.weekday() < 5 and not self.is_workday(day):
                out.append(day)
            day += dt.timedelta(days=1)
        return out

    # --- the index ----------------------------------------------------------

    def _cover(self, lo: int, hi: int) -> None:
        """Make sure the working-day index covers ordinals [lo, hi), as far as 1900–2200 reaches."""
        lo, hi = max(lo, _FIRST), min(hi, _LAST)
        if self._days and lo >= self._lo and hi <= self._hi:
            return
        new_lo = min(lo, self._lo) if self._days else lo
        new_hi = max(hi, self._hi) if self._days else hi
        new_lo = max(new_lo - _MARGIN_DAYS, _FIRST)
        new_hi = min(new_hi + _MARGIN_DAYS, _LAST)
        self._days = [o for o in range(new_lo, new_hi) if self.is_workday(dt.date.fromordinal(o))]
        self._lo, self._hi = new_lo, new_hi

    def _index_at_or_after(self, ordinal: int) -> int:
        """Position in the index of the first working day >= ordinal (grows the index as needed)."""
        self._cover(ordinal - 31, ordinal + 31)
        for _ in range(64):
            i = bisect_left(self._days, ordinal)
            if i < len(self._days):
                return i
            self._cover(self._lo, self._hi + (self._hi - self._lo))
        raise CalendarRangeError("no working day before the end of 2200")

    # --- working-day arithmetic on ordinals (points = beginning of a day) ---

    def back(self, point: int, count: int) -> int:
        """The latest point with `count` whole working days between it and `point`.

        count = 0 returns `point`; otherwise the beginning of the count-th working day before it.
        """
        if count <= 0:
            return point
        return self._offset_from(point, -count)

    def last_workday_before(self, point: int) -> int:
        """The latest working day that ends at or before `point` (that is, strictly before it)."""
        return self._offset_from(point, -1)

    def first_workday_from(self, point: int) -> int:
        """The first working day on or after `point`."""
        return self._offset_from(point, 0)

    def shift_workdays(self, workday: int, count: int) -> int:
        """The working day `count` working days after (negative: before) the working day `workday`."""
        return self._offset_from(workday, count)

    def _offset_from(self, ordinal: int, offset: int) -> int:
        """The working day at position (first working day >= ordinal) + offset."""
        for _ in range(64):
            i = self._index_at_or_after(ordinal) + offset
            if 0 <= i < len(self._days):
                return self._days[i]
            span = self._hi - self._lo
            if i < 0:
                self._cover(self._lo - max(span, -offset * 2 + 60), self._hi)
            else:
                self._cover(self._lo, self._hi + max(span, offset * 2 + 60))
        raise CalendarRangeError(f"{abs(offset)} working days from {dt.date.fromordinal(ordinal)} leave 1900–2200")

    def count(self, first: int, end: int) -> int:
        """Number of working days in [first, end) (negative if end < first)."""
        if end < first:
            return -self.count(end, first)
        self._cover(first, end + 1)
        return bisect_left(self._days, end) - bisect_left(self._days, first)

    def workdays_between(self, first: dt.date, last: dt.date) -> int:
        """Working days in the half-open date range [first, last)."""
        return self.count(first.toordinal(), last.toordinal())

    def add_workdays(self, day: dt.date, count: int) -> dt.date:
        """The working day `count` working days after the first working day on or after `day`."""
        return dt.date.fromordinal(self._offset_from(day.toordinal(), count))

    def workdays_through(self, first: dt.date, last: dt.date) -> int:
        """Working days in the closed range [first, last]."""
        self._cover(first.toordinal(), last.toordinal() + 1)
        return bisect_right(self._days, last.toordinal()) - bisect_left(self._days, first.toordinal())
