"""The local account counts the link domains of its conditional menus together, as the platform does (65316; attack
review 47, F2: the emulator refused a fourth domain half-way through an apply the local account let through)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Button, ConditionalMenu, MatchRule, Menu, Tag
from oa_spec.providers.local import LocalProvider


def conditional(name: str, tag: str, *hosts: str) -> ConditionalMenu:
    buttons = tuple(Button(f"{name}{i}", type="view", url=f"https://{host}/x") for i, host in enumerate(hosts))
    return ConditionalMenu(name, MatchRule(tag=tag), (Button("组", sub_buttons=buttons),))


def account_with_tags(tmp_path: Path) -> LocalProvider:
    provider = LocalProvider("bank", tmp_path)
    for name in ("甲", "乙"):
        provider.apply(Change("create", "tag", name, f"bank/tags/{name}", None, Tag(name)))
    provider.apply(Change("create", "menu", "", "bank/menu", None, Menu((Button("理财", type="click", key="W"),))))
    return provider


def test_a_conditional_menu_linking_a_fourth_domain_is_refused_with_65316(tmp_path: Path) -> None:
    provider = account_with_tags(tmp_path)
    first = conditional("甲版", "甲", "a.example.cn", "b.example.cn")
    provider.apply(Change("create", "conditional_menu", "甲版", "bank/conditional_menus/甲版", None, first))
    second = conditional("乙版", "乙", "c.example.cn", "d.example.cn")
    with pytest.raises(ProviderError) as refused:
        provider.apply(Change("create", "conditional_menu", "乙版", "bank/conditional_menus/乙版", None, second))
    assert refused.value.code == 65316
    assert str(refused.value).startswith("the local account refused it as WeChat would, with error 65316: ")
    assert [m.name for m in provider.read().conditional_menus] == ["甲版"]


def test_three_domains_across_the_conditional_menus_are_accepted(tmp_path: Path) -> None:
    provider = account_with_tags(tmp_path)
    for name, tag, hosts in (("甲版", "甲", ("a.example.cn", "b.example.cn")), ("乙版", "乙", ("b.example.cn",
                                                                                            "c.example.cn"))):
        menu = conditional(name, tag, *hosts)
        provider.apply(Change("create", "conditional_menu", name, f"bank/conditional_menus/{name}", None, menu))
    assert [m.name for m in provider.read().conditional_menus] == ["甲版", "乙版"]
