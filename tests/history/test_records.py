"""Records that tell the truth: what landed despite a full disk or a crash, who and what (commit, CI job)
a revision came from, and when it really happened."""

from __future__ import annotations

import errno
import json
import os
import pwd
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from oa_spec.apply.reconcile import settle_plan
from oa_spec.apply.run import apply_plan
from oa_spec.cli.deploy import describe_result
from oa_spec.history import audit
from oa_spec.history.provenance import git_state
from oa_spec.history.revisions import INTERRUPTED, RevisionStore
from oa_spec.plan.workspace import Workspace
from oa_spec.providers.local import LocalProvider
from testing import EXAMPLES, FIXED_NOW
from testing.accounts import audit_entries
from testing.cli import Cli

OS_USER = pwd.getpwuid(os.getuid()).pw_name  # what a record's os_user must say, whatever OASPEC_USER says


def _workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    ws = Workspace.open(EXAMPLES / "citybank" / "oaspec.yaml", tmp_path / "state")
    monkeypatch.setattr(Workspace, "provider", lambda self, account: LocalProvider(account.id, self.state_dir))
    return ws


# --- a full disk after the writes landed (issue 10 item 8) ------------------------------------------------
def test_a_full_disk_after_every_write_is_reported_as_such_and_reconciled_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(tmp_path, monkeypatch)
    plan = ws.plan("citybank")
    planned = [c.address for c in plan.accounts[0].actionable]

    def disk_full(self: RevisionStore, revision: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(RevisionStore, "save", disk_full)  # the journal is created; its outcome cannot be saved
        [result] = apply_plan(ws, plan)
    assert result.applied == len(planned) and result.pending == []
    assert result.error is not None
    assert f"{len(planned)} of {len(planned)} changes landed on the account, but their outcome could not be " \
           "recorded" in result.error and "No space left on device" in result.error
    assert " 0 of " not in describe_result(result) and "applied 0" not in describe_result(result)
    store = ws.history("citybank")
    assert store.get(1).error == INTERRUPTED and store.get(1).applied == []

    again = ws.plan("citybank")
    assert not again.has_changes  # everything landed, so the next run has nothing to do ...
    [reconciled] = settle_plan(ws, again)  # ... and still corrects the record
    revision = store.get(1)
    assert reconciled.number == 1 and revision.applied == planned and revision.status == "applied"
    assert f"{len(planned)} of {len(planned)} changes had landed" in str(revision.error)
    assert revision.extra["reconciled"]["landed"] == len(planned) and revision.live_after is not None
    last = audit_entries(ws.state_dir)[-1]
    assert last["operation"] == "reconcile" and last["revision"] == 1 and last["result"] == "applied"
    assert last["changes"]["applied"] == len(planned)
    assert settle_plan(ws, again) == []  # once
    assert audit.verify(audit.log_path(ws.state_dir)) is None


def test_a_journal_left_mid_apply_names_what_landed_and_what_did_not(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(tmp_path, monkeypatch)
    plan = ws.plan("citybank")
    changes = plan.accounts[0].actionable
    real_apply = LocalProvider.apply
    calls = {"n": 0}

    def killed_after_three(self: LocalProvider, change: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise SystemExit(137)  # stands in for SIGKILL: the outcome is never recorded
        real_apply(self, change)

    def never_recorded(self: RevisionStore, revision: object) -> Path:
        raise SystemExit(137)

    with monkeypatch.context() as patched:
        patched.setattr(LocalProvider, "apply", killed_after_three)
        patched.setattr(RevisionStore, "save", never_recorded)
        with pytest.raises(SystemExit):
            apply_plan(ws, plan)
    (ws.state_dir / "locks" / "citybank.lock").unlink(missing_ok=True)  # as `oaspec unlock` after a kill
    assert ws.history("citybank").get(1).error == INTERRUPTED

    [result] = apply_plan(ws, ws.plan("citybank"))  # the next run reconciles first, then applies the rest
    assert result.ok and result.revision is not None and result.revision.number == 2
    first = ws.history("citybank").get(1)
    assert first.applied == [c.address for c in changes[:3]] and first.status == "failed"
    assert f"3 of {len(changes)} changes had landed; not landed: {changes[3].address}" in str(first.error)
    entries = audit_entries(ws.state_dir)
    operations = [(e["operation"], e["result"], e.get("revision")) for e in entries if "revision" in e]
    assert operations == [("apply", "started", 1), ("reconcile", "failed", 1), ("apply", "started", 2),
                          ("apply", "applied", 2)]
    assert [e["result"] for e in entries if "revision" not in e] == ["waiver-used", "waiver-used"]  # the example's


# --- a read-only audit log (issue 10 item 8) -------------------------------------------------------------
def test_an_unwritable_audit_log_stops_apply_before_any_write_and_does_not_claim_a_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _workspace(tmp_path, monkeypatch)
    plan = ws.plan("citybank")
    real_open = os.open

    def read_only_log(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith("audit.log") and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(os, "open", read_only_log)
        [result] = apply_plan(ws, plan)
    assert result.error is not None and result.applied == 0
    assert "apply stopped before any write, nothing was changed" in result.error
    assert "cannot append to the audit log (Read-only file system)" in result.error
    assert "recorded in history" not in result.error
    assert ws.history("citybank").numbers() == []  # the journal has no attempt to stand for
    assert ws.plan("citybank").accounts[0].actionable == plan.accounts[0].actionable  # nothing was written


# --- provenance (issue 9 item 6) -------------------------------------------------------------------------
def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args], cwd=cwd,
                          capture_output=True, text=True, check=True, timeout=30).stdout.strip()


def _revision(tmp_path: Path, number: int) -> dict[str, Any]:
    path = tmp_path / ".oaspec" / "history" / "citybank" / f"{number:06d}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_a_dirty_work_tree_is_recorded_as_dirty_with_a_digest_of_the_edits(cli: Cli, citybank: Path,
                                                                           tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    commit = _git(tmp_path, "rev-parse", "HEAD")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    clean = _revision(tmp_path, 1)
    # the state directory inside the work tree is not an edit
    assert clean["git_commit"] == commit
    assert clean["provenance"]["git"] == {"commit": commit, "dirty": False, "diff_digest": None}

    account_file = citybank.parent / "accounts" / "citybank.yaml"
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_V2}", 1),
                            encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    dirty = _revision(tmp_path, 2)["provenance"]["git"]
    assert dirty["commit"] == commit and dirty["dirty"] is True and dirty["diff_digest"].startswith("sha256:")
    entry = audit_entries(tmp_path / ".oaspec")[-1]
    assert entry["revision"] == 2 and entry["git"] == dirty
    listed = cli("history", "--account", "citybank").stdout.splitlines()
    assert listed[1].endswith(commit[:10]) and listed[2].endswith(f"{commit[:10]}+dirty")
    shown = cli("show", "2", "--account", "citybank", "-f", str(citybank)).stdout
    assert f"work tree:   dirty (uncommitted edits {dirty['diff_digest']})" in shown

    (citybank.parent / "notes.txt").write_text("an untracked file is an edit too", encoding="utf-8")
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_V2}", "key: TXN_V3}", 1),
                            encoding="utf-8")
    _git(tmp_path, "add", "citybank/accounts/citybank.yaml")
    _git(tmp_path, "commit", "-qm", "v3")  # the diff against HEAD is now only the untracked file
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    third = _revision(tmp_path, 3)["provenance"]["git"]
    assert third["dirty"] is True and third["diff_digest"] not in (None, dirty["diff_digest"])


