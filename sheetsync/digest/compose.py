"""Compose each person's digest from one analysis of the workbook.

Brief (busy clients): the launch status in the subject, then a few lines — the
next milestone, counts of overdue and due-soon work, and what waits on this
person. Detailed (the team): that plus tables, what changed since this person's
previous digest, and the timeline picture. RACI routes escalation: the person
accountable (A) for an overdue task hears about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..analysis import Analysis
from ..contract import DUE_SOON, OK, normalise_header
from ..outcomes import TaskResult
from .model import Digest, GanttBar, Recipient, Table, one_line

MAX_BRIEF_LINES = 8
SOON_WORKDAYS = 5

TEXT = {
    "en": {
        "on_track": "Launch {date}: on track",
        "at_risk": "Launch {date}: at risk by {n} working day{s} (projected {projected})",
        "no_plan": "Launch: not planned yet (see the Problems sheet)",
        "next": "Next: {id} {name}, due {due}{flag}",
        "nothing_next": "Every timeline task is done.",
        "counts": "Overdue: {tasks} tasks, {reviews} reviews, {feedback} client requests · due soon: {soon}",
        "waiting": "Waiting on you:",
        "none_waiting": "Nothing is waiting on you.",
        "task": "{id} {name}: due {due} ({flag})",
        "escalate": "{id} {name} is overdue and you are accountable (owner {owner})",
        "review": "review {asset} round {round} ({stage}), pending {age} working days",
        "feedback": 'client request "{request}" ({related}), due {due}',
        "more": "… and {n} more",
        "t_overdue": "Overdue",
        "t_soon": "Due in the next 5 working days",
        "t_reviews": "Reviews by stage",
        "t_risks": "Triggered risks",
        "t_feedback": "Open client feedback",
        "c_task": ("ID", "Task", "Owner", "Due", "Projected", "Flag"),
        "c_review": ("Stage", "Asset", "Round", "Reviewer", "Submitted", "Age (working days)", "Flag"),
        "c_risk": ("ID", "Risk", "Indicator", "Now", "Threshold", "Owner", "Contingency plan"),
        "c_feedback": ("Received", "From", "Request", "Related to", "Owner", "Due", "Flag"),
        "empty": "None.",
        "first": "This is your first digest for this project.",
        "no_change": "Nothing changed since your last digest.",
        "ch_flag": "{id} {name}: {old} → {new}",
        "ch_projected": "{id} {name}: projected {old} → {new}",
        "ch_new_task": "New task {id} {name}",
        "ch_launch": "Launch: {old} → {new}",
        "ch_risk": "Risk {id} {risk}: {old} → {new}",
        "ch_feedback_new": 'New client request: "{request}"',
        "ch_feedback": 'Client request "{request}": {old} → {new}',
        "ch_review": "Review {key}: {old} → {new}",
        "subject": "[{project}] {headline}",
        "footer": (
            "Sent by sheetsync for {project} on {today}. "
            "You get a {kind} digest {cadence}; change it in the Team sheet."
        ),
        "daily": "every working day",
        "weekly": "on Mondays",
        "brief": "brief",
        "detailed": "detailed",
    },
    "zh": {
        "on_track": "上线日期 {date}：按计划进行",
        "at_risk": "上线日期 {date}：有延误风险，预计晚 {n} 个工作日（预计 {projected}）",
        "no_plan": "上线计划尚未排出（请查看“问题”工作表）",
        "next": "下一项：{id} {name}，截止 {due}{flag}",
        "nothing_next": "时间表上的任务均已完成。",
        "counts": "已逾期：任务 {tasks} 项、审核 {reviews} 项、客户反馈 {feedback} 项 · 临近截止：{soon} 项",
        "waiting": "等你处理：",
        "none_waiting": "目前没有等你处理的事项。",
        "task": "{id} {name}：截止 {due}（{flag}）",
        "escalate": "{id} {name} 已逾期，你是负责人（A），执行人 {owner}",
        "review": "审核 {asset} 第 {round} 轮（{stage}），已等待 {age} 个工作日",
        "feedback": "客户反馈“{request}”（{related}），截止 {due}",
        "more": "……另有 {n} 项",
        "t_overdue": "已逾期",
        "t_soon": "未来 5 个工作日内截止",
        "t_reviews": "各阶段审核",
        "t_risks": "已触发的风险",
        "t_feedback": "未关闭的客户反馈",
        "c_task": ("编号", "任务", "负责人", "截止", "预计完成", "标记"),
        "c_review": ("阶段", "素材", "轮次", "审核人", "提交日期", "已等待（工作日）", "标记"),
        "c_risk": ("编号", "风险", "指标", "当前值", "阈值", "负责人", "应对预案"),
        "c_feedback": ("收到日期", "提出人", "内容", "关联", "负责人", "截止", "标记"),
        "empty": "无。",
        "first": "这是你在本项目收到的第一份摘要。",
        "no_change": "自上次摘要以来没有变化。",
        "ch_flag": "{id} {name}：{old} → {new}",
        "ch_projected": "{id} {name}：预计完成 {old} → {new}",
        "ch_new_task": "新任务 {id} {name}",
        "ch_launch": "上线：{old} → {new}",
        "ch_risk": "风险 {id} {risk}：{old} → {new}",
        "ch_feedback_new": "新的客户反馈：“{request}”",
        "ch_feedback": "客户反馈“{request}”：{old} → {new}",
        "ch_review": "审核 {key}：{old} → {new}",
        "subject": "【{project}】{headline}",
        "footer": (
            "本邮件由 sheetsync 于 {today} 为 {project} 发送。"
            "你订阅的是{kind}摘要（{cadence}），可在“团队”工作表中修改。"
        ),
        "daily": "每个工作日",
        "weekly": "每周一",
        "brief": "简要",
        "detailed": "详细",
    },
}
def is_due(recipient: Recipient, today: dt.date) -> bool:
    """Cadence: daily digests go out on every run, weekly ones on Mondays."""
    if recipient.kind == "none" or recipient.cadence == "none":
        return False
    return recipient.cadence == "daily" or (recipient.cadence == "weekly" and today.weekday() == 0)


def recipients(analysis: Analysis, *, to: str | None = None) -> list[Recipient]:
    """Team members who get a digest today (or exactly the one whose email is `to`, whatever the cadence)."""
    out = []
    view = analysis.team.view if analysis.team else None
    for m in analysis.team.members if analysis.team else []:
        cell = f"{view.title}!{view.locate(m.row, 'Email')}" if view is not None else ""
        r = Recipient(m.name, m.email, m.role, m.side or "agency", m.digest, m.cadence, cell)
        if to is not None:
            if m.email.casefold() == to.casefold():
                out.append(r if r.kind != "none" else replace(r, kind="brief", cadence="daily"))
        elif is_due(r, analysis.today):
            out.append(r)
    return out


@dataclass
class _Who:
    """Whether a workbook name (a person or a role) means this recipient."""

    keys: set[str]

    @classmethod
    def of(cls, r: Recipient) -> _Who:
        return cls({normalise_header(r.name)} | ({normalise_header(r.role)} if r.role else set()))

    def __call__(self, name: str) -> bool:
        return bool(name) and normalise_header(name) in self.keys


def compose(analysis: Analysis, recipient: Recipient, previous: dict | None) -> tuple[Digest, dict]:
    """One person's digest, and the snapshot to compare against next time."""
    settings = analysis.settings
    lang = settings.market if settings.market in TEXT else "en"
    t = TEXT[lang]
    project = one_line(settings.project_name or "campaign")
    headline = _headline(analysis, t)
    digest = Digest(
        recipient=recipient,
        lang=lang,
        project=project,
        today=analysis.today,
        subject=one_line(t["subject"].format(project=project, headline=headline)),
        headline=headline,
        launch=settings.launch_date,
        projected_launch=analysis.launch.projected if analysis.launch else None,
        sheet_link=settings.sheet_link,
        footer=t["footer"].format(
            project=project, today=analysis.today.isoformat(), kind=t[recipient.kind], cadence=t[recipient.cadence]
        ),
    )
    lines = [_next_line(analysis, t), _counts_line(analysis, t)]
    waiting = _waiting(analysis, recipient, t)
    digest.waiting = waiting
    room = MAX_BRIEF_LINES - len(lines) - 1
    if recipient.kind == "detailed":
        pass  # the renderer shows `waiting` as its own section of a detailed digest
    elif waiting:
        shown = waiting if len(waiting) <= room else [*waiting[: room - 1], t["more"].format(n=len(waiting) - room + 1)]
        lines += [t["waiting"], *(f"• {w}" for w in shown)]
    else:
        lines.append(t["none_waiting"])
    digest.lines = lines
    snapshot = _snapshot(analysis)
    if digest.detailed:
        digest.tables = _tables(analysis, t)
        digest.changes = _changes(previous, snapshot, analysis, t)
        digest.gantt = _gantt(analysis)
    return digest, snapshot


