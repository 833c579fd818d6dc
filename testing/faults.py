"""The randomized fault suite, shared by tests/apply/test_faults.py (CI-sized) and benchmarks/soak_faults.py.

One attempt: an account is brought to a random state without faults; a random new spec is planned;
faults are armed in the emulator (errcodes on writes, connections dropped before or in the middle of
the answer, a latency spike, token expiry); the plan is applied; then
- every planned change is either fully landed or not at all, and the revision says which (exactly);
- with the faults cleared, a re-run converges to the spec and the next plan is empty;
- no AppSecret or access token is in any file under the state directory, any result or any log line.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hypothesis import strategies as st

from oa_spec.apply.outcome import ApplyResult
from oa_spec.config.model import AccountSpec
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, ConditionalMenu, Tag, Template
from oa_spec.plan.workspace import provider_settings
from oa_spec.providers.base import Provider
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat import WeChatProvider
from testing import emulator
from testing.convergence import ACCOUNT, TEMPLATES, Driver, RecordingWorkspace, account_spec, matches
from testing.emulator import EmulatorAccount

APPID = "wx00000000fau1tsAB"
SECRET_VARIABLE = "OASPEC_FAULTS_SECRET"
SECRET = "fault-suite-secret-91c3e7"
FAST_RETRIES = (0.005, 0.01, 0.02)
TIMEOUT = 0.3  # seconds per HTTP call: a latency spike above it is a timeout
WRITE_PATHS = ("menu/create", "menu/delete", "menu/addconditional", "menu/delconditional", "tags/create",
               "tags/update", "tags/delete", "template/api_add_template", "template/del_private_template",
               "template/api_set_industry")
ERRCODES = (-1, 45009, 40164, 45010, 48001)
Status = Literal["before", "after", "neither"]


# --- faults ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    kind: Literal["errcode", "drop", "latency", "expire", "token_refused"]
    errcode: int = 0
    every: int = 1
    path: str | None = None
    after_processing: bool = False
    partial_body: bool = False  # drop: the call is done and its answer cut off half-way
    delay_ms: int = 0  # latency/expire: when, after the apply starts
    latency_ms: int = 0


@st.composite
def faults(draw: st.DrawFn) -> list[Fault]:
    path = st.one_of(st.none(), st.sampled_from(WRITE_PATHS))
    one = st.one_of(
        st.builds(Fault, kind=st.just("errcode"), errcode=st.sampled_from(ERRCODES), every=st.integers(1, 4),
                  path=path),
        st.builds(Fault, kind=st.just("drop"), every=st.integers(1, 6), path=path, after_processing=st.booleans(),
                  partial_body=st.booleans()),
        st.builds(Fault, kind=st.just("latency"), delay_ms=st.integers(0, 40), latency_ms=st.sampled_from((50, 400))),
        st.builds(Fault, kind=st.just("expire"), delay_ms=st.integers(0, 40)),
        st.builds(Fault, kind=st.just("token_refused"), errcode=st.sampled_from((40001, 42001, 40014)),
                  every=st.integers(1, 3)),
    )
    return draw(st.lists(one, min_size=1, max_size=2))


@contextmanager
def armed(admin: EmulatorAdmin, chosen: list[Fault]) -> Iterator[None]:
    """Faults in force for the body; timed ones (latency spike, token expiry) fire from a timer."""
    timers: list[threading.Timer] = []
    for fault in chosen:
        if fault.kind == "errcode":
            admin.fail(fault.errcode, every=fault.every, path=fault.path, appid=APPID)
        elif fault.kind == "token_refused":
            admin.fail(fault.errcode, every=fault.every, appid=APPID)
        elif fault.kind == "drop":
            admin.drop(nth=fault.every, path=fault.path, appid=APPID, after_processing=fault.after_processing,
                       partial_body=fault.partial_body)
        elif fault.kind == "latency":
            timers.append(threading.Timer(fault.delay_ms / 1000, admin.set_latency, args=(fault.latency_ms,)))
        else:
            timers.append(threading.Timer(fault.delay_ms / 1000, admin.expire_tokens))
    for timer in timers:
        timer.start()
    try:
        yield
    finally:
        for timer in timers:
            timer.cancel()
            timer.join(timeout=5)
        admin.clear_faults()


# --- the driver ----------------------------------------------------------------------------------------
class FastRetryWorkspace(RecordingWorkspace):
    """WeChat providers with short retry delays and timeouts, so that hundreds of attempts stay quick."""

    def provider(self, account: AccountSpec) -> Provider:
        settings = provider_settings(account)
        assert isinstance(settings, WeChatSettings)
        return WeChatProvider(account.id, settings, os.environ[SECRET_VARIABLE], retry_delays=FAST_RETRIES)


@dataclass
class Secrets:
    """Every credential seen in the suite, and every text it produced, for the final grep."""

    values: set[str] = field(default_factory=lambda: {SECRET})
    outputs: list[str] = field(default_factory=list)

    def collect_tokens(self, server: EmulatorServer) -> None:
        self.values |= set(server.emulator.tokens) | set(server.emulator.stable.values())

    def leaks_in(self, texts: list[str]) -> list[str]:
        return [f"{value[:6]}... in {text[:80]!r}" for text in texts for value in self.values if value in text]

    def leaks_under(self, root: Path) -> list[str]:
        found = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{value[:6]}... in {path}" for value in self.values if value.encode() in data]
        return found


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def wechat_provider_config(server: EmulatorServer) -> dict[str, Any]:
    return {"type": "wechat", "app_id": APPID, "app_secret": f"${{{SECRET_VARIABLE}}}",
            "api_base": server.base_url, "timeout_seconds": TIMEOUT}


ACCOUNT_IN_EMULATOR = EmulatorAccount(APPID, SECRET, [{"template_id_short": lib, "title": title}
                                                      for _, lib, title in TEMPLATES])


def fresh_account(admin: EmulatorAdmin) -> None:
    emulator.fresh_account(admin, ACCOUNT_IN_EMULATOR)


def run_attempt(server: EmulatorServer, root: Path, data: st.DataObject, secrets: Secrets) -> str:
    """One fault attempt; returns a one-word outcome for statistics. Fails by AssertionError."""
    admin = server.admin
    fresh_account(admin)
    provider = wechat_provider_config(server)
    driver = Driver(root)
    earlier_spec = data.draw(account_spec(provider, with_replies=False), label="earlier spec")
    ws1 = _fast(driver.workspace(earlier_spec))
    earlier = driver.apply(ws1)
    assert earlier.ok, earlier.error
    spec = data.draw(account_spec(provider, earlier_spec, tuple(t.name for t in driver.live(ws1).tags),
                                  with_replies=False), label="spec")
    ws2 = _fast(driver.workspace(spec))
    plan = driver.plan(ws2)
    before = driver.live(ws2)
    chosen = data.draw(faults(), label="faults")
    with armed(admin, chosen):
        result = driver.apply(ws2, plan)
    after = driver.live(ws2)
    check_landed(plan.accounts[0].actionable, result, before, after)

    rerun = driver.apply(ws2)
    assert rerun.ok, f"the re-run did not converge: {rerun.error}"
    desired = ws2.account(ACCOUNT).desired
    assert matches(driver.live(ws2), desired)
    assert not driver.plan(ws2).has_changes

    secrets.collect_tokens(server)
    secrets.outputs += [r.error for r in (earlier, result, rerun) if r.error]
    leaks = secrets.leaks_under(root) + secrets.leaks_in(secrets.outputs)
    assert not leaks, leaks
    if not plan.has_changes:
        return "no changes"
    return "clean" if result.ok else ("partial" if result.applied else "nothing landed")


def _fast(ws: RecordingWorkspace) -> FastRetryWorkspace:
    fast = FastRetryWorkspace(**{name: getattr(ws, name) for name in ws.__dataclass_fields__})
    fast.recorder = ws.recorder
    return fast


# --- what landed --------------------------------------------------------------------------------------
def check_landed(changes: list[Change], result: ApplyResult, before: AccountState, after: AccountState) -> None:
    """Each change is wholly in place or wholly not, and the revision's `applied` says exactly which.

    One exception is honest rather than exact: when the platform never answered the write in flight
    (every attempt timed out or was dropped), nobody can know whether it landed. The revision must then
    say that it gave up, and that one change may be either way; the next plan shows which."""
    recorded = set(result.revision.applied) if result.revision else set()
    if result.revision is not None and result.revision.live_after is not None:
        assert matches(after, result.revision.live_after), "the revision's live_after is not the account"
    unclear = result.error is not None and "gave up after" in result.error
    in_flight = changes[len(recorded)].address if unclear and len(recorded) < len(changes) else None
    for change in changes:
        status = landed(change, before, after)
        expected = "after" if change.address in recorded else "before"
        if change.address == in_flight and status in ("before", "after"):
            continue
        assert status == expected, (f"{change.address} ({change.action}) is {status!r} on the account, but the "
                                    f"revision says {expected!r} (error: {result.error})")


def landed(change: Change, before: AccountState, after: AccountState) -> Status:
    """Whether `change` is in place on `after` ("after"), not at all ("before"), or half ("neither")."""
    if change.kind == "tag":
        return _tag_status(change, after)
    if change.kind == "template":
        titles = {t.title for t in after.templates}
        resource = change.after or change.before
        assert isinstance(resource, Template)
        present = resource.title in titles
        return "after" if present == (change.after is not None) else "before"
    if change.kind == "conditional_menu":
        return _conditional_status(change, before, after)
    current = after.menu if change.kind == "menu" else after.industry
    if current == change.after:
        return "after"
    return "before" if current == change.before else "neither"


def _tag_status(change: Change, after: AccountState) -> Status:
    if change.action == "create":
        assert isinstance(change.after, Tag)
        return "after" if after.tag(change.after.name) is not None else "before"
    assert isinstance(change.before, Tag)
    current = next((t for t in after.tags if t.id == change.before.id), None)
    if change.action == "delete":
        return "after" if current is None else "before"
    assert isinstance(change.after, Tag)
    if current is None:
        return "neither"
    return "after" if current.name == change.after.name else "before"


def _conditional_status(change: Change, before: AccountState, after: AccountState) -> Status:
    old_gone = True
    if change.before is not None:
        assert isinstance(change.before, ConditionalMenu)
        old_gone = change.before.menuid not in {m.menuid for m in after.conditional_menus}
    new_there = True
    if change.after is not None:
        assert isinstance(change.after, ConditionalMenu)
        new_there = any(m.match == change.after.match and m.buttons == change.after.buttons
                        and m.menuid not in {b.menuid for b in before.conditional_menus}
                        for m in after.conditional_menus)
    if old_gone and new_there:
        return "after"
    if change.before is None and not new_there:
        return "before"
    if change.after is None and not old_gone:
        return "before"
    return "before" if not old_gone and not new_there else "neither"
