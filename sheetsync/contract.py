"""The workbook contract: sheet and column names (English and Chinese), computed columns, vocabularies.

This module is the single place that knows what a campaign workbook looks
like; the parser, the template builder and every backend read it from here.
It also owns every vocabulary: the status and decision words people pick,
the flags sheetsync writes (with their one urgency order, colours and Chinese
labels). The settings' and columns' help are English messages (`N_`) whose
Chinese lives in the workbook catalogue (locale/zh/workbook.po), where a
translator edits it. One job needs its length: it is one declarative table of
the workbook, and splitting it would put half the contract somewhere a reader
does not look.
See DESIGN.md, "The workbook contract".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from . import i18n
from .i18n import N_

# --- vocabularies ---------------------------------------------------------
# Canonical (English) value → Chinese label. The parser accepts either; the
# Chinese template offers the Chinese labels in its dropdowns. Code names the
# canonical words by the constants below, never by literal strings (a test
# scans the package for them).

NOT_STARTED, IN_PROGRESS, STATUS_DONE, STATUS_BLOCKED = "Not started", "In progress", "Done", "Blocked"
TASK_STATUS = {NOT_STARTED: "未开始", IN_PROGRESS: "进行中", STATUS_DONE: "已完成", STATUS_BLOCKED: "受阻"}
TASK_FINISHED = (STATUS_DONE,)  # statuses that end a task

STAGE_INTERNAL, STAGE_CLIENT, STAGE_COMPLIANCE = "Internal", "Client", "Compliance"
REVIEW_STAGE = {STAGE_INTERNAL: "内部", STAGE_CLIENT: "客户", STAGE_COMPLIANCE: "合规"}  # the order copy passes them
DECISION_PENDING, DECISION_APPROVED = "Pending", "Approved"
DECISION_CHANGES_REQUESTED, DECISION_REJECTED = "Changes requested", "Rejected"
REVIEW_DECISION = {
    DECISION_PENDING: "待审",
    DECISION_APPROVED: "通过",
    DECISION_CHANGES_REQUESTED: "需修改",
    DECISION_REJECTED: "驳回",
}
SENT_BACK = (DECISION_CHANGES_REQUESTED, DECISION_REJECTED)  # decisions that open the next round

STATUS_OPEN, WONT_DO = "Open", "Won't do"
FEEDBACK_STATUS = {STATUS_OPEN: "待处理", IN_PROGRESS: "进行中", STATUS_DONE: "已完成", WONT_DO: "不处理"}
FEEDBACK_CLOSED = (STATUS_DONE, WONT_DO)  # statuses that close a client request

TEAM_SIDE = {"agency": "代理方", "client": "客户方"}
DIGEST_KIND = {"brief": "简要", "detailed": "详细", "none": "无"}
CADENCE = {"daily": "每日", "weekly": "每周", "none": "无"}
CHAT_PLATFORM = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "slack": "Slack"}  # group-bot webhooks
CHAT_PLATFORM_EN = {"wecom": "WeCom", "dingtalk": "DingTalk", "feishu": "Feishu", "slack": "Slack"}  # as each spells it
# Goals, budget and results (issue 18). A metric is a count summed over the Results rows, or a ratio of two sums;
# for the cost ratios (CPA, CPM, CPC) lower is better.
METRIC = {
    "impressions": "曝光", "reach": "触达", "clicks": "点击", "engagements": "互动", "followers": "新增粉丝",
    "leads": "线索", "conversions": "转化", "sales": "销售额", "spend": "花费",
    "ROI": "ROI", "CPA": "CPA", "CPM": "CPM", "CPC": "CPC", "CTR": "点击率",
}
AD_PLATFORM = {  # where a Results row or a Budget line comes from (the ad platforms' own names)
    "meta": "Meta", "tiktok": "TikTok", "oceanengine": "巨量引擎", "xiaohongshu": "小红书聚光",
    "tencent": "腾讯广告", "other": "其他",
}
MENTION_ALL = {"all": "所有人"}  # a Channels row's Mention: everyone in the group
MARKET = {"zh": "zh", "en": "en"}
LANGUAGE = {"en": "English", "zh": "中文"}  # the language sheetsync writes and prints in
INDUSTRY = {
    "general": "通用",
    "pharma": "药品",
    "medical_device": "医疗器械",
    "health_food": "保健食品",
    "finance": "金融",
    "education": "教育",
    "cosmetics": "化妆品",
    "food": "食品",
    "medical_service": "医疗服务",
}
RACI_LETTERS = ("R", "A", "C", "I")
# Vocabularies whose dropdown offers the same words in both languages (Market's codes, Language's own
# codes); every other dropdown of a Chinese book offers the Chinese labels.
SAME_IN_BOTH: tuple[dict[str, str], ...] = (MARKET, LANGUAGE)


def dropdown_words(choices: dict[str, str], lang: str) -> list[str]:
    """A vocabulary's words as a dropdown in a book of `lang` offers them."""
    if lang == "zh" and not any(choices is v for v in SAME_IN_BOTH):
        return list(choices.values())
    return list(choices)