# --- brief ----------------------------------------------------------------------


def _headline(a: Analysis, t: dict) -> str:
    launch = a.launch
    if launch is None:
        return t["no_plan"]
    if launch.at_risk:
        n = launch.slip_days
        return t["at_risk"].format(
            date=launch.date.isoformat(), n=n, s="" if n == 1 else "s", projected=launch.projected.isoformat()
        )
    return t["on_track"].format(date=launch.date.isoformat())


def _next_line(a: Analysis, t: dict) -> str:
    upcoming = [r for r in a.open_tasks() if not r.overdue] or a.open_tasks()
    if not upcoming:
        return t["nothing_next"]
    first = upcoming[0]
    flag = f" ({first.flag})" if first.flag != OK else ""
    return t["next"].format(id=first.task.id, name=first.task.name, due=first.due.isoformat(), flag=flag)


def _counts_line(a: Analysis, t: dict) -> str:
    overdue = a.overdue()
    soon = sum(1 for r in a.open_tasks() if r.flag == DUE_SOON)
    return t["counts"].format(
        tasks=len(overdue.tasks), reviews=len(overdue.reviews), feedback=len(overdue.feedback), soon=soon
    )


def _waiting(a: Analysis, r: Recipient, t: dict) -> list[str]:
    me = _Who.of(r)
    items: list[str] = []
    for result in a.open_tasks():
        task = result.task
        if me(task.owner):
            items.append(t["task"].format(id=task.id, name=task.name, due=result.due.isoformat(), flag=result.flag))
        elif result.overdue and a.raci_result and any(me(w) for w in a.raci_result.holders(task.id, "A")):
            items.append(t["escalate"].format(id=task.id, name=task.name, owner=task.owner or "?"))
    for pending in a.pending_reviews():
        review = pending.review
        if me(review.reviewer):
            stage = review.stage or "?"
            items.append(t["review"].format(asset=review.asset, round=review.round, stage=stage, age=pending.age or 0))
    for request in a.open_feedback():
        item = request.item
        if me(item.owner):
            due = request.due.isoformat()
            items.append(t["feedback"].format(request=item.request, related=item.related_to, due=due))
    return items


