"""validate and `oaspec import` hold each field to one byte check (kinds/field_limits.py): a live value at its limit
is imported and validates, one byte over is left out by import and refused by validate, for every field either
checks. (Review 51 F4: the check was written twice, once in config/, once in kinds/.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.kinds.state import AccountState, Button, KeywordRule, Menu, Reply, Tag
from testing.accounts import seed_bank
from testing.cli import Cli
from tests.plan.test_import_policies import left_out

MENU = Menu((Button("账户", type="click", key="ACCOUNT"),))


def tag(size: int) -> AccountState:
    return AccountState(menu=MENU, tags=(Tag("签" * (size // 3) + "x" * (size % 3), id=100),))


def top_name(size: int) -> AccountState:
    return AccountState(menu=Menu((Button("名" * (size // 3) + "x" * (size % 3), type="click", key="A"),)))


def sub_name(size: int) -> AccountState:
    sub = Button("查" * (size // 3) + "x" * (size % 3), type="click", key="A")
    return AccountState(menu=Menu((Button("我的", sub_buttons=(sub,)),)))


def key(size: int) -> AccountState:
    return AccountState(menu=Menu((Button("账户", type="click", key="K" * size),)))


def url(size: int) -> AccountState:
    base = "https://m.citybank.example.cn/"
    return AccountState(menu=Menu((Button("账户", type="view", url=base + "x" * (size - len(base))),)))


def keyword(size: int) -> AccountState:
    rule = KeywordRule("长词", "exact", ("词" * (size // 3) + "x" * (size % 3),), Reply("见官网"))
    return AccountState(menu=MENU, keyword_replies=(rule,))


def reply(size: int) -> AccountState:
    return AccountState(menu=MENU, default_reply=Reply("请" * (size // 3) + "x" * (size % 3)))


FIELDS = {"tag-name": (tag, limits.TAG_NAME_BYTES), "top-level-name": (top_name, limits.TOP_NAME_BYTES),
          "sub-button-name": (sub_name, limits.SUB_NAME_BYTES), "key": (key, limits.KEY_BYTES),
          "url": (url, limits.URL_BYTES), "keyword": (keyword, limits.KEYWORD_BYTES),
          "reply-text": (reply, limits.REPLY_TEXT_BYTES)}


def value(state: AccountState) -> str:
    """The one value each state above sizes."""
    if state.tags:
        return state.tags[0].name
    if state.keyword_replies:
        return state.keyword_replies[0].keywords[0]
    if state.default_reply:
        return state.default_reply.text
    assert state.menu is not None
    button = state.menu.buttons[0].sub_buttons[0] if state.menu.buttons[0].sub_buttons else state.menu.buttons[0]
    return next(v for v in (button.url, button.key if button.key != "A" else None, button.name) if v)


@pytest.mark.parametrize("field", FIELDS)
def test_import_leaves_out_exactly_what_validate_refuses(cli: Cli, tmp_path: Path, field: str) -> None:
    make, limit = FIELDS[field]
    seed_bank(tmp_path, make(limit))  # at the limit: imported, and it validates
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0 and not left_out(imported.stderr), imported.stderr
    assert cli("validate", "-f", "imported.yaml").returncode == 0
    spec = tmp_path / "imported.yaml"
    at_limit = value(make(limit))
    text = spec.read_text(encoding="utf-8")
    assert at_limit in text, text
    spec.write_text(text.replace(at_limit, at_limit + "x"), encoding="utf-8")  # one byte over, declared by hand
    refused = cli("validate", "-f", "imported.yaml")
    assert refused.returncode == 1 and f"the limit is {limit}" in refused.stderr, refused.stderr
    seed_bank(tmp_path, make(limit + 1))  # one byte over, live: left out with a note
    over = cli("import", "--account", "bank", "--out", "over.yaml")
    assert over.returncode == 0, over.stderr
    assert f"is {limit + 1} bytes in UTF-8, over the limit of {limit}" in over.stderr, over.stderr
    written = (tmp_path / "over.yaml").read_text(encoding="utf-8").splitlines()
    assert not [line for line in written if value(make(limit + 1)) in line and not line.startswith("#")], written
