"""A cover's permanent-material upload (material/add_material) whose outcome oaspec cannot know, against the emulator
over loopback: errcode 0 without media_id, a page from something in between, an answer cut off. The platform may
have stored the image, and a permanent material uploaded again is a second copy (news and image materials count
against 100,000): it is sent once more at once (a passing fault costs one copy at most, never the article's slot),
and if that outcome is unknown too it is recorded unclear and never uploaded again on its own: the next run refuses
its article, saying what to look for in the console and how to let oaspec upload it once more."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.content.record import ContentRecord
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.history import lock
from oa_spec.history.lock import CONFIRM_AFTER_S
from oa_spec.plan.workspace import Workspace
from oa_spec.providers import wechat_uploads
from oa_spec.providers.wechat_client import Client
from oa_spec.providers.wechat_uploads import AGAIN_VARIABLE
from tests.content.bank import APPID, publishing_account, quick_publishing, small_bank

NOW = "2026-12-20T09:00:00+08:00"
ANSWERS = {"no id": '{"errcode":0,"errmsg":"ok"}', "html": "<html><body><h1>502 Bad Gateway</h1></body></html>"}


@pytest.fixture
def admin(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorAdmin:
    quick_publishing(monkeypatch, NOW)
    monkeypatch.delenv(AGAIN_VARIABLE, raising=False)
    return publishing_account(server, NOW)


@pytest.fixture
def spec(tmp_path: Path, server: EmulatorServer) -> Path:
    return small_bank(tmp_path, server.base_url)


def apply(spec: Path) -> list[str | None]:
    """One run of `oaspec apply` (a new process: the workspace is closed after it): each account's error."""
    ws = Workspace.open(spec, spec.parent.parent / ".oaspec")
    try:
        return [r.error for r in apply_plan(ws, ws.plan("bank"))]
    finally:
        ws.close()


def material_uploads(admin: EmulatorAdmin) -> dict[str, int]:
    """sha256 of each permanent material -> how many times it was uploaded."""
    return {m["sha256"]: m["uploads"] for m in admin.publishing(APPID)["materials"].values()}


def unclear_cover(spec: Path, admin: EmulatorAdmin, answer: str) -> str:
    """Apply with the first cover's upload done, then answered unreadably, and so again when sent once more: that
    cover's sha256."""
    for _ in range(2):
        admin.garble(ANSWERS[answer], path="material/add_material")
    errors = apply(spec)
    assert errors[0] is not None and "material/add_material" in errors[0], errors
    twice = [sha for sha, count in material_uploads(admin).items() if count == 2]
    unclear = [sha for sha in twice if f"cover:{sha}" not in ContentRecord(spec.parent.parent / ".oaspec",
                                                                          "bank").load().images]
    assert len(unclear) == 1, (material_uploads(admin), errors)
    return unclear[0]


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_cover_answered_unclearly_once_is_sent_once_more_at_once_with_a_warning(
        spec: Path, admin: EmulatorAdmin, answer: str, caplog: pytest.LogCaptureFixture) -> None:
    admin.garble(ANSWERS[answer], path="material/add_material")
    assert apply(spec) == [None]  # the article keeps its slot
    sha, count = next((sha, count) for sha, count in material_uploads(admin).items() if count > 1)
    assert count == 2
    assert f"sha256:{sha[:12]} once more" in caplog.text and f"{sha[:16]}." in caplog.text, caplog.text
    assert not ContentRecord(spec.parent.parent / ".oaspec", "bank").load().uploads


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_cover_answered_unclearly_is_never_uploaded_again_on_its_own(spec: Path, admin: EmulatorAdmin,
                                                                       answer: str) -> None:
    sha = unclear_cover(spec, admin, answer)
    admin.clear_faults()
    errors = apply(spec)  # the next run: the platform answers normally again
    assert material_uploads(admin)[sha] == 2, "the cover was uploaded a third time"
    assert errors[0] is not None, errors
    assert f"sha256:{sha[:12]}" in errors[0] and f"{sha[:16]}." in errors[0] and "素材库" in errors[0], errors[0]
    assert f"{AGAIN_VARIABLE}={sha[:12]}" in errors[0], errors[0]


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_a_cover_unclear_then_refused_when_sent_once_more_is_held_not_forgotten(spec: Path, admin: EmulatorAdmin,
                                                                               answer: str) -> None:
    # the refusal says nothing of the first send, which stored the image: forgetting it made one copy per run
    admin.garble(ANSWERS[answer], path="material/add_material")
    admin.garble('{"errcode":45009,"errmsg":"reach max api daily quota limit"}', path="material/add_material",
                 after_processing=False)
    errors = apply(spec)
    assert errors[0] is not None and "45009" in errors[0] and AGAIN_VARIABLE in errors[0], errors
    (key,) = ContentRecord(spec.parent.parent / ".oaspec", "bank").load().uploads
    sha = key.removeprefix("cover:")
    admin.clear_faults()
    for _ in range(2):
        errors = apply(spec)
        assert errors[0] is not None and f"{AGAIN_VARIABLE}={sha[:12]}" in errors[0], errors
    assert material_uploads(admin)[sha] == 1, "the cover was uploaded again with no person deciding"