# Other words people write whose meaning is plain, by vocabulary: canonical word → its synonyms
# in either language. They are accepted when read, never offered in dropdowns nor written back.
# Only plain meanings belong here: a word that could mean two choices is left out (loud, not guessed).
ALIASES: tuple[tuple[dict[str, str], dict[str, tuple[str, ...]]], ...] = (
    (TASK_STATUS, {
        NOT_STARTED: ("未启动", "没开始", "待开始", "to do", "todo"),
        IN_PROGRESS: ("进行", "处理中", "进行中的", "在做", "doing", "ongoing", "wip"),
        STATUS_DONE: ("完成", "完结", "已完结", "做完", "已做完", "complete", "completed", "finished"),
        STATUS_BLOCKED: ("阻塞", "卡住", "受阻中", "已阻塞", "stuck"),
    }),
    (FEEDBACK_STATUS, {
        STATUS_OPEN: ("未处理", "待办", "new"),
        IN_PROGRESS: ("处理中", "进行", "doing", "ongoing"),
        STATUS_DONE: ("完成", "已完结", "完结", "已解决", "解决", "已处理", "resolved", "complete", "completed",
                      "finished"),
        WONT_DO: ("不做", "不改", "won't fix", "wont do"),
    }),
    (REVIEW_DECISION, {
        DECISION_PENDING: ("待审核", "审核中", "未审"),
        DECISION_APPROVED: ("同意", "批准", "已通过", "approve"),
        DECISION_CHANGES_REQUESTED: ("修改", "需改", "要修改", "待修改", "changes", "revise"),
        DECISION_REJECTED: ("拒绝", "不通过", "已驳回", "reject"),
    }),
    (TEAM_SIDE, {"client": ("甲方", "客户"), "agency": ("乙方", "代理", "代理商")}),
    (CADENCE, {"daily": ("每天", "天天"), "weekly": ("每周一", "每星期", "每周一次")}),
    (CHAT_PLATFORM, {
        "wecom": ("企微", "企业微信群", "WeChat Work", "WeChat for Work", "WXWork"),
        "dingtalk": ("钉钉群", "DingDing", "Ding Talk"),
        "feishu": ("飞书群", "Lark"),
        "slack": ("Slack 频道",),
    }),
    (MENTION_ALL, {"all": ("全体", "全员", "全体成员", "@all", "@所有人", "everyone", "everybody", "channel")}),
    (MARKET, {"zh": ("中文", "中国", "Chinese", "China"), "en": ("英文", "English")}),
    (LANGUAGE, {"zh": ("Chinese", "汉语", "简体中文"), "en": ("英文", "英语")}),
)

# --- flags -----------------------------------------------------------------
# The words sheetsync writes in a Flag column (and RACI's Check), which people
# filter on. Workbooks get the English word in both languages for now; each
# Flag already carries its Chinese label for when they are translated.

OVERDUE = "OVERDUE"
DUE_SOON = "DUE SOON"
AT_RISK = "AT RISK"
BLOCKED = "BLOCKED"
DONE = "DONE"
DONE_LATE = "DONE LATE"
OK = "OK"
OPEN = "OPEN"
APPROVED_WITH_FINDINGS = "APPROVED WITH FINDINGS"
REVISION_LOOP = "REVISION LOOP"
FINDINGS = "FINDINGS"
PENDING = "PENDING"
APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES REQUESTED"
REJECTED = "REJECTED"
TRIGGERED = "TRIGGERED"
ON_TRACK = "ON TRACK"  # a goal at or above where it should be by now
BEHIND = "BEHIND"
MET = "MET"
MISSED = "MISSED"  # its By date passed short of the target
OVER_BUDGET = "OVER BUDGET"  # spent (or committed) more than planned
WILL_OVERRUN = "WILL OVERRUN"  # the spend rate so far reaches past the plan by the flight's end
CHECK = "CHECK"  # a row computed on a guess (a task's Duration, a feedback's date…): a cell must be corrected

