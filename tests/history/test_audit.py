"""The audit trail: appended by apply, rollback and unlock; hash-chained; tampering is named."""

from __future__ import annotations

import itertools
import json
import os
import pwd
import re
import stat
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from oa_spec.errors import OaspecError
from oa_spec.history import audit, provenance
from testing.cli import Cli


def _entries(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A log of five unlock entries (the cheapest kind to make)."""
    for i in range(5):
        audit.record_unlock(tmp_path, f"acct{i}", {"pid": 100 + i, "user": "ops"} if i % 2 else None)
    return audit.log_path(tmp_path)


def test_entries_are_chained_and_complete(log: Path) -> None:
    entries = _entries(log)
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["prev"] == audit.GENESIS
    for before, after in itertools.pairwise(entries):
        assert after["prev"] == before["hash"]
    first = entries[0]
    for field in ("schema_version", "time", "user", "host", "ci", "account", "operation", "result", "hash"):
        assert field in first, field
    assert first["operation"] == "unlock" and first["result"] == "not locked"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert audit.verify(log) is None


def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in (*(v for _, v in provenance.CI_JOB_VARIABLES), *provenance.CI_ACTOR_VARIABLES.values(),
                     *provenance.CI_URL_VARIABLES.values(), "GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
                     "GITHUB_RUN_ATTEMPT"):
        monkeypatch.delenv(variable, raising=False)


def test_ci_job_is_recorded_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ci(monkeypatch)
    monkeypatch.setenv("GITHUB_RUN_ID", "8812")
    monkeypatch.setenv("GITHUB_RUN_ATTEMPT", "2")
    entry = audit.record_unlock(tmp_path, "citybank", None)
    assert entry["ci"] == {"system": "github", "job": "8812", "attempt": "2"}


@pytest.mark.parametrize(("variables", "actor", "url"), [
    ({"GITHUB_RUN_ID": "8812", "GITHUB_ACTOR": "zhangwei", "GITHUB_SERVER_URL": "https://github.example.com",
      "GITHUB_REPOSITORY": "bank/oa"}, "zhangwei", "https://github.example.com/bank/oa/actions/runs/8812"),
    ({"CI_JOB_ID": "77", "GITLAB_USER_LOGIN": "lina", "CI_JOB_URL": "https://gitlab.example.com/bank/oa/-/jobs/77"},
     "lina", "https://gitlab.example.com/bank/oa/-/jobs/77"),
])
def test_the_ci_actor_is_the_recorded_user_and_the_os_user_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], actor: str, url: str) -> None:
    _no_ci(monkeypatch)
    for name in ("OASPEC_USER", "USER", "LOGNAME"):  # self-reported names: none of them is the OS user
        monkeypatch.setenv(name, "alice")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    entry = audit.record_unlock(tmp_path, "citybank", None)
    assert entry["user"] == actor and entry["os_user"] == pwd.getpwuid(os.getuid()).pw_name != "alice"
    assert entry["ci"]["actor"] == actor and entry["ci"]["url"] == url


def test_an_edited_field_is_named(log: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["user"] = "someone-else"
    lines[2] = audit.canonical(entry)
    _write_lines(log, lines)
    problem = audit.verify(log)
    assert problem is not None and problem.line == 3
    assert "seq 3 was edited" in problem.message


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(log: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[1])
    entry["account"] = "another"
    entry["hash"] = audit.entry_hash(entry)
    lines[1] = audit.canonical(entry)
    _write_lines(log, lines)
    problem = audit.verify(log)
    assert problem is not None and problem.line == 3
    assert "does not chain to line 2" in problem.message


def test_a_deleted_entry_is_named(log: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    del lines[1]
    _write_lines(log, lines)
    problem = audit.verify(log)
    assert problem is not None and problem.line == 2
    assert "seq 2 removed" in problem.message


def test_two_swapped_entries_are_named(log: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[1], lines[3] = lines[3], lines[1]
    _write_lines(log, lines)
    problem = audit.verify(log)
    assert problem is not None and problem.line == 2
    assert "reordered" in problem.message and "line 4" in problem.message


def test_a_torn_last_line_is_reported_as_torn_not_tampered(log: Path) -> None:
    with log.open("a", encoding="utf-8") as f:
        f.write('{"schema_version":1,"seq":6,"acc')  # a write cut short by a power loss
    problem = audit.verify(log)
    assert problem is not None and problem.torn and problem.line == 6
    assert "the last entry is torn" in problem.message and "resumes the chain from line 5" in problem.message
    assert audit.head(log)[0] == 5  # the whole entries still count


def test_a_torn_tail_is_set_aside_and_the_chain_resumes(log: Path, tmp_path: Path) -> None:
    torn = '{"schema_version":1,"seq":6,"acc'
    good = log.read_bytes()
    with log.open("a", encoding="utf-8") as f:
        f.write(torn)
    entry = audit.record_unlock(tmp_path, "citybank", None)
    assert audit.verify(log) is None  # intact again: nothing glued onto the torn bytes
    entries = _entries(log)
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5, 6, 7]
    recovery = entries[5]
    assert recovery["operation"] == "audit-recovery" and recovery["prev"] == entries[4]["hash"]
    assert recovery["torn_bytes"] == len(torn) and recovery["offset"] == len(good)
    assert entries[6]["hash"] == entry["hash"] and entry["prev"] == recovery["hash"]
    evidence = tmp_path / str(recovery["evidence"])
    assert evidence.read_text(encoding="utf-8") == torn and stat.S_IMODE(evidence.stat().st_mode) == 0o600
    assert log.read_bytes().startswith(good)
    assert audit.recoveries(log) == [(6, recovery)]
    assert len(audit.export(log, date(2000, 1, 1)).splitlines()) == 7


def test_a_torn_tail_longer_than_a_read_chunk_is_set_aside_whole(log: Path, tmp_path: Path) -> None:
    torn = '{"schema_version":1,"seq":6,"x":"' + "界" * 50_000
    with log.open("a", encoding="utf-8") as f:
        f.write(torn)
    audit.record_unlock(tmp_path, "citybank", None)
    assert audit.verify(log) is None
    recovery = _entries(log)[5]
    assert (tmp_path / str(recovery["evidence"])).read_text(encoding="utf-8") == torn


def test_a_log_that_is_only_a_torn_write_restarts_at_genesis(tmp_path: Path) -> None:
    path = audit.log_path(tmp_path)
    path.write_text('{"schema_ver', encoding="utf-8")
    audit.record_unlock(tmp_path, "citybank", None)
    entries = _entries(path)
    assert entries[0]["prev"] == audit.GENESIS and entries[0]["operation"] == "audit-recovery"
    assert audit.verify(path) is None


def test_concurrent_appends_keep_one_chain(tmp_path: Path) -> None:
    def work(n: int) -> None:
        for _ in range(10):
            audit.record_unlock(tmp_path, f"acct{n}", None)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    path = audit.log_path(tmp_path)
    assert audit.verify(path) is None
    assert audit.head(path)[0] == 80


def test_export_since_a_date(log: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    assert audit.export(log, date(2000, 1, 1)).splitlines() == lines
    assert audit.export(log, date(9999, 1, 1)) == ""


def test_missing_log_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OaspecError, match="no audit log yet"):
        audit.verify(audit.log_path(tmp_path))


# --- through the CLI ------------------------------------------------------------------------------------
def test_apply_rollback_and_unlock_append_entries(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    text = (citybank.parent / "accounts" / "citybank.yaml").read_text(encoding="utf-8")
    (citybank.parent / "accounts" / "citybank.yaml").write_text(
        text.replace("key: TXN_DETAIL}", "key: TXN_DETAIL_V2}", 1), encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    rolled = cli("rollback", "1", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert rolled.returncode == 0, rolled.stderr
    assert cli("unlock", "citybank").returncode == 0

    log = tmp_path / ".oaspec" / "audit.log"
    everything = _entries(log)
    # The citybank spec waives ad.absolute-terms: each write that relies on the waiver records its use.
    used = [e for e in everything if e["result"] == "waiver-used"]
    assert [(e["account"], e["operation"], e["rule"], e["approved_by"]) for e in used] == [
        ("citybank", operation, "ad.absolute-terms", "法律合规部 李敏") for operation in ("apply", "apply", "rollback")]
    entries = [e for e in everything if e["result"] != "waiver-used"]
    summary = [(e["account"], e["operation"], e["result"], e.get("revision")) for e in entries]
    # Each run writes "started" before its first write and its outcome after the last one; the first
    # apply wrote both accounts in parallel, so their entries may interleave.
    assert sorted(summary[:4]) == [("branch-xinhua", "apply", "applied", 1), ("branch-xinhua", "apply", "started", 1),
                                   ("citybank", "apply", "applied", 1), ("citybank", "apply", "started", 1)]
    assert summary[4:] == [("citybank", "apply", "started", 2), ("citybank", "apply", "applied", 2),
                           ("citybank", "rollback", "started", 3), ("citybank", "rollback", "applied", 3),
                           ("citybank", "unlock", "not locked", None)]
    second = entries[5]
    assert second["changes"] == {"planned": 1, "applied": 1, "by_action": {"update": 1},
                                 "addresses": ["citybank/menu"]}
    changes = entries[4]["changes"]
    assert isinstance(changes, dict) and changes["applied"] == 0 and entries[4]["error"] is None
    assert str(second["spec_digest"]).startswith("sha256:")
    assert entries[7]["source"] == "rollback:citybank:1"

    verified = cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "12 entries, hash chain intact" in verified.stdout

    exported = cli("audit", "export", "--since", "2000-01-01", "--out", "audit.jsonl")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines() == \
        log.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap"])
def test_audit_verify_names_the_first_tampered_entry(cli: Cli, tmp_path: Path, tamper: str) -> None:
    state = tmp_path / ".oaspec"
    for account in ("a", "b", "c", "d"):
        audit.record_unlock(state, account, None)
    log = audit.log_path(state)
    lines = log.read_text(encoding="utf-8").splitlines()
    if tamper == "edit":
        lines[1] = lines[1].replace('"account":"b"', '"account":"x"')
    elif tamper == "delete":
        del lines[1]
    else:
        lines[1], lines[2] = lines[2], lines[1]
    _write_lines(log, lines)
    result = cli("audit", "verify")
    assert result.returncode == 1
    assert "first bad entry: .oaspec/audit.log:2: " in result.stderr
    assert {"edit": "edited", "delete": "removed", "swap": "reordered"}[tamper] in result.stderr
    assert "Traceback" not in result.stderr
    refused = cli("audit", "export", "--since", "2000-01-01")
    assert refused.returncode == 1 and "not exporting" in refused.stderr


@pytest.mark.parametrize(("rewrite", "message"), [
    # forged values put before the real ones: json.loads keeps the last, so the hash still matches
    (lambda line: line.replace('{"account":', '{"user":"mallory","result":"failed","account":', 1),
     'not a valid entry (the key "result" appears twice)'),
    (lambda line: line.replace(",", ", "), "entry seq 2 was edited: its stored text is not the canonical form"),
])
def test_an_entry_whose_text_was_rewritten_without_changing_its_hash_is_named(
        cli: Cli, tmp_path: Path, rewrite: Callable[[str], str], message: str) -> None:
    state = tmp_path / ".oaspec"
    for account in ("a", "b", "c"):
        audit.record_unlock(state, account, None)
    log = audit.log_path(state)
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[1] = rewrite(lines[1])
    _write_lines(log, lines)
    for args in (("audit", "verify"), ("audit", "head"), ("audit", "export", "--since", "2000-01-01")):
        refused = cli(*args)
        assert refused.returncode == 1, (args, refused.output)
        assert f".oaspec/audit.log:2: {message}" in refused.stderr, refused.stderr
    with pytest.raises(OaspecError, match=f"audit.log:2: {re.escape(message)}"):
        audit.export(log, date(2000, 1, 1))  # not even without verify first


def test_audit_verify_and_export_through_a_torn_tail_and_its_recovery(cli: Cli, tmp_path: Path) -> None:
    state = tmp_path / ".oaspec"
    for account in ("a", "b"):
        audit.record_unlock(state, account, None)
    log = audit.log_path(state)
    with log.open("a", encoding="utf-8") as f:
        f.write('{"schema_version":1,"se')
    torn = cli("audit", "verify")
    assert torn.returncode == 1 and "tampered" not in torn.stderr
    assert ".oaspec/audit.log:3: the last entry is torn" in torn.stderr
    shipped = cli("audit", "export", "--since", "2000-01-01")
    assert shipped.returncode == 0 and len(shipped.stdout.splitlines()) == 2
    assert "warning: not exporting .oaspec/audit.log:3: the last entry is torn" in shipped.stderr

    assert cli("unlock", "c").returncode == 0  # any append recovers
    verified = cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "4 entries, hash chain intact" in verified.stdout
    assert ".oaspec/audit.log:3: recovered from a torn write at " in verified.stdout
    assert "23 bytes set aside in audit.log.torn-" in verified.stdout
    assert len(cli("audit", "export", "--since", "2000-01-01").stdout.splitlines()) == 4


def test_audit_help_has_examples(cli: Cli) -> None:
    for args in (("audit",), ("audit", "verify"), ("audit", "export")):
        result = cli(*args, "--help")
        assert result.returncode == 0 and "Example" in result.stdout, args


@pytest.mark.parametrize("damage", ["cut by one byte", "newline turned into CR"])
def test_a_last_entry_missing_only_its_newline_is_kept_in_the_chain(cli: Cli, tmp_path: Path, damage: str) -> None:
    """Attack review 46 F1: the entry is whole and hashed; every reader counts it and the next append ends its line
    instead of setting a verified entry aside as torn."""
    for account in ("a", "b", "c"):
        assert cli("unlock", account).returncode == 0
    log = audit.log_path(tmp_path / ".oaspec")
    whole = log.read_bytes()
    last = _entries(log)[-1]
    log.write_bytes(whole[:-1] + (b"" if damage == "cut by one byte" else b"\r"))
    verified = cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"3 entries, hash chain intact; last entry hash {last['hash']}" in verified.stdout
    assert ".oaspec/audit.log:3: the last entry has no final newline" in verified.stdout
    head = cli("audit", "head")
    assert head.returncode == 0 and json.loads(head.stdout)["entries"] == 3 and json.loads(head.stdout)["head"] == \
        last["hash"]
    shipped = cli("audit", "export", "--since", "2000-01-01")
    assert shipped.returncode == 0 and shipped.stderr == ""
    assert [json.loads(line)["account"] for line in shipped.stdout.splitlines()] == ["a", "b", "c"]
    doctor = cli("state", "doctor")
    assert doctor.returncode == 0 and "3 entries, hash chain intact" in doctor.stdout

    assert cli("unlock", "d").returncode == 0  # the next append ends the line and chains to entry 3
    assert log.read_bytes().startswith(whole) and not list(log.parent.glob("audit.log.torn-*"))
    after = cli("audit", "verify")
    assert after.returncode == 0 and "4 entries, hash chain intact" in after.stdout
    assert "torn" not in after.stdout and "no final newline" not in after.stdout
    assert [e["account"] for e in _entries(log)] == ["a", "b", "c", "d"]
