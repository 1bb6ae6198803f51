"""The demo campaign: a skincare serum launch on 小红书 and 抖音, run by an agency for a client brand.

Plain data, no spreadsheet library: ``layout.campaign_content`` hands it to
every format's builder (xlsx, Google Sheets), and tests reuse it. Values are exactly what the cells
of the chosen language show: choice columns hold that language's vocabulary
labels, dates are ``datetime.date``; computed columns are left out (sheetsync
fills them). RACI rows are keyed by ``Activity`` and the people's names, which
are the RACI sheet's person columns in ``demo_people`` order.

Dates are relative to ``today`` and ``launch`` so the demo always shows some
late work: with the default launch (twelve working days out) the first draft
was done late, the internal review is overdue, the audience targeting is
blocked, a client request has gone unanswered and the Douyin script still
waits for its internal review.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..contract import (
    CADENCE,
    CHAT_PLATFORM,
    DECISION_APPROVED,
    DECISION_CHANGES_REQUESTED,
    DECISION_PENDING,
    DIGEST_KIND,
    FEEDBACK_STATUS,
    IN_PROGRESS,
    MENTION_ALL,
    NOT_STARTED,
    REVIEW_DECISION,
    REVIEW_STAGE,
    STAGE_CLIENT,
    STAGE_COMPLIANCE,
    STAGE_INTERNAL,
    STATUS_BLOCKED,
    STATUS_DONE,
    STATUS_OPEN,
    TASK_STATUS,
    TEAM_SIDE,
)
from ..engine.risks import describe_indicator
from ..i18n import language
from .demo_money import money_rows, money_settings

DEFAULT_LAUNCH_WORKING_DAYS = 12

BASELINE_NAME = {"en": "Client sign-off", "zh": "客户确认"}


def first_run(book, *, today: date, lang: str, started_by: str):
    """The demo's first sync: it records the plan as the client signed it off (Workbook.baseline).

    The planned dates do not depend on the day they are recorded, so the digest shows the late internal
    review, and what it pushed, against the commitment. Returns the run's SyncReport.
    """
    return book.baseline(name=BASELINE_NAME.get(lang, BASELINE_NAME["en"]), today=today, started_by=started_by)


def shift_weekdays(day: date, count: int) -> date:
    """The date ``count`` Monday–Friday days after ``day`` (before it if negative); weekends are skipped.

    Deliberately simpler than the project calendar: the demo only needs
    plausible dates, and sheetsync recomputes every deadline itself.
    """
    step = 1 if count >= 0 else -1
    while count:
        day += timedelta(days=step)
        if day.weekday() < 5:
            count -= step
    return day


def demo_dates(launch: date | None = None, today: date | None = None) -> tuple[date, date]:
    """The (launch, today) pair the demo uses: today defaults to the real date, launch to 12 weekdays later."""
    today = today or date.today()
    launch = launch or shift_weekdays(today, DEFAULT_LAUNCH_WORKING_DAYS)
    return launch, today


# --- people ---------------------------------------------------------------
# (key, English name, Chinese name, English role, Chinese role, email, side, digest, cadence)

_PEOPLE = (
    ("lead", "Wang Lei", "王磊", "Creative lead", "创意总监",
     "wang.lei@agency.example.com", "agency", "detailed", "daily"),
    ("copy", "Li Na", "李娜", "Copywriter", "文案",
     "li.na@agency.example.com", "agency", "brief", "daily"),
    ("data", "Chen Chen", "陈晨", "Data analyst (data team)", "数据分析师（数据团队）",
     "chen.chen@agency.example.com", "agency", "brief", "daily"),
    ("am", "Zhang Min", "张敏", "Account manager", "客户经理",
     "zhang.min@agency.example.com", "agency", "detailed", "daily"),
    ("client", "Liu Yang", "刘洋", "Client contact", "客户对接人",
     "liu.yang@brand.example.com", "client", "brief", "weekly"),
    ("legal", "Zhao Jing", "赵静", "Compliance reviewer", "合规审核员",
     "zhao.jing@agency.example.com", "agency", "brief", "daily"),
)


# The Team's Chat cells: mobile numbers in the Chinese book (钉钉 and 企业微信 @ people by mobile),
# Slack member IDs in the English one. Made up, like the addresses.
_CHAT = {
    "lead": ("U01DEMOWL", "13800138001"),
    "copy": ("U01DEMOLN", "13800138002"),
    "data": ("U01DEMOCC", "13800138003"),
    "am": ("U01DEMOZM", "13800138004"),
    "client": ("", ""),
    "legal": ("U01DEMOZJ", "13800138006"),
}


def _name(key: str, lang: str) -> str:
    for person in _PEOPLE:
        if person[0] == key:
            return person[2] if lang == "zh" else person[1]
    raise KeyError(key)


def _label(canonical: str, vocabulary: dict[str, str], lang: str) -> str:
    return vocabulary[canonical] if lang == "zh" else canonical


def demo_people(lang: str) -> list[str]:
    """The team members' names, in Team order: also the RACI sheet's person columns."""
    return [_name(person[0], lang) for person in _PEOPLE]


# --- project ----------------------------------------------------------------


def demo_settings(lang: str, launch: date | None = None, today: date | None = None) -> dict[str, object]:
    """Project sheet values by canonical setting name; settings not listed keep their defaults."""
    launch, today = demo_dates(launch, today)
    zh = lang == "zh"
    return {
        "Project name": (
            "沁润修护精华 新品上市（小红书 / 抖音）" if zh else "Qinrun Repair Serum launch (Xiaohongshu / Douyin)"
        ),
        "Client": "沁润护肤" if zh else "Qinrun Skincare",
        "Launch date": launch,
        "Calendar": "CN",
        "Market": "zh" if zh else "en",
        "Industry": "cosmetics",
        **money_settings(launch),
    }


# --- timeline ---------------------------------------------------------------
# (ID, English milestone, Chinese milestone, owner key, depends on, duration, buffer)

_TASKS = (
    ("T1", "Kickoff & proposal", "启动会与方案", "am", "", 2, 1),
    ("T2", "Audience targeting package", "数据团队 投放人群包", "data", "T1", 4, 1),
    ("T3", "First draft (copy + visuals)", "初稿（文案 + 视觉）", "copy", "T1", 3, 0),
    ("T4", "Internal review", "内部审核", "lead", "T3", 1, 0),
    ("T5", "Client feedback & revisions", "客户反馈与修改", "copy", "T4", 2, 0),
    ("T6", "Client review", "客户审核", "client", "T5", 1, 0),
    ("T7", "Compliance review", "合规审核", "legal", "T6", 2, 1),
    ("T8", "Final version", "定稿", "copy", "T7", 1, 0),
    ("T9", "Asset production", "素材制作", "lead", "T8", 3, 1),
    ("T10", "Media booking", "媒介排期", "am", "T2", 2, 1),
    ("T11", "KOL briefing", "达人沟通与需求简报", "am", "T8", 2, 1),
    ("T12", "Upload & platform ad review", "上传素材与平台审核", "data", "T9, T10", 1, 1),
    ("T13", "Launch", "上线", "am", "T11, T12", 0, 0),
)

# RACI per task: person key → letters. Exactly one A per row, at least one R.
_RACI = {
    "T1": {"am": "A/R", "lead": "C", "data": "C", "client": "C", "copy": "I"},
    "T2": {"data": "R", "am": "A", "client": "C"},
    "T3": {"copy": "R", "lead": "A", "am": "I"},
    "T4": {"lead": "A/R", "copy": "C", "am": "I"},
    "T5": {"copy": "R", "lead": "A", "am": "C", "client": "C"},
    "T6": {"client": "R", "am": "A", "lead": "I"},
    "T7": {"legal": "R", "am": "A", "copy": "C"},
    "T8": {"copy": "R", "lead": "A", "legal": "I", "client": "I"},
    "T9": {"lead": "A/R", "copy": "C", "am": "I"},
    "T10": {"am": "A/R", "data": "C", "client": "I"},
    "T11": {"am": "A/R", "copy": "C", "lead": "I"},
    "T12": {"data": "R", "am": "A", "legal": "I"},
    "T13": {"am": "A", "data": "R", "lead": "R", "client": "I", "legal": "I", "copy": "I"},
}


def _timeline(lang: str, launch: date, today: date) -> list[dict[str, object]]:
    zh = lang == "zh"
    status = {  # the late work: T1 done on time, T3 done late, T4 overdue, T2 blocked
        "T1": (STATUS_DONE, shift_weekdays(today, -8)),
        "T2": (STATUS_BLOCKED, None),
        "T3": (STATUS_DONE, shift_weekdays(today, -1)),
        "T4": (IN_PROGRESS, None),
    }
    notes = {
        "T2": (
            "等待客户提供会员数据（第一方人群）" if zh else "Waiting for the client's member data (1st-party audience)"
        ),
        "T3": (
            "客户中途补充成分故事，返工两天" if zh else "Client added the ingredient story midway; two days of rework"
        ),
        "T10": "抖音开屏需提前锁定排期" if zh else "Douyin splash slots must be booked early",
    }
    rows = []
    for task_id, en, zh_name, owner, depends, duration, buffer in _TASKS:
        state, done_on = status.get(task_id, (NOT_STARTED, None))
        row: dict[str, object] = {
            "ID": task_id,
            "Milestone": zh_name if zh else en,
            "Owner": _name(owner, lang),
            "Depends on": depends,
            "Duration": duration,
            "Buffer": buffer,
            "Status": _label(state, TASK_STATUS, lang),
        }
        if task_id == "T10":
            row["Fixed due"] = shift_weekdays(launch, -6)  # the platform's booking cut-off
        if done_on:
            row["Done on"] = done_on
        if task_id in notes:
            row["Notes"] = notes[task_id]
        rows.append(row)
    return rows


def _raci(lang: str) -> list[dict[str, object]]:
    rows = []
    for task_id, en, zh_name, *_ in _TASKS:
        row: dict[str, object] = {"Activity": zh_name if lang == "zh" else en}
        for key, letters in _RACI[task_id].items():
            row[_name(key, lang)] = letters
        rows.append(row)
    return rows


def _team(lang: str) -> list[dict[str, object]]:
    zh = lang == "zh"
    return [
        {
            "Name": zh_name if zh else en_name,
            "Role": zh_role if zh else en_role,
            "Email": email,
            "Side": _label(side, TEAM_SIDE, lang),
            "Digest": _label(digest, DIGEST_KIND, lang),
            "Cadence": _label(cadence, CADENCE, lang),
            "Chat": _CHAT[key][zh],
        }
        for key, en_name, zh_name, en_role, zh_role, email, side, digest, cadence in _PEOPLE
    ]


def _channels(lang: str) -> list[dict[str, object]]:
    """The agency team's group chat: 企业微信 for the Chinese book, Slack for the English one."""
    if lang == "zh":
        return [{"Name": "项目群", "Platform": CHAT_PLATFORM["wecom"], "Digest": DIGEST_KIND["brief"],
                 "Cadence": CADENCE["daily"], "Mention": MENTION_ALL["all"]}]
    people = ", ".join(_name(key, lang) for key in ("copy", "am", "legal"))
    return [{"Name": "launch-team", "Platform": "slack", "Digest": "detailed", "Cadence": "daily", "Mention": people}]