# Row colours (fill, font): red for what must be fixed now, amber for what to look at.
_RED = ("FFC7CE", "9C0006")
_AMBER = ("FFEB9C", "9C5700")


@dataclass(frozen=True)
class Flag:
    """One flag word: its Chinese label and the row colours it gives (None: the row stays uncoloured)."""

    name: str
    zh: str
    colours: tuple[str, str] | None  # (fill, font); None: explicitly uncoloured

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name


# Every flag of every sheet, most urgent first: summaries list flag counts in this
# order, the digest's timeline picture keeps the most urgent bars, the templates
# add their colour rules in it. A Reviews row shows the first of its flags that
# applies, in this same order. A triggered risk is as urgent as overdue work; a task to
# CHECK comes before overdue work, since until it is corrected its own dates are a guess.
FLAGS: tuple[Flag, ...] = (
    Flag(APPROVED_WITH_FINDINGS, "带问题通过", _RED),
    Flag(REVISION_LOOP, "超出修改轮次", _RED),
    Flag(CHECK, "待修正", _RED),
    Flag(OVERDUE, "已逾期", _RED),
    Flag(TRIGGERED, "已触发", _RED),
    Flag(OVER_BUDGET, "已超支", _RED),
    Flag(MISSED, "未达成", _RED),
    Flag(BLOCKED, "受阻", ("D9D2E9", "3F3151")),
    Flag(AT_RISK, "有风险", _AMBER),
    Flag(WILL_OVERRUN, "预计超支", _AMBER),
    Flag(BEHIND, "落后", _AMBER),
    Flag(FINDINGS, "文案问题", _AMBER),
    Flag(DUE_SOON, "临近截止", ("FFF2CC", "7F6000")),
    Flag(PENDING, "待审", None),
    Flag(CHANGES_REQUESTED, "需修改", None),
    Flag(REJECTED, "驳回", None),
    Flag(OPEN, "待处理", None),
    Flag(DONE_LATE, "延期完成", ("FCE4D6", "833C0B")),
    Flag(DONE, "已完成", ("C6EFCE", "006100")),
    Flag(MET, "已达成", ("C6EFCE", "006100")),
    Flag(ON_TRACK, "进展正常", None),
    Flag(APPROVED, "已通过", None),
    Flag(OK, "正常", None),
)
FLAG_BY_NAME = {flag.name: flag for flag in FLAGS}


def flag_label(word: str, lang: str | None = None) -> str:
    """A flag word as the book shows it: Chinese in a Chinese book (lang None: the active language)."""
    flag = FLAG_BY_NAME.get(word)
    return i18n.pick(lang, word, flag.zh) if flag else word


def choice_label(canonical: str, choices: dict[str, str], lang: str | None = None) -> str:
    """A vocabulary's canonical word (a status, stage, decision…) as the book shows it."""
    return i18n.pick(lang, canonical, choices.get(canonical, canonical))


def platform_label(name: str, lang: str | None = None) -> str:
    """A chat platform as people name it: WeCom / 企业微信, DingTalk / 钉钉, Feishu / 飞书, Slack."""
    return i18n.pick(lang, CHAT_PLATFORM_EN.get(name, name), CHAT_PLATFORM.get(name, name))


def flag_rank(word: str) -> tuple[int, str]:
    """Sort key for flag words, most urgent first; a word that is not a flag sorts after all of them."""
    flag = FLAG_BY_NAME.get(word)
    return (FLAGS.index(flag) if flag else len(FLAGS), word)


def _in_urgency_order(*words: str) -> tuple[str, ...]:
    return tuple(sorted(words, key=flag_rank))


