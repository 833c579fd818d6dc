"""The served configuration each worker reads from the applied revisions: a history it cannot read now
(the database down at a worker's boot, the newest record damaged) never stops a worker from booting and
never makes it answer from an older revision, a rollback nobody made."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from oa_spec.apply.run import apply_plan
from oa_spec.emulator import run_emulator
from oa_spec.errors import OaspecError
from oa_spec.gateway import runner
from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.applied import revision_marker
from oa_spec.gateway.runner import AppliedAccounts
from oa_spec.gateway.runtime import AccountRuntime
from oa_spec.history.files import FilesState
from oa_spec.history.state import open_state
from oa_spec.plan.workspace import Workspace
from testing.disk import unwritable
from tests.gateway.helpers import OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
from tests.gateway.servers import running
from tests.gateway.test_spec_gateway import CS, GATEWAY, secrets, spec

__all__ = ["secrets"]


def _applied(tmp_path: Path, *texts: str) -> Workspace:
    path = spec(tmp_path, GATEWAY, CS.replace("replies:\n", "replies:\n  default: {text: TEXT}\n"))
    template = path.read_text(encoding="utf-8")
    for text in texts:
        path.write_text(template.replace("TEXT", text), encoding="utf-8")
        ws = Workspace.open(path, tmp_path / ".oaspec")
        [result] = apply_plan(ws, ws.plan())
        assert result.ok
        ws.close()
    return ws


def _default(applied: AppliedAccounts) -> str | None:
    [config] = applied.configs()
    return config.default_reply.text if config.default_reply is not None else None


def test_a_damaged_newest_revision_keeps_what_was_served_and_never_serves_an_older_one(tmp_path: Path) -> None:
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    accounts = list(ws.spec.accounts)
    running = AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))
    assert _default(running) == "新的答复"
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    newest.write_bytes(newest.read_bytes()[:40])
    assert running.changed()
    assert _default(running) == "新的答复"  # the worker keeps what it served
    assert _default(AppliedAccounts(accounts, FilesState(tmp_path / ".oaspec"))) is None  # a new one: `success`


def test_a_worker_boots_while_the_database_is_down_and_reads_it_once_it_is_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _applied(tmp_path, "答复")
    state = open_state("postgresql://oaspec@127.0.0.1:9/oaspec?connect_timeout=1", tmp_path, connect=False)
    booting = AppliedAccounts(list(ws.spec.accounts), state)
    assert _default(booting) is None  # answers `success`: no worker fails to boot, so gunicorn halts nothing
    assert all(config.unread for config in booting.configs())  # and takes nothing: the spec's mode decides nothing
    assert booting.changed()  # read again on the next poll
    assert booting.problem() is not None
    files = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"))
    down = {"now": True}

    def marker(history: object) -> object:
        if down["now"]:
            raise OaspecError("PostgreSQL state backend: connecting failed")
        return revision_marker(history)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "revision_marker", marker)
    assert _default(files) is None
    assert files.problem() == ("applied revisions never read, answering `success` (no reply) until they can be: "
                               "citybank")  # /healthz: not "serving what was read before" when nothing was
    down["now"] = False
    assert files.changed() and _default(files) == "答复"
    assert files.problem() is None
    down["now"] = True
    assert _default(files) == "答复"  # kept
    assert files.problem() == "applied revisions unreadable, serving what was read before: citybank"


def _until(done: Callable[[], bool], within_s: float = 10.0) -> None:
    deadline = time.monotonic() + within_s
    while not done():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.02)


def test_a_revision_this_replica_cannot_serve_is_reported_and_served_once_it_can(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review rotated the Token into a new variable the replica lacked: the new revision was never served,
    # never tried again, and /healthz said "ok" while the platform's signatures stopped matching
    monkeypatch.setattr(runner, "RETRY_S", 0.05)
    ws = _applied(tmp_path, "旧的答复")
    environ = {k: v for k, v in os.environ.items() if k.startswith("OASPEC_CITYBANK")}
    applied = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"), interval_s=0.05)
    app = GatewayApp(applied.configs(), environ=environ)
    applied.follow(app)

    def served() -> str | None:
        runtime = app._accounts["citybank"]
        assert isinstance(runtime, AccountRuntime)
        reply = runtime.config.default_reply
        return reply.text if reply is not None else None

    try:
        path = tmp_path / "oaspec.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("旧的答复", "新的答复")
                        .replace("${OASPEC_CITYBANK_TOKEN}", "${OASPEC_CITYBANK_TOKEN2}"), encoding="utf-8")
        monkeypatch.setenv("OASPEC_CITYBANK_TOKEN2", "rotated-token-value")
        rotated = Workspace.open(path, tmp_path / ".oaspec")
        [result] = apply_plan(rotated, rotated.plan())
        assert result.ok
        _until(lambda: applied.problem() is not None)
        assert applied.problem() == ("account citybank: set the Token in environment variable OASPEC_CITYBANK_TOKEN2: "
                                     "its new applied configuration is not served")
        assert served() == "旧的答复"  # the configuration in place, whole: its Token, mode and replies together
        environ["OASPEC_CITYBANK_TOKEN2"] = "rotated-token-value"  # the replica's environment catches up
        _until(lambda: applied.problem() is None and served() == "新的答复")
    finally:
        applied.stop()


def test_a_damaged_revision_is_read_again_when_the_history_changes_not_at_every_poll(tmp_path: Path) -> None:
    # an attack review: with the newest record damaged every worker rebuilt every account five times a second
    ws = _applied(tmp_path, "旧的答复", "新的答复")
    newest = tmp_path / ".oaspec" / "history" / "citybank" / "000002.json"
    newest.write_bytes(newest.read_bytes()[:40])
    applied = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"), interval_s=0.01)
    rebuilt: list[int] = []

    class Counting:
        def replace_accounts(self, configs: list[object]) -> list[str]:
            rebuilt.append(len(configs))
            return []

    applied.configs()
    applied.follow(Counting())
    time.sleep(0.5)
    applied.stop()
    assert applied.problem() is not None and len(rebuilt) <= 1  # fifty polls; one retry at most (RETRY_S)


def test_a_state_that_cannot_be_read_is_logged_when_it_starts_and_changes_not_at_every_poll(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # attack review 55: with the database down each worker logged "cannot be read" five times a second
    ws = _applied(tmp_path, "答复")
    applied = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"), interval_s=0.01)
    trouble = {"now": "PostgreSQL state backend: connecting failed"}

    def marker(history: object) -> object:
        if trouble["now"]:
            raise OaspecError(trouble["now"])
        return revision_marker(history)  # type: ignore[arg-type]

    class Idle:
        def replace_accounts(self, configs: list[object]) -> list[str]:
            return []

    monkeypatch.setattr(runner, "revision_marker", marker)
    with caplog.at_level("ERROR", logger="oa_spec.gateway"):
        applied.configs()
        applied.follow(Idle())
        try:
            time.sleep(0.4)  # forty polls
            said = len(caplog.records)
            trouble["now"] = "PostgreSQL state backend: the server closed the connection"  # another failure
            time.sleep(0.2)
            changed = len(caplog.records)
            trouble["now"] = ""  # back
            time.sleep(0.2)
            trouble["now"] = "PostgreSQL state backend: connecting failed"  # and down again: said again
            time.sleep(0.2)
        finally:
            applied.stop()
    assert said <= 2 and said < changed <= said + 2 and changed < len(caplog.records) <= changed + 2, [
        record.getMessage()[:80] for record in caplog.records]


def test_a_state_that_hangs_is_reported_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an attack review froze the database: the poll hung without failing, so /healthz never named the revisions
    monkeypatch.setattr(runner, "UNANSWERED_S", 0.2)
    ws = _applied(tmp_path, "答复")
    applied = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"), interval_s=0.01)
    applied.configs()
    hung = threading.Event()

    def marker(history: object) -> object:
        hung.wait(10)
        return revision_marker(history)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "revision_marker", marker)

    class Quiet:
        def replace_accounts(self, configs: list[object]) -> list[str]:
            return []

    applied.follow(Quiet())
    try:
        _until(lambda: (applied.problem() or "").startswith("applied revisions not looked at for"))
        assert (applied.problem() or "").endswith("s: the state does not answer")
        hung.set()
        _until(lambda: applied.problem() is None)
    finally:
        hung.set()
        applied.stop()


def test_a_worker_booting_on_a_revision_it_cannot_serve_boots_and_says_so(tmp_path: Path) -> None:
    # an attack review: a worker restarted (killed for memory, timed out, kill -HUP) while the newest revision named
    # a variable this replica lacks failed to boot, and gunicorn halted the whole replica with it
    ws = _applied(tmp_path, "答复")
    applied = AppliedAccounts(list(ws.spec.accounts), FilesState(tmp_path / ".oaspec"))
    app = GatewayApp(applied.configs(), environ={})  # no Token, no EncodingAESKey here
    applied.follow(app)
    try:
        assert applied.problem() == ("account citybank: set the Token in environment variable OASPEC_CITYBANK_TOKEN: "
                                     "its new applied configuration is not served, and this worker serves none for it")
        status: list[str] = []
        body = app({"PATH_INFO": "/wx/citybank", "REQUEST_METHOD": "GET", "QUERY_STRING": ""},
                   lambda s, h: status.append(s))
        assert status == ["403 Forbidden"] and body == [b"forbidden"]  # nothing verified without its Token
        body = app({"PATH_INFO": "/wx/citybank", "REQUEST_METHOD": "POST", "QUERY_STRING": ""},
                   lambda s, h: status.append(s))
        assert status[-1] == "200 OK" and body == [b"success"]  # nothing acted on, never the platform's error
    finally:
        applied.stop()


@contextmanager
def _worker(tmp_path: Path, ws: Workspace) -> Iterator[GatewayApp]:
    """The app one `oaspec serve` worker builds on the files state, following the applied revisions."""
    options = runner.worker_options(ws.spec, list(ws.spec.accounts), None, tmp_path / ".oaspec")
    started = options.pop("started")
    app = GatewayApp(options.pop("configs"), **options)
    started(app)
    try:
        yield app
    finally:
        started.__self__.stop()  # the AppliedAccounts whose follow() it is


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_state_directory_that_cannot_be_written_still_answers_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    # attack review 44, F1: with the state directory full (or read-only) every worker answered every message
    # `success`, no reply to any follower, while /healthz said "ok" and oaspec_gateway_degraded stayed 0
    with _worker(tmp_path, _applied(tmp_path, "您好，这里是城市银行")) as app, run_emulator() as platform, \
            running(app) as url:
        platform.admin.register_app(OFFICIAL_APPID, "emulator-secret")
        platform.admin.set_publishing(OFFICIAL_APPID, callback_url=f"{url}/wx/citybank", callback_token=OFFICIAL_TOKEN,
                                      callback_mode="safe", callback_aes_key=OFFICIAL_KEY)
        picture = {"MsgType": "image", "PicUrl": "http://x/y.jpg"}
        before = platform.admin.push(OFFICIAL_APPID, fields={**picture, "MsgId": "1"})
        assert before["reply"]["Content"] == "您好，这里是城市银行" and requests.get(f"{url}/healthz").text == "ok"
        unwritable(monkeypatch, tmp_path / ".oaspec" / "gateway" / "idempotency", code)
        after = [platform.admin.push(OFFICIAL_APPID, fields={**picture, "MsgId": str(n)}) for n in (2, 3)]
        health, metrics = requests.get(f"{url}/healthz").text, requests.get(f"{url}/metrics").text
    assert [(a["status"], (a["reply"] or {}).get("Content")) for a in after] == [(200, "您好，这里是城市银行")] * 2
    assert health == (f"degraded: the shared records (files under the state directory) cannot be written "
                      f"({os.strerror(code)}): answering from this worker's memory, no webhooks, no unencrypted "
                      "messages")
    assert "oaspec_gateway_degraded 1.0" in metrics and 'outcome="internal_error"' not in metrics


def test_a_worker_booting_on_a_revision_it_cannot_serve_answers_success_not_the_platforms_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # attack review 44, F3: the applied revision moved the Token to a variable this replica lacks; a worker that
    # booted then (kill -HUP, a restart) answered every message 404, so followers saw 该公众号暂时无法提供服务,
    # counted under the label of accounts that do not exist
    ws = _applied(tmp_path, "答复")
    path = tmp_path / "oaspec.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("${OASPEC_CITYBANK_TOKEN}", "${OASPEC_CITYBANK_TOKEN2}"),
                    encoding="utf-8")
    monkeypatch.setenv("OASPEC_CITYBANK_TOKEN2", "rotated-token-value")
    rotated = Workspace.open(path, tmp_path / ".oaspec")
    [result] = apply_plan(rotated, rotated.plan())
    assert result.ok
    monkeypatch.delenv("OASPEC_CITYBANK_TOKEN2")  # CI has it; this replica's environment does not yet
    with _worker(tmp_path, ws) as app, run_emulator() as platform, running(app) as url:
        platform.admin.register_app(OFFICIAL_APPID, "emulator-secret")
        platform.admin.set_publishing(OFFICIAL_APPID, callback_url=f"{url}/wx/citybank",
                                      callback_token="rotated-token-value", callback_mode="safe",
                                      callback_aes_key=OFFICIAL_KEY)
        pushed = [platform.admin.push(OFFICIAL_APPID, text="你好"),
                  platform.admin.push(OFFICIAL_APPID, event="subscribe")]
        verified = requests.get(f"{url}/wx/citybank", params={"signature": "x", "timestamp": "1", "nonce": "2",
                                                               "echostr": "hello"})
        health, metrics = requests.get(f"{url}/healthz").text, requests.get(f"{url}/metrics").text
    assert [(p["status"], p["reply"], p["customer_sees_error"]) for p in pushed] == [(200, None, False)] * 2
    assert (verified.status_code, verified.text) == (403, "forbidden")  # nothing verified without its Token
    assert health == ("degraded: account citybank: set the Token in environment variable OASPEC_CITYBANK_TOKEN2: its "
                      "new applied configuration is not served, and this worker serves none for it")
    assert 'oaspec_gateway_requests_total{account="citybank",outcome="unserved"} 3.0' in metrics  # its own label
    assert "unknown_account" not in metrics
