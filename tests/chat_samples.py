"""Platform-neutral chat messages for the platform modules' tests (zh and en; brief, detailed and very long).

They are what chat/compose.py makes of the demo book; the platform tests render
them and post them to the local fakes, so each platform is tested on the same words.
"""

from __future__ import annotations

import io

from PIL import Image

from sheetsync.chat.model import ChatMessage, Mention, Section

LINK = "https://docs.google.com/spreadsheets/d/1AbCdEfGh/edit"

ZHANG = Mention("张伟", "13800138000")  # a mobile number: DingTalk's atMobiles, WeCom's mentioned_mobile_list
LI = Mention("李娜", "lina")  # a user ID (WeCom userid / DingTalk userId)
WANG = Mention("王芳", "")  # no Chat cell: named, not @-mentioned
ALICE = Mention("Alice Chen", "U024BE7LH")  # a Slack member ID
BOB = Mention("Bob Li", "ou_7d8a6e6df7621556ce0d21922b676706")  # a Feishu open_id


def png(width: int = 600, height: int = 200) -> bytes:
    """A real PNG, like the digest's timeline picture."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 244, 250)).save(buffer, format="PNG")
    return buffer.getvalue()


def zh_brief(**changes: object) -> ChatMessage:
    message = ChatMessage(
        channel="项目群",
        platform="wecom",
        kind="brief",
        lang="zh",
        title="[春季新品上市] 上线有风险：预计 2026-12-22，计划 2026-12-18",
        headline="上线有风险：预计 2026-12-22，计划 2026-12-18（晚 2 个工作日）",
        lines=["下一个里程碑：T7 客户定稿，截止 2026-12-09", "逾期 2 项，即将到期 3 项"],
        waiting=[
            (ZHANG, ["T5 文案撰写：截止 2026-12-08（逾期）", "审核 A1 第 2 轮（客户），已等待 3 个工作日"]),
            (LI, ["T6 设计初稿：截止 2026-12-10（即将到期）"]),
            (WANG, ["客户需求“主图换成蓝色”（T6），截止 2026-12-11"]),
        ],
        link=LINK,
        footer="春季新品上市 · 2026-12-07 · sheetsync",
    )
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def zh_detailed(**changes: object) -> ChatMessage:
    message = zh_brief(kind="detailed", image=png())
    message.sections = [
        Section("逾期", ("T5 文案撰写 · 张伟 · 截止 2026-12-08", "T3 达人名单 · 李娜 · 截止 2026-12-04")),
        Section("触发的风险", ("R2 客户反馈延迟：当前 4 ≥ 3；预案：升级到客户总监",)),
        Section("自上次摘要以来的变化", ("T5 即将到期 → 逾期",)),
    ]
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def en_brief(**changes: object) -> ChatMessage:
    message = ChatMessage(
        channel="launch-team",
        platform="slack",
        kind="brief",
        lang="en",
        title="[Spring launch] Launch at risk: projected 2026-12-22, planned 2026-12-18",
        headline="Launch at risk: projected 2026-12-22, planned 2026-12-18 (2 working days late)",
        lines=["Next milestone: T7 Client sign-off, due 2026-12-09", "2 overdue, 3 due soon"],
        waiting=[
            (ALICE, ["T5 Write copy: due 2026-12-08 (OVERDUE)", "review A1 round 2 (client), pending 3 working days"]),
            (BOB, ["T6 First design: due 2026-12-10 (DUE SOON)"]),
            (WANG, ['client request "make the hero blue" (T6), due 2026-12-11']),
        ],
        link=LINK,
        footer="Spring launch · 2026-12-07 · sheetsync",
    )
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def en_detailed(**changes: object) -> ChatMessage:
    message = en_brief(kind="detailed", image=png())
    message.sections = [
        Section("Overdue", ("T5 Write copy · Alice Chen · due 2026-12-08", "T3 Influencer list · Bob Li · due 2026-12-04")),
        Section("Triggered risks", ("R2 Client feedback late: now 4 >= 3; plan: escalate to the client director",)),
    ]
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def very_long(message: ChatMessage, rows: int = 400) -> ChatMessage:
    """The message with a section far beyond any platform's limit (a year-long book's overdue list)."""
    word = "任务" if message.lang == "zh" else "Task"
    extra = tuple(f"T{n} {word} {n} · 2026-12-{n % 28 + 1:02d} " + "x" * 40 for n in range(rows))
    message.sections = [*message.sections, Section("Overdue", extra)]
    return message
