"""The workbook contract: sheet and column names (English and Chinese), computed columns, vocabularies.

This module is the single place that knows what a campaign workbook looks
like; the parser, the template builder and every backend read it from here.
See DESIGN.md, "The workbook contract".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- vocabularies ---------------------------------------------------------
# Canonical (English) value → Chinese label. The parser accepts either; the
# Chinese template offers the Chinese labels in its dropdowns.

TASK_STATUS = {"Not started": "未开始", "In progress": "进行中", "Done": "已完成", "Blocked": "受阻"}
REVIEW_STAGE = {"Internal": "内部", "Client": "客户", "Compliance": "合规"}
REVIEW_DECISION = {"Pending": "待审", "Approved": "通过", "Changes requested": "需修改", "Rejected": "驳回"}
FEEDBACK_STATUS = {"Open": "待处理", "In progress": "进行中", "Done": "已完成", "Won't do": "不处理"}
TEAM_SIDE = {"agency": "代理方", "client": "客户方"}
DIGEST_KIND = {"brief": "简要", "detailed": "详细", "none": "无"}
CADENCE = {"daily": "每日", "weekly": "每周", "none": "无"}
MARKET = {"zh": "zh", "en": "en"}
INDUSTRY = {
    "general": "通用",
    "pharma": "药品",
    "medical_device": "医疗器械",
    "health_food": "保健食品",
    "finance": "金融",
    "education": "教育",
    "cosmetics": "化妆品",
}
RACI_LETTERS = ("R", "A", "C", "I")

# --- flags (plain words people filter on; the same in both languages) ------

OVERDUE = "OVERDUE"
DUE_SOON = "DUE SOON"
AT_RISK = "AT RISK"
BLOCKED = "BLOCKED"
DONE = "DONE"
DONE_LATE = "DONE LATE"
OK = "OK"
TIMELINE_FLAGS = (OVERDUE, DUE_SOON, AT_RISK, BLOCKED, DONE, DONE_LATE, OK)

# Reviews: workflow and copy flags, most urgent first (a row shows the first that applies).
APPROVED_WITH_FINDINGS = "APPROVED WITH FINDINGS"
REVISION_LOOP = "REVISION LOOP"
FINDINGS = "FINDINGS"
PENDING = "PENDING"
APPROVED = "APPROVED"
CHANGES_REQUESTED = "CHANGES REQUESTED"
REJECTED = "REJECTED"
REVIEW_FLAGS = (
    APPROVED_WITH_FINDINGS, REVISION_LOOP, OVERDUE, FINDINGS, DUE_SOON, PENDING, CHANGES_REQUESTED, REJECTED, APPROVED,
)
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
)
SEVERITY = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
# The Copy rules Category: a category id bans the term; "allowed" (允许) marks a term that is fine.
COPY_RULE_CATEGORIES = {**{c: c for c in COPY_CATEGORIES}, "allowed": "允许"}

# Row colours the template's conditional formats use, by flag (fill, font).
FLAG_COLOURS = {
    OVERDUE: ("FFC7CE", "9C0006"),
    DONE_LATE: ("FCE4D6", "833C0B"),
    AT_RISK: ("FFEB9C", "9C5700"),
    BLOCKED: ("D9D2E9", "3F3151"),
    DUE_SOON: ("FFF2CC", "7F6000"),
    DONE: ("C6EFCE", "006100"),
}
COMPUTED_HEADER_FILL = "DDEBF7"  # light blue: "sheetsync owns this column"
HUMAN_HEADER_FILL = "F2F2F2"


_WHITESPACE = re.compile(r"\s+")


def normalise_header(text: object) -> str:
    """Header matching key: case-insensitive, all whitespace removed."""
    return _WHITESPACE.sub("", str(text or "")).casefold()


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
    help: str = ""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.name

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
    help: str = ""

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
    Setting("Project name", "项目名称", "text", help="Shown in digests."),
    Setting("Client", "客户", "text"),
    Setting("Launch date", "上线日期", "date", help="The day the ads go live; every deadline is planned back from it."),
    Setting("Calendar", "日历", "country", default="", help="ISO country code for public holidays and make-up workdays (CN, US…); blank = Monday–Friday."),
    Setting("Extra holidays", "额外假日", "dates", default=(), help="Comma-separated dates the team does not work."),
    Setting("Extra workdays", "额外工作日", "dates", default=(), help="Comma-separated weekend dates the team works."),
    Setting("Due soon window", "临近提醒天数", "days", default=2, help="Working days before a due date that a task is flagged DUE SOON."),
    Setting("Review SLA", "审核时限", "days", default=2, help="Working days a reviewer has to decide."),
    Setting("Max revision rounds", "最多修改轮次", "int", default=3, help="Rounds beyond this flag REVISION LOOP."),
    Setting("Feedback response", "反馈响应天数", "days", default=2, help="Working days to answer client feedback."),
    Setting("Market", "市场", "choice", default="zh", choices=MARKET, help="zh or en: language of digests and copy rules."),
    Setting("Industry", "行业", "choice", default="general", choices=INDUSTRY, help="Decides which ad-copy rules apply."),
    Setting("Sheet link", "表格链接", "url", default="", help="Link to this workbook, shown in digests."),
    Setting("Today", "今天", "date", default=None, help="Optional: pins today's date (what-if and tests). Leave blank."),
)

TIMELINE = SheetSpec(
    "Timeline", "时间表",
    (
        C("ID", "编号", required=True, width=8),
        C("Milestone", "里程碑", required=True, width=28),
        C("Owner", "负责人", width=14),
        C("Depends on", "前置任务", kind="ids", width=12, help="IDs of tasks that must finish first, comma-separated."),
        C("Duration", "工期", kind="days", required=True, width=10, help="Working days; 0 = a milestone."),
        C("Buffer", "缓冲", kind="days", width=9, help="Working days kept free after this task."),
        C("Fixed due", "固定截止", kind="date", width=12, help="Optional: the task must end by this date."),
        C("Status", "状态", kind="choice", choices=TASK_STATUS, width=12),
        C("Done on", "完成日期", kind="date", width=12),
        C("Notes", "备注", width=30),
        C("Start", "开始", kind="date", computed=True, width=12),
        C("Due", "截止", kind="date", computed=True, width=12),
        C("Projected due", "预计完成", kind="date", computed=True, width=13),
        C("Slack", "余量", kind="int", computed=True, width=8),
        C("Flag", "标记", computed=True, width=12),
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
    ),
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
        C("Threshold", "阈值", kind="threshold", width=10, help="An operator and a number, such as >= 2."),
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
    ),
)

COPY_RULES = SheetSpec(
    "Copy rules", "文案规则",
    (
        C("Term", "词语", required=True, width=20, help="A word or phrase, matched as written (case-insensitive)."),
        # Not a dropdown: the twelve words exceed the 255 characters Excel allows in a list validation.
        C("Category", "类别", kind="category", choices=COPY_RULE_CATEGORIES, required=True, width=26, help="A category id for a banned term, or allowed."),
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

SHEETS: tuple[SheetSpec, ...] = (PROJECT, TIMELINE, RACI, TEAM, REVIEWS, RISKS, FEEDBACK, COPY_RULES, PROBLEMS, LOG)


def sheet_spec(name: str) -> SheetSpec:
    """The spec of a contract sheet by canonical name."""
    for spec in SHEETS:
        if spec.name == name:
            return spec
    raise KeyError(name)


_CHOICE_KEYS: dict[int, dict[str, str]] = {}


def canonical_choice(value: object, choices: dict[str, str]) -> str | None:
    """Map a cell's text to the canonical word of a vocabulary, in either language; None if unknown."""
    keys = _CHOICE_KEYS.get(id(choices))
    if keys is None:
        keys = {}
        for canon, zh in choices.items():
            keys[normalise_header(canon)] = canon
            keys.setdefault(normalise_header(zh), canon)
        _CHOICE_KEYS[id(choices)] = keys
    return keys.get(normalise_header(value))
