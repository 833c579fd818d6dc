"""Menu buttons that open content by an id (article_id, article_view_limited, media_id, view_limited) open what no
rule and no reviewer reads (attack review 69, F3): each gets a `content.unreviewed-target` warning naming the button,
and the plan marks it, naming the article of content.articles when oaspec published that id."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.content.record import Record, SendEntry
from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Menu
from oa_spec.plan.targets import NOT_IN_SPEC, target_notes
from testing.cli import run_cli
from tests.policy.helpers import run_yaml

RULE = "content.unreviewed-target"
SPEC = """\
version: 1
bank: 示例城市银行
policies:
  packs: [cn-bank]
  settings: {allowed_domains: [m.citybank.example.cn]}
accounts:
  - id: citybank
    name: 示例城市银行
    type: service
    provider: {type: local}
    tags: [{name: 高净值}]
    menu:
      - {name: 投诉热线, type: view, url: "https://m.citybank.example.cn/complaint"}
      - {name: 账户, type: click, key: ACCOUNT}
      - name: 精选
        sub_buttons:
          - {name: 理财精选, type: article_id, article_id: "ARTICLE_FROM_CONSOLE_1"}
          - {name: 贷款专区, type: media_id, media_id: "MEDIA_ID_1"}
    conditional_menus:
      - name: 贵宾
        match: {tag: 高净值}
        menu:
          - {name: 专享, type: article_view_limited, article_id: "ARTICLE_2"}
          - {name: 资料, type: view_limited, media_id: "MEDIA_ID_2"}
    replies:
      subscribe: {text: 欢迎关注，客服热线95000}
"""


def test_every_button_that_opens_content_by_an_id_is_a_warning_naming_it(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, SPEC)
    found = [f for f in run.report.findings if f.rule == RULE]
    assert [(f.address, f.path, f.detail) for f in found] == [
        ("citybank/menu", "accounts[0].menu[2].sub_buttons[0].article_id",
         "按钮「理财精选」打开 article_id ARTICLE_FROM_CONSOLE_1"),
        ("citybank/menu", "accounts[0].menu[2].sub_buttons[1].media_id", "按钮「贷款专区」打开 media_id MEDIA_ID_1"),
        ("citybank/conditional_menus/贵宾", "accounts[0].conditional_menus[0].menu[0].article_id",
         "按钮「专享」打开 article_view_limited ARTICLE_2"),
        ("citybank/conditional_menus/贵宾", "accounts[0].conditional_menus[0].menu[1].media_id",
         "按钮「资料」打开 view_limited MEDIA_ID_2"),
    ]
    assert {f.severity for f in found} == {"warning"} and not run.report.blocking
    assert all(f.fix.startswith("point the button at a page") for f in found)


def _sent(article: str, article_id: str, state: str = "sent") -> SendEntry:
    return SendEntry(f"news/{article}", article, "publish", "sha", "cid", state, "2026-12-01T00:00:00Z",  # type: ignore[arg-type]
                     article_id=article_id)


def test_the_plan_names_the_article_oaspec_published_under_the_id() -> None:
    desired = AccountState(menu=Menu((Button("理财精选", "article_id", article_id="A1"),
                                      Button("旧文", "article_id", article_id="A2"),
                                      Button("网点", "view", url="https://m.citybank.example.cn/b"))),
                           conditional_menus=(ConditionalMenu("贵宾", MatchRule(tag="高净值"),
                                                              (Button("资料", "media_id", media_id="A1"),)),))
    record = Record(sends={"a": _sent("wealth/intro", "A1"), "b": _sent("wealth/old", "A2", "failed")})
    notes = target_notes("citybank", desired, lambda: record)
    assert notes[0].startswith("citybank/menu: button 理财精选 opens article_id A1, the article wealth/intro of "
                               "content.articles that oaspec published")
    assert notes[1].startswith(f"citybank/menu: button 旧文 opens article_id A2: {NOT_IN_SPEC}")  # never published
    # a material's media_id is no article id, even when the strings are equal
    assert notes[2].startswith(f"citybank/conditional_menus/贵宾: button 资料 opens media_id A1: {NOT_IN_SPEC}")
    assert len(notes) == 3


def test_a_menu_without_such_buttons_never_reads_the_content_record() -> None:
    def unread() -> Record:
        raise AssertionError("read")

    desired = AccountState(menu=Menu((Button("网点", "view", url="https://m.citybank.example.cn/b"),)))
    assert target_notes("citybank", desired, unread) == []


def test_every_view_of_the_plan_marks_the_button(tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    said = f"citybank/menu: button 理财精选 opens article_id ARTICLE_FROM_CONSOLE_1: {NOT_IN_SPEC}"
    for fmt in ("text", "markdown"):
        out = run_cli("--state-dir", str(tmp_path / "state"), "plan", "-f", str(spec), "--format", fmt, cwd=tmp_path)
        assert said in out.stdout.replace("\\_", "_"), out.output
        assert RULE in out.stdout
    out = run_cli("--state-dir", str(tmp_path / "state"), "plan", "-f", str(spec), "--format", "json", cwd=tmp_path)
    assert said in [n[:len(said)] for n in json.loads(out.stdout)["accounts"][0]["notes"]]
    checked = run_cli("validate", "-f", str(spec), cwd=tmp_path)
    assert checked.returncode == 0 and "4 warnings" in checked.output, checked.output