# --- detailed ---------------------------------------------------------------------


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _task_row(r: TaskResult) -> tuple[str, ...]:
    return (r.task.id, r.task.name, r.task.owner, _day(r.due), _day(r.projected_due), r.flag)


def _tables(a: Analysis, t: dict) -> list[Table]:
    overdue = a.overdue()
    overdue_rows = [_task_row(r) for r in sorted(overdue.tasks, key=TaskResult.soonest_first)]
    for late in overdue.reviews:
        review = late.review
        overdue_rows.append(
            (
                f"{review.asset} r{review.round}",
                f"{review.stage} review, pending {late.age} working days",
                review.reviewer,
                "",
                "",
                late.flag,
            )
        )
    for late in overdue.feedback:
        overdue_rows.append((late.item.related_to, late.item.request, late.item.owner, _day(late.due), "", late.flag))
    tables = [Table(t["t_overdue"], t["c_task"], tuple(overdue_rows), t["empty"])]

    soon_rows = tuple(_task_row(r) for r in a.due_soon(SOON_WORKDAYS))
    tables.append(Table(t["t_soon"], t["c_task"], soon_rows, t["empty"]))

    review_rows = tuple(
        (
            r.review.stage or "",
            r.review.asset,
            str(r.review.round),
            r.review.reviewer,
            _day(r.review.submitted_on),
            "" if r.age is None else str(r.age),
            r.flag,
        )
        for r in a.reviews_by_stage()
    )
    tables.append(Table(t["t_reviews"], t["c_review"], review_rows, t["empty"]))

    risk_rows = tuple(
        (r.risk.id, r.risk.risk, r.risk.indicator, str(r.current), str(r.risk.threshold), r.risk.owner, r.risk.plan)
        for r in a.triggered_risks()
    )
    tables.append(Table(t["t_risks"], t["c_risk"], risk_rows, t["empty"]))

    feedback_rows = tuple(
        (
            _day(r.item.received_on),
            r.item.sender,
            r.item.request,
            r.item.related_to,
            r.item.owner,
            _day(r.due),
            r.flag,
        )
        for r in a.open_feedback()
    )
    tables.append(Table(t["t_feedback"], t["c_feedback"], feedback_rows, t["empty"]))
    return tables


