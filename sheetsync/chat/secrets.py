"""Where a channel's webhook address and signing secret come from: the environment or a chmod 600 chat.toml.

Never the workbook: whoever holds a group bot's address can post to the group,
and a spreadsheet is shared widely. A channel is looked up by its Name on the
Channels sheet, as the environment variables

    SHEETSYNC_CHAT_<NAME>_URL     the webhook address the app shows when the bot is added
    SHEETSYNC_CHAT_<NAME>_SECRET  the signing secret (DingTalk 加签, Feishu 签名校验), if the bot has one

where <NAME> is the Name in capitals with every other character an underscore
(launch-team → LAUNCH_TEAM); a Chinese name is spelt in pinyin (项目群 →
XIANGMUQUN), since not every shell takes Chinese variable names. Or in
`chat.toml` ($SHEETSYNC_CHAT_CONFIG, else $XDG_CONFIG_HOME/sheetsync/chat.toml,
else ~/.config/sheetsync/chat.toml), one table per channel under its own name:

    ["项目群"]
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"

The file must be readable by its owner alone (chmod 600), like ssh keys; the
environment wins over the file. The secret never appears in output, logs or
the outbox (`Webhook.__repr__` and `masked_url` hide it).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..contract import normalise_header
from ..errors import UsageError
from ..i18n import _
from ..resources import user_folder

_NOT_NAME = re.compile(r"[^A-Z0-9]+")
_SECRET_QUERY = re.compile(r"((?:key|access_token|token)=)[^&#]+", re.IGNORECASE)
_SECRET_PATH = re.compile(r"(/hook/|/services/[^/]+/[^/]+/)[^/?#]+")


@dataclass(frozen=True)
class Webhook:
    """One channel's address and signing secret; printing it shows neither."""

    url: str
    secret: str | None = None
    source: str = ""  # where it was found: the variable's name or the file, for messages

    def __repr__(self) -> str:
        return f"Webhook({masked_url(self.url)!r}, secret={'set' if self.secret else 'none'}, source={self.source!r})"


def setting_key(channel: str) -> str:
    """The <NAME> part of a channel's variables: capitals, digits and underscores; Chinese spelt in pinyin."""
    text = channel.strip()
    if not text.isascii():
        text = _in_pinyin(text)
    key = _NOT_NAME.sub("_", text.upper()).strip("_")
    return key or "CHANNEL"


def _in_pinyin(text: str) -> str:
    """A name as pypinyin spells it in context (重庆群: chongqingqun), kept in the cache folder.

    Importing pypinyin with its phrase dictionary takes about 0.2 s, half of a Sync now click on a Chinese
    book with group chats, where every sync reads the Channels sheet's names. The spelling is kept per
    installed pypinyin and its PYPINYIN_NO_PHRASES (either may read a phrase otherwise), so a variable's name
    never changes silently; once this process has imported pypinyin, per the one it imported (a `serve`
    process spells with it still when an upgrade has replaced the files).
    """
    import marshal

    from ..engine.disk_cache import cache_dir, keep, load

    edition = _IMPORTED_PINYIN[0] if _IMPORTED_PINYIN else _pinyin_edition()
    path = cache_dir() / "pinyin-names.marshal"
    kept = load(path)  # a file someone else could have written is not read: it names the variable trusted
    fits = isinstance(kept, dict) and kept.get("version") == edition and isinstance(kept.get("names"), dict)
    names = kept["names"] if fits else {}
    spelt = names.get(text)
    if not isinstance(spelt, str):
        from pypinyin import lazy_pinyin

        _IMPORTED_PINYIN[:] = [edition]
        spelt = names[text] = "".join(lazy_pinyin(text))
        if len(names) <= 10_000:
            keep(path, marshal.dumps({"version": edition, "names": names}))
    return spelt


_IMPORTED_PINYIN: list[str] = []  # the edition of the pypinyin this process spells with, once it has