def test_a_cover_refused_by_the_runs_own_lock_check_before_it_went_is_not_held(
        spec: Path, admin: EmulatorAdmin, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run pauses just before the upload while a person releases its lock (`unlock --force`): the send's fence
    refuses it before any request, so nothing is stored and the next run uploads it, once (review 53 F2)."""
    state, sent, seen = spec.parent.parent / ".oaspec", wechat_uploads._sent_at_most_twice, {}

    def paused(api: Client, sha: str, data: bytes, filename: str) -> str:
        seen["sha"] = sha
        lock.unlock(state, "bank", force=True)
        time.sleep(CONFIRM_AFTER_S + 0.1)  # the send checks the lock again, and finds it gone
        return sent(api, sha, data, filename)

    monkeypatch.setattr(wechat_uploads, "_sent_at_most_twice", paused)
    assert "lock" in (apply(spec)[0] or "")
    assert material_uploads(admin).get(seen["sha"], 0) == 0 and not ContentRecord(state, "bank").load().uploads
    monkeypatch.setattr(wechat_uploads, "_sent_at_most_twice", sent)
    assert apply(spec) == [None] and material_uploads(admin)[seen["sha"]] == 1


def test_a_person_lets_oaspec_upload_the_unclear_cover_once_more(spec: Path, admin: EmulatorAdmin,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    sha = unclear_cover(spec, admin, "no id")
    admin.clear_faults()
    monkeypatch.setenv(AGAIN_VARIABLE, f"{sha[:12]}")
    assert apply(spec) == [None]
    assert material_uploads(admin)[sha] == 3  # twice unclear, once as the person decided
    record = ContentRecord(spec.parent.parent / ".oaspec", "bank").load()
    assert record.images[f"cover:{sha}"] and not record.uploads
    assert apply(spec) == [None] and material_uploads(admin)[sha] == 3  # settled: never again


def test_a_cover_upload_a_killed_run_left_unanswered_is_unclear_too(spec: Path, admin: EmulatorAdmin) -> None:
    """A run killed between the upload and recording its media_id leaves the journal entry: the same decision."""
    cover = spec.parent / "content" / "young" / "images" / "card-dates-cover.png"
    sha = hashlib.sha256(cover.read_bytes()).hexdigest()
    with ContentRecord(spec.parent.parent / ".oaspec", "bank").edit() as record:
        record.uploads[f"cover:{sha}"] = {"file": f"{sha[:16]}.png", "at": "2026-12-20T08:59:00+08:00", "reason": ""}
    errors = apply(spec)
    assert errors[0] is not None and f"{AGAIN_VARIABLE}={sha[:12]}" in errors[0], errors
    assert sha not in material_uploads(admin)


def test_a_cover_the_platform_refused_is_uploaded_again_next_run(spec: Path, admin: EmulatorAdmin) -> None:
    """Only an outcome oaspec cannot know is held for a person: a refusal (an errcode) stored nothing."""
    admin.fail(45009, path="material/add_material")
    assert apply(spec)[0] is not None
    admin.clear_faults()
    assert apply(spec) == [None]
    assert not ContentRecord(spec.parent.parent / ".oaspec", "bank").load().uploads
