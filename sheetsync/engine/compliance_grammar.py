"""Numbers with units for the rule packs: `{DURATION}`, `{MONEY}`, `{PERCENT}`… written inside a pattern.

Real violations promise a result within a time ("7天美白", "lose 10 lbs in 2
weeks"), a yield ("年化收益12%", "$500 a week") or a weight; a pattern that
spells its own number regex gets the edges wrong — "0元" found inside "100元",
"3天" inside "13天". A pack writes `{DURATION}` instead and gets one grammar
that respects number boundaries: a number never starts inside another number
(after a digit, a decimal point or a thousands comma), never ends before more
digits, and Chinese numerals are whole runs (三十, 两, 半, 几).

Placeholders are UPPER-CASE names in braces, so they cannot be mistaken for a
regex quantifier (`{0,6}`); an unknown name is a RulePackError naming it.
Patterns see text after folding (full-width digits are ASCII) and squeezing
(`7 天` is `7天`), so the grammar allows at most one space between a number
and its unit.
"""

from __future__ import annotations

import re

_DIGITS = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
_ZH_NUMERAL = r"(?<![零〇一二两三四五六七八九十百千万亿半几数])[零〇一二两三四五六七八九十百千万亿半几数]+"
_EN_NUMBER = (
    r"\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|a hundred|a few|a couple(?: of)?|several|just a few)\b"
)
_NUM = f"(?:{_DIGITS}|{_ZH_NUMERAL}|{_EN_NUMBER})"
_GAP = r"[ -]?"

GRAMMAR: dict[str, str] = {
    # a number: Arabic (1,000.5), Chinese (三十, 两, 半, 几), or an English number word
    "NUM": _NUM,
    # a span of time: 7天, 两周, 3个月, 一个疗程, 48 hours, two weeks, 30-day
    "DURATION": (
        f"{_NUM}{_GAP}(?:个)?(?:分钟|小时|天|日|周|星期|礼拜|月|年|疗程|季度)"
        f"|{_NUM}{_GAP}(?:minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|wks?|months?|years?|sessions?)\\b"
    ),
    # a number of uses or sessions: 3次, 一贴, two treatments
    "USES": f"{_NUM}{_GAP}(?:次|贴|粒|片|瓶|盒|支|针)|{_NUM}{_GAP}(?:uses?|applications?|treatments?|doses?)\\b",
    # an amount of money: 100元, 5万, ¥99, $500, 2k, £3,000, 1 million dollars
    "MONEY": (
        f"(?:[¥￥$£€]|US\\$|RMB){_GAP}{_DIGITS}(?:{_GAP}(?:k|K|m|M|万|亿|million|thousand|grand)\\b)?"
        f"|{_NUM}{_GAP}(?:元|块钱?|万元?|亿元?|美元|美金|刀|港币|英镑|欧元)"
        f"|{_NUM}{_GAP}(?:k\\b|grand\\b|thousand\\b|million\\b)?{_GAP}(?:dollars|bucks|pounds|euros|USD|GBP|EUR)\\b"
    ),
    # a share: 12%, 12 percent, 百分之十, 八成, 3个百分点
    "PERCENT": f"{_NUM}{_GAP}(?:%|percent\\b|per cent\\b|个百分点|成(?![功为本人年熟果品分绩交立长就]))|百分之{_NUM}",
    # a body weight: 10斤, 5公斤, 10 lbs, 2 stone
    "WEIGHT": f"{_NUM}{_GAP}(?:斤|公斤|千克|kg|kgs|磅)|{_NUM}{_GAP}(?:lbs?|pounds|kilos?|stone|st)\\b",
}

_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)\}")


class UnknownPlaceholder(ValueError):
    """A pattern names a `{NAME}` the grammar does not define (the caller names the rule)."""


def expand(pattern: str) -> str:
    """The pattern with each `{NAME}` replaced by a non-capturing group of the grammar."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GRAMMAR:
            raise UnknownPlaceholder(f"{{{name}}} is not one of {', '.join('{' + n + '}' for n in GRAMMAR)}")
        return f"(?:{GRAMMAR[name]})"

    return _PLACEHOLDER.sub(replace, pattern)
