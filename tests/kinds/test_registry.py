"""The kind registry: one home per kind, and what is derived from it (names, order, serialisation)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from oa_spec.config.model_safety import GuardSpec
from oa_spec.kinds.addresses import PATHS, build, parse
from oa_spec.kinds.change import Change, Resource
from oa_spec.kinds.registry import ALL_KINDS, KINDS, GuardedKind, KindName, dump_change, load_change
from oa_spec.kinds.state import (
    Article,
    Button,
    ConditionalMenu,
    EventReply,
    FaqEntry,
    GatewaySettings,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
    WebhookRoute,
)
from oa_spec.providers.local import LocalProvider

SAMPLES: dict[str, Resource] = {
    "tag": Tag("高净值客户", id=101, count=3),
    "industry": Industry("金融业", "银行"),
    "template": Template("余额变动提醒", name="balance-alert", library_id="OPENTM1"),
    "menu": Menu((Button("账户", sub_buttons=(Button("余额", type="click", key="BALANCE"),)),)),
    "conditional_menu": ConditionalMenu("vip", MatchRule(tag="高净值客户"), (Button("专属", type="view",
                                                                                  url="https://bank.example/vip"),)),
    "reply": Reply("欢迎关注"),
    "keyword_reply": KeywordRule("理财", "contains", ("理财", "基金"), Reply("理财请点菜单")),
    "faq": FaqEntry("card-loss", ("银行卡丢了怎么挂失",), "请拨打95000挂失", module="cs"),
    "click_reply": EventReply("TXN_DETAIL", Reply("交易明细请在手机银行查看")),
    "scene_reply": EventReply("branch-xinhua", Reply("欢迎来到新华路支行", module="appointment")),
    "gateway": GatewaySettings("safe", "wx2c2769f8efd9abc2", "OASPEC_CITYBANK_TOKEN", "OASPEC_CITYBANK_AES_KEY"),
    "webhook": WebhookRoute("balance", "https://svc.bank.example/wx/balance", 3.0, "OASPEC_CITYBANK_HOOK", "BALANCE"),
    "article": Article("young/deposit-insurance", "五分钟看懂存款保险", content_sha256="ab" * 32,
                       content="<section><p>存款保险</p></section>", stream="finance-class", date="2026-12-09",
                       audience=("年轻客群",)),
}


def test_every_kind_has_its_names_an_address_and_an_apply_rank_for_each_action() -> None:
    assert set(get_args(KindName)) == ALL_KINDS == set(SAMPLES)
    for name, kind in KINDS.items():
        assert kind.name == name and kind.label and name in PATHS
        assert kind.ranks and set(kind.ranks) <= {"create", "update", "replace", "delete"}
        assert isinstance(SAMPLES[name], kind.state_type)


def test_the_guard_spec_accepts_exactly_the_guarded_kinds() -> None:
    assert set(get_args(GuardedKind)) == {"tag", "template", "conditional_menu", "menu", "article"}
    GuardSpec(max_destroy={"conditional_menu": 2})
    with pytest.raises(ValueError, match="max_destroy"):
        GuardSpec.model_validate({"max_destroy": {"reply": 1}})


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_change_of_every_kind_round_trips_through_json(kind: str) -> None:
    key = {"menu": "", "industry": "", "gateway": "", "reply": "subscribe"}.get(kind, "x")
    change = Change("create", kind, key, build("bank", kind, key), None, SAMPLES[kind], reason="why")
    assert load_change(dump_change(change)) == change
    assert parse(change.address).kind == kind


def test_json_that_names_an_unknown_kind_or_an_action_the_kind_lacks_is_refused() -> None:
    good = dump_change(Change("create", "tag", "t", "bank/tags/t", None, Tag("t")))
    with pytest.raises(ValueError, match="unknown kind"):
        load_change({**good, "kind": "poster"})
    with pytest.raises(ValueError, match="cannot 'replace'"):
        load_change({**good, "action": "replace"})


def test_the_local_provider_has_a_writer_for_every_kind(tmp_path: Path) -> None:
    # FAQ entries, click and scene replies, gateway settings and webhooks exist only on accounts `oaspec serve`
    # answers: their writer is the served provider's
    assert LocalProvider("bank", tmp_path).writable_kinds == ALL_KINDS - {"faq", "click_reply", "scene_reply",
                                                                         "gateway", "webhook"}