# The flags each sheet's Flag column can show.
TIMELINE_FLAGS = _in_urgency_order(CHECK, OVERDUE, DUE_SOON, AT_RISK, BLOCKED, DONE, DONE_LATE, OK)
REVIEW_FLAGS = _in_urgency_order(
    APPROVED_WITH_FINDINGS, REVISION_LOOP, CHECK, OVERDUE, FINDINGS, DUE_SOON, PENDING, CHANGES_REQUESTED, REJECTED, APPROVED
)
# CHECK on every sheet: a row whose cells cannot all be read still carries a flag, so counts add up to rows.
RISK_FLAGS = _in_urgency_order(CHECK, TRIGGERED, OK)
FEEDBACK_FLAGS = _in_urgency_order(CHECK, OVERDUE, DUE_SOON, OPEN, DONE, DONE_LATE)
GOAL_FLAGS = _in_urgency_order(CHECK, MISSED, BEHIND, MET, ON_TRACK)
BUDGET_FLAGS = _in_urgency_order(CHECK, OVER_BUDGET, WILL_OVERRUN, OK)
SHEET_FLAGS: dict[str, tuple[str, ...]] = {
    "Timeline": TIMELINE_FLAGS,
    "Reviews": REVIEW_FLAGS,
    "Risks": RISK_FLAGS,
    "Feedback": FEEDBACK_FLAGS,
    "Goals": GOAL_FLAGS,
    "Budget": BUDGET_FLAGS,
}

# Row colours by flag, for every coloured flag; and the Timeline's own (the template's first rules).
ROW_FLAG_COLOURS: dict[str, tuple[str, str]] = {f.name: f.colours for f in FLAGS if f.colours}
FLAG_COLOURS: dict[str, tuple[str, str]] = {w: ROW_FLAG_COLOURS[w] for w in TIMELINE_FLAGS if w in ROW_FLAG_COLOURS}
# OK rows stay uncoloured in the workbook; a picture (the digest's Gantt chart) draws them a quiet blue.
PICTURE_OK_COLOURS: tuple[str, str] = ("DDEBF7", "1F4E79")
# Which flags colour the rows of each sheet, in urgency order (OK, OPEN, PENDING… stay uncoloured).
SHEET_ROW_FLAGS: dict[str, tuple[str, ...]] = {
    sheet: tuple(w for w in flags if w in ROW_FLAG_COLOURS) for sheet, flags in SHEET_FLAGS.items()
}
COPY_CATEGORIES = (
    "absolute_claim",
    "medical_efficacy_claim",
    "disease_claim_non_medical",
    "improper_endorsement",
    "investment_return_promise",
    "education_result_promise",
    "guaranteed_outcome",
    "before_after",
    "personal_attribute",
    "misleading_price_offer",
    "missing_ad_disclosure",
    "comparative_claim",
    "cosmetics_claim",
)
SEVERITY = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
# Facts a rule's `evidence` may name, and the Project setting that records each (a filled value = recorded).
EVIDENCE_SETTINGS = {
    "cosmetics_registration": "Cosmetics registration",
    "efficacy_report": "Efficacy report",
    "health_food_approval": "Health food approval",
    "price_history": "Price history",
}
# The Copy rules Category: a category id bans the term; "allowed" (允许) marks a term that is fine.
COPY_RULE_CATEGORIES = {**{c: c for c in COPY_CATEGORIES}, "allowed": "允许"}

COMPUTED_HEADER_FILL = "DDEBF7"  # light blue: "sheetsync owns this column"
HUMAN_HEADER_FILL = "F2F2F2"


def _help(message: str, lang: str, **params: object) -> str:
    """A help message (marked with N_) in `lang`, its placeholders filled; "" stays ""."""
    if not message:
        return ""
    with i18n.language(lang):
        return i18n.translate(message, **params)


_WHITESPACE = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """Text as the parser interprets it: NFKC folds full-width and compatibility forms (＞＝２ → >=2, Ｔ７ → T7)."""
    return unicodedata.normalize("NFKC", text)


def normalise_header(text: object) -> str:
    """Matching key for headers, names, IDs and choice words: width-, case- and whitespace-insensitive."""
    return _header_key(text if type(text) is str else str(text or ""))


@lru_cache(maxsize=16384)
def _header_key(text: str) -> str:
    """normalise_header of a string, worked out once per string: finding the headers of the demo's 14 sheets
    compared 23,000 cells with the contract's names (Column.matches), the same few hundred strings, each
    NFKC-normalised again (a sixth of a Sync now click)."""
    return _WHITESPACE.sub("", plain_text(text)).casefold()


