"""Adversarial review of issue 15 (digests to group chats): each test is a defect a user would hit.

Every test asserts the behaviour the issue and the modules' own docstrings
promise, so it fails while the defect is there. Posting goes through
chat/post.py's `post_all` (or the CLI) to the local fakes in tests/fake_chat.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest
from chat_samples import ZHANG, en_brief, zh_brief
from fake_chat.wecom import FakeWeCom

import sheetsync.chat.post as post_module
from sheetsync.chat import dingtalk, feishu, slack, wecom
from sheetsync.chat.model import ChatMessage
from sheetsync.chat.post import ChannelPost, post_all
from sheetsync.chat.secrets import Webhook
from sheetsync.digest.ledger import Ledger
from sheetsync.parse.channels import Channel

TODAY = dt.date(2026, 12, 7)
SHEET = "/books/campaign.xlsx"
NOTE_WORDS = ("Posted again", "重发")  # the interrupted-run note, en and zh


def channel(name: str, platform: str, kind: str = "brief") -> Channel:
    return Channel(row=2, name=name, platform=platform, digest=kind, cadence="daily", mention_all=False,
                   mentions=(), cell="Channels!A2")


def post(message: ChatMessage, url: str, ledger: Ledger, secret: str | None = None, **options: object):
    """Post one channel's message the way deliver_chats does; returns its Delivery."""
    target = ChannelPost(channel(message.channel, message.platform, message.kind), message,
                         Webhook(url, secret, "SHEETSYNC_CHAT_TEST_URL"))
    options.setdefault("sleep", lambda seconds: None)
    [delivery] = post_all([target], ledger, sheet=SHEET, day=TODAY, **options)  # type: ignore[arg-type]
    return delivery


def texts(fake) -> list[str]:
    """What each request to a WeCom fake showed in the group (markdown or text content)."""
    out = []
    for request in fake.requests:
        body = request.json
        out.append(body.get("markdown", body.get("text", {})).get("content", ""))
    return out


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "state" / "sent.sqlite") as opened:
        yield opened


# --- secrets ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "url", "secret_part"),
    [
        ("feishu", "http://open.feishu.cn/open-apis/bot/v2/hook/0f3c9e1a-SECRET-HOOK-TOKEN", "SECRET-HOOK-TOKEN"),
        ("slack", "http://hooks.slack.com/services/T0001/B0001/XoXsEcReTtOkEn123", "XoXsEcReTtOkEn123"),
    ],
)
def test_a_mistyped_feishu_or_slack_webhook_is_reported_without_printing_its_secret_token(
    ledger, platform, url, secret_part
):
    """http:// instead of https:// is a one-letter slip; the Problem must not print the token to stdout/--json."""
    message = en_brief(platform=platform)
    delivery = post(message, url, ledger)
    assert delivery.status == "invalid"
    assert secret_part not in delivery.reason


@pytest.mark.parametrize(
    ("module", "url"),
    [
        (wecom, "https://evil.example\\@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123"),
        (dingtalk, "https://evil.example\\@oapi.dingtalk.com/robot/send?access_token=t-123"),
        (feishu, "https://evil.example\\@open.feishu.cn/open-apis/bot/v2/hook/abc-123"),
        (slack, "https://evil.example\\@hooks.slack.com/services/T0001/B0001/abc123"),
        (wecom, "http://evil.example\\@127.0.0.1/cgi-bin/webhook/send?key=k-123"),
    ],
)
def test_a_webhook_address_that_requests_would_send_to_another_host_is_refused(module, url):
    """urlsplit reads the host after the backslash-@, requests/urllib3 connects to evil.example: the key leaves."""
    import requests

    actual_host = requests.Request("POST", url).prepare().url.split("/")[2]
    assert actual_host == "evil.example"  # where the POST (and the key in it) would really go
    assert module.PLATFORM.url_problem(url) is not None


# --- exactly once -------------------------------------------------------------------------------------------


def longer(message: ChatMessage, people: int = 60) -> ChatMessage:
    """The same channel's digest after the sheet gained overdue work: more people waiting, so more parts."""
    extra = [(ZHANG.__class__(f"同事{n}", ""), [f"T{n} 新增任务：截止 2026-12-0{1 + n % 6}（逾期）"] * 3)
             for n in range(people)]
    return zh_brief(waiting=[*message.waiting, *extra])


