"""One app deployed from two spec files under two account ids, into one state (attack review 72 F3): validate sees
one spec at a time, so the second account's apply took the first's drafts for its own (an identical draft oaspec
does not know is taken as it is) and each `publish --due` sent every article. A draft another account's content
record names is not taken: the create is refused, naming that account, and nothing goes out twice."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from oa_spec.emulator import EmulatorServer
from testing.cli import run_cli
from tests.content.bank import APPID, SECRET, SECRET_VAR, publishing_account, small_bank

DUE = "2026-12-20T09:00:00+08:00"
APPLIED = "2026-12-03T10:00:00+08:00"
ENV = {SECRET_VAR: SECRET, "OASPEC_PUBLISH_WAIT_SECONDS": "1", "OASPEC_PUBLISH_SETTLE_SECONDS": "0"}


def second_spec(first: Path) -> Path:
    """A copy of the spec in a directory of its own, its account named `bank2` (its tags adopted, as the takeover
    refusal says to)."""
    target = first.parent.parent / "team-b"
    shutil.copytree(first.parent, target)
    spec = target / first.name
    text = spec.read_text(encoding="utf-8").replace("  - id: bank\n", "  - id: bank2\n", 1)
    spec.write_text(text.replace("    tags: [", "    adopt: {tags: [高净值客户, 年轻客群, 银发客户]}\n    tags: [", 1),
                    encoding="utf-8")
    return spec


def test_a_second_spec_files_account_on_the_same_app_takes_no_draft_and_sends_nothing_twice(
        tmp_path: Path, server: EmulatorServer) -> None:
    admin = publishing_account(server, APPLIED)
    first = small_bank(tmp_path, api_base=server.base_url)
    second = second_spec(first)
    for spec in (first, second):
        applied = run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path, env={**ENV, "OASPEC_NOW": APPLIED})
        assert "Traceback" not in applied.stderr, applied.stderr
    assert applied.returncode == 1, applied.stdout
    assert "holds exactly this article and is account bank's (its content record names it)" in applied.stderr
    assert len(admin.publishing(APPID)["drafts"]) == 6  # bank's, and no second draft

    admin.set_clock(datetime.datetime.fromisoformat(DUE).timestamp())
    for spec in (first, second):
        run_cli("publish", "-f", str(spec), "--due", cwd=tmp_path, env={**ENV, "OASPEC_NOW": DUE})
    published = admin.publishing(APPID)
    assert len(published["sends"]) == 2 and len(published["publications"]) == 2  # each slot once