@dataclass(frozen=True)
class Column:
    """One column of a contract sheet."""

    name: str  # canonical English header
    zh: str  # Chinese header
    kind: str = "text"  # text | date | days | int | choice | ids | email | number
    computed: bool = False
    required: bool = False
    choices: dict[str, str] | None = None  # canonical → Chinese label
    width: int = 14
    help: str = ""  # an N_ message, translated by help_text
    # Computed, but added to a book only by the command that fills it (`baseline`, `whatif --record`): a sync
    # does not give an old book an empty column it has no use for (TableView.add_columns).
    on_demand: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name

    def help_text(self, lang: str) -> str:
        """The column's help in the workbook's language (the workbook catalogue's translation)."""
        return _help(self.help, lang)

    def matches(self, header: object) -> bool:
        key = normalise_header(header)
        return key in (normalise_header(self.name), normalise_header(self.zh))


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the contract."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    wholly_computed: bool = False
    help: str = ""
    key_column: str | None = None

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name

    def matches(self, title: object) -> bool:
        key = normalise_header(title)
        return key in (normalise_header(self.name), normalise_header(self.zh))

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def computed(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.computed)


@dataclass(frozen=True)
class Setting:
    """One row of the Project sheet."""

    name: str
    zh: str
    kind: str  # text | date | dates | days | int | choice | country | url
    default: object = None
    choices: dict[str, str] | None = None
    help: str = ""  # an N_ message, translated by help_text; {flag} names help_flag
    help_flag: str = ""  # the flag word the help names, shown as the book's language spells it

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name

    def help_text(self, lang: str) -> str:
        """The note beside the setting on the Project sheet, in the workbook's language."""
        params = {"flag": flag_label(self.help_flag, lang)} if self.help_flag else {}
        return _help(self.help, lang, **params)

    def matches(self, label: object) -> bool:
        key = normalise_header(label)
        return key in (normalise_header(self.name), normalise_header(self.zh))


C = Column

PROJECT = SheetSpec(
    "Project", "项目",
    (C("Setting", "设置", required=True, width=22), C("Value", "值", width=40), C("Notes", "说明", width=60)),
    help="One setting per row.",
)

SETTINGS: tuple[Setting, ...] = (
    Setting("Project name", "项目名称", "text", help=N_("Shown in digests.")),
    Setting(
        "Client", "客户", "text",
        help=N_("The advertiser this campaign is for; for your reference."),
    ),
    Setting(
        "Launch date", "上线日期", "date",
        help=N_("The day the ads go live; every deadline is planned back from it."),
    ),
    Setting(
        "Calendar", "日历", "country", default="",
        help=N_(
            "Public holidays and make-up workdays of this country: an ISO code (CN, US…) or its name "
            "(China, 中国); blank = Monday–Friday."
        ),
    ),
    Setting(
        "Extra holidays", "额外假日", "dates", default=(),
        help=N_("Comma-separated dates the team does not work."),
    ),
    Setting(
        "Extra workdays", "额外工作日", "dates", default=(),
        help=N_("Comma-separated weekend dates the team works."),
    ),
    Setting(
        "Due soon window", "临近提醒天数", "days", default=2,
        help=N_("Working days before a due date that a task is flagged {flag}."), help_flag=DUE_SOON,
    ),
    Setting(
        "Review SLA", "审核时限", "days", default=2,
        help=N_("Working days a reviewer has to decide."),
    ),
    Setting(
        "Max revision rounds", "最多修改轮次", "int", default=3,
        help=N_("Rounds beyond this flag {flag}."), help_flag=REVISION_LOOP,
    ),
    Setting(
        "Feedback response", "反馈响应天数", "days", default=2,
        help=N_("Working days to answer client feedback."),
    ),
    Setting(
        "Market", "市场", "choice", default="zh", choices=MARKET,
        help=N_(
            "zh or en: which ad-copy rules check Copy. What sheetsync writes follows the book's language "
            "(see Language)."
        ),
    ),
    Setting(
        "Industry", "行业", "choice", default="general", choices=INDUSTRY,
        help=N_("Decides which ad-copy rules apply."),
    ),
    # Facts that clear a "needs evidence" copy finding (a rule's `evidence`, templates/rules/README.md).
    Setting(
        "Cosmetics registration", "特殊化妆品注册证号", "text", default="",
        help=N_(
            "Optional: the special-cosmetics registration number (or the drug approval) of the product; "
            "clears the needs-evidence findings on whitening, freckle, hair-loss and sunscreen claims."
        ),
    ),
    Setting(
        "Efficacy report", "功效评价报告", "text", default="",
        help=N_(
            "Optional: the efficacy evaluation (human test) report behind the copy's efficacy claims, such as "
            "anti-acne; clears their needs-evidence findings."
        ),
    ),
    Setting(
        "Health food approval", "保健食品批准文号", "text", default="",
        help=N_(
            "Optional: the health food approval or filing number (the blue hat); clears the needs-evidence "
            "findings on approved health functions."
        ),
    ),
    Setting(
        "Price history", "价格记录", "text", default="",
        help=N_(
            "Optional: where the prices of the days before the promotion are kept; clears the needs-evidence "
            "findings on original and reference prices."
        ),
    ),
    Setting(
        "Sheet link", "表格链接", "url", default="",
        help=N_("Link to this workbook, shown in digests."),
    ),
    Setting(
        "Language", "语言", "choice", default="", choices=LANGUAGE,
        help=N_("en or zh: the language sheetsync writes and prints in; blank = the language of this book's headers."),
    ),
    Setting(
        "Budget", "预算", "number", default=None,
        help=N_("Optional: the approved budget for the whole campaign; the Budget sheet's lines are measured against it."),
    ),
    Setting(
        "Currency", "币种", "text", default="",
        help=N_("Optional: the currency of the budget and results, such as CNY or USD; a row in another is a Problem."),
    ),
    Setting(
        "Flight end", "投放结束", "date", default=None,
        help=N_("Optional: the last day the ads run; spend is forecast to it (blank: the latest By of the Goals)."),
    ),
    Setting(
        "Baseline", "基线", "text", default="",
        help=N_("The name of the committed plan, written by sheetsync baseline. Leave it as it is."),
    ),
    Setting(
        "Baseline launch", "基线上线日期", "date", default=None,
        help=N_("The launch date the baseline committed to, written by sheetsync baseline. Leave it as it is."),
    ),
    Setting(
        "Today", "今天", "date", default=None,
        help=N_("Optional: pins today's date (what-if and tests). Leave blank."),
    ),
)