# --- reviews ----------------------------------------------------------------

_COPY = {
    "note": {
        "zh": "熬夜党救星！沁润修护精华，7 天肉眼可见的透亮，温和不刺激，敏感肌也能放心用～",
        "en": "Late nights? Qinrun Repair Serum: visibly brighter skin in 7 days, gentle enough for sensitive skin.",
    },
    "note2": {
        "zh": "熬夜党救星！沁润修护精华，富含玻色因，坚持使用肌肤更透亮，温和配方敏感肌可用～",
        "en": "Late nights? Qinrun Repair Serum with pro-xylane: keep using it for brighter skin; gentle formula.",
    },
    "script": {
        "zh": "全网最好用的修护精华！一瓶解决所有肌肤问题，无效退款，现在下单立减 100 元！",
        "en": "The best repair serum on the whole internet! One bottle fixes every skin problem, "
              "or your money back. Order now and save 100 yuan!",
    },
    "poster": {
        "zh": "新品上市｜沁润修护精华，焕亮每一天。",
        "en": "New | Qinrun Repair Serum: glow every day.",
    },
}


def _reviews(lang: str, today: date) -> list[dict[str, object]]:
    zh = lang == "zh"
    lead, client, legal = _name("lead", lang), _name("client", lang), _name("legal", lang)
    note = "小红书种草笔记" if zh else "XHS note"
    script = "抖音口播脚本" if zh else "Douyin script"
    poster = "开屏海报" if zh else "Splash poster"

    def review(asset, round_no, stage, reviewer, submitted, decision, decided, copy, comments=""):
        row: dict[str, object] = {
            "Asset": asset,
            "Round": round_no,
            "Stage": _label(stage, REVIEW_STAGE, lang),
            "Reviewer": reviewer,
            "Submitted on": shift_weekdays(today, submitted),
            "Decision": _label(decision, REVIEW_DECISION, lang),
            "Copy": _COPY[copy]["zh" if zh else "en"],
        }
        if decided is not None:
            row["Decided on"] = shift_weekdays(today, decided)
        if comments:
            row["Comments"] = comments
        return row

    return [
        review(note, 1, STAGE_INTERNAL, lead, -7, DECISION_APPROVED, -6, "note"),
        review(note, 1, STAGE_CLIENT, client, -6, DECISION_CHANGES_REQUESTED, -4, "note",
               "突出玻色因成分；“7 天见效”太绝对，请改" if zh
               else "Lead with the pro-xylane ingredient; '7 days' is too absolute, please change"),
        review(note, 2, STAGE_INTERNAL, lead, -3, DECISION_APPROVED, -3, "note2"),
        review(note, 2, STAGE_CLIENT, client, -2, DECISION_PENDING, None, "note2"),
        review(script, 1, STAGE_INTERNAL, lead, -4, DECISION_PENDING, None, "script"),
        review(poster, 1, STAGE_INTERNAL, lead, -5, DECISION_APPROVED, -5, "poster"),
        review(poster, 1, STAGE_CLIENT, client, -4, DECISION_APPROVED, -3, "poster",
               "品牌标识再大一点" if zh else "Make the logo a bit larger"),
        review(poster, 1, STAGE_COMPLIANCE, legal, -1, DECISION_PENDING, None, "poster"),
    ]


