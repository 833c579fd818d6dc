"""Review 47 F6: a template oaspec adds is owned by the template_id the platform gave it, not by its title.

A spec whose title is not the library template's own title was added again on every apply (each copy then called
"unmanaged, left alone", taking one of the 25 slots for good), and a library_id changed under an unchanged title
planned "No changes". Through the CLI against the emulator over loopback."""

from __future__ import annotations

from pathlib import Path

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.accounts import BANK_HEAD
from testing.cli import Cli
from testing.emulator import EmulatorAccount

APPID = "wx00000000000047f6"
SECRET = "template-ownership-secret-f6"
LIBRARY = [{"template_id_short": "OPENTM900000001", "title": "交易提醒"},
           {"template_id_short": "OPENTM900000002", "title": "还款提醒"}]
EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, LIBRARY)  # the `admin` fixture's account
ENV = {"OASPEC_TEST_APPSECRET": SECRET}
SPEC = BANK_HEAD + """\
    type: service
    provider: {{type: wechat, app_id: {appid}, app_secret: '${{OASPEC_TEST_APPSECRET}}', api_base: '{base}'}}
    menu:
      - {{name: 一, type: click, key: K1}}
    industry: {{primary: 金融业/银行, secondary: IT科技/互联网|电子商务}}
    templates:
      - {{id: {name}, library_id: {library_id}, title: {title}}}
"""


def write_spec(tmp_path: Path, server: EmulatorServer, library_id: str, title: str, name: str = "repay") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(appid=APPID, base=server.base_url, name=name, library_id=library_id, title=title),
                    encoding="utf-8")
    return path


def live_titles(admin: EmulatorAdmin) -> list[str]:
    return [str(t["title"]) for t in admin.state(APPID)["templates"]]


def test_a_spec_title_that_is_not_the_librarys_is_refused_naming_both_not_added_again(
        cli: Cli, tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款到期提醒")  # the library's title is 还款提醒
    for _ in range(3):
        refused = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "Traceback" not in refused.stderr
        assert "还款提醒" in refused.stderr and "还款到期提醒" in refused.stderr, refused.stderr
        assert "OPENTM900000002" in refused.stderr and "title" in refused.stderr
        assert "did not keep" not in refused.stderr  # the platform kept what it was sent
        assert len(live_titles(admin)) <= 1, live_titles(admin)  # never a pile of copies
    plan = cli("plan", "-f", str(spec), env=ENV)
    assert "unmanaged, left alone: bank/templates/还款提醒" not in plan.stdout + plan.stderr
    # The spec corrected to the library's title: added once, then nothing to do.
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款提醒")
    applied = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
    assert applied.returncode == 0, applied.stderr
    assert live_titles(admin) == ["还款提醒"]
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=ENV).returncode == 0


def test_a_library_id_change_under_the_same_title_is_planned_as_a_replace(
        cli: Cli, tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = write_spec(tmp_path, server, "OPENTM900000001", "交易提醒", name="txn")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0
    first = admin.state(APPID)["templates"]
    spec = write_spec(tmp_path, server, "OPENTM900000002", "交易提醒", name="txn")
    plan = cli("plan", "-f", str(spec), "--detailed-exitcode", env=ENV)
    assert plan.returncode == 2, plan.stdout + plan.stderr  # not "No changes"
    assert "OPENTM900000001" in plan.stdout and "OPENTM900000002" in plan.stdout, plan.stdout
    assert "1 to replace" in plan.stdout, plan.stdout
    # OPENTM900000002 is titled 还款提醒: the apply says so, and the template the spec had stays
    refused = cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", env=ENV)
    assert refused.returncode == 1
    assert "还款提醒" in refused.stderr and "交易提醒" in refused.stderr, refused.stderr
    assert admin.state(APPID)["templates"] == first


def test_a_library_id_change_with_the_librarys_title_replaces_the_template(
        cli: Cli, tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = write_spec(tmp_path, server, "OPENTM900000001", "交易提醒", name="notice")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0
    old_id = admin.state(APPID)["templates"][0]["template_id"]
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款提醒", name="notice")
    plan = cli("plan", "-f", str(spec), env=ENV)
    assert "1 to replace" in plan.stdout and "OPENTM900000001 -> OPENTM900000002" in plan.stdout, plan.stdout
    assert "destroy guard" in plan.stdout  # senders of the old template_id fail until they use the new one
    applied = cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", env=ENV)
    assert applied.returncode == 0, applied.stderr
    templates = admin.state(APPID)["templates"]
    assert [t["title"] for t in templates] == ["还款提醒"] and templates[0]["template_id"] != old_id
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=ENV).returncode == 0


def adds(admin: EmulatorAdmin) -> int:
    return sum(1 for c in admin.writes(APPID) if c["path"].endswith("template/api_add_template"))


def test_an_added_template_that_cannot_be_deleted_again_is_owned_and_named_by_the_next_plan(
        cli: Cli, tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款到期提醒")
    admin.fail(45009, path="template/del_private_template")
    failed = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
    assert failed.returncode == 1 and "could not be deleted again" in failed.stderr, failed.stderr
    admin.clear_faults()
    assert live_titles(admin) == ["还款提醒"]
    for _ in range(2):  # the plan refuses, naming both titles; nothing is added again
        refused = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "还款提醒" in refused.stderr and "还款到期提醒" in refused.stderr, refused.stderr
        assert "unmanaged" not in refused.stdout
    assert adds(admin) == 1 and live_titles(admin) == ["还款提醒"]
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款提醒")  # corrected: the one it added is the spec's
    plan = cli("plan", "-f", str(spec), env=ENV)
    assert "bank/templates" not in plan.stdout, plan.stdout
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0
    assert adds(admin) == 1 and live_titles(admin) == ["还款提醒"]
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=ENV).returncode == 0


def test_an_unclear_add_of_a_template_titled_otherwise_is_found_by_its_new_id_and_deleted_again(
        cli: Cli, tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    spec = write_spec(tmp_path, server, "OPENTM900000002", "还款到期提醒")
    admin.drop(path="template/api_add_template", after_processing=True)
    refused = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
    assert refused.returncode == 1 and "还款提醒" in refused.stderr and "还款到期提醒" in refused.stderr
    assert adds(admin) == 1, "the add had landed: found by its new template_id, not sent again"
    assert live_titles(admin) == []