def test_a_rerun_the_same_day_after_the_digest_grew_posts_nothing_again(ledger):
    """Run 1 posts a short digest; the sheet gets longer; run 2 the same day must not post a stray tail part
    (nor @-mention everyone a second time): e-mail's promise is one digest per channel per day."""
    short = zh_brief()
    grown = longer(short)
    with FakeWeCom() as fake:
        assert post(short, fake.url(), ledger).status == "sent"
        first_run = len(fake.requests)
        assert len(wecom.PLATFORM.payloads(grown)) > len(wecom.PLATFORM.payloads(short))
        again = post(grown, fake.url(), ledger)
        assert texts(fake)[first_run:] == []
        assert again.status == "skipped"


class Killed(BaseException):
    """Stands for SIGKILL arriving between the platform's acceptance and the sent-record."""


def test_a_part_reposted_after_a_kill_says_it_may_be_a_repeat(ledger, monkeypatch):
    """Killed after part 2 (the @-mention message) was accepted but before its record: the next run
    posts part 2 again, and the promise (post.py) is that the repeat opens with a note. The note goes
    into part 1, which is skipped, so the group gets a second bare @-mention with no word of why."""
    message = zh_brief()
    original = Ledger.record

    def record_then_die(self, sheet, recipient, day, kind, message_id):
        if "#2:" in kind:  # part 2 of the brief (the sent-record names a part by number and content)
            raise Killed
        original(self, sheet, recipient, day, kind, message_id)

    with FakeWeCom() as fake:
        monkeypatch.setattr(Ledger, "record", record_then_die)
        with pytest.raises(Killed):
            post(message, fake.url(), ledger)
        monkeypatch.setattr(Ledger, "record", original)
        assert len(fake.accepted) == 2
        assert post(zh_brief(), fake.url(), ledger).status == "sent"
        reposted = texts(fake)[2:]
        assert reposted, "part 2 is posted again"
        assert any(word in text for text in reposted for word in NOTE_WORDS)


def test_a_post_the_platform_refused_is_not_later_called_a_possible_repeat(ledger):
    """Monday's post was refused (wrong key, nothing reached the group); once the key is fixed the digest
    must not open with "posted again … it may be here twice" — nothing was posted before."""
    with FakeWeCom() as fake:
        refused = post(zh_brief(), fake.url("wrong-key"), ledger)
        assert refused.status == "failed" and fake.accepted == []
        assert post(zh_brief(), fake.url(), ledger).status == "sent"
        first = fake.accepted[0].json["markdown"]["content"]
        assert not any(word in first for word in NOTE_WORDS)


def test_a_post_that_could_not_connect_is_not_later_called_a_possible_repeat(ledger):
    """Connection refused: the post certainly never left; the next run must not say it may be a repeat."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = post(zh_brief(), f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=test-key", ledger, retries=0)
    assert refused.status == "failed"
    with FakeWeCom() as fake:
        assert post(zh_brief(), fake.url(), ledger).status == "sent"
        first = fake.accepted[0].json["markdown"]["content"]
        assert not any(word in first for word in NOTE_WORDS)


# --- network ------------------------------------------------------------------------------------------------


class Trickle:
    """A server that answers 200 with headers at once, then its body a byte at a time, `gap` seconds apart."""

    def __init__(self, body: bytes, gap: float) -> None:
        self.body, self.gap = body, gap
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n"
                try:
                    conn.sendall(head.encode())
                    for byte in self.body:
                        if self.stop.is_set():
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(self.gap)
                except OSError:
                    pass

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_that_trickles_its_answer_cannot_hold_the_run_past_the_timeout(ledger, monkeypatch):
    """post.py: TIMEOUT "seconds to connect, to answer: a cron run never hangs on a chat app". requests'
    read timeout is per socket read, so an answer dribbled a byte at a time holds the run for as long as
    the server likes. With the answer timeout at 1 s, a 1-byte-per-0.3-s answer must not take ~12 s."""
    monkeypatch.setattr(post_module, "TIMEOUT", (1.0, 1.0))
    server = Trickle(b'{"errcode":0,"errmsg":"ok"}' + b" " * 13, gap=0.3)
    try:
        started = time.monotonic()
        post(zh_brief(), f"http://127.0.0.1:{server.port}/cgi-bin/webhook/send?key=k", ledger, retries=0)
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert elapsed < 4.0, f"one part held the run {elapsed:.1f} s with a 1 s answer timeout"


HTML_PAGE = ("<html>\n<head><title>Access denied</title></head>\n<body>\n" + "<p>proxy</p>\n" * 200
             + "</body>\n</html>\n").encode()


def test_a_proxy_login_page_answered_with_200_is_not_recorded_as_posted_to_slack(ledger):
    """Slack's webhook answers 200 with the body "ok". A corporate proxy or captive portal answering 200
    with an HTML page is not Slack: recording it as sent loses the day's digest for good."""
    outcome = slack.PLATFORM.outcome(200, {"Content-Type": "text/html"}, HTML_PAGE)
    assert not outcome.ok


