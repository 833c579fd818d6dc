"""Exactly once under faults: seeded runs of `publish --due` against the emulator with answers dropped after
the platform acted, -1, 45009 and runs killed between a send and its record, re-run until they succeed;
then a real SIGKILL of the CLI in the middle of a broadcast and of a publication. Every due slot goes out
once, and the record matches the emulator."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.content.publish import AccountRun, publish
from oa_spec.content.record import ContentRecord, Record, SendEntry
from oa_spec.content.slots import clientmsgid, today
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.errors import OaspecError
from oa_spec.history import audit
from oa_spec.history.state import FencedError
from oa_spec.plan.workspace import Workspace
from oa_spec.util import clock
from testing.cli import child_env
from tests.content.bank import APPID, publishing_account, quick_publishing, small_bank

# 50 seeds in every run; a soak sets more (CONTRIBUTING.md), as benchmarks/soak_faults.py does for apply.
SEEDS = int(os.environ.get("OASPEC_PUBLISH_FAULT_SEEDS", "50"))
NOW = "2026-12-20T09:00:00+08:00"
BROADCASTS = {"monthly-report/2026-12-05": "wealth/december-outlook", "anti-fraud/2026-12-20": "elderly/safe-transfer"}
PUBLICATIONS = {"finance-class/2026-12-09": "young/deposit-insurance", "finance-class/2026-12-16": "young/card-dates"}


class Killed(BaseException):
    """The run dies here, as under SIGKILL: nothing after this point happens."""


@pytest.fixture
def admin(server: EmulatorServer) -> EmulatorAdmin:
    return publishing_account(server, NOW)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    quick_publishing(monkeypatch, NOW)


@pytest.fixture
def workspace(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin, env: None) -> Iterator[Workspace]:
    ws = Workspace.open(small_bank(tmp_path, server.base_url), tmp_path / ".oaspec")
    results = apply_plan(ws, ws.plan("bank"))
    assert [r.error for r in results] == [None] and len(admin.publishing(APPID)["drafts"]) == 6
    ws.close()
    yield ws
    ws.close()


def fresh_slots(server: EmulatorServer, ws: Workspace) -> None:
    """Nothing sent yet, on the platform, in the record or in the audit trail (publish refuses a slot the trail
    records as sent that the record does not know: attack review 78 F6); the drafts stay."""
    emulator = server.emulator
    with emulator._lock:
        state = emulator.publish_state(APPID)
        state.sends.clear()
        state.publications.clear()
        state.events.clear()
    with ContentRecord(ws.state_dir, "bank").edit() as record:
        record.sends.clear()
    audit.log_path(ws.state_dir).unlink(missing_ok=True)
    server.admin.clear_faults()


def inject(rng: random.Random, admin: EmulatorAdmin) -> list[str]:
    chosen = []
    if rng.random() < 0.6:
        path = rng.choice(["message/mass/sendall", "freepublish/submit"])
        admin.drop(nth=rng.randint(1, 2), path=path, after_processing=True)
        chosen.append(f"drop after {path}")
    if rng.random() < 0.5:
        every = rng.randint(2, 4)
        admin.fail(-1, every=every)
        chosen.append(f"-1 every {every} writes")
    if rng.random() < 0.3:
        admin.fail(45009, every=1, path=rng.choice(["message/mass/sendall", "freepublish/submit"]))
        chosen.append("45009")
    if rng.random() < 0.3:
        admin.drop(nth=1, path=rng.choice(["message/mass/get", "freepublish/get", "draft/batchget"]))
        chosen.append("drop a read")
    return chosen


def crash_after(monkeypatch: pytest.MonkeyPatch, saves: int) -> None:
    """The run dies at its `saves`-th record write: after the platform acted on the call before it."""
    real = AccountRun._save
    count = [0]

    def dying(record: ContentRecord, entry: object) -> object:
        count[0] += 1
        if count[0] == saves:
            raise Killed()
        return real(record, entry)  # type: ignore[arg-type]

    monkeypatch.setattr(AccountRun, "_save", staticmethod(dying))


def check_exactly_once(server: EmulatorServer, ws: Workspace) -> None:
    state = server.admin.publishing(APPID)
    ids = {name: clientmsgid("bank", article, slot) for slot, article in BROADCASTS.items() for name in [slot]}
    assert sorted(s["clientmsgid"] for s in state["sends"]) == sorted(ids.values())
    live = {pid: p for pid, p in state["publications"].items() if p["publish_status"] == 0}
    assert len(live) == len(PUBLICATIONS)
    record: Record = ContentRecord(ws.state_dir, "bank").load()
    assert {slot: e.state for slot, e in record.sends.items()} == dict.fromkeys([*BROADCASTS, *PUBLICATIONS], "sent")
    by_cmid = {s["clientmsgid"]: str(s["msg_id"]) for s in state["sends"]}
    for slot in BROADCASTS:
        assert record.sends[slot].msg_id == by_cmid[ids[slot]]
    assert sorted(record.sends[slot].article_id for slot in PUBLICATIONS) == sorted(p["article_id"]
                                                                                     for p in live.values())


@pytest.mark.long
def test_every_due_slot_goes_out_once_whatever_fails(server: EmulatorServer, workspace: Workspace,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    reruns = 0  # seeds whose first run did not finish: the faults must bite for the test to mean anything
    for seed in range(SEEDS):
        rng = random.Random(seed)
        fresh_slots(server, workspace)
        faults = inject(rng, server.admin)
        with monkeypatch.context() as patch:
            if rng.random() < 0.35:
                crash_after(patch, rng.randint(2, 8))
                faults.append("killed")
            for attempt in range(1, 9):
                try:
                    outcomes = publish(workspace, "bank", due_only=True, dry_run=False)
                except Killed:
                    outcomes = []
                finally:
                    workspace.close()  # the next run is a new process: new token, new reads
                if outcomes and all(o.ok for o in outcomes):
                    reruns += attempt > 1
                    break
                if attempt == 3:
                    server.admin.clear_faults()  # the platform's bad day ends; the quota resets
            else:
                pytest.fail(f"seed {seed} ({faults}) did not converge: {[o.line() for o in outcomes]}")
        try:
            check_exactly_once(server, workspace)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed} ({faults}): {exc}") from exc
    assert reruns >= SEEDS // 3, f"only {reruns} of {SEEDS} seeds needed a second run"


def wait_until(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("path", ["message/mass/sendall", "freepublish/submit"])
def test_sigkill_between_the_send_and_its_record(tmp_path: Path, server: EmulatorServer, workspace: Workspace,
                                                 path: str) -> None:
    """The platform acts, holds its answer, and the CLI is killed meanwhile; the next run settles the slot."""
    spec = tmp_path / "bank" / "oaspec.yaml"
    server.admin.slow(20_000, path=path)
    env = child_env({"NO_COLOR": "1", "OASPEC_NOW": NOW, "OASPEC_PUBLISH_WAIT_SECONDS": "2",
                     "OASPEC_PUBLISH_SETTLE_SECONDS": "0"})
    command = [sys.executable, "-m", "oa_spec", "--state-dir", str(workspace.state_dir), "publish", "-f", str(spec),
               "--due"]
    victim = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kind = "sends" if path.startswith("message") else "publications"
    wait_until(lambda: len(server.admin.publishing(APPID)[kind]) == 1)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    journal = ContentRecord(workspace.state_dir, "bank").load().sends
    states = [e.state for e in journal.values()]  # the slots before it went out; it was journalled before its call
    assert states[-1] == "sending" and set(states[:-1]) <= {"sent"}
    server.admin.clear_faults()
    again = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0, again.stderr
    check_exactly_once(server, workspace)
    # the killed run's send is not counted as this run's
    assert f"sent now, 1 sent by an earlier run and recorded now, {len(states) - 1} sent before." in again.stdout


def test_a_subscription_account_sends_one_broadcast_a_day_and_names_the_slot_it_refuses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_NOW", "2026-11-25T10:00:00+08:00")
    ws = Workspace.open(small_bank(tmp_path, account_type="subscription"), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
    monkeypatch.setenv("OASPEC_NOW", NOW)
    outcomes = {o.due.slot: o for o in publish(ws, "bank", due_only=True, dry_run=False)}
    assert outcomes["monthly-report/2026-12-05"].result == "sent"
    refused = outcomes["anti-fraud/2026-12-20"]
    assert refused.result == "refused"
    assert refused.line() == ("bank: anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): refused: "
                              "over the broadcast quota: a subscription account sends 1 per day, and 2026-12-20 has "
                              "1 already")
    assert ContentRecord(ws.state_dir, "bank").load().sends.get("anti-fraud/2026-12-20") is None
    monkeypatch.setenv("OASPEC_NOW", "2026-12-21T09:00:00+08:00")  # the next day's quota
    later = {o.due.slot: o.result for o in publish(ws, "bank", due_only=True, dry_run=False)}
    assert later["anti-fraud/2026-12-20"] == "sent" and later["monthly-report/2026-12-05"] == "already sent"
    assert today().isoformat() == "2026-12-21"


def test_a_draft_edited_while_earlier_slots_are_sent_is_refused_not_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the draft was checked once, when the run began: an attack review edited a later slot's draft in the console
    # while an earlier one was being published, and the edit went out recorded as the reviewed version
    monkeypatch.setenv("OASPEC_NOW", NOW)
    ws = Workspace.open(small_bank(tmp_path), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
    local = tmp_path / ".oaspec" / "local" / "bank.json"
    real_finish = AccountRun._finish

    def console_edit_after_the_first_send(self: AccountRun, *args: object) -> object:
        outcome = real_finish(self, *args)  # type: ignore[arg-type]
        data = json.loads(local.read_text(encoding="utf-8"))
        for article in data["state"]["articles"]:
            if article["name"] == "young/card-dates":
                article["content"], article["content_sha256"] = "<p>限时秒批，无门槛</p>", "edited-in-the-console"
        local.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return outcome

    monkeypatch.setattr(AccountRun, "_finish", console_edit_after_the_first_send)
    outcomes = {o.due.slot: o for o in publish(ws, "bank", due_only=True, dry_run=False)}
    edited = outcomes["finance-class/2026-12-16"]
    assert edited.result == "refused" and "not the reviewed version" in edited.line()
    assert ContentRecord(ws.state_dir, "bank").load().sends.get("finance-class/2026-12-16") is None


def test_a_slot_refused_for_another_reason_does_not_use_up_the_broadcast_quota(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the quota was counted before the draft check: a refused slot made the next one "over the quota"
    monkeypatch.setenv("OASPEC_NOW", "2026-11-25T10:00:00+08:00")
    ws = Workspace.open(small_bank(tmp_path, account_type="subscription"), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
    local = tmp_path / ".oaspec" / "local" / "bank.json"
    data = json.loads(local.read_text(encoding="utf-8"))
    for article in data["state"]["articles"]:
        if article["name"] == "wealth/december-outlook":  # the 12-05 broadcast's draft, edited in the console
            article["content_sha256"] = "edited-in-the-console"
    local.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("OASPEC_NOW", NOW)
    outcomes = {o.due.slot: o for o in publish(ws, "bank", due_only=True, dry_run=False)}
    assert outcomes["monthly-report/2026-12-05"].result == "refused"
    assert outcomes["anti-fraud/2026-12-20"].result == "sent"  # the day's one broadcast is still there to send


def test_a_full_disk_names_the_record_and_says_the_next_run_settles_the_slot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the bare OSError reached the CLI: "No space left on device; check the path and its permissions"
    monkeypatch.setenv("OASPEC_NOW", NOW)
    ws = Workspace.open(small_bank(tmp_path), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]

    def full(*_: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ContentRecord, "edit", full)
    with pytest.raises(OaspecError) as caught:
        publish(ws, "bank", due_only=True, dry_run=False)
    message = str(caught.value)
    assert str(tmp_path / ".oaspec") in message and "cannot record monthly-report/2026-12-05" in message
    assert "Free space there" in message and "settles this slot before sending anything" in message


def test_a_run_that_lost_its_lock_sends_and_journals_nothing_more(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # publishing was not fenced: a run paused past its PostgreSQL lease woke up, journalled over the run that had
    # taken over, and published the slot again. Here the lock is taken over after the first slot goes out.
    monkeypatch.setenv("OASPEC_NOW", NOW)
    ws = Workspace.open(small_bank(tmp_path), tmp_path / ".oaspec")
    assert [r.error for r in apply_plan(ws, ws.plan("bank"))] == [None]
    taken_over = [False]

    def still_ours() -> None:
        if taken_over[0]:
            raise FencedError("the lock of account bank was taken over by another run")

    @contextmanager
    def publishing(_: ContentRecord) -> Iterator[Callable[[], None]]:
        yield still_ours

    real_finish = AccountRun._finish

    def first_slot_then_taken_over(self: AccountRun, *args: object) -> object:
        outcome = real_finish(self, *args)  # type: ignore[arg-type]
        taken_over[0] = True
        return outcome

    monkeypatch.setattr(ContentRecord, "publishing", publishing)
    monkeypatch.setattr(AccountRun, "_finish", first_slot_then_taken_over)
    with pytest.raises(FencedError, match="taken over"):
        publish(ws, "bank", due_only=True, dry_run=False)
    assert list(ContentRecord(ws.state_dir, "bank").load().sends) == ["monthly-report/2026-12-05"]


def results(ws: Workspace, dry_run: bool) -> dict[str, tuple[str, str]]:
    try:
        return {o.due.slot: (o.result, o.detail) for o in publish(ws, "bank", due_only=True, dry_run=dry_run)}
    finally:
        ws.close()


def test_a_dry_run_says_what_the_run_does_with_a_publication_still_publishing(
        workspace: Workspace, admin: EmulatorAdmin) -> None:
    """Attack review 6: the dry run said "would send" (exit 0) where the run polls an earlier submission and
    exits 1, because it took every slot not yet `sent` for one it could send."""
    admin.set_publishing(APPID, publish_status=1)  # the platform keeps every publication "publishing"
    run = results(workspace, dry_run=False)
    assert {slot: run[slot][0] for slot in PUBLICATIONS} == dict.fromkeys(PUBLICATIONS, "pending")
    submitted = ContentRecord(workspace.state_dir, "bank").load()
    dry = results(workspace, dry_run=True)
    assert {slot: dry[slot][0] for slot in dry} == {slot: run[slot][0] for slot in run} | dict.fromkeys(
        BROADCASTS, "already sent")
    assert all("it is not sent again" in dry[slot][1] for slot in PUBLICATIONS)
    assert ContentRecord(workspace.state_dir, "bank").load() == submitted  # read, not written
    assert len(admin.publishing(APPID)["publications"]) == len(PUBLICATIONS)


def test_a_dry_run_settles_nothing_but_says_what_an_unclear_attempt_becomes(
        workspace: Workspace, admin: EmulatorAdmin, monkeypatch: pytest.MonkeyPatch) -> None:
    slot, article = next(iter(PUBLICATIONS.items()))
    broadcast, letter = next(iter(BROADCASTS.items()))
    with ContentRecord(workspace.state_dir, "bank").edit() as record:
        for name, title, mode, at in ((slot, article, "publish", clock.real_timestamp()),
                                      (broadcast, letter, "broadcast", "2026-01-01T00:00:00+00:00")):
            record.put_send(SendEntry(slot=name, article=title, mode=mode,  # type: ignore[arg-type]
                                      content_sha256="0" * 64, clientmsgid=clientmsgid("bank", title, name),
                                      state="sending", journalled_at=at))
    monkeypatch.setenv("OASPEC_PUBLISH_SETTLE_SECONDS", "600")  # the attempt may still be publishing
    journal = ContentRecord(workspace.state_dir, "bank").load()
    dry = results(workspace, dry_run=True)
    assert dry[slot][0] == "unclear" and "not among the publications yet" in dry[slot][1]
    assert dry[broadcast][0] == "refused" and "over 23 hours old" in dry[broadcast][1]
    assert ContentRecord(workspace.state_dir, "bank").load() == journal
    run = results(workspace, dry_run=False)
    assert (run[slot][0], run[broadcast][0]) == ("unclear", "refused")
    sent = admin.publishing(APPID)  # the other slots went out; these two did not
    assert len(sent["publications"]) == len(PUBLICATIONS) - 1 and run[slot][0] != "sent"
    assert clientmsgid("bank", letter, broadcast) not in {s["clientmsgid"] for s in sent["sends"]}
