"""Switching a rule pack off is seen and can be forbidden (attack review 69, F5): every apply records the packs in
force; a plan names, in every view, a pack in force at the account's last applied revision that the spec no longer
enables; and OASPEC_REQUIRED_PACKS, set outside the spec, makes validate, plan and apply refuse a spec without it."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.errors import OaspecError
from oa_spec.history.revisions import Revision
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState, Tag
from oa_spec.plan.model import AccountPlan, Plan
from oa_spec.plan.packs import packs_in_force
from oa_spec.render.comment import render_comment
from testing.cli import Env, Result, run_cli

SPEC = """\
version: 1
bank: 示例城市银行
policies:
{packs}  settings: {{allowed_domains: [m.citybank.example.cn]}}
accounts:
  - id: citybank
    name: 示例城市银行
    type: service
    provider: {{type: local}}
    menu:
      - {{name: 投诉热线, type: view, url: "https://m.citybank.example.cn/complaint"}}
    replies:
      subscribe: {{text: {text}}}
"""
ON = "  packs: [cn-bank]\n"
CLEAN = "欢迎关注，客服热线95000"
BANNED = "本理财产品保本保收益，欢迎购买。"
SAID = "policies.packs no longer enables cn-bank, in force at revision 1 of citybank"


def write(tmp_path: Path, packs: str, text: str, name: str = "oaspec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(SPEC.format(packs=packs, text=text), encoding="utf-8")
    return path


def cli(tmp_path: Path, *args: str, env: Env | None = None) -> Result:
    result = run_cli("--state-dir", str(tmp_path / "state"), *args, cwd=tmp_path, env=env)
    assert "Traceback" not in result.output, result.output
    return result


def applied_with_cn_bank(tmp_path: Path) -> Path:
    """Revision 1 applied with cn-bank on; the spec now drops the pack and says what cn-bank forbids."""
    done = cli(tmp_path, "apply", "-f", str(write(tmp_path, ON, CLEAN, "before.yaml")), "--auto-approve")
    assert done.returncode == 0, done.output
    return write(tmp_path, "", BANNED)


def test_every_view_of_the_plan_names_a_pack_dropped_since_the_last_apply(tmp_path: Path) -> None:
    spec = applied_with_cn_bank(tmp_path)
    for fmt in ("text", "markdown"):
        shown = cli(tmp_path, "plan", "-f", str(spec), "--format", fmt).stdout
        assert SAID in shown.replace("\\_", "_"), shown
        assert "OASPEC_REQUIRED_PACKS=cn-bank" in shown.replace("\\_", "_")
    data = json.loads(cli(tmp_path, "plan", "-f", str(spec), "--format", "json").stdout)
    assert any(note.startswith(SAID) for note in data["accounts"][0]["notes"])


def test_once_applied_without_the_pack_the_plan_says_no_more(tmp_path: Path) -> None:
    spec = applied_with_cn_bank(tmp_path)
    assert cli(tmp_path, "apply", "-f", str(spec), "--auto-approve").returncode == 0
    assert "no longer enables" not in cli(tmp_path, "plan", "-f", str(spec)).stdout
    record = json.loads((tmp_path / "state" / "history" / "citybank" / "000002.json").read_text(encoding="utf-8"))
    assert record["extra"]["policy_packs"] == ""


def test_a_plan_that_keeps_the_pack_says_nothing(tmp_path: Path) -> None:
    applied_with_cn_bank(tmp_path)
    assert "no longer enables" not in cli(tmp_path, "plan", "-f", str(write(tmp_path, ON, CLEAN))).stdout


def test_a_pull_request_comment_cut_to_a_summary_keeps_the_note() -> None:
    changes = [Change("create", "tag", f"客群{t}", f"citybank/tags/客群{t}", None, Tag(f"客群{t}"))
               for t in range(3000)]
    notes = [f"module m{n} is disabled: its buttons and replies are left out" for n in range(500)]
    account = AccountPlan("citybank", "local", changes, AccountState(), "sha256:x", "sha256:y",
                          notes=[*notes, SAID + ": its 57 rules are not checked any more"])
    comment = render_comment(Plan([account]), limit=20_000)
    assert "(summary)" in comment and SAID in comment.replace("\\_", "_")


class _History:
    """Revisions as a state holds them: an old one records no packs, a failed one is read past."""

    def __init__(self, *revisions: tuple[str, dict[str, str]]) -> None:
        self.revisions = revisions

    def numbers(self) -> list[int]:
        return list(range(1, len(self.revisions) + 1))

    def get(self, number: int) -> Revision:
        status, extra = self.revisions[number - 1]
        if status == "unreadable":
            raise OaspecError("corrupt")
        return Revision(number, "citybank", "2026-12-01T00:00:00Z", "ci", "apply", status,  # type: ignore[arg-type]
                        "sha256:x", AccountState(), AccountState(), None, [], [], extra=dict(extra))


def test_the_last_applied_revision_decides_and_an_old_one_says_nothing() -> None:
    on, off = {"policy_packs": "cn-bank"}, {"policy_packs": ""}
    assert packs_in_force(_History(("applied", on), ("failed", off)), [1, 2]) == (1, {"cn-bank"})
    assert packs_in_force(_History(("applied", on), ("applied", off)), [1, 2]) == (2, set())
    assert packs_in_force(_History(("applied", {})), [1]) is None  # recorded before revisions named their packs
    assert packs_in_force(_History(("unreadable", {})), [1]) is None


REQUIRED = {"OASPEC_REQUIRED_PACKS": "cn-bank"}
REFUSED = "OASPEC_REQUIRED_PACKS requires the pack 'cn-bank', which policies.packs does not enable: add cn-bank"


def test_required_packs_refuse_a_spec_without_them_in_validate_plan_and_apply(tmp_path: Path) -> None:
    spec = str(write(tmp_path, "", CLEAN))
    for args in (("validate", "-f", spec), ("plan", "-f", spec), ("apply", "-f", spec, "--auto-approve")):
        result = cli(tmp_path, *args, env=REQUIRED)
        assert result.returncode != 0, result.output
        assert REFUSED in result.output and "policy.config" in result.output, result.output
    assert not (tmp_path / "state" / "history" / "citybank").exists()  # nothing was applied
    assert cli(tmp_path, "validate", "-f", spec).returncode == 0  # without the variable the spec is valid


def test_required_packs_pass_a_spec_that_enables_them(tmp_path: Path) -> None:
    spec = str(write(tmp_path, ON, CLEAN))
    assert cli(tmp_path, "validate", "-f", spec, env=REQUIRED).returncode == 0
    assert cli(tmp_path, "apply", "-f", spec, "--auto-approve", env=REQUIRED).returncode == 0


def test_an_unknown_required_pack_is_a_clear_error(tmp_path: Path) -> None:
    result = cli(tmp_path, "validate", "-f", str(write(tmp_path, ON, CLEAN)),
                 env={"OASPEC_REQUIRED_PACKS": "cn-bank, cn-bnak"})
    assert result.returncode != 0
    assert "OASPEC_REQUIRED_PACKS names the unknown pack 'cn-bnak' (known: cn-bank, core)" in result.output