@pytest.mark.parametrize("module", [wecom, dingtalk, feishu, slack])
def test_an_html_error_page_is_reported_in_one_line(module):
    """The Outcome's reason is "one line" (model.py); an HTML page from a proxy is pasted whole, 20 lines,
    into the run's output and --json instead."""
    reason = module.PLATFORM.outcome(403, {"Content-Type": "text/html"}, HTML_PAGE).reason
    assert "\n" not in reason


# --- whole runs on the demo book ----------------------------------------------------------------------------


def test_previewing_with_outbox_does_not_erase_what_changed_from_the_real_post(tmp_path, monkeypatch):
    """Monday: posted. Tuesday morning: a preview with --outbox shows the changes since Monday. Tuesday's real
    post must show them too; today it says "no changes since the last digest", because the preview saved
    the "what changed" snapshot under the same name as real posts (e-mail keeps outbox and smtp apart)."""
    from test_chat_deliver import WECOM_URL, zh_demo

    book = zh_demo(tmp_path, ("项目群", "企业微信", "详细", "每日", "所有人"))
    tuesday = TODAY + dt.timedelta(days=1)
    with FakeWeCom() as fake:
        monkeypatch.setenv(WECOM_URL, fake.url())
        assert book.digest(today=TODAY, chat="post").deliveries[0].status == "sent"
        book.digest(today=tuesday, chat="outbox", outbox=tmp_path / "preview")
        preview = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "preview").glob("2026-12-08-chat-项目群-*"))
        assert "T5 客户反馈与修改：有风险 → 已逾期" in preview
        before = len(fake.accepted)
        assert book.digest(today=tuesday, chat="post").deliveries[0].status == "sent"
        posted = "\n".join(r.json.get("markdown", {}).get("content", "") for r in fake.accepted[before:])
        assert "T5 客户反馈与修改：有风险 → 已逾期" in posted


def test_two_channel_rows_that_share_one_webhook_setting_do_not_post_the_digest_twice(tmp_path, monkeypatch):
    """项目群 and xiangmuqun are two rows to the duplicate check but one variable, SHEETSYNC_CHAT_XIANGMUQUN_URL:
    the same group gets the whole digest (and its @all) twice, with no Problem said."""
    from test_chat_deliver import WECOM_URL, zh_demo

    book = zh_demo(tmp_path, ("项目群", "企业微信", "简要", "每日", "所有人"),
                   ("xiangmuqun", "企业微信", "简要", "每日", "所有人"))
    with FakeWeCom() as fake:
        monkeypatch.setenv(WECOM_URL, fake.url())
        book.digest(today=TODAY, chat="post")
        mentions = [r for r in fake.accepted if r.json["msgtype"] == "text"]
        assert len(mentions) == 1, f"the group was @-mentioned {len(mentions)} times"


class SlowWeCom(FakeWeCom):
    """A WeCom robot that takes half a second to answer, as a busy one does."""

    def answer(self, request):
        time.sleep(0.5)
        return super().answer(request)


def test_two_runs_at_once_on_one_state_folder_post_the_digest_once(tmp_path, monkeypatch):
    """cron and a person (or two cron hosts sharing the state folder) run at the same minute: the ledger
    is checked before the POST and written after it, with nothing held between, so both post everything."""
    from test_chat_deliver import WECOM_URL, zh_demo

    book = zh_demo(tmp_path)
    with SlowWeCom() as fake:
        monkeypatch.setenv(WECOM_URL, fake.url())
        start = threading.Barrier(2)
        results: list[object] = []

        def run() -> None:
            start.wait()
            results.append(book.digest(today=TODAY, chat="post").deliveries[0].status)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(results) == ["sent", "skipped"]
        assert len(fake.accepted) == 2  # the digest and its @-mention, once