TIMELINE = SheetSpec(
    "Timeline", "时间表",
    (
        C("ID", "编号", required=True, width=8),
        C("Milestone", "里程碑", required=True, width=28),
        C("Owner", "负责人", width=14),
        C("Depends on", "前置任务", kind="ids", width=12, help=N_("IDs of tasks that must finish first, comma-separated.")),
        C("Duration", "工期", kind="days", required=True, width=10, help=N_("Working days; 0 = a milestone.")),
        C("Buffer", "缓冲", kind="days", width=9, help=N_("Working days kept free after this task.")),
        C("Fixed due", "固定截止", kind="date", width=12, help=N_("Optional: the task must end by this date.")),
        C("Status", "状态", kind="choice", choices=TASK_STATUS, width=12),
        C("Done on", "完成日期", kind="date", width=12),
        C("Notes", "备注", width=30),
        C("Start", "开始", kind="date", computed=True, width=12),
        C("Due", "截止", kind="date", computed=True, width=12),
        C("Projected due", "预计完成", kind="date", computed=True, width=13),
        C("Slack", "余量", kind="int", computed=True, width=8),
        C("Flag", "标记", computed=True, width=12),
        C(
            "Baseline start", "基线开始", kind="date", computed=True, on_demand=True, width=12,
            help=N_("The Start recorded by sheetsync baseline: the committed plan. Only that command writes it."),
        ),
        C(
            "Baseline due", "基线截止", kind="date", computed=True, on_demand=True, width=12,
            help=N_("The Due recorded by sheetsync baseline: the committed plan. Only that command writes it."),
        ),
        C(
            "Variance", "偏差", kind="int", computed=True, on_demand=True, width=9,
            help=N_(
                "Computed by every sync once a baseline is recorded: working days from Baseline due to Projected "
                "due; positive = late against the baseline. Don't type here."
            ),
        ),
    ),
    key_column="ID",
)

RACI = SheetSpec(
    "RACI", "RACI",
    (C("Activity", "活动", required=True, width=26), C("Check", "检查", computed=True, width=30)),
    help="Then one column per person or role, holding R, A, C, I or combinations such as A/R.",
    key_column="Activity",
)

