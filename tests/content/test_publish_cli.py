"""`oaspec publish` through its entry point on the local provider: what it refuses (a draft not applied, a
policy error), what it lists without --due, and its usage errors, each with exit 1 and what to do."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from testing.accounts import edit
from tests.conftest import FIXED_NOW, Result, run_cli
from tests.content.bank import small_bank

DECEMBER_20 = "2026-12-20T09:00:00+08:00"


def oaspec(tmp_path: Path, *args: str, now: str = DECEMBER_20, **env: str) -> Result:
    result = run_cli(*args, cwd=tmp_path, env={"OASPEC_NOW": now, **env})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_nothing_goes_out_before_apply_wrote_the_reviewed_draft(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    refused = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert refused.returncode == 1
    assert ("bank: monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): refused: "
            "the account's draft is not the reviewed version of the article (it changed since the last apply, or "
            "was never applied): run `oaspec plan` and `oaspec apply`, then publish") in refused.stderr
    assert "error: 4 due slot(s) not sent" in refused.stderr
    assert not (tmp_path / ".oaspec" / "content").exists() or not any((tmp_path / ".oaspec" / "content").glob("*.json"))
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    edit(spec.parent / "content" / "young" / "card-dates.md", "打开自动还款，避免忘记。", "打开自动还款，按时还款。")
    changed = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert changed.returncode == 1 and "young/card-dates (publication): refused: the account's draft" in changed.stderr
    assert "Done" not in changed.stdout and changed.stdout.count(": sent:") == 3  # the others went out


def test_a_policy_error_blocks_publishing_as_it_blocks_apply(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    edit(spec.parent / "content" / "wealth" / "december-outlook.md", "市场有涨有跌。", "本行理财产品保本保收益。")
    edit(spec, "  settings:", "  packs: [cn-bank]\n  settings:")
    refused = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert refused.returncode == 1
    assert ("refused: policy error(s) no waiver covers block publishing: wealth.no-guaranteed-return at "
            "bank/content/articles/wealth/december-outlook") in refused.stderr


def test_without_due_it_lists_the_slots_and_sends_nothing(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    listed = oaspec(tmp_path, "publish", "-f", str(spec))
    assert listed.returncode == 0, listed.stderr
    assert ("bank: anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): would send (due: `oaspec "
            "publish --due` sends it)") in listed.stdout
    assert "bank: monthly-report/2027-01-05 wealth/asset-allocation (broadcast to 「高净值客户」): upcoming: on " \
           "2027-01-05" in listed.stdout
    assert not (tmp_path / ".oaspec" / "local" / "bank.publishing.json").exists()
    early = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now=FIXED_NOW)
    assert early.returncode == 0 and "Nothing is due" in early.stdout


def test_usage_errors_say_what_to_do(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    bad = oaspec(tmp_path, "publish", "-f", str(spec), "--due", OASPEC_PUBLISH_WAIT_SECONDS="soon")
    assert bad.returncode == 1
    assert "error: OASPEC_PUBLISH_WAIT_SECONDS='soon' is not a number of seconds" in bad.stderr
    unknown = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "nope", "--due")
    assert unknown.returncode == 1 and "no account 'nope'" in unknown.stderr
    assert oaspec(tmp_path, "publish", "--bogus").returncode == 1
    helped = oaspec(tmp_path, "--help")
    assert "publish" in helped.stdout


def _new_date(spec: Path) -> None:
    edit(spec.parent / "content" / "wealth" / "december-outlook.md", "date: 2026-12-05", "date: 2026-11-05")


def _renamed_stream(spec: Path) -> None:
    for path in [spec, *(spec.parent / "content" / "wealth").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("monthly-report", "monthly-insights"), encoding="utf-8")


@pytest.mark.parametrize("move", [_new_date, _renamed_stream])
def test_an_article_that_went_out_is_not_sent_again_from_another_slot(tmp_path: Path,
                                                                      move: Callable[[Path], None]) -> None:
    # an attack review moved a sent article to another date (or renamed its stream): the plan said what followers
    # received does not change, and publish broadcast it a second time, since sends were looked up by slot only
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due").returncode == 0
    sends = tmp_path / ".oaspec" / "local" / "bank.publishing.json"
    before = json.loads(sends.read_text(encoding="utf-8"))["sends"]
    move(spec)
    plan = oaspec(tmp_path, "plan", "-f", str(spec))
    assert "what followers received does not change" in plan.stdout, plan.stdout
    assert not any("wealth/december-outlook" in line and "due:" in line for line in plan.stdout.splitlines())
    slot = next(line for line in plan.stdout.splitlines() if "+ slot:" in line)
    assert "due" not in slot, plan.stdout
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve").returncode == 0
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert again.returncode == 0, again.stderr
    assert "wealth/december-outlook (broadcast to 「高净值客户」): already sent: in slot monthly-report/2026-12-05" \
        in again.stdout, again.stdout
    assert json.loads(sends.read_text(encoding="utf-8"))["sends"] == before


@pytest.mark.parametrize("unsettled", [False, True])
def test_a_slot_that_went_out_with_another_article_is_not_used_again(tmp_path: Path, unsettled: bool) -> None:
    # an attack review swapped two articles' dates after the first went out: the second was reported "already sent"
    # with the first's msg_id (and never sent), or, after an unclear send, went out under the first's journal entry
    spec = small_bank(tmp_path)
    wealth = spec.parent / "content" / "wealth"
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due").returncode == 0
    record_path = tmp_path / ".oaspec" / "content" / "bank.json"
    if unsettled:  # the send of december-outlook journalled, its outcome unknown
        record = json.loads(record_path.read_text(encoding="utf-8"))
        record["sends"]["monthly-report/2026-12-05"]["state"] = "sending"
        record_path.write_text(json.dumps(record), encoding="utf-8")
    sends = tmp_path / ".oaspec" / "local" / "bank.publishing.json"
    before = json.loads(sends.read_text(encoding="utf-8"))["sends"]
    edit(wealth / "december-outlook.md", "date: 2026-12-05", "date: 2027-01-05")
    edit(wealth / "asset-allocation.md", "date: 2027-01-05", "date: 2026-12-05")
    plan = oaspec(tmp_path, "plan", "-f", str(spec)).stdout  # the reviewer is told so, not "due"
    moved = plan[plan.index("~ article wealth/asset-allocation"):plan.index("~ article wealth/december-outlook")]
    used = "holds an attempt, not settled, to send" if unsettled else "went out with"
    assert (f"(slot monthly-report/2026-12-05 {used} article wealth/december-outlook: `oaspec publish` refuses this "
            "article there; give it a slot of its own)") in moved, moved
    assert "due:" not in moved, moved
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve").returncode == 0
    refused = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert refused.returncode == 1
    slot = "monthly-report/2026-12-05 wealth/asset-allocation (broadcast to 「高净值客户」): refused: "
    expected = ("an attempt to send wealth/december-outlook in this slot is not settled (sending)" if unsettled
                else "the slot went out with wealth/december-outlook (msg_id")
    assert slot + expected in refused.stderr, refused.stderr
    assert json.loads(sends.read_text(encoding="utf-8"))["sends"] == before
    entry = json.loads(record_path.read_text(encoding="utf-8"))["sends"]["monthly-report/2026-12-05"]
    assert entry["article"] == "wealth/december-outlook"  # the record still speaks for the article it names


def test_a_sent_article_whose_file_was_renamed_is_already_sent_not_refused(tmp_path: Path) -> None:
    # an attack review moved a sent article's file (slot and content unchanged): every later publish exited 1 with
    # advice that would have broadcast it a second time
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due").returncode == 0
    sends = tmp_path / ".oaspec" / "local" / "bank.publishing.json"
    before = json.loads(sends.read_text(encoding="utf-8"))["sends"]
    content = spec.parent / "content"
    shutil.copytree(content / "wealth" / "images", content / "insights" / "images")
    (content / "wealth" / "december-outlook.md").rename(content / "insights" / "december-outlook.md")
    plan = oaspec(tmp_path, "plan", "-f", str(spec)).stdout
    assert ("(slot monthly-report/2026-12-05 already went out as article wealth/december-outlook: `oaspec publish` "
            "does not send it again (a corrected text goes out as a new article in a slot of its own))") in plan, plan
    assert "due:" not in plan, plan
    applied = oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", "--allow-destroy")
    assert applied.returncode == 0, applied.stderr
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert again.returncode == 0, again.stderr
    assert "insights/december-outlook (broadcast to 「高净值客户」): already sent" in again.stdout, again.stdout
    assert json.loads(sends.read_text(encoding="utf-8"))["sends"] == before


def _sent_then(tmp_path: Path, *, landed: bool) -> Path:
    """december-outlook broadcast; with landed=False its record says `sending` and the platform has no send (the
    call never arrived), so publish settles it before anything else."""
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due").returncode == 0
    if not landed:
        record_path = tmp_path / ".oaspec" / "content" / "bank.json"
        record = json.loads(record_path.read_text(encoding="utf-8"))
        record["sends"]["monthly-report/2026-12-05"]["state"] = "sending"
        record_path.write_text(json.dumps(record), encoding="utf-8")
        platform = tmp_path / ".oaspec" / "local" / "bank.publishing.json"
        data = json.loads(platform.read_text(encoding="utf-8"))
        platform.write_text(json.dumps({**data, "sends": []}), encoding="utf-8")
    return spec


def _renamed(spec: Path) -> None:
    content = spec.parent / "content"
    shutil.copytree(content / "wealth" / "images", content / "insights" / "images")
    (content / "wealth" / "december-outlook.md").rename(content / "insights" / "december-outlook.md")


def _plan_of(tmp_path: Path, spec: Path, article: str) -> str:
    """The plan's lines for one article's change, down to the next change."""
    plan: str = oaspec(tmp_path, "plan", "-f", str(spec)).stdout
    start = plan.index(f" article {article} ")
    end = re.search(r"\n    [-+~] |\n\n", plan[start:])
    return plan[start:start + end.start()] if end else plan[start:]


def _said_then_published(tmp_path: Path, spec: Path, article: str, said: str, *apply_flags: str,
                         **publish_env: str) -> Result:
    """The plan's lines for `article` say `said` and never "due"; then apply, and publish --due's result."""
    shown = _plan_of(tmp_path, spec, article)
    assert said in shown and "due:" not in shown, shown
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", *apply_flags).returncode == 0
    return oaspec(tmp_path, "publish", "-f", str(spec), "--due", **publish_env)



def test_a_sent_article_renamed_and_moved_is_already_sent_in_the_plan_as_in_publish(tmp_path: Path) -> None:
    # an attack review: the plan said "due" and publish reported it already sent (its send is in another slot)
    spec = _sent_then(tmp_path, landed=True)
    _renamed(spec)
    edit(spec.parent / "content" / "insights" / "december-outlook.md", "date: 2026-12-05", "date: 2026-11-05")
    said = ("(already went out in slot monthly-report/2026-12-05: `oaspec publish` does not send it again (to send "
              "it again, add it as a new article))")
    again = _said_then_published(tmp_path, spec, "insights/december-outlook", said, "--allow-destroy")
    assert again.returncode == 0 and "already sent: in slot monthly-report/2026-12-05" in again.stdout, again.stdout


def test_an_article_moved_while_its_send_is_not_settled_is_refused_in_the_plan_as_in_publish(tmp_path: Path) -> None:
    # an attack review: the plan said "due" and publish refused it: its attempt in the old slot is not settled
    spec = _sent_then(tmp_path, landed=False)
    _new_date(spec)
    said = ("(an attempt to send it in slot monthly-report/2026-12-05 is not settled: `oaspec publish` refuses it "
              "here; put it back in that slot and publish settles it)")
    refused = _said_then_published(tmp_path, spec, "wealth/december-outlook", said)
    assert refused.returncode == 1 and "an attempt to send it in slot monthly-report/2026-12-05 is not settled" \
        in refused.stderr, refused.stderr


def test_a_renamed_article_whose_send_is_not_settled_is_due_in_the_plan_and_sent_by_publish(tmp_path: Path) -> None:
    # an attack review: the plan said it "already went out", and publish settled the attempt and sent it
    spec = _sent_then(tmp_path, landed=False)
    _renamed(spec)
    shown = _plan_of(tmp_path, spec, "insights/december-outlook")
    assert "already went out" not in shown and "due: `oaspec publish --due` sends it" in shown, shown
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", "--allow-destroy").returncode == 0
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", OASPEC_PUBLISH_SETTLE_SECONDS="0")
    assert sent.returncode == 0 and "insights/december-outlook (broadcast to 「高净值客户」): sent" in sent.stdout, \
        sent.stdout


def test_a_publication_edited_while_its_send_is_not_settled_is_refused_in_the_plan_as_in_publish(
        tmp_path: Path) -> None:
    # an attack review: the plan said "due", and publish, which recognises a publication by its text, refused it
    spec = _sent_then(tmp_path, landed=True)
    record_path = tmp_path / ".oaspec" / "content" / "bank.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["sends"]["finance-class/2026-12-09"]["state"] = "sending"  # the publication's outcome unknown
    record_path.write_text(json.dumps(record), encoding="utf-8")
    platform = tmp_path / ".oaspec" / "local" / "bank.publishing.json"
    platform.write_text(json.dumps({**json.loads(platform.read_text(encoding="utf-8")), "publications": {}}),
                        encoding="utf-8")
    edit(spec.parent / "content" / "young" / "deposit-insurance.md", "\n## ", "\n更正：以本行公告为准。\n\n## ")
    said = ("(an attempt to send an earlier version of it in slot finance-class/2026-12-09 has an unknown outcome "
            "(what followers see of it changed since): `oaspec publish` refuses it")
    refused = _said_then_published(tmp_path, spec, "young/deposit-insurance", said, OASPEC_PUBLISH_SETTLE_SECONDS="0")
    assert refused.returncode == 1 and "the article changed since" in refused.stderr, refused.stderr


def test_an_article_deleted_after_it_went_out_and_added_again_is_already_sent_in_the_plan(tmp_path: Path) -> None:
    # an attack review: the plan said "due" for the re-added article, and publish said "already sent"
    spec = _sent_then(tmp_path, landed=True)
    article = spec.parent / "content" / "wealth" / "december-outlook.md"
    kept = article.read_text(encoding="utf-8")
    article.unlink()
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", "--allow-destroy").returncode == 0
    article.write_text(kept, encoding="utf-8")
    said = ("(slot monthly-report/2026-12-05 already went out: `oaspec publish` does not send it again (a corrected "
              "text goes out as a new article in a slot of its own))")
    again = _said_then_published(tmp_path, spec, "wealth/december-outlook", said)
    assert again.returncode == 0
    assert "wealth/december-outlook (broadcast to 「高净值客户」): already sent" in again.stdout
