"""Attack review 70, F2: a slot whose attempt has an unknown outcome is settled by sending its clientmsgid again
(a broadcast) or by finding it among the publications. An article changed and applied since went out on the
resend without being previewed to the reviewers, while `--dry-run` said it would be; and had the attempt gone out,
the platform answered with it, the earlier version, recorded as the new one sent. A changed article is refused
there now, naming what to check; the dry run and the calendar say so; an unchanged one settles as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oa_spec.content.record import ContentRecord
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.cli import run_cli
from tests.content.bank import APPID, article_file, citybank, set_front
from tests.content.test_preview import COMPLIANCE, EDITOR, platform, publish, with_reviewers
from tests.content.test_publishing import DECEMBER_20, ENV, applied, at

__all__ = ["platform"]  # the fixture of test_preview, used here as it is
KEY = "monthly-report/2026-12-05"
SLOT = f"{KEY} wealth/december-outlook (broadcast to 「高净值客户」)"
SETTLES = "would send: settles the earlier attempt first (no preview)"  # what the run does with an open attempt
OUTLOOK = "wealth/december-outlook"
TITLE = "十二月理财展望（改过的标题）"


def _record(tmp_path: Path) -> ContentRecord:
    return ContentRecord(tmp_path / ".oaspec", "citybank")


def _outlook(platform: EmulatorAdmin) -> tuple[list[Any], list[Any]]:
    """The previews and the broadcasts of the monthly report's draft on the platform."""
    state = platform.publishing(APPID)
    draft = state["previews"][0]["media_id"]
    return ([p for p in state["previews"] if p["media_id"] == draft],
            [s for s in state["sends"] if s["media_id"] == draft])


