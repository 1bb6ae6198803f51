"""scripts/cron-digest covers group chats: posted whenever this machine has a chat webhook set up."""

from __future__ import annotations

import subprocess
from pathlib import Path

from test_digest_deliver import CRON_DIGEST, cron_env, default_log  # noqa: F401  (cron_env is a fixture)


def run_wrapper(env: dict[str, str], env_file: str) -> str:
    path = Path(env["HOME"]) / ".config" / "sheetsync" / "env"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(env_file)
    path.chmod(0o600)
    run = subprocess.run([str(CRON_DIGEST), "serum-launch.xlsx"], env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    return default_log(env).read_text()


def test_with_a_chat_webhook_and_smtp_the_wrapper_mails_and_posts(cron_env) -> None:  # noqa: F811
    log = run_wrapper(cron_env, "SHEETSYNC_SMTP_HOST=smtp.agency.example\n"
                                "SHEETSYNC_CHAT_XIANGMUQUN_URL='https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K'\n")
    assert "fake sheetsync digest serum-launch.xlsx --send --chat (cwd " in log
    assert "\nsync exit 0, digest --send --chat exit 0\n" in log


def test_with_chats_and_no_smtp_the_wrapper_posts_to_the_chats_alone(cron_env) -> None:  # noqa: F811
    log = run_wrapper(cron_env, "SHEETSYNC_CHAT_LAUNCH_TEAM_URL='https://hooks.slack.com/services/T/B/K'\n")
    assert "fake sheetsync digest serum-launch.xlsx --chat (cwd " in log


def test_a_chat_toml_counts_as_chats_set_up(cron_env) -> None:  # noqa: F811
    toml = Path(cron_env["HOME"]) / ".config" / "sheetsync" / "chat.toml"
    toml.parent.mkdir(parents=True, exist_ok=True)
    toml.write_text('["项目群"]\nurl = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"\n')
    toml.chmod(0o600)
    log = run_wrapper(cron_env, "SHEETSYNC_SMTP_HOST=smtp.agency.example\n")
    assert "fake sheetsync digest serum-launch.xlsx --send --chat (cwd " in log


def test_without_chats_the_wrapper_sends_mail_as_before(cron_env) -> None:  # noqa: F811
    log = run_wrapper(cron_env, "SHEETSYNC_SMTP_HOST=smtp.agency.example\n")
    assert "fake sheetsync digest serum-launch.xlsx --send (cwd " in log
