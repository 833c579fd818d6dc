"""The whole pipeline through the `oaspec` command (in-process, testing.cli), on the embedded local provider."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.kinds.state import AccountState, comparable
from testing import EXAMPLES
from testing.accounts import edit
from testing.cli import Cli


def live_state(tmp_path: Path, account: str) -> dict[str, object]:
    data = json.loads((tmp_path / ".oaspec" / "local" / f"{account}.json").read_text(encoding="utf-8"))
    return comparable(data["state"])  # type: ignore[no-any-return]


def plan_json(cli: Cli, spec: Path, *extra: str) -> dict[str, object]:
    result = cli("plan", "-f", str(spec), "--format", "json", *extra)
    assert result.returncode in (0, 2), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_both_examples_validate(cli: Cli) -> None:
    for example in ("minimal", "citybank"):
        result = cli("validate", "-f", str(EXAMPLES / example / "oaspec.yaml"))
        assert result.returncode == 0, result.stderr
        assert "valid" in result.stdout


def test_round_trip_apply_change_history_rollback(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    first = cli("apply", "-f", str(citybank), "--auto-approve")
    assert first.returncode == 0, first.stderr
    assert "citybank: applied" in first.stdout
    assert cli("plan", "-f", str(citybank), "--detailed-exitcode").returncode == 0
    revision_1 = live_state(tmp_path, "citybank")

    # One sub-button of the default menu changes (the first TXN_DETAIL in the file): the plan shows
    # exactly that one change and exits 2.
    edit(citybank.parent / "accounts" / "citybank.yaml", "key: TXN_DETAIL}", "key: TXN_DETAIL_V2}")
    changed = cli("plan", "-f", str(citybank), "--detailed-exitcode")
    assert changed.returncode == 2, changed.stderr
    assert "~ 交易明细" in changed.stdout and "click TXN_DETAIL -> click TXN_DETAIL_V2" in changed.stdout
    data = plan_json(cli, citybank)
    changes = [c for a in data["accounts"] for c in a["changes"]]  # type: ignore[attr-defined]
    assert [(c["address"], c["action"]) for c in changes] == [("citybank/menu", "update")]

    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    history = cli("history", "--account", "citybank")
    assert history.returncode == 0
    rows = [line.split() for line in history.stdout.splitlines()[1:]]
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [("citybank", "1", "apply", "applied"),
                                                      ("citybank", "2", "apply", "applied")]

    rolled = cli("rollback", "1", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert rolled.returncode == 0, rolled.stderr
    assert live_state(tmp_path, "citybank") == revision_1
    third = json.loads(cli("show", "3", "--account", "citybank", "-f", str(citybank), "--format", "json").stdout)
    assert third["operation"] == "rollback" and third["source"] == "rollback:citybank:1"
    # The spec still says TXN_DETAIL_V2, so the next plan offers that change again.
    assert cli("plan", "-f", str(citybank), "--detailed-exitcode").returncode == 2


def test_saved_plan_is_applied_exactly(cli: Cli, citybank: Path) -> None:
    assert cli("plan", "-f", str(citybank), "--out", "plan.json").returncode == 0
    applied = cli("apply", "plan.json", "-f", str(citybank))
    assert applied.returncode == 0, applied.stderr
    assert "citybank: applied 24 change(s) (revision 1)" in applied.stdout
    assert "branch-xinhua: applied 3 change(s) (revision 1)" in applied.stdout
    assert cli("plan", "-f", str(citybank), "--detailed-exitcode").returncode == 0


def test_saved_plan_refused_when_live_account_changed(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    edit(citybank.parent / "accounts" / "citybank.yaml", "name: 小微企业主", "name: 小微企业")
    assert cli("plan", "-f", str(citybank), "--out", "plan.json").returncode == 0
    # Someone changes the live account after review (here: a console edit of the menu).
    state_file = tmp_path / ".oaspec" / "local" / "citybank.json"
    data = json.loads(state_file.read_text(encoding="utf-8"))
    data["state"]["menu"]["buttons"][0]["name"] = "账户"
    state_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = state_file.read_bytes()

    refused = cli("apply", "plan.json", "-f", str(citybank))
    assert refused.returncode == 1
    assert "the live account changed since this plan was made" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert state_file.read_bytes() == before
    assert len(list((tmp_path / ".oaspec" / "history" / "citybank").glob("*.json"))) == 1


def test_saved_plan_refused_when_spec_changed(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("plan", "-f", str(citybank), "--out", "plan.json").returncode == 0
    edit(citybank.parent / "accounts" / "citybank.yaml", "name: 年轻客群", "name: 青年客群")
    edit(citybank.parent / "accounts" / "citybank.yaml", "tags: [年轻客群]", "tags: [青年客群]")
    refused = cli("apply", "plan.json", "-f", str(citybank))
    assert refused.returncode == 1
    assert "the spec changed since this plan was made" in refused.stderr
    assert not (tmp_path / ".oaspec" / "local" / "citybank.json").exists()


def test_no_change_apply_writes_nothing(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    state_file = tmp_path / ".oaspec" / "local" / "citybank.json"
    stamp = state_file.stat().st_mtime_ns
    again = cli("apply", "-f", str(citybank), "--auto-approve")
    assert again.returncode == 0
    assert "Nothing to apply" in again.stdout
    assert state_file.stat().st_mtime_ns == stamp
    assert len(list((tmp_path / ".oaspec" / "history" / "citybank").glob("*.json"))) == 1


def test_apply_asks_and_only_yes_applies(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    declined = cli("apply", "-f", str(citybank), stdin="no\n")
    assert declined.returncode == 1
    assert "apply cancelled: nothing was changed" in declined.stderr
    assert not (tmp_path / ".oaspec" / "local").exists()
    accepted = cli("apply", "-f", str(citybank), stdin="yes\n")
    assert accepted.returncode == 0, accepted.stderr


def test_lock_names_its_holder_and_unlock_releases_it(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    lock = tmp_path / ".oaspec" / "locks" / "citybank.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": 1, "host": "ci-runner-7", "user": "zhangwei", "operation": "apply",
                                "time": "2026-11-24T10:00:00+00:00"}), encoding="utf-8")
    blocked = cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve")
    assert blocked.returncode == 1
    assert "locked by zhangwei@ci-runner-7 (pid 1, apply since 2026-11-24T10:00:00+00:00)" in blocked.stderr
    assert "oaspec unlock citybank" in blocked.stderr
    released = cli("unlock", "citybank")
    assert "held by zhangwei@ci-runner-7" in released.stdout
    assert cli("apply", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0


def test_plan_formats(cli: Cli, citybank: Path) -> None:
    markdown = cli("plan", "-f", str(citybank), "--format", "markdown")
    assert markdown.stdout.startswith("## oaspec plan")
    assert "`citybank/conditional_menus/长辈版`" in markdown.stdout
    assert "```diff" in markdown.stdout
    data = plan_json(cli, citybank)
    assert data["format_version"] == 1
    assert data["summary"] == {"create": 27, "update": 0, "replace": 0, "delete": 0}
    assert data["has_changes"] is True


def test_plan_text_has_no_colour_without_tty(cli: Cli, citybank: Path) -> None:
    result = cli("plan", "-f", str(citybank), env={"NO_COLOR": ""})
    assert "\x1b[" not in result.stdout


def test_import_then_plan_shows_no_changes(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    imported = cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert "高净值客户" in text and "\\u" not in text  # Chinese written as is
    assert cli("validate", "-f", "imported.yaml").returncode == 0
    again = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr


def test_import_does_not_write_over_the_spec_it_reads(cli: Cli, citybank: Path) -> None:
    # it replaced the reviewed spec, comments and policies: block gone, and exited 0
    before = citybank.read_bytes()
    refused = cli("import", "--account", "citybank", "-f", str(citybank), "--out", str(citybank))
    assert refused.returncode == 1 and "is the spec being read" in refused.stderr
    assert citybank.read_bytes() == before


def test_a_full_disk_says_to_free_space_not_to_check_permissions(cli: Cli, citybank: Path) -> None:
    full = cli("plan", "-f", str(citybank), "--out", "/dev/full")  # every write there fails with ENOSPC
    assert full.returncode == 1 and "free space on that disk and run again" in full.stderr
    assert "permissions" not in full.stderr


def test_a_file_that_could_not_be_written_is_named(cli: Cli, citybank: Path) -> None:
    # attack review 50: "No space left on device" without the file (a failed flush names none)
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0  # an audit entry to export
    for command in (("plan", "-f", str(citybank)), ("import", "--account", "citybank", "-f", str(citybank)),
                    ("audit", "export", "--since", "2020-01-01", "-f", str(citybank))):
        full = cli(*command, "--out", "/dev/full")
        assert full.returncode == 1, full.stdout + full.stderr
        assert "error: /dev/full: No space left on device; free space on that disk" in full.stderr, full.stderr


def test_help_explains_each_command_with_an_example(cli: Cli) -> None:
    for command in ("validate", "plan", "apply", "rollback", "history", "show", "import", "unlock", "schema"):
        result = cli(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout, command


def test_unknown_account_and_missing_spec_are_clear_errors(cli: Cli, citybank: Path) -> None:
    unknown = cli("plan", "-f", str(citybank), "--account", "nosuch")
    assert unknown.returncode == 1
    assert "no account 'nosuch'" in unknown.stderr and "citybank" in unknown.stderr
    missing = cli("plan", "-f", "nope.yaml")
    assert missing.returncode == 1
    assert "nope.yaml:1:1: error: spec file not found" in missing.stderr


def test_rollback_restores_a_renamed_tag_by_renaming_it_back(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    tag_id = {t["name"]: t["id"] for t in _raw_tags(tmp_path)}["年轻客群"]
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    edit(account_file, "- name: 年轻客群", "- {name: 青年客群, renamed_from: 年轻客群}")
    edit(account_file, "tags: [年轻客群]", "tags: [青年客群]")
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    assert {t["name"]: t["id"] for t in _raw_tags(tmp_path)}["青年客群"] == tag_id
    assert cli("rollback", "1", "-f", str(citybank), "--account", "citybank", "--auto-approve").returncode == 0
    assert {t["name"]: t["id"] for t in _raw_tags(tmp_path)}["年轻客群"] == tag_id


def _raw_tags(tmp_path: Path) -> list[dict[str, object]]:
    data = json.loads((tmp_path / ".oaspec" / "local" / "citybank.json").read_text(encoding="utf-8"))
    return AccountState.from_json(data["state"]).to_json()["tags"]  # type: ignore[no-any-return]


def test_banned_promise_in_a_keyword_reply_fails_validate_plan_and_apply(cli: Cli, citybank: Path) -> None:
    account_file = citybank.parent / "accounts" / "citybank.yaml"
    edit(account_file, "过往业绩不代表未来表现。", "过往业绩不代表未来表现。新品保本保息，稳赚不赔，立即购买！")
    line = next(i for i, text in enumerate(account_file.read_text(encoding="utf-8").splitlines(), 1)
                if "稳赚不赔" in text)
    for command in (("validate",), ("plan",), ("apply", "--auto-approve")):
        result = cli(*command, "-f", str(citybank))
        assert result.returncode == 1, command
        assert "wealth.no-guaranteed-return" in result.stderr + result.stdout
        assert f"citybank.yaml:{line}:" in result.stderr + result.stdout
        assert "Traceback" not in result.stderr
    validate = cli("validate", "-f", str(citybank))
    assert "依据 basis:" in validate.stderr and "citybank/replies/keywords/理财" in validate.stderr


def test_policy_commands(cli: Cli, citybank: Path) -> None:
    listing = cli("policy", "list")
    assert "wealth.risk-disclaimer" in listing.stdout and "loan.apr-disclosure" in listing.stdout
    explained = cli("policy", "explain", "wealth.risk-disclaimer")
    assert "理财非存款" in explained.stdout
    assert cli("policy", "explain", "no.such-rule").returncode == 1
    calendar = cli("calendar", "-f", str(citybank), "--days", "14")
    assert calendar.returncode == 0 and "finance-class" in calendar.stdout


def test_a_plan_file_edited_after_review_is_refused(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("plan", "-f", str(citybank), "--out", "plan.json").returncode == 0
    plan_file = tmp_path / "plan.json"
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    for account in data["accounts"]:
        for change in account["changes"]:
            if change["address"] == "citybank/menu":
                change["after"]["buttons"][0]["sub_buttons"][0]["url"] = "https://phish.example.com/"
    plan_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = cli("apply", "plan.json", "-f", str(citybank))
    assert refused.returncode == 1
    assert "was the plan file edited?" in refused.stderr
    assert not (tmp_path / ".oaspec" / "local" / "citybank.json").exists()


def test_apply_of_a_plan_file_honours_account(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    assert cli("plan", "-f", str(citybank), "--out", "plan.json").returncode == 0
    applied = cli("apply", "plan.json", "-f", str(citybank), "--account", "branch-xinhua")
    assert applied.returncode == 0, applied.stderr
    assert "branch-xinhua: applied" in applied.stdout and "citybank" not in applied.stdout
    assert not (tmp_path / ".oaspec" / "local" / "citybank.json").exists()


def test_file_errors_are_user_errors_not_internal_ones(cli: Cli, citybank: Path, tmp_path: Path) -> None:
    unwritable = cli("plan", "-f", str(citybank), "--out", str(tmp_path / "no" / "such" / "dir" / "plan.json"))
    assert unwritable.returncode == 1
    assert "No such file or directory" in unwritable.stderr and "internal error" not in unwritable.stderr
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    not_a_plan = cli("apply", "list.json", "-f", str(citybank))
    assert not_a_plan.returncode == 1 and "not a plan file oaspec can read" in not_a_plan.stderr
