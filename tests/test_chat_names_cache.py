"""A Chinese channel name's pinyin is kept in the cache folder: a sync of a Chinese book with group chats
need not import pypinyin (about 0.2 s of a Sync now click), and the variable names never change."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin

from sheetsync.chat import secrets
from sheetsync.chat.secrets import setting_key

NAMES = ["项目群", "重庆投放群", "客户 A 群", "银行行长群"]  # 重庆/行长: readings that depend on the phrase


def _by_pypinyin(name: str) -> str:
    return "_".join(part for part in "".join(lazy_pinyin(name.strip())).upper().replace(" ", "_").split("_") if part)


def test_kept_spellings_are_pypinyins_and_answer_without_it(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = [setting_key(name) for name in NAMES]
    assert cold == [_by_pypinyin(name) for name in NAMES]
    assert cold[:2] == ["XIANGMUQUN", "CHONGQINGTOUFANGQUN"]
    kept = marshal.loads((cache_folder / "pinyin-names.marshal").read_bytes())
    assert set(kept["names"]) == set(NAMES)

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("pypinyin asked again")

    monkeypatch.setattr("pypinyin.lazy_pinyin", refuse)
    assert [setting_key(name) for name in NAMES] == cold  # answered from the cache folder


def test_a_damaged_or_stale_file_is_spelt_again(cache_folder: Path) -> None:
    cache_folder.mkdir()
    path = cache_folder / "pinyin-names.marshal"
    path.write_bytes(b"\x00 not marshal")
    assert setting_key("项目群") == "XIANGMUQUN"
    path.write_bytes(marshal.dumps({"version": "another pypinyin", "names": {"项目群": "wrong"}}))
    assert setting_key("项目群") == "XIANGMUQUN"  # kept by another installed pypinyin: not trusted
    path.write_bytes(marshal.dumps(["not", "a", "dict"]))
    assert setting_key("项目群") == "XIANGMUQUN"


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SHEETSYNC_CACHE_DIR", str(blocker / "cache"))
    assert setting_key("重庆投放群") == "CHONGQINGTOUFANGQUN"
    assert secrets.variable_names("项目群") == ("SHEETSYNC_CHAT_XIANGMUQUN_URL", "SHEETSYNC_CHAT_XIANGMUQUN_SECRET")
