"""Large, realistic campaign workbooks for scripts/bench (and any test that needs volume).

A generated campaign looks like an agency's real plan, only bigger: a kickoff
and proposal, then one workstream per creative asset running through the
stages of DESIGN.md (brief → first draft → internal review → client review →
revisions → compliance review → final → asset production → sign-off), with
an occasional link to an earlier stream (a shared visual, a reused claim).
The launch is placed so that today falls about 40 % into the plan; statuses
then follow the plan: most work due before today is Done (some late), a few
rows are Blocked, the rest has not started. Everything is seeded.

The workbook itself is the real template (``sheetsync.template.write_campaign``)
with rows added through the same XlsxWriter workbook.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import xlsxwriter

from sheetsync.contract import IN_PROGRESS, NOT_STARTED, SETTINGS, STATUS_BLOCKED, STATUS_DONE, sheet_spec
from sheetsync.engine.calendar import WorkCalendar
from sheetsync.engine.schedule import Task, schedule
from sheetsync.template import write_campaign

TODAY = dt.date(2026, 3, 2)  # a Monday, after the 2026 Spring Festival make-up workdays
COUNTRY = "CN"
TODAY_FRACTION = 0.4  # how far into the plan today falls

# (stage, shortest, longest duration in working days)
STAGES = (
    ("Brief", 1, 2),
    ("First draft", 2, 5),
    ("Internal review", 1, 2),
    ("Client review", 1, 2),
    ("Revisions", 1, 3),
    ("Compliance review", 1, 2),
    ("Final version", 1, 1),
    ("Asset production", 2, 5),
    ("Sign-off", 0, 0),
)
ASSET_KINDS = ("XHS note", "Douyin script", "Splash poster", "KOL brief", "Banner set", "Live-stream script",
               "WeChat article", "Short video")
ROLES = ("Account manager", "Creative lead", "Copywriter", "Designer", "Data analyst", "Media buyer",
         "Compliance reviewer", "Client contact", "KOL manager", "Producer")
SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu")
GIVEN = ("Lei", "Na", "Min", "Yang", "Jing", "Chen", "Wei", "Fang", "Jun", "Hui", "Tao", "Yan", "Qiang", "Xin")
COPY = (
    "Late nights? Qinrun Repair Serum: visibly brighter skin in 7 days, gentle enough for sensitive skin.",
    "Qinrun Repair Serum with pro-xylane: keep using it for brighter skin; gentle formula.",
    "The best repair serum on the whole internet! One bottle fixes every skin problem, or your money back.",
    "New | Qinrun Repair Serum: glow every day.",
    "Dermatologist-tested serum that cures acne and removes wrinkles permanently.",
    "Ad | Spring offer: 100 yuan off your first Qinrun order, while stocks last.",
    "Hydration that lasts all day, for every skin type.",
    "No.1 choice of beauty editors, guaranteed results or a full refund.",
)
REQUESTS = (
    "Make the logo larger in the first frame", "Add the ingredient story", "Send competitor references",
    "Confirm the KOL list and rates", "Shorten the script to 15 seconds", "Use the spring colour palette",
    "Replace the product shot", "Add the promotion end date",
)
INDICATORS = (
    ("single_points_of_failure", ">= 2"), ("overdue_tasks", ">= 1"), ("open_compliance_findings", ">= 1"),
    ("launch_slip_days", ">= 1"), ("working_days_to_launch", "<= 5"),
)


@dataclass
class Campaign:
    """A generated campaign: the plan the engine sees and every sheet's rows (canonical column names)."""

    today: dt.date
    launch: dt.date
    tasks: list[Task]
    rows: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    raci_roles: tuple[str, ...] = ROLES
    settings: dict[str, object] = field(default_factory=dict)