TEAM = SheetSpec(
    "Team", "团队",
    (
        C("Name", "姓名", required=True, width=14),
        C("Role", "角色", width=18),
        C("Email", "邮箱", kind="email", width=26),
        C("Side", "所属方", kind="choice", choices=TEAM_SIDE, width=10),
        C("Digest", "摘要", kind="choice", choices=DIGEST_KIND, width=10),
        C("Cadence", "频率", kind="choice", choices=CADENCE, width=10),
        C("Chat", "聊天账号", width=16, help=N_("For @-mentions in a group chat: a mobile number, or the person's user ID in the app (WeCom, DingTalk, Feishu ou_…, Slack U…).")),
    ),
    key_column="Name",
)

CHANNELS = SheetSpec(
    "Channels", "群聊",
    (
        C("Name", "名称", required=True, width=16, help=N_("Names the webhook setting: SHEETSYNC_CHAT_<NAME>_URL in the environment or chat.toml; never paste the URL here.")),
        C("Platform", "平台", kind="choice", choices=CHAT_PLATFORM, required=True, width=12),
        C("Digest", "摘要", kind="choice", choices=DIGEST_KIND, width=10),
        C("Cadence", "频率", kind="choice", choices=CADENCE, width=10),
        C("Mention", "提醒", width=30, help=N_("Team names to @-mention, separated by commas, or all.")),
    ),
    help="Optional: group chats that get the digest through their group bot (sheetsync digest --chat).",
    key_column="Name",
)

REVIEWS = SheetSpec(
    "Reviews", "审核",
    (
        C("Asset", "素材", required=True, width=14),
        C("Round", "轮次", kind="int", width=7),
        C("Stage", "阶段", kind="choice", choices=REVIEW_STAGE, width=11),
        C("Reviewer", "审核人", width=12),
        C("Submitted on", "提交日期", kind="date", width=12),
        C("Decision", "结论", kind="choice", choices=REVIEW_DECISION, width=16),
        C("Decided on", "决定日期", kind="date", width=12),
        C("Copy", "文案", width=40),
        C("Comments", "意见", width=30),
        C("Findings", "检查结果", computed=True, width=36),
        C("Flag", "标记", computed=True, width=14),
    ),
)

RISKS = SheetSpec(
    "Risks", "风险",
    (
        C("ID", "编号", required=True, width=7),
        C("Risk", "风险", width=30),
        C("Category", "类别", width=14),
        C("Indicator", "指标", width=20),
        C("Threshold", "阈值", kind="threshold", width=10, help=N_("An operator and a number, such as >= 2.")),
        C("Owner", "负责人", width=12),
        C("Contingency plan", "应对预案", width=36),
        C("Current", "当前值", computed=True, width=10),
        C("Flag", "标记", computed=True, width=12),
    ),
    key_column="ID",
)

FEEDBACK = SheetSpec(
    "Feedback", "反馈",
    (
        C("Received on", "收到日期", kind="date", required=True, width=12),
        C("From", "提出人", width=12),
        C("Request", "内容", width=36),
        C("Related to", "关联", width=12),
        C("Owner", "负责人", width=12),
        C("Agreed due", "约定截止", kind="date", width=12),
        C("Status", "状态", kind="choice", choices=FEEDBACK_STATUS, width=12),
        C("Closed on", "关闭日期", kind="date", width=12),
        C("Due", "截止", kind="date", computed=True, width=12),
        C("Flag", "标记", computed=True, width=12),
        C(
            "Impact", "影响评估", computed=True, on_demand=True, width=40,
            help=N_("What the change request would move, written by sheetsync whatif --record."),
        ),
    ),
)

COPY_RULES = SheetSpec(
    "Copy rules", "文案规则",
    (
        C("Term", "词语", required=True, width=20, help=N_("A word or phrase, matched as written (case-insensitive).")),
        # Not a dropdown: the twelve words exceed the 255 characters Excel allows in a list validation.
        C("Category", "类别", kind="category", choices=COPY_RULE_CATEGORIES, required=True, width=26, help=N_("A category id for a banned term, or allowed.")),
        C("Severity", "严重程度", kind="choice", choices=SEVERITY, width=12),
        C("Note", "说明", width=40),
    ),
    help="Optional: the client's own banned and allowed terms for the copy checker.",
    key_column="Term",
)

PROBLEMS = SheetSpec(
    "Problems", "问题",
    (
        C("Sheet", "工作表", computed=True, width=12),
        C("Cell", "单元格", computed=True, width=9),
        C("Problem", "问题", computed=True, width=60),
        C("Fix", "修正方法", computed=True, width=60),
    ),
    wholly_computed=True,
)