def _gantt(a: Analysis) -> list[GanttBar]:
    return [
        GanttBar(r.task.id, r.dates.start, r.due, r.projected_due, r.flag, r.task.is_milestone)
        for r in a.task_results()
    ]


# --- what changed -------------------------------------------------------------------


def _snapshot(a: Analysis) -> dict:
    """What the next digest compares against: flags and projections by stable keys."""
    snap: dict = {"launch": _headline(a, TEXT["en"]), "tasks": {}, "reviews": {}, "feedback": {}, "risks": {}}
    for r in a.task_results():
        snap["tasks"][r.task.id] = {"name": r.task.name, "flag": r.flag, "projected": r.projected_due.isoformat()}
    for r in a.review_results():
        snap["reviews"][f"{r.review.asset} r{r.review.round} {r.review.stage}"] = r.flag
    for r in a.feedback_results():
        key = f"{_day(r.item.received_on)} {r.item.request}"
        snap["feedback"][key] = {"request": r.item.request, "flag": r.flag}
    for r in a.risk_results():
        snap["risks"][r.risk.id] = {"risk": r.risk.risk, "flag": r.flag}
    return snap


def _changes(previous: dict | None, now: dict, a: Analysis, t: dict) -> list[str]:
    if previous is None:
        return [t["first"]]
    out: list[str] = []
    if previous.get("launch") != now["launch"]:
        out.append(t["ch_launch"].format(old=previous.get("launch"), new=now["launch"]))
    before_tasks = previous.get("tasks", {})
    for tid, cur in now["tasks"].items():
        old = before_tasks.get(tid)
        if old is None:
            out.append(t["ch_new_task"].format(id=tid, name=cur["name"]))
            continue
        if old.get("flag") != cur["flag"]:
            out.append(t["ch_flag"].format(id=tid, name=cur["name"], old=old.get("flag"), new=cur["flag"]))
        elif old.get("projected") != cur["projected"]:
            out.append(
                t["ch_projected"].format(id=tid, name=cur["name"], old=old.get("projected"), new=cur["projected"])
            )
    for key, flag in now["reviews"].items():
        old = previous.get("reviews", {}).get(key)
        if old != flag:
            out.append(t["ch_review"].format(key=key, old=old or "—", new=flag))
    for key, cur in now["feedback"].items():
        old = previous.get("feedback", {}).get(key)
        if old is None:
            out.append(t["ch_feedback_new"].format(request=cur["request"]))
        elif old.get("flag") != cur["flag"]:
            out.append(t["ch_feedback"].format(request=cur["request"], old=old.get("flag"), new=cur["flag"]))
    for rid, cur in now["risks"].items():
        old = previous.get("risks", {}).get(rid)
        if old is not None and old.get("flag") != cur["flag"]:
            out.append(t["ch_risk"].format(id=rid, risk=cur["risk"], old=old.get("flag"), new=cur["flag"]))
    return out or [t["no_change"]]
