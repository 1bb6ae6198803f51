"""Each ad platform's export as it names its columns: what `sheetsync import` recognises a file by.

A header is compared without its unit ("Amount spent (USD)" → "amount spent", "消耗(元)" → "消耗"),
case and spaces ignored; the unit, when it names a currency, becomes the rows' Currency.

Where the names come from (README "Importing results" says the same): Meta's "Amount spent",
"Impressions", "Reach", "Link clicks", "Clicks (all)", "Results", "Reporting starts" are the Ads
Manager column names its help pages and guides define; 巨量引擎's 消耗/总花费, 展示数, 点击数, 转化数
are the report metrics its Marketing API documents (展现数据-总花费, 展示数, 点击数; 转化数据-转化数).
TikTok's ("Cost", "Impression", "Clicks (Destination)", "Conversions", "By Day"), 小红书聚光's
(消费, 展现量, 点击量, 互动量; 消耗金额 and 曝光量 as agencies' guides to its 数据报告 name them) and
腾讯广告's (花费, 曝光次数, 点击次数, 转化次数) are the names agencies' exports show, not checked against a
published list (a third-party schema of 腾讯广告's daily campaign report labels its view_count and
valid_click_count 曝光次数 and 点击次数): a file that uses others is reported
with the columns it has, and --platform with the usual words still reads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The Results columns an export can fill (parse/results.MEASURES' columns, and the row's identity).
FIELDS = ("Date", "Campaign", "Spend", "Impressions", "Reach", "Clicks", "Engagements", "Followers", "Leads",
          "Conversions", "Sales")


@dataclass(frozen=True)
class PlatformExport:
    """One platform's export: its contract.AD_PLATFORM key and the header names of each Results field, best first."""

    key: str
    names: dict[str, tuple[str, ...]]

    def field_of(self, header: str) -> str | None:
        """The Results field a (normalised) header fills in this platform's export, or None."""
        for name, spellings in self.names.items():
            if header in spellings:
                return name
        return None


def normalise_header(header: object) -> str:
    """'Amount spent (USD)' → 'amount spent'; '消耗（元）' → '消耗'; ' Impressions ' → 'impressions'."""
    text = unicodedata.normalize("NFKC", str(header or "")).strip()
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text)  # a trailing unit: (USD), (元), (%)
    return re.sub(r"\s+", " ", text).casefold()


_CURRENCY_UNITS = {"usd": "USD", "$": "USD", "us$": "USD", "cny": "CNY", "rmb": "CNY", "元": "CNY", "¥": "CNY",
                   "￥": "CNY", "人民币": "CNY", "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP", "hkd": "HKD",
                   "sgd": "SGD", "jpy": "JPY"}


def currency_of(header: object) -> str:
    """The currency a header's unit names ("Amount spent (USD)" → USD, "消耗(元)" → CNY), or ""."""
    text = unicodedata.normalize("NFKC", str(header or "")).strip()
    match = re.search(r"\(([^()]*)\)\s*$", text)
    if match is None:
        return ""
    unit = match[1].strip().casefold()
    return _CURRENCY_UNITS.get(unit, unit.upper() if re.fullmatch(r"[a-z]{3}", unit) else "")


def _n(*names: str) -> tuple[str, ...]:
    return tuple(normalise_header(name) for name in names)