# --- risks and feedback -------------------------------------------------------


def _indicator(code: str, lang: str) -> str:
    """How the demo's Risks row names an indicator: its code in English, what it counts in Chinese (both parse)."""
    with language(lang):
        return describe_indicator(code) if lang == "zh" else code


def _risks(lang: str) -> list[dict[str, object]]:
    zh = lang == "zh"
    lead, data, am, legal = (_name(k, lang) for k in ("lead", "data", "am", "legal"))
    rows = (
        ("R1", "关键人员离职或病假（文案只有一人）", "Key person leaves or falls ill (only one copywriter)",
         "人员", "People", "single_points_of_failure", ">= 2", lead,
         "每个素材配一名后备文案；需求简报与源文件统一放在共享盘。",
         "Pair a back-up copywriter on every asset; keep briefs and source files on the shared drive."),
        ("R2", "技术故障：投放账户或素材上传失败", "Technical failure: ad account or asset upload fails",
         "技术", "Technical", "overdue_tasks", ">= 1", data,
         "提前备好各平台规格的备用素材；与媒介代理确认备用投放账户。",
         "Keep back-up assets in every platform format; agree a spare ad account with the media agency."),
        ("R3", "平台调整广告审核规则", "The ad platform changes its review rules",
         "平台", "Platform", "open_compliance_findings", ">= 1", legal,
         "按最新的小红书 / 抖音规则复查文案；预先准备一版已过审的替代文案。",
         "Re-check the copy against the latest Xiaohongshu / Douyin rules; keep an approved fallback copy."),
        ("R4", "上线日期推迟", "The launch date slips",
         "进度", "Schedule", "launch_slip_days", ">= 1", am,
         "当天告知客户；砍掉第二波达人投放，保住主视觉素材按时上线。",
         "Tell the client the same day; drop the second KOL wave, keep the hero assets on time."),
        ("R5", "距上线时间所剩无几", "Little time left before launch",
         "进度", "Schedule", "working_days_to_launch", "<= 5", am,
         "每天 15 分钟站会；冻结需求范围；客户审核 24 小时内回复。",
         "Daily 15-minute stand-up; freeze the scope; client approvals within 24 hours."),
    )
    return [
        {
            "ID": rid,
            "Risk": risk_zh if zh else risk_en,
            "Category": cat_zh if zh else cat_en,
            "Indicator": _indicator(indicator, lang),
            "Threshold": threshold,
            "Owner": owner,
            "Contingency plan": plan_zh if zh else plan_en,
        }
        for rid, risk_zh, risk_en, cat_zh, cat_en, indicator, threshold, owner, plan_zh, plan_en in rows
    ]


