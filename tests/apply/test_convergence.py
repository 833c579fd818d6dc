"""Convergence as a property: for random valid desired states and random live states, applying the plan
yields the desired state (the conditional menus' precedence included), the next plan is empty, nothing
unchanged is written (except a conditional menu re-created to keep precedence), and rollback restores an
earlier revision's state. Runs on the local provider and, through the WeChat provider, on the emulator
(whose call log must show no write on a second apply)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from oa_spec import limits
from oa_spec.emulator import EmulatorServer
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, ConditionalMenu, Menu, Reply
from oa_spec.plan.workspace import Workspace, provider_settings
from oa_spec.providers import make_provider
from oa_spec.providers.base import Provider
from testing.convergence import ACCOUNT, TEMPLATES, Driver, account_spec, matches, precedence_holds

LOCAL = {"type": "local"}
PROPERTY_SETTINGS = settings(max_examples=60, deadline=5000, derandomize=True, database=None,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def unchanged(desired: AccountState, live: AccountState) -> set[tuple[str, str]]:
    """Identities of the resources that are the same in both states, computed without the plan."""
    same: set[tuple[str, str]] = set()
    for kind, key, want, have in (("menu", "", desired.menu, live.menu), ("industry", "", desired.industry,
                                  live.industry), ("reply", "subscribe", desired.subscribe_reply, live.subscribe_reply),
                                  ("reply", "default", desired.default_reply, live.default_reply)):
        if want is not None and want == have:
            same.add((kind, key))
    same |= {("tag", t.name) for t in desired.tags if live.tag(t.name) is not None}
    same |= {("template", t.title) for t in desired.templates if t.title in {x.title for x in live.templates}}
    same |= {("conditional_menu", _menu_id(m)) for m in desired.conditional_menus
             if any(m.match == x.match and m.buttons == x.buttons for x in live.conditional_menus)}
    live_rules = {r.name: r for r in live.keyword_replies}
    same |= {("keyword_reply", r.name) for r in desired.keyword_replies if live_rules.get(r.name) == r}
    return same


def touched(change: Change) -> set[tuple[str, str]]:
    """Identities a write touches (both sides of an update or rename)."""
    out: set[tuple[str, str]] = set()
    for resource in (change.before, change.after):
        if resource is None:
            continue
        if change.kind == "tag":
            out.add(("tag", resource.name))  # type: ignore[union-attr]
        elif change.kind == "template":
            out.add(("template", resource.title))  # type: ignore[union-attr]
        elif change.kind == "conditional_menu":
            assert isinstance(resource, ConditionalMenu)
            out.add(("conditional_menu", _menu_id(resource)))
        else:
            out.add((change.kind, change.key))
    return out


def _keeps_precedence(write: Change) -> bool:
    """A conditional menu re-created as it is, so that the one listed first stays the newest (precedence_holds
    checks that the live precedence is the spec's order)."""
    return (write.kind == "conditional_menu" and write.action == "replace" and write.before == write.after
            and write.reason.startswith("re-created to keep precedence"))


def _menu_id(menu: ConditionalMenu) -> str:
    return json.dumps([menu.match.describe(), [b.to_api() for b in menu.buttons]], ensure_ascii=False)


@st.composite
def console_edits(draw: st.DrawFn, live: AccountState) -> list[Change]:
    """What staff might do in the web console to objects oaspec manages: edit the menu, delete a tag,
    change the welcome text."""
    edits: list[Change] = []
    if live.menu is not None and draw(st.booleans()):
        first = live.menu.buttons[0]
        edited = Menu((replace(first, name="控制台改"), *live.menu.buttons[1:])) if len(live.menu.buttons) == 1 \
            else Menu(live.menu.buttons[:-1])
        edits.append(Change("update", "menu", "", f"{ACCOUNT}/menu", live.menu, edited))
    own = [t for t in live.tags if t.id not in limits.RESERVED_TAG_IDS]
    if bool(own) and draw(st.booleans()):
        tag = draw(st.sampled_from(own))
        edits.append(Change("delete", "tag", tag.name, f"{ACCOUNT}/tags/{tag.name}", tag, None))
    if live.subscribe_reply is not None and draw(st.booleans()):
        edits.append(Change("update", "reply", "subscribe", f"{ACCOUNT}/replies/subscribe", live.subscribe_reply,
                            Reply("控制台修改的欢迎语")))
    return edits


def check_convergence(driver: Driver, data: st.DataObject, provider: dict[str, Any],
                      raw_provider: Callable[[Workspace], Provider],
                      platform_writes: Callable[[], int] | None = None) -> None:
    """The property, for one pair of random states, on whichever provider `provider` configures.
    `platform_writes` counts the write calls the platform saw (the emulator's call log)."""
    # A random live state: what an earlier spec applied, then edited in the console.
    console: Provider = raw_provider(driver.workspace({"id": ACCOUNT, "name": "-", "provider": provider}))
    replies = "reply" in console.writable_kinds
    earlier = data.draw(account_spec(provider, with_replies=replies), label="earlier spec")
    ws1 = driver.workspace(earlier)
    first = driver.apply(ws1)
    assert first.ok, first.error
    assert matches(driver.live(ws1), ws1.account(ACCOUNT).desired)
    assert precedence_holds(driver.live(ws1), ws1.account(ACCOUNT).desired)
    try:
        for edit in data.draw(console_edits(driver.live(ws1)), label="console edits"):
            if edit.kind in console.writable_kinds:
                console.apply(edit)
    finally:
        console.close()

    # Apply a random desired state over it.
    live = driver.live(ws1)
    ws2 = driver.workspace(data.draw(account_spec(provider, earlier, tuple(t.name for t in live.tags), replies),
                                          label="spec"))
    desired = ws2.account(ACCOUNT).desired
    writes = driver.writes_during(lambda: _ok(driver.apply(ws2)))
    assert matches(driver.live(ws2), desired) and precedence_holds(driver.live(ws2), desired)
    assert not driver.plan(ws2).has_changes
    never = unchanged(desired, live)
    renamed = {t.name for t in desired.tags if t.renamed_from and live.tag(t.renamed_from) is not None}
    kept_menu_on_renamed_tag = any(m.match.tag in renamed and any(m.buttons == x.buttons
                                                                  for x in live.conditional_menus)
                                   for m in desired.conditional_menus)
    event(f"renamed a tag: {bool(renamed)}; under an unchanged conditional menu: {kept_menu_on_renamed_tag}")
    for write in writes:
        event(f"wrote {write.kind} {write.action}")
    for write in writes:
        if _keeps_precedence(write):  # its buttons stay; an overlapping menu listed after it was made newer
            continue
        assert not touched(write) & never, f"{write.address} ({write.action}) was written but did not change"

    # Applying again writes nothing at all (and the platform sees no write call).
    seen = platform_writes() if platform_writes else 0
    assert driver.writes_during(lambda: _ok(driver.apply(ws2))) == []
    assert (platform_writes() if platform_writes else 0) == seen

    # Rollback to the first revision restores its state.
    if first.revision is not None:
        _ok(driver.rollback(ws2, first.revision.number))
        assert matches(driver.live(ws2), first.revision.desired)
        assert precedence_holds(driver.live(ws2), first.revision.desired)
        assert not driver.plan(ws1).has_changes


def _ok(result: Any) -> None:
    assert result.ok, result.error


@pytest.mark.long
@PROPERTY_SETTINGS
@given(data=st.data())
def test_apply_converges_on_the_local_provider(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        driver = Driver(Path(tmp))
        check_convergence(driver, data, LOCAL, _unrecorded)


def _unrecorded(ws: Workspace) -> Provider:
    return make_provider(ACCOUNT, provider_settings(ws.account(ACCOUNT).spec), ws.state_dir)


# --- on the emulator, through the WeChat provider ---------------------------------------------------------
APPID = "wx00000000c0nvergE"
SECRET_VARIABLE = "OASPEC_CONVERGENCE_SECRET"
SECRET = "convergence-secret-5be1"


@pytest.fixture(scope="module")
def emulator(server: EmulatorServer) -> Iterator[EmulatorServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET_VARIABLE, SECRET)  # the spec names the variable; the validator checks it is set
        yield server


@pytest.mark.long
def test_apply_converges_on_the_emulator(emulator: EmulatorServer) -> None:
    admin = emulator.admin
    wechat = {"type": "wechat", "app_id": APPID, "app_secret": f"${{{SECRET_VARIABLE}}}",
              "api_base": emulator.base_url, "timeout_seconds": 5}

    @settings(PROPERTY_SETTINGS, max_examples=25)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        admin.reset()
        admin.register_app(APPID, SECRET)
        admin.add_library_templates([{"template_id_short": lib, "title": title} for _, lib, title in TEMPLATES])
        with tempfile.TemporaryDirectory() as tmp:
            check_convergence(Driver(Path(tmp)), data, wechat, _unrecorded, lambda: len(admin.writes(APPID)))

    run()