def test_a_file_the_spec_reads_that_git_ignores_makes_the_revision_dirty(cli: Cli, citybank: Path,
                                                                          tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text(".oaspec/\nscratch/\n*.tmp\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitignore", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    (citybank.parent / "notes.tmp").write_text("ignored and never read: not an edit", encoding="utf-8")
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    assert _revision(tmp_path, 1)["provenance"]["git"]["dirty"] is False

    content = citybank.parent / "accounts" / "content"
    shutil.copytree(content / "young" / "images", content / "scratch" / "images")
    article = (content / "young" / "card-dates.md").read_text(encoding="utf-8")
    (content / "scratch" / "unreviewed.md").write_text(  # picked up by content/**/*.md, hidden by .gitignore
        article.replace("2026-12-16", "2026-12-23"), encoding="utf-8")
    assert _git(tmp_path, "status", "--porcelain") == ""
    applied = cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert applied.returncode == 0 and "scratch/unreviewed" in applied.stdout, applied.stderr
    dirty = _revision(tmp_path, 2)["provenance"]["git"]
    assert dirty["dirty"] is True and dirty["diff_digest"].startswith("sha256:")


@pytest.mark.parametrize("flag", ["--skip-worktree", "--assume-unchanged"])
def test_an_edit_git_is_told_to_overlook_still_makes_the_revision_dirty(cli: Cli, citybank: Path, tmp_path: Path,
                                                                        flag: str) -> None:
    """Attack review 27 F1: with the spec flagged so, `git status` and `git diff` say nothing of an edit."""
    (tmp_path / ".gitignore").write_text(".oaspec/\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitignore", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    _git(tmp_path, "update-index", flag, "citybank/accounts/citybank.yaml")
    account_file.write_text(account_file.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_V2}", 1),
                            encoding="utf-8")
    assert _git(tmp_path, "status", "--porcelain") == ""
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    recorded = _revision(tmp_path, 1)["provenance"]["git"]
    assert recorded["dirty"] is True and recorded["diff_digest"].startswith("sha256:"), recorded


def test_git_variables_in_the_environment_cannot_point_provenance_at_another_repository(
        citybank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    account_file.write_text(account_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    _git(other, "init", "-q")
    _git(other, "commit", "-q", "--allow-empty", "-m", "elsewhere")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    state = git_state(citybank)
    assert state is not None and state["dirty"] is True and state["commit"] != _git(other, "rev-parse", "HEAD")


def test_git_configuration_in_the_environment_cannot_hide_an_edit(citybank: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 28 F1: a clean filter given through GIT_CONFIG_COUNT showed git the committed bytes of an
    edited file of the same size (git status trusts the filter when the size did not change)."""
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    committed = account_file.read_text(encoding="utf-8")
    account_file.write_text(committed.replace("key: TXN_DETAIL}", "key: TXN_EVILX1}", 1), encoding="utf-8")
    attributes = tmp_path / ".git" / "hide-attributes"  # anywhere git status does not list
    attributes.write_text("citybank/accounts/citybank.yaml filter=hide\n", encoding="utf-8")
    for name, value in {"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "filter.hide.clean",
                        "GIT_CONFIG_VALUE_0": "git show HEAD:citybank/accounts/citybank.yaml",
                        "GIT_CONFIG_KEY_1": "core.attributesFile",
                        "GIT_CONFIG_VALUE_1": str(attributes)}.items():
        monkeypatch.setenv(name, value)
    state = git_state(citybank)
    assert state is not None and state["dirty"] is True, state


def test_no_git_state_is_recorded_outside_git_or_before_the_first_commit(citybank: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # whatever holds the temporary directory
    assert git_state(citybank) is None
    _git(tmp_path, "init", "-q")
    assert git_state(citybank) is None  # a repository, but no commit to name
    _git(tmp_path, "add", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    assert git_state(citybank) == {"commit": _git(tmp_path, "rev-parse", "HEAD"), "dirty": False, "diff_digest": None}
    assert git_state(citybank.parent / "accounts") == git_state(citybank)  # from a directory of the work tree too


def test_the_ci_actor_job_url_and_real_time_are_recorded(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    env = {"GITHUB_RUN_ID": "8812", "GITHUB_ACTOR": "zhangwei", "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "citybank/oa", "GITHUB_RUN_ATTEMPT": "1", "OASPEC_USER": "runner"}
    for variable in ("CI_JOB_ID", "BUILD_TAG", "BUILD_BUILDID", "CIRCLE_WORKFLOW_JOB_ID", "BUILDKITE_JOB_ID",
                     "BUILD_NUMBER"):
        env[variable] = ""
    before = datetime.now(UTC).replace(microsecond=0)
    result = cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve", env=env)
    assert result.returncode == 0, result.stderr
    revision = _revision(tmp_path, 1)
    assert revision["user"] == "zhangwei" and revision["provenance"]["os_user"] == OS_USER  # not OASPEC_USER
    assert revision["provenance"]["ci"]["url"] == "https://github.com/citybank/oa/actions/runs/8812/attempts/1"
    # OASPEC_NOW decides (freeze windows, waivers) but does not backdate the record
    recorded = datetime.fromisoformat(revision["time"])
    assert before <= recorded <= datetime.now(UTC)
    assert datetime.fromisoformat(revision["provenance"]["decision_time"]) == datetime.fromisoformat(FIXED_NOW)
    entry = audit_entries(tmp_path / ".oaspec")[-1]
    assert entry["user"] == "zhangwei" and entry["os_user"] == OS_USER
    assert entry["decision_time"] == revision["provenance"]["decision_time"]
    shown = cli("show", "1", "--account", "citybank", "-f", str(citybank)).stdout
    assert "user:        zhangwei" in shown and f"os_user:     {OS_USER}" in shown
    assert "ci job:      github 8812 https://github.com/citybank/oa/actions/runs/8812/attempts/1" in shown
    assert f"decided at:  {revision['provenance']['decision_time']} (OASPEC_NOW)" in shown


def test_an_edit_inside_an_ident_keyword_still_makes_the_revision_dirty(citybank: Path, tmp_path: Path) -> None:
    """Attack review 29 F1: a committed `ident` attribute makes git fold whatever stands between $Id: and $ back to
    $Id$, so status and a filtered hash-object called an edit hidden there (behind lone CRs, which YAML reads as
    line breaks and git does not) the commit."""
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    line = "# $Id: " + "." * 100 + "$\n"
    account_file.write_text(account_file.read_text(encoding="utf-8") + line, encoding="utf-8")
    (tmp_path / ".gitattributes").write_text("citybank/accounts/citybank.yaml ident\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitattributes", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    hidden = "# $Id:\r    menu: [{name: x, type: view}]\r# "
    edited = hidden + " " * (len(line) - len(hidden) - 2) + "$\n"  # the same size: git's stat shortcut holds
    account_file.write_text(account_file.read_text(encoding="utf-8").replace(line, edited), encoding="utf-8")
    assert _git(tmp_path, "status", "--porcelain") == ""  # git folds it back to $Id$
    state = git_state(citybank, read=[account_file])
    assert state is not None and state["dirty"] is True and state["diff_digest"], state


def test_a_file_put_back_after_the_spec_read_it_still_makes_the_revision_dirty(
        cli: Cli, citybank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack review 78 F1: provenance read the spec's files again when the journal was written, seconds after the
    spec was compiled from them (the live read, the lock wait between): an edit compiled and deployed, then the file
    put back to the committed bytes, was recorded as that commit, clean. A file is judged by the bytes read."""
    (tmp_path / ".gitignore").write_text(".oaspec/\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitignore", "citybank")
    _git(tmp_path, "commit", "-qm", "spec")
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    committed = account_file.read_text(encoding="utf-8")
    account_file.write_text(committed.replace("key: TXN_DETAIL}", "key: TXN_EVIL}", 1), encoding="utf-8")
    read = LocalProvider.read

    def put_back_while_reading(self: LocalProvider) -> Any:  # after the compile, before the journal
        account_file.write_text(committed, encoding="utf-8")
        return read(self)

    monkeypatch.setattr(LocalProvider, "read", put_back_while_reading)
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    revision = _revision(tmp_path, 1)
    assert "TXN_EVIL" in json.dumps(revision["desired"])  # what was deployed is the edit
    assert _git(tmp_path, "status", "--porcelain") == ""  # the work tree is the commit again
    recorded = revision["provenance"]["git"]
    assert recorded["dirty"] is True and recorded["diff_digest"].startswith("sha256:"), recorded