def _feedback(lang: str, today: date) -> list[dict[str, object]]:
    zh = lang == "zh"
    client, copy, lead, am = (_name(k, lang) for k in ("client", "copy", "lead", "am"))

    def item(received, request_zh, request_en, related, owner, status, agreed=None, closed=None):
        row: dict[str, object] = {
            "Received on": shift_weekdays(today, received),
            "From": client,
            "Request": request_zh if zh else request_en,
            "Related to": related,
            "Owner": owner,
            "Status": _label(status, FEEDBACK_STATUS, lang),
        }
        if agreed is not None:
            row["Agreed due"] = shift_weekdays(today, agreed)
        if closed is not None:
            row["Closed on"] = shift_weekdays(today, closed)
        return row

    return [
        item(-10, "初稿加入玻色因成分故事", "Add the pro-xylane ingredient story to the first draft",
             "T3", copy, STATUS_DONE, agreed=-7, closed=-7),
        item(-5, "提供竞品小红书投放案例参考", "Send reference cases of competitors' Xiaohongshu campaigns",
             "T1", am, STATUS_DONE, agreed=-4, closed=-3),
        # Received well before today, no agreed due, still open: the classic unrecorded request.
        item(-6, "抖音视频首帧品牌标识放大", "Make the logo larger in the Douyin video's first frame",
             "T9", lead, STATUS_OPEN),
        item(-1, "确认达人名单和报价", "Confirm the KOL list and their rates",
             "T11", am, IN_PROGRESS, agreed=2),
    ]


def demo_rows(lang: str, launch: date | None = None, today: date | None = None) -> dict[str, list[dict[str, object]]]:
    """The demo's rows by canonical sheet name, each a dict of canonical column name → cell value."""
    launch, today = demo_dates(launch, today)
    return {
        "Timeline": _timeline(lang, launch, today),
        "RACI": _raci(lang),
        "Team": _team(lang),
        "Channels": _channels(lang),
        "Reviews": _reviews(lang, today),
        "Risks": _risks(lang),
        "Feedback": _feedback(lang, today),
        **money_rows(lang, launch, today, {p[0]: _name(p[0], lang) for p in _PEOPLE}),
    }
