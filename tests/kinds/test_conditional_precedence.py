"""Conditional menus: the platform shows the newest menu whose rule fits a follower, and oaspec makes that
the spec's order (first listed wins) by re-creating what a change would put behind; and a stale copy of a
rule that keeps a menu is deleted without a 'fall back' warning or the destroy guard (attack review 9, B6/B7)."""

from __future__ import annotations

from oa_spec.config.model_safety import GuardSpec
from oa_spec.kinds.precedence import creation_order, overlap
from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Menu
from oa_spec.plan.diff import diff
from oa_spec.plan.guards import felt, tripped

A = "bank"
VIP = MatchRule(tag="vip")
ELDER = MatchRule(tag="elder")
IOS = MatchRule(client_platform_type="1")
ANDROID = MatchRule(client_platform_type="2")
ONE = (Button("首页", type="view", url="https://bank.example/"),)
TWO = (Button("理财", type="click", key="WEALTH"),)


def menu(name: str, rule: MatchRule, buttons: tuple[Button, ...] = ONE, menuid: str | None = None) -> ConditionalMenu:
    return ConditionalMenu(name, rule, buttons, menuid=menuid)


def plan(desired: tuple[ConditionalMenu, ...], live: tuple[ConditionalMenu, ...]) -> list[tuple[str, str]]:
    return [(c.action, c.key) for c in diff(A, AccountState(conditional_menus=desired),
                                            AccountState(conditional_menus=live))]


def test_rules_overlap_unless_a_field_both_set_differs() -> None:
    assert overlap(VIP, ELDER)  # one follower can carry both tags
    assert overlap(VIP, IOS) and overlap(VIP, MatchRule(tag="vip", client_platform_type="1"))
    assert not overlap(IOS, ANDROID)
    assert not overlap(MatchRule(tag="vip", client_platform_type="1"), MatchRule(tag="vip", client_platform_type="2"))
    assert not overlap(MatchRule(legacy=(("sex", "1"),)), MatchRule(legacy=(("sex", "2"),)))


def test_menus_listed_first_are_made_last_so_they_are_the_newest() -> None:
    assert creation_order({0, 1, 2}, [VIP, IOS, ANDROID]) == [1, 2, 0]  # iOS and Android never meet
    assert creation_order({0, 1}, [IOS, ANDROID]) == [0, 1]


def test_a_first_apply_creates_overlapping_menus_in_reverse_spec_order() -> None:
    assert plan((menu("vip", VIP), menu("ios", IOS)), ()) == [("create", "ios"), ("create", "vip")]


def test_replacing_a_menu_re_creates_the_overlapping_ones_listed_before_it() -> None:
    live = (menu("ios", IOS, menuid="1"), menu("vip", VIP, menuid="2"), menu("android", ANDROID, menuid="3"))
    desired = (menu("vip", VIP), menu("ios", IOS, TWO), menu("android", ANDROID))
    changes = diff(A, AccountState(conditional_menus=desired), AccountState(conditional_menus=live))
    assert [(c.action, c.key) for c in changes] == [("replace", "ios"), ("replace", "vip")]
    kept = changes[1]
    assert isinstance(kept.before, ConditionalMenu) and kept.before == kept.after and kept.before.menuid == "2"
    assert kept.reason.startswith("re-created to keep precedence: listed before ios")
    assert felt(kept) is None


def test_a_live_precedence_against_the_spec_order_is_planned_and_said() -> None:
    live = (menu("vip", VIP, menuid="1"), menu("ios", IOS, TWO, menuid="2"))  # iOS VIP followers see ios
    changes = diff(A, AccountState(conditional_menus=(menu("vip", VIP), menu("ios", IOS, TWO))),
                   AccountState(conditional_menus=live))
    assert [(c.action, c.key) for c in changes] == [("replace", "vip")]
    assert "now see this menu instead of ios" in changes[0].reason
    assert plan((menu("ios", IOS, TWO), menu("vip", VIP)), live) == []  # listed as the platform has them


def test_a_stale_copy_of_a_kept_rule_is_no_destroy() -> None:
    live = AccountState(menu=Menu(ONE), conditional_menus=tuple(
        menu(f"m{i}", rule, ONE if i else TWO, menuid=str(i)) for i, rule in enumerate((VIP, VIP, IOS, ANDROID,
                                                                                      MatchRule(tag="x")))))
    desired = AccountState(menu=Menu(ONE), conditional_menus=tuple(
        menu(m.name, m.match, m.buttons) for m in reversed(live.conditional_menus[1:])))  # newest first
    [stale] = diff(A, desired, live)
    assert stale.action == "delete" and isinstance(stale.before, ConditionalMenu) and stale.before.menuid == "0"
    assert stale.reason.startswith("stale duplicate (menuid 0) of a menu with the same rule (m1)")
    assert felt(stale) is None
    assert tripped([stale], live, GuardSpec(max_delete_percent=0, percent_min_objects=1)) == []