def _pinyin_edition() -> str:
    """The installed pypinyin's file and PYPINYIN_NO_PHRASES, read without importing it."""
    from ..engine.disk_cache import installed

    # PYPINYIN_NO_PHRASES (read by pypinyin on import) drops its phrase readings: 重庆 is then zhongqing
    phrases = "no-phrases" if os.environ.get("PYPINYIN_NO_PHRASES") else "phrases"
    return f"{installed('pypinyin')}|{phrases}"


def variable_names(channel: str) -> tuple[str, str]:
    """The environment variables that configure a channel: (URL, SECRET)."""
    key = setting_key(channel)
    return f"SHEETSYNC_CHAT_{key}_URL", f"SHEETSYNC_CHAT_{key}_SECRET"


def secret_parts(url: str) -> list[str]:
    """The parts of a webhook address that let someone post: the key or token, the hook's last path segments."""
    parts = [m.group(0)[len(m.group(1)):] for pattern in (_SECRET_QUERY, _SECRET_PATH) for m in pattern.finditer(url)]
    return [p for p in parts if len(p) >= 4]


def masked_url(url: str) -> str:
    """A webhook address safe to print: the key, token or path secret replaced by ***."""
    return _SECRET_PATH.sub(r"\1***", _SECRET_QUERY.sub(r"\1***", url))


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """$SHEETSYNC_CHAT_CONFIG, else $XDG_CONFIG_HOME/sheetsync/chat.toml, else ~/.config/sheetsync/chat.toml."""
    env = os.environ if environ is None else environ
    if env.get("SHEETSYNC_CHAT_CONFIG"):
        return Path(env["SHEETSYNC_CHAT_CONFIG"])
    return user_folder("XDG_CONFIG_HOME", ".config", env) / "chat.toml"


class ChatSettings:
    """Every configured channel's webhook, from the environment and chat.toml."""

    def __init__(self, environ: Mapping[str, str] | None = None, path: Path | None = None) -> None:
        self._env = dict(os.environ if environ is None else environ)
        self.path = path or default_config_path(self._env)
        self._file = _read_config(self.path, explicit=path is not None or "SHEETSYNC_CHAT_CONFIG" in self._env)

    def webhook(self, channel: str) -> Webhook | None:
        """The channel's webhook, or None when neither the environment nor the file names one."""
        url_name, secret_name = variable_names(channel)
        if self._env.get(url_name, "").strip():
            secret = self._env.get(secret_name, "").strip() or None
            return Webhook(self._env[url_name].strip(), secret, url_name)
        table = self._table(channel)
        if table is None:
            return None
        url, secret = table.get("url"), table.get("secret")
        if not isinstance(url, str) or not url.strip():
            return None
        return Webhook(url.strip(), secret.strip() if isinstance(secret, str) and secret.strip() else None,
                       str(self.path))

    def where_to_set(self, channel: str) -> str:
        """One phrase naming both places a channel's address can go, for a Problem's fix."""
        url_name, _secret = variable_names(channel)
        return _("set {variable} (or url under [\"{channel}\"] in {path})", variable=url_name, channel=channel,
                 path=self.path)

    def _table(self, channel: str) -> Mapping[str, object] | None:
        # matched as the sheet matches names: full-width forms folded (（钉钉） = (钉钉)), spaces and case ignored
        wanted = {normalise_header(channel), normalise_header(setting_key(channel))}
        for name, table in self._file.items():
            if isinstance(table, dict) and normalise_header(name) in wanted:
                return table
        return None


def _read_config(path: Path, *, explicit: bool) -> dict[str, object]:
    try:
        info = path.stat()
    except FileNotFoundError:
        if explicit:
            raise UsageError(_("{path}: no such chat settings file; create it or unset SHEETSYNC_CHAT_CONFIG.",
                               path=path)) from None
        return {}
    except OSError as exc:
        raise UsageError(_("{path}: cannot read the chat settings ({error}).", path=path,
                           error=exc.strerror or exc)) from exc
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UsageError(_("{path} can be read by others, and it holds webhook addresses; run: chmod 600 {path}",
                           path=path))
    import tomllib  # only when a chat settings file is read: a sync (parse/channels.py) imports this module

    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(_("{path}: not valid TOML ({error}); each channel is a table such as "
                           "[\"项目群\"] with url = \"…\".", path=path, error=exc)) from exc