PLATFORMS: tuple[PlatformExport, ...] = (
    PlatformExport("meta", {
        "Date": _n("Reporting starts", "Day", "Date"),
        "End": _n("Reporting ends"),  # a row is one day only when it ends the day it starts
        "Campaign": _n("Campaign name", "Campaign", "Ad set name"),
        "Spend": _n("Amount spent"),
        "Impressions": _n("Impressions"),
        "Reach": _n("Reach"),
        "Clicks": _n("Link clicks", "Clicks (all)"),
        "Engagements": _n("Post engagement", "Post engagements"),
        "Followers": _n("Page likes", "Follows or likes"),
        "Leads": _n("Leads"),
        "Conversions": _n("Results", "Purchases"),
        "Sales": _n("Purchases conversion value", "Website purchases conversion value"),
    }),
    PlatformExport("tiktok", {
        "Date": _n("By Day", "Date", "Day"),
        "Campaign": _n("Campaign name", "Campaign"),
        "Spend": _n("Cost", "Total cost"),
        "Impressions": _n("Impression", "Impressions"),
        "Reach": _n("Reach"),
        "Clicks": _n("Clicks (Destination)", "Clicks (destination)", "Clicks"),
        "Engagements": _n("Paid likes", "Engagements"),
        "Followers": _n("Paid followers", "Follows"),
        "Leads": _n("Leads", "Form submissions"),
        "Conversions": _n("Conversions", "Results"),
        "Sales": _n("Total complete payment value", "Purchase value"),
    }),
    PlatformExport("oceanengine", {
        "Date": _n("日期", "时间"),
        "Campaign": _n("广告计划", "计划名称", "项目名称", "广告计划名称"),
        "Spend": _n("消耗", "总花费"),
        "Impressions": _n("展示数"),
        "Clicks": _n("点击数"),
        "Engagements": _n("互动数"),
        "Followers": _n("新增关注数", "粉丝增量"),
        "Leads": _n("表单提交数", "线索数"),
        "Conversions": _n("转化数"),
        "Sales": _n("成交金额", "直接成交金额"),
    }),
    PlatformExport("xiaohongshu", {
        "Date": _n("日期", "时间"),
        "Campaign": _n("计划名称", "推广计划", "计划"),
        "Spend": _n("消费", "花费", "消耗金额"),
        "Impressions": _n("展现量", "曝光量"),
        "Clicks": _n("点击量"),
        "Engagements": _n("互动量"),
        "Followers": _n("新增关注", "关注量"),
        "Leads": _n("私信开口数", "表单提交"),
        "Conversions": _n("转化数", "转化量"),
        "Sales": _n("成交金额", "GMV"),
    }),
    PlatformExport("tencent", {
        "Date": _n("日期", "时间"),
        "Campaign": _n("推广计划", "广告名称", "计划名称", "广告"),
        "Spend": _n("花费"),
        "Impressions": _n("曝光次数", "曝光量"),
        "Clicks": _n("点击次数", "点击量"),
        "Engagements": _n("互动次数"),
        "Followers": _n("关注次数", "公众号关注次数"),
        "Leads": _n("表单预约次数", "线索数"),
        "Conversions": _n("转化次数", "转化量"),
        "Sales": _n("下单金额", "成交金额"),
    }),
)
BY_KEY = {p.key: p for p in PLATFORMS}

# What a totals row says in its first cells; the export's own sum of the rows above, never a day.
TOTAL_WORDS = ("total", "grand total", "合计", "总计", "汇总", "总和")  # a cell that starts with one

# The headers every platform shares (日期, Campaign name…): they say nothing about which platform wrote a file.
_SHARED = {h for p in PLATFORMS for h in (*p.names["Date"], *p.names["Campaign"])}


def columns_for(platform: PlatformExport, headers: list[str]) -> dict[str, int]:
    """Results field → the index of the first header that fills it in this platform's export."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = platform.field_of(header)
        if name is not None and name not in found:
            found[name] = index
    return found


def _measure(name: str) -> bool:
    return name not in ("Date", "End", "Campaign")


def score(platform: PlatformExport, headers: list[str]) -> int:
    """How many of a file's headers only this kind of export would have (its measures; Date and Campaign are shared)."""
    found = columns_for(platform, headers)
    if "Date" not in found:
        return 0
    return sum(1 for name, index in found.items() if _measure(name) and headers[index] not in _SHARED)


def recognise(headers: list[str]) -> list[PlatformExport]:
    """The platforms whose export these (normalised) headers fit best: one, several (ambiguous) or none."""
    scores = {p.key: score(p, headers) for p in PLATFORMS}
    best = max(scores.values())
    if best < 2:
        return []
    return [BY_KEY[key] for key, value in scores.items() if value == best]


__all__ = ["BY_KEY", "FIELDS", "PLATFORMS", "TOTAL_WORDS", "PlatformExport", "columns_for", "currency_of",
           "normalise_header", "recognise", "score"]