def campaign_tasks(n: int, seed: int = 1, today: dt.date = TODAY) -> tuple[dt.date, list[Task]]:
    """A launch date and n Timeline tasks T1..Tn: dependencies, buffers, some fixed dues, statuses from the plan."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    streams: list[list[str]] = []  # task IDs of each stream, by stage

    def add(name: str, owner: str, duration: int, depends: tuple[str, ...]) -> str:
        tid = f"T{len(tasks) + 1}"
        buffer = rng.choice((0, 0, 0, 1, 1, 2))
        tasks.append(Task(tid, duration, buffer, depends, row=len(tasks) + 2, owner=owner, name=name))
        return tid

    kickoff = add("Kickoff", ROLES[0], 2, ())
    proposal = add("Proposal & budget", ROLES[0], min(n, 3), (kickoff,)) if n > 1 else kickoff
    while len(tasks) < n:
        asset = f"{rng.choice(ASSET_KINDS)} #{len(streams) + 1}"
        length = rng.randint(4, len(STAGES))
        stream: list[str] = []
        for stage, (label, low, high) in enumerate(STAGES[:length]):
            if len(tasks) >= n:
                break
            depends = [stream[-1] if stream else proposal]
            earlier = [s for s in streams[-20:] if len(s) >= stage]
            if stage and earlier and rng.random() < 0.3:
                other = rng.choice(earlier)[rng.randrange(stage)]
                if other not in depends:
                    depends.append(other)
            duration = rng.randint(low, high) if rng.random() < 0.9 else rng.randint(0, 5)
            stream.append(add(f"{asset}: {label}", rng.choice(ROLES), duration, tuple(depends)))
        streams.append(stream)

    calendar = WorkCalendar(COUNTRY)
    plan = schedule(tasks, launch=today, calendar=calendar, today=today)
    # Fixed dues: a platform cut-off or a client meeting a little before the natural due date.
    for i, task in enumerate(tasks):
        if rng.random() < 0.04:
            natural = plan.tasks[task.id].due
            tasks[i] = replace(task, fixed_due=natural - dt.timedelta(days=rng.randint(0, 3)))
    plan = schedule(tasks, launch=today, calendar=calendar, today=today)
    earliest = min(d.start for d in plan.tasks.values())
    span = calendar.workdays_between(earliest, today)
    launch = calendar.add_workdays(today, math.ceil(span * (1 - TODAY_FRACTION)))
    plan = schedule(tasks, launch=launch, calendar=calendar, today=today)

    for i, task in enumerate(tasks):
        dates = plan.tasks[task.id]
        roll = rng.random()
        done_on = None
        if dates.due < today:
            status = STATUS_DONE if roll < 0.85 else IN_PROGRESS if roll < 0.93 else STATUS_BLOCKED
            if status == STATUS_DONE:
                done_on = min(calendar.add_workdays(dates.due, rng.choice((-1, 0, 0, 0, 1, 2))), today)
        elif dates.start <= today:
            status = IN_PROGRESS if roll < 0.6 else NOT_STARTED if roll < 0.9 else STATUS_BLOCKED
        else:
            status = NOT_STARTED if roll < 0.97 else STATUS_BLOCKED if roll < 0.99 else IN_PROGRESS
        tasks[i] = replace(task, status=status, done_on=done_on)
    return launch, tasks


def generate_campaign(n: int, seed: int = 1, today: dt.date = TODAY) -> Campaign:
    """n Timeline rows, 4n Reviews rows, and Team, RACI, Risks and Feedback rows in proportion."""
    launch, tasks = campaign_tasks(n, seed, today)
    rng = random.Random(seed + 1)
    campaign = Campaign(today, launch, tasks)
    campaign.settings = {
        "Project name": f"Qinrun Repair Serum launch ({n} rows)",
        "Client": "Qinrun Skincare",
        "Launch date": launch,
        "Calendar": COUNTRY,
        "Market": "en",
        "Industry": "cosmetics",
    }
    people = _team(rng, max(6, n // 25))
    names = [p["Name"] for p in people]
    clients = [p["Name"] for p in people if p["Side"] == "client"] or names[:1]
    campaign.rows = {
        "Timeline": [_timeline_row(t, rng) for t in tasks],
        "Team": people,
        "RACI": _raci(rng, tasks, max(5, n // 4)),
        "Reviews": _reviews(rng, tasks, names, 4 * n, today),
        "Risks": _risks(rng, names, max(5, n // 50)),
        "Feedback": _feedback(rng, tasks, names, clients, max(4, n // 5), today),
    }
    return campaign


def _timeline_row(task: Task, rng: random.Random) -> dict[str, object]:
    row: dict[str, object] = {
        "ID": task.id,
        "Milestone": task.name,
        "Owner": task.owner,
        "Depends on": ", ".join(task.depends_on),
        "Duration": task.duration,
        "Buffer": task.buffer,
        "Fixed due": task.fixed_due,
        "Status": task.status,
        "Done on": task.done_on,
    }
    if rng.random() < 0.1:
        row["Notes"] = rng.choice(REQUESTS)
    return row


def _team(rng: random.Random, count: int) -> list[dict[str, object]]:
    people = []
    for i in range(count):
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {i + 1}"
        side = "client" if rng.random() < 0.2 else "agency"
        people.append({
            "Name": name,
            "Role": rng.choice(ROLES),
            "Email": name.lower().replace(" ", ".") + f"@{'brand' if side == 'client' else 'agency'}.example.com",
            "Side": side,
            "Digest": rng.choice(("brief", "brief", "detailed", "none")),
            "Cadence": rng.choice(("daily", "daily", "weekly", "none")),
        })
    return people


def _raci(rng: random.Random, tasks: list[Task], count: int) -> list[dict[str, object]]:
    rows = []
    for task in rng.sample(tasks, min(count, len(tasks))):
        roles = rng.sample(ROLES, rng.randint(3, 6))
        row: dict[str, object] = {"Activity": task.id, roles[0]: "A" if rng.random() < 0.7 else "A/R", roles[1]: "R"}
        for role in roles[2:]:
            row[role] = rng.choice(("C", "I", "I"))
        rows.append(row)
    return rows


def _reviews(rng: random.Random, tasks: list[Task], names: list[str], count: int, today: dt.date):
    assets = sorted({t.name.split(":")[0] for t in tasks if ":" in t.name}) or ["Splash poster #1"]
    rows: list[dict[str, object]] = []
    variant = 0
    while len(rows) < count:
        for asset in assets:
            label = asset if variant == 0 else f"{asset} v{variant + 1}"
            day = today - dt.timedelta(days=rng.randint(5, 60))
            stopped = False
            for round_no in range(1, rng.randint(1, 4) + 1):
                for stage in ("Internal", "Client", "Compliance"):
                    if len(rows) >= count or stopped:
                        break
                    roll = rng.random()
                    decision = ("Approved" if roll < 0.6 else "Changes requested" if roll < 0.85
                                else "Pending" if roll < 0.96 else "Rejected")
                    submitted = min(day, today)
                    decided = min(submitted + dt.timedelta(days=rng.randint(0, 4)), today)
                    row: dict[str, object] = {
                        "Asset": label,
                        "Round": round_no,
                        "Stage": stage,
                        "Reviewer": rng.choice(names),
                        "Submitted on": submitted,
                        "Decision": decision,
                        "Decided on": None if decision == "Pending" else decided,
                        "Copy": rng.choice(COPY),
                    }
                    if decision != "Approved" and rng.random() < 0.7:
                        row["Comments"] = rng.choice(REQUESTS)
                    rows.append(row)
                    day = decided + dt.timedelta(days=1)
                    if decision != "Approved":
                        stopped = decision != "Changes requested"
                        break
            if len(rows) >= count:
                break
        variant += 1
    return rows


def _risks(rng: random.Random, names: list[str], count: int) -> list[dict[str, object]]:
    rows = []
    for i in range(count):
        indicator, threshold = INDICATORS[i % len(INDICATORS)]
        rows.append({
            "ID": f"R{i + 1}",
            "Risk": rng.choice(("Key person leaves", "Ad account upload fails", "Platform changes its review rules",
                                "Launch date slips", "Client approvals stall")),
            "Category": rng.choice(("People", "Technical", "Platform", "Schedule")),
            "Indicator": indicator,
            "Threshold": threshold,
            "Owner": rng.choice(names),
            "Contingency plan": "Keep a back-up owner and an approved fallback; tell the client the same day.",
        })
    return rows


def _feedback(rng, tasks: list[Task], names: list[str], clients: list[str], count: int, today: dt.date):
    rows = []
    for _ in range(count):
        received = today - dt.timedelta(days=rng.randint(0, 40))
        status = rng.choice(("Open", "In progress", "Done", "Done", "Won't do"))
        row: dict[str, object] = {
            "Received on": received,
            "From": rng.choice(clients),
            "Request": rng.choice(REQUESTS),
            "Related to": rng.choice(tasks).id,
            "Owner": rng.choice(names),
            "Status": status,
        }
        if rng.random() < 0.6:
            row["Agreed due"] = received + dt.timedelta(days=rng.randint(1, 7))
        if status in ("Done", "Won't do"):
            row["Closed on"] = min(received + dt.timedelta(days=rng.randint(0, 6)), today)
        rows.append(row)
    return rows


def write_campaign_workbook(path: str | Path, campaign: Campaign) -> Path:
    """The template (English) with the campaign's settings and rows filled in."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime(2025, 1, 1)})
    sheets = write_campaign(workbook, lang="en", launch=campaign.launch)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    header_format = workbook.add_format({"bold": True, "border": 1, "bg_color": "#F2F2F2"})

    project = sheets["Project"]
    for row, setting in enumerate(SETTINGS, start=1):
        if setting.name in campaign.settings:
            _write(project, row, 1, campaign.settings[setting.name], date_format)

    for name, rows in campaign.rows.items():
        sheet = sheets[name]
        columns = [c.name for c in sheet_spec(name).columns]
        if name == "RACI":
            for role in campaign.raci_roles:
                sheet.write_string(0, len(columns), role, header_format)
                columns.append(role)
        index = {column: i for i, column in enumerate(columns)}
        for r, values in enumerate(rows, start=1):
            for key, value in values.items():
                _write(sheet, r, index[key], value, date_format)
    workbook.close()
    return path


def _write(sheet, row: int, col: int, value: object, date_format) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, value, date_format)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))


def build_campaign_workbook(path: str | Path, n: int, seed: int = 1, today: dt.date = TODAY) -> Campaign:
    """Generate a campaign of n Timeline rows and write it at `path`; return the campaign."""
    campaign = generate_campaign(n, seed, today)
    write_campaign_workbook(path, campaign)
    return campaign