def test_the_last_menu_of_a_rule_still_trips_the_destroy_guard() -> None:
    live = AccountState(menu=Menu(ONE), conditional_menus=(menu("vip", VIP, menuid="1"),))
    [gone] = diff(A, AccountState(menu=Menu(ONE)), live)
    assert felt(gone) == "followers in this segment fall back to the default menu"
    assert tripped([gone], live, GuardSpec())


# --- live menus the spec does not declare (attack review 10, B3) ---------------------------------------------
VIP_IOS = MatchRule(tag="vip", client_platform_type="1")


def switch(name: str, rule: str, menuid: str) -> str:
    return f"followers matching both this rule and the unmanaged menu {name} ({rule}, menuid {menuid}) will see " \
           "this menu instead of it"


def test_a_replace_names_the_newer_overlapping_unmanaged_menus_it_puts_behind() -> None:
    live = AccountState(conditional_menus=(menu("vip-ios", VIP_IOS, menuid="2"),))
    unmanaged = (menu("elder", ELDER, menuid="1"),  # older than vip-ios: behind it already
                 menu("platform-ios", IOS, TWO, menuid="3"),  # newer, overlapping: what VIP iOS followers see
                 menu("platform-android", ANDROID, TWO, menuid="4"))  # newer, but no follower matches both
    [change] = diff(A, AccountState(conditional_menus=(menu("vip-ios", VIP_IOS, TWO),)), live,
                    unmanaged_menus=unmanaged)
    assert change.action == "replace"
    assert change.reason.endswith(f"old one deleted; {switch('platform-ios', 'client_platform_type=1', '3')}")
    assert felt(change) == switch("platform-ios", "client_platform_type=1", "3")
    assert tripped([change], live, GuardSpec())  # it takes a menu away from followers: --allow-destroy
    assert tripped([change], live, GuardSpec(max_destroy={"conditional_menu": 1})) == []


def test_a_create_names_every_overlapping_unmanaged_menu_and_no_other() -> None:
    unmanaged = (menu("elder", ELDER, menuid="1"), menu("platform-android", ANDROID, TWO, menuid="4"))
    [vip] = diff(A, AccountState(conditional_menus=(menu("vip", VIP),)), AccountState(), unmanaged_menus=unmanaged)
    android = switch("platform-android", "client_platform_type=2", "4")
    assert felt(vip) == f"{switch('elder', 'tag=elder', '1')}; {android}"  # older or not: the create is newest
    [ios] = diff(A, AccountState(conditional_menus=(menu("ios", IOS),)), AccountState(),
                 unmanaged_menus=unmanaged[1:])
    assert ios.action == "create" and ios.reason == "" and felt(ios) is None  # iOS and Android never meet


def handed(name: str, rule: str, menuid: str) -> str:
    return f"followers matching both this rule and the unmanaged menu {name} ({rule}, menuid {menuid}) will see it " \
           "instead of this one"


def test_deleting_a_stale_copy_that_kept_followers_off_a_newer_unmanaged_menu_names_it_and_is_guarded() -> None:
    # Attack review 11, B3: the console added an iOS campaign (3) and a newer copy of the VIP menu (4); deleting
    # that copy hands VIP iOS followers to the campaign, not to the declared VIP menu (1).
    live = AccountState(conditional_menus=(menu("vip", VIP, menuid="1"), menu("vip-copy", VIP, TWO, menuid="4")))
    campaign = menu("platform-ios", IOS, TWO, menuid="3")
    [stale] = diff(A, AccountState(conditional_menus=(menu("vip", VIP),)), live, unmanaged_menus=(campaign,))
    assert (stale.action, stale.key) == ("delete", "vip-copy")
    assert felt(stale) == handed("platform-ios", "client_platform_type=1", "3")
    assert tripped([stale], live, GuardSpec())
    older = menu("platform-ios", IOS, TWO, menuid="0")  # behind the kept copy as well: nothing changes for them
    [quiet] = diff(A, AccountState(conditional_menus=(menu("vip", VIP),)), live, unmanaged_menus=(older,))
    assert felt(quiet) is None and tripped([quiet], live, GuardSpec()) == []


def test_deleting_a_declared_menu_says_who_gets_an_unmanaged_menu_rather_than_the_default() -> None:
    live = AccountState(conditional_menus=(menu("vip", VIP, menuid="4"),))
    [gone] = diff(A, AccountState(), live, unmanaged_menus=(menu("platform-ios", IOS, TWO, menuid="3"),))
    assert felt(gone) == ("followers in this segment fall back to the default menu; "
                          + handed("platform-ios", "client_platform_type=1", "3"))