def test_one_channels_malformed_webhook_address_never_stops_the_others(ledger):
    """A stray "[" in one channel's address (https://[qyapi…) makes url_problem raise ValueError out of
    post_all: the run dies and the other channels get nothing, instead of one "invalid" line."""
    with FakeWeCom() as fake:
        broken = ChannelPost(channel("项目群", "wecom"), zh_brief(),
                             Webhook("https://[qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", None, "SHEETSYNC_CHAT_A_URL"))
        fine = ChannelPost(channel("审核群", "wecom"), zh_brief(channel="审核群"),
                           Webhook(fake.url(), None, "SHEETSYNC_CHAT_B_URL"))
        deliveries = post_all([broken, fine], ledger, sheet=SHEET, day=TODAY, sleep=lambda s: None)
        assert [d.status for d in deliveries] == ["invalid", "sent"]
        assert len(fake.accepted) == 2


def test_a_mistyped_channel_name_is_reported_not_passed_off_as_nothing_due(tmp_path, monkeypatch, capsys):
    """`digest --chat --channel 项木群` (a typo of 项目群) exits 0 saying no digest is due because weekly ones go
    out on Mondays; cron and the person both believe all is well. The unknown name must be said."""
    from test_chat_deliver import WECOM_URL, digest, zh_demo

    book = zh_demo(tmp_path)
    with FakeWeCom() as fake:
        monkeypatch.setenv(WECOM_URL, fake.url())
        code = digest(book.target, "--chat", "--channel", "项木群")
        captured = capsys.readouterr()
        assert "项木群" in captured.out + captured.err
        assert code != 0


def test_a_webhook_address_pasted_into_a_team_members_chat_cell_is_flagged(tmp_path):
    """The Channels sheet says a pasted webhook address is a Problem (anyone with the sheet could post to the
    group); the same address pasted into the Team sheet's Chat column (聊天账号) passes silently."""
    import openpyxl
    from test_chat_deliver import zh_demo

    book = zh_demo(tmp_path)
    wb = openpyxl.load_workbook(book.target)
    wb["团队"]["G3"] = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    wb.save(book.target)
    problems = [str(p) for p in book.check(today=TODAY).problems]
    assert any("G3" in p for p in problems), problems


@pytest.mark.parametrize("module", [wecom, dingtalk, feishu, slack])
def test_a_redirect_is_reported_as_a_redirect_with_where_it_points(module):
    """A captive portal or proxy answering 302 to a login page: the reason reads "answered HTTP 302 with
    something unexpected: " (or "HTTP 302, ") and stops — nothing says it was redirected, or where."""
    headers = {"Location": "https://portal.example/login?next=x", "Content-Length": "0"}
    reason = module.PLATFORM.outcome(302, headers, b"").reason
    assert "portal.example" in reason


