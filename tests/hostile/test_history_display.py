"""`history`, `show` and `audit export` print what people and providers wrote: shown, never acted on."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from oa_spec.cli.main import main
from oa_spec.history.revisions import Revision, RevisionStore
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Tag

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")
USER = "ops\x1b[2J\r\u202eadmin"


def saved_revision(state: Path) -> None:
    change = Change("create", "tag", "vip\x1b[8m", "demo/tags/vip\x1b[8m", None, Tag("vip\x1b[8m"))
    RevisionStore(state, "demo").save(Revision(
        1, "demo", "2026-11-25T02:00:00+00:00", USER, "apply", "applied", "sha256:x", AccountState(),
        AccountState(), AccountState(), [change], [change.address], extra={"host\u202e": "ci\x07"}))


def invoke(state: Path, *args: str) -> str:
    spec = state.parent / "oaspec.yaml"
    spec.write_text("version: 1\nbank: b\naccounts:\n  - {id: demo, name: d}\n", encoding="utf-8")
    extra = ["-f", str(spec)] if args[0] == "show" else []
    result = CliRunner().invoke(main, ["--state-dir", str(state), *args, *extra])
    assert result.exit_code == 0, result.output
    # stdout alone: this hand-made revision (no audit entry) is also warned of on stderr, escaped too
    assert not RAW.search(result.stderr), result.stderr
    return result.stdout


def test_history_shows_the_recorded_user_escaped(tmp_path: Path) -> None:
    saved_revision(tmp_path / "state")
    out = invoke(tmp_path / "state", "history")
    assert not RAW.search(out) and "ops\\x1b[2J\\r\\u202eadmin" in out


def test_history_json_escapes_bidirectional_characters(tmp_path: Path) -> None:
    saved_revision(tmp_path / "state")
    out = invoke(tmp_path / "state", "history", "--format", "json")
    assert not RAW.search(out) and json.loads(out)[0]["user"] == USER


def test_show_escapes_every_field(tmp_path: Path) -> None:
    saved_revision(tmp_path / "state")
    out = invoke(tmp_path / "state", "show", "1", "--account", "demo")
    assert not RAW.search(out) and "demo/tags/vip\\x1b[8m" in out and "host\\u202e" in out


def test_show_json_keeps_the_data(tmp_path: Path) -> None:
    saved_revision(tmp_path / "state")
    out = invoke(tmp_path / "state", "show", "1", "--account", "demo", "--format", "json")
    assert not RAW.search(out) and json.loads(out)["user"] == USER