LOG = SheetSpec(
    "Log", "日志",
    (
        C("Time", "时间", computed=True, width=20),
        C("Action", "操作", computed=True, width=10),
        C("By", "触发方式", computed=True, width=14),
        C("Changed cells", "修改单元格数", computed=True, width=14),
        C("Problems", "问题数", computed=True, width=10),
        C("Note", "备注", computed=True, width=50),
    ),
    wholly_computed=True,
)

GOALS = SheetSpec(
    "Goals", "目标",
    (
        C("Goal", "目标", required=True, width=28),
        C("Metric", "指标", kind="choice", choices=METRIC, required=True, width=12),
        C("Target", "目标值", kind="number", required=True, width=12),
        C("By", "截止日期", kind="date", width=12, help=N_("The day the target is due; blank: the flight's end.")),
        C("Owner", "负责人", width=12),
        C("Actual", "实际", kind="number", computed=True, width=12),
        C("Progress", "完成率", kind="number", computed=True, width=10),
        C("Expected by now", "当前应达", kind="number", computed=True, width=12),
        C("Flag", "标记", computed=True, width=12),
    ),
    help="Optional: the kickoff's targets; Actual is summed from the Results sheet.",
    key_column="Goal",
)

BUDGET = SheetSpec(
    "Budget", "预算",
    (
        C("Item", "项目", required=True, width=26),
        C("Platform", "平台", kind="choice", choices=AD_PLATFORM, width=12),
        C("Owner", "负责人", width=12),
        C("Planned", "计划", kind="number", width=12),
        C("Committed", "已承诺", kind="number", width=12),
        C("Spent", "已花费", kind="number", width=12),
        C("Notes", "备注", width=30),
        C("Remaining", "剩余", kind="number", computed=True, width=12),
        C("Used %", "使用率", kind="number", computed=True, width=10),
        C("Forecast", "预测花费", kind="number", computed=True, width=12),
        C("Flag", "标记", computed=True, width=14),
    ),
    help="Optional: the budget by line; a change of plan is a Feedback (change request) row, not a silent edit.",
    key_column="Item",
)

RESULTS = SheetSpec(
    "Results", "投放数据",
    (
        C("Date", "日期", kind="date", required=True, width=12),
        C("Platform", "平台", kind="choice", choices=AD_PLATFORM, required=True, width=12),
        C("Campaign", "广告计划", width=26),
        C("Currency", "币种", width=8),
        C("Spend", "花费", kind="number", width=12),
        C("Impressions", "曝光", kind="number", width=12),
        C("Reach", "触达", kind="number", width=12),
        C("Clicks", "点击", kind="number", width=10),
        C("Engagements", "互动", kind="number", width=10),
        C("Followers", "新增粉丝", kind="number", width=10),
        C("Leads", "线索", kind="number", width=10),
        C("Conversions", "转化", kind="number", width=10),
        C("Sales", "销售额", kind="number", width=12),
        C("Source", "来源", width=24, help=N_("The export file a row was imported from (sheetsync import).")),
    ),
    help="One row per day, platform and campaign: filled by sheetsync import from the ad platforms' exports.",
)

SHEETS: tuple[SheetSpec, ...] = (
    PROJECT, TIMELINE, RACI, TEAM, REVIEWS, RISKS, FEEDBACK, COPY_RULES, CHANNELS, GOALS, BUDGET, RESULTS,
    PROBLEMS, LOG,
)


def sheet_spec(name: str) -> SheetSpec:
    """The spec of a contract sheet by canonical name."""
    for spec in SHEETS:
        if spec.name == name:
            return spec
    raise KeyError(name)


_CHOICE_KEYS: dict[int, dict[str, str]] = {}


def canonical_choice(value: object, choices: dict[str, str]) -> str | None:
    """Map a cell's text to the canonical word of a vocabulary, in either language or a plain synonym (ALIASES);
    None if unknown."""
    keys = _CHOICE_KEYS.get(id(choices))
    if keys is None:
        keys = {}
        for canon, zh in choices.items():
            keys[normalise_header(canon)] = canon
            keys.setdefault(normalise_header(zh), canon)
        for vocabulary, aliases in ALIASES:
            if vocabulary is choices:
                for canon, words in aliases.items():
                    for word in words:
                        keys.setdefault(normalise_header(word), canon)
        _CHOICE_KEYS[id(choices)] = keys
    return keys.get(normalise_header(value))