def test_the_readme_has_the_group_chats_section_the_problems_point_to():
    """A webhook pasted into the Channels sheet is told "see README: Group chats"; the issue asks the README
    for how to add a bot in each app and which variables to set. There is no such section."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    headings = [line for line in readme.splitlines() if line.startswith("#")]
    assert any("Group chats" in heading for heading in headings), headings
    assert "SHEETSYNC_CHAT_" in readme


def test_a_mention_the_platform_cannot_deliver_is_a_problem_not_silence(tmp_path):
    """Mention asks Feishu to @李娜, but her Chat cell is a mobile number, which a Feishu bot cannot @ (it needs
    her open_id); Slack is asked to @陈晨, whose Chat cell is empty. Both are posted as bold names and nobody
    is told why the @ never arrives: check() reports no Problem for either row."""
    import openpyxl
    from test_chat_deliver import zh_demo

    book = zh_demo(tmp_path, ("飞书群", "飞书", "简要", "每日", "李娜"), ("S群", "Slack", "简要", "每日", "陈晨"))
    wb = openpyxl.load_workbook(book.target)
    wb["团队"]["G4"] = None  # 陈晨 has no Chat
    wb.save(book.target)
    problems = [str(p) for p in book.check(today=TODAY).problems]
    assert any("李娜" in p for p in problems), problems
    assert any("陈晨" in p for p in problems), problems


class MentionsRateLimited(FakeWeCom):
    """A WeCom robot that, while `busy`, answers the @-mention text message with its rate-limit error."""

    busy = True

    def answer(self, request):
        if self.busy and request.json.get("msgtype") == "text":
            return self.trouble("rate")
        return super().answer(request)


def test_a_rerun_after_the_digest_shrank_still_posts_the_mention_that_failed(ledger):
    """Run 1: a long digest (markdown parts 1–3) is posted, its @-mention message (part 4) is rate-limited
    past the retries. Some tasks get done; run 2 the same day has one markdown part and the @-mention as
    part 2 — which the sent-record already holds (it was markdown part 2), so nobody is ever @-mentioned."""
    grown = longer(zh_brief())
    with MentionsRateLimited() as fake:
        failed = post(grown, fake.url(), ledger, retries=0)
        assert failed.status == "failed"
        assert [r.json["msgtype"] for r in fake.accepted] == ["markdown"] * (len(wecom.PLATFORM.payloads(grown)) - 1)
        fake.busy = False
        post(zh_brief(), fake.url(), ledger)
        assert any(r.json["msgtype"] == "text" for r in fake.accepted), "the @-mention was never posted"


def test_a_second_preview_the_same_day_leaves_no_stale_parts_in_the_outbox(tmp_path):
    """deliver.py: "a re-run the same day replaces them". A morning preview of a long digest writes parts
    1–4; after tasks are closed the afternoon preview has 2 parts, but parts 3 and 4 of the morning stay
    beside them, and whoever posts "the exact JSON payloads" from the folder posts stale ones."""
    from sheetsync.chat.deliver import _write

    folder = tmp_path / "preview"
    _write(channel("项目群", "wecom"), longer(zh_brief()), folder, TODAY)
    second = _write(channel("项目群", "wecom"), zh_brief(), folder, TODAY)
    assert sorted(p.name for p in folder.iterdir()) == sorted(Path(p).name for p in second.path.split(", "))


def test_a_connection_dropped_after_the_robot_took_the_post_is_not_posted_again_at_once(ledger, monkeypatch):
    """The robot shows the digest, then the connection is cut before its answer (a proxy's idle reset, a
    load balancer restart). requests calls that a ConnectionError, which post.py retries at once: the group
    gets the digest twice in a row, with no note. post.py's own rule for an answer that never came is
    "not retried: it may have arrived; the next run posts it with that note"."""
    import socketserver

    monkeypatch.setattr(socketserver.BaseServer, "handle_error", lambda self, request, address: None)
    dropped: list[int] = []

    def drop_first(request) -> None:
        if not dropped:
            dropped.append(1)
            raise ConnectionAbortedError("answer lost")

    with FakeWeCom() as fake:
        fake.kill_on_accept = drop_first
        post(zh_brief(), fake.url(), ledger, retries=2)
        markdowns = [r for r in fake.accepted if r.json["msgtype"] == "markdown"]
        assert len(markdowns) == 1, f"the digest was shown {len(markdowns)} times in a row"


def test_two_mail_runs_at_once_send_each_digest_once(tmp_path, monkeypatch):
    """The same race on e-mail: a person's `digest --send` while cron's runs must not mail anyone twice."""
    from smtp_server import start_server

    import sheetsync

    book = sheetsync.create(tmp_path / "demo.xlsx", lang="en", demo=True, today=TODAY)
    controller, server = start_server()
    try:
        start = threading.Barrier(2)
        statuses: list[list[str]] = []

        def run() -> None:
            start.wait()
            statuses.append([d.status for d in book.digest(today=TODAY, send=True, smtp=server.settings()).deliveries])

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        controller.stop()
    assert len(statuses) == 2, "both runs finished"  # neither died on the other's records
    sent = [status for run_statuses in statuses for status in run_statuses if status == "sent"]
    assert len(sent) == len(server.handler.received) == len(statuses[0]) > 0
    recipients = [tuple(m.rcpt_tos) for m in server.handler.received]
    assert len(recipients) == len(set(recipients))