def _unclear(tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> Path:
    """The monthly report previewed to its 2 reviewers, then broadcast with an unknown outcome (-1 to every try):
    journalled `sending`, nothing sent."""
    spec = with_reviewers(tmp_path, server.base_url, EDITOR, COMPLIANCE)
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    platform.fail(-1, every=1, path="message/mass/sendall")
    code, out = publish(tmp_path, spec)
    assert code == 1 and f"{SLOT}: unclear: " in out, out
    platform.clear_faults()
    assert _record(tmp_path).load().sends[KEY].state == "sending"
    assert [len(seen) for seen in _outlook(platform)] == [2, 0]
    return spec


def _line(out: str) -> str:
    return next(line for line in out.splitlines() if f"{SLOT}: " in line)


def _calendar(tmp_path: Path, spec: Path, key: str = KEY) -> dict[str, Any]:
    result = run_cli("calendar", "-f", str(spec), "--account", "citybank", "--format", "json", cwd=tmp_path,
                     env={**ENV, "OASPEC_NOW": DECEMBER_20})
    assert result.returncode == 0, result.stderr
    [account] = json.loads(result.stdout)
    return next(r for r in account["slots"] if f"{r['stream']}/{r['date']}" == key)


def test_an_article_changed_after_an_unclear_broadcast_is_refused_never_sent_unpreviewed(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    spec = _unclear(tmp_path, server, platform)
    set_front(article_file(spec, OUTLOOK), "title", TITLE)  # a new version, shown in the plan
    applied(tmp_path, spec)
    code, out = publish(tmp_path, spec)
    assert code == 1, out
    refused = _line(out)
    assert f"{SLOT}: refused: an attempt at " in refused and "the article changed since (what followers see" \
        in refused, refused
    assert "check the account's broadcast history (群发记录)" in refused
    assert f"remove sends['{KEY}'] from .oaspec/content/citybank.json and run again" in refused
    assert [len(seen) for seen in _outlook(platform)] == [2, 0]  # neither previewed nor sent
    assert "anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): sent" in out  # unchanged: settled
    # it was not sent (群发记录 is empty): as the refusal says, its attempt is removed, and this version goes out,
    # previewed first
    with _record(tmp_path).edit() as data:
        del data.sends[KEY]
    code, out = publish(tmp_path, spec)
    assert code == 0 and f"{SLOT}: sent: " in out, out
    previews, sends = _outlook(platform)
    assert len(previews) == 4 and len(sends) == 1, (previews, sends)
    assert all(p["msg_id"] < sends[0]["msg_id"] for p in previews)  # the reviewers saw it before it went out
    draft = platform.publishing(APPID)["drafts"][sends[0]["media_id"]]
    assert draft["news_item"][0]["title"] == TITLE, draft


def test_the_dry_run_and_the_calendar_say_what_the_real_run_does_with_it(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    spec = _unclear(tmp_path, server, platform)
    assert _calendar(tmp_path, spec)["status"] == "sending"  # the same version: publish settles it
    set_front(article_file(spec, OUTLOOK), "digest", "十二月：利率、汇率与配置建议（更新）。")
    applied(tmp_path, spec)
    dry_code, dry = publish(tmp_path, spec, "--dry-run")
    row = _calendar(tmp_path, spec)
    code, out = publish(tmp_path, spec)
    assert (dry_code, _line(dry)) == (code, _line(out)) == (1, _line(out)), dry
    assert "preview first" not in _line(dry) and ": refused: " in _line(dry)
    assert row["status"] == "refused" and "群发记录" in row["why"], row
    assert [len(seen) for seen in _outlook(platform)] == [2, 0]


def test_an_attempt_that_went_out_is_recorded_once_the_article_is_put_back_as_it_was(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    # the attempt went out with the first title; the run died before recording it: the resend would have been
    # answered with that broadcast, and recorded as the new title sent
    spec = with_reviewers(tmp_path, server.base_url, EDITOR, COMPLIANCE)
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    assert publish(tmp_path, spec)[0] == 0
    with _record(tmp_path).edit() as data:
        data.sends[KEY].state, data.sends[KEY].msg_id, data.sends[KEY].status = "sending", "", ""
    front = article_file(spec, OUTLOOK)
    first = front.read_text(encoding="utf-8")
    set_front(front, "title", TITLE)
    applied(tmp_path, spec)
    code, out = publish(tmp_path, spec)
    assert code == 1 and f"{SLOT}: refused: " in out, out
    front.write_text(first, encoding="utf-8")  # it went out (群发记录): the article is put back as it was
    applied(tmp_path, spec)
    dry_code, dry = publish(tmp_path, spec, "--dry-run")
    # no preview again, as the run: it settles the attempt (attack review 71 F5: a renamed file's dry run promised one)
    assert dry_code == 0 and _line(dry).endswith(f"{SLOT}: {SETTLES}"), dry
    code, out = publish(tmp_path, spec)
    assert code == 0 and "already sent with this clientmsgid: recorded, not sent again" in _line(out), out
    assert [len(seen) for seen in _outlook(platform)] == [2, 1]  # previewed once, sent once


def test_an_unchanged_article_after_an_unclear_broadcast_settles_without_a_second_preview(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    spec = _unclear(tmp_path, server, platform)
    dry_code, dry = publish(tmp_path, spec, "--dry-run")
    assert dry_code == 0 and _line(dry).endswith(f"{SLOT}: {SETTLES}"), dry
    code, out = publish(tmp_path, spec)
    assert code == 0 and f"{SLOT}: sent: " in out, out
    assert [len(seen) for seen in _outlook(platform)] == [2, 1]
    assert publish(tmp_path, spec)[0] == 0 and [len(seen) for seen in _outlook(platform)] == [2, 1]


def test_a_renamed_article_after_an_unclear_broadcast_is_settled_and_the_dry_run_says_so(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    # attack review 71 F5: a renamed file is a new version to preview, and the dry run promised "preview first to 2
    # reviewer(s)" while the run settles the open attempt by its clientmsgid and previews nothing
    spec = _unclear(tmp_path, server, platform)
    front = article_file(spec, OUTLOOK)
    front.rename(front.with_name("december-outlook-2026.md"))
    assert run_cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", cwd=tmp_path,
                   env=ENV).returncode == 0
    renamed = SLOT.replace("wealth/december-outlook", "wealth/december-outlook-2026")
    dry_code, dry = publish(tmp_path, spec, "--dry-run")
    assert dry_code == 0 and f"{renamed}: {SETTLES}" in dry, dry
    code, out = publish(tmp_path, spec)
    assert code == 0 and f"{renamed}: sent: " in out, out
    assert len(platform.publishing(APPID)["previews"]) == 2  # the first attempt's previews only


def test_a_publication_retitled_after_an_unclear_attempt_is_not_published_a_second_time(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    # publications are found by the draft's title and body, and only a changed body was refused: a new title left
    # the attempt unrecognised, and the slot was published again, unpreviewed, beside the first
    lesson = "finance-class/2026-12-09 young/deposit-insurance (publication)"
    spec = citybank(tmp_path, server.base_url)
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    platform.drop(nth=1, path="freepublish/submit", after_processing=True)  # published, its answer lost
    code, out = publish(tmp_path, spec)
    assert code == 1 and f"{lesson}: unclear: " in out, out
    set_front(article_file(spec, "young/deposit-insurance"), "title", "存款保险的五个常见问题（更新版）")
    applied(tmp_path, spec)
    row = _calendar(tmp_path, spec, "finance-class/2026-12-09")
    assert row["status"] == "sending" and "发表记录" in row["why"], row
    code, out = publish(tmp_path, spec)
    assert code == 1, out
    assert f"{lesson}: refused: an attempt at " in out
    assert "the article changed since (what followers see of it)" in out
    assert "check the account's publications (发表记录)" in out
    draft = _record(tmp_path).load().drafts["young/deposit-insurance"].draft_id
    assert [p["media_id"] for p in platform.publishing(APPID)["publications"].values()].count(draft) == 1
