"""Attack review 48, F1: a text reused on purpose (a note for another audience, a reminder repeated word for word)
is its own article while the article it repeats is still declared, and goes out in its own slot. The body hash
read a send as a rename whatever the name: publish said "already sent" (exit 0), the followers of the second
audience got nothing, and the calendar said "due" forever. A body hash is a rename only when no article of the
earlier name is declared any more, and only in the same stream to the same audience."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from testing import FIXED_NOW
from tests.content.bank import set_front, small_bank
from tests.content.test_publish_cli import oaspec

SILVER = "anti-fraud/2026-12-20 elderly/market-for-elders (broadcast to 「银发客户」)"


def _applied(tmp_path: Path, spec: Path) -> None:
    applied = oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", "--allow-destroy", now=FIXED_NOW)
    assert applied.returncode == 0, applied.stderr


def _tags_sent(tmp_path: Path) -> list[str]:
    """The audience of each broadcast on the (local) platform, by tag name, in order."""
    local = tmp_path / ".oaspec" / "local"
    names = {t["id"]: t["name"] for t in json.loads((local / "bank.json").read_text(encoding="utf-8"))["state"]["tags"]}
    sends = json.loads((local / "bank.publishing.json").read_text(encoding="utf-8"))["sends"]
    return [names.get(s.get("tag_id"), "every follower") for s in sends]


def _calendar(tmp_path: Path, spec: Path, now: str, days: str = "3") -> dict[str, dict[str, str]]:
    shown = oaspec(tmp_path, "calendar", "-f", str(spec), "--days", days, "--format", "json", now=now)
    assert shown.returncode == 0, shown.stderr
    return {f"{r['stream']}/{r['date']}": r for r in json.loads(shown.stdout)[0]["slots"]}


def _wealth_note_for_the_elderly(spec: Path, *, keep_the_first: bool) -> None:
    """The wealth note (monthly-report, 12-05, 「高净值客户」) as a second article with another title, for the
    anti-fraud stream's 「银发客户」 on 12-20, in place of that slot's own article."""
    content = spec.parent / "content"
    shutil.copytree(content / "wealth" / "images", content / "elderly" / "images", dirs_exist_ok=True)
    for path in (content / "elderly").glob("*.md"):
        if "date: 2026-12-20" in path.read_text(encoding="utf-8"):
            path.unlink()
    source = content / "wealth" / "december-outlook.md"
    copy = content / "elderly" / "market-for-elders.md"
    shutil.copy(source, copy)
    for field, value in (("title", "长辈版：十二月市场观察"), ("stream", "anti-fraud"), ("date", "2026-12-20")):
        set_front(copy, field, value)
    if not keep_the_first:
        source.unlink()


def test_a_text_reused_for_another_audience_goes_out_in_its_own_slot(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    _wealth_note_for_the_elderly(spec, keep_the_first=True)
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00").returncode == 0
    plan = oaspec(tmp_path, "plan", "-f", str(spec), now="2026-12-19T09:00:00+08:00")
    assert "elderly/market-for-elders" not in plan.stdout, plan.stdout  # nothing to say: it is simply due
    assert _calendar(tmp_path, spec, "2026-12-19T09:00:00+08:00")["anti-fraud/2026-12-20"]["status"] == "upcoming"
    dry = oaspec(tmp_path, "publish", "-f", str(spec), "--due", "--dry-run", now="2026-12-20T09:00:00+08:00")
    assert f"bank: {SILVER}: would send" in dry.stdout, dry.stdout + dry.stderr
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-20T09:00:00+08:00")
    assert sent.returncode == 0 and f"bank: {SILVER}: sent: msg_id" in sent.stdout, sent.stdout + sent.stderr
    assert _tags_sent(tmp_path) == ["高净值客户", "银发客户"]  # each audience got it once
    assert _calendar(tmp_path, spec, "2026-12-22T09:00:00+08:00", "1")["anti-fraud/2026-12-20"]["status"] == "sent"
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-22T09:00:00+08:00")
    assert again.returncode == 0 and f"{SILVER}: already sent: msg_id" in again.stdout, again.stdout
    assert _tags_sent(tmp_path) == ["高净值客户", "银发客户"]


def test_a_reminder_repeated_word_for_word_goes_out_again_in_its_month(tmp_path: Path) -> None:
    spec = small_bank(tmp_path)
    elderly = spec.parent / "content" / "elderly"
    source = next(p for p in elderly.glob("*.md") if "date: 2026-12-20" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    (elderly / "reminder-2027-02.md").write_text(re.sub(r"^date: .*$", "date: 2027-02-20", text, count=1,
                                                        flags=re.MULTILINE), encoding="utf-8")
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-20T09:00:00+08:00").returncode == 0
    assert _tags_sent(tmp_path).count("银发客户") == 1
    february = "anti-fraud/2027-02-20 elderly/reminder-2027-02 (broadcast to 「银发客户」)"
    due = _calendar(tmp_path, spec, "2027-02-21T09:00:00+08:00", "1")["anti-fraud/2027-02-20"]
    assert (due["article"], due["status"]) == ("elderly/reminder-2027-02", "due")
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2027-02-21T09:00:00+08:00")
    assert sent.returncode == 0 and f"bank: {february}: sent: msg_id" in sent.stdout, sent.stdout + sent.stderr
    assert _tags_sent(tmp_path).count("银发客户") == 3  # December's, January's (its own article) and February's
    assert _calendar(tmp_path, spec, "2027-02-21T09:00:00+08:00", "1")["anti-fraud/2027-02-20"]["status"] == "sent"


def test_a_text_whose_article_is_gone_goes_to_another_audience_as_its_own(tmp_path: Path) -> None:
    # no article of the earlier name is declared, but the text now goes to other followers: not a rename
    spec = small_bank(tmp_path)
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00").returncode == 0
    _wealth_note_for_the_elderly(spec, keep_the_first=False)
    plan = oaspec(tmp_path, "plan", "-f", str(spec), now="2026-12-20T09:00:00+08:00").stdout
    assert "already went out" not in plan and "due: `oaspec publish --due` sends it" in plan, plan
    _applied(tmp_path, spec)
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-20T09:00:00+08:00")
    assert sent.returncode == 0 and f"bank: {SILVER}: sent: msg_id" in sent.stdout, sent.stdout + sent.stderr
    assert _tags_sent(tmp_path) == ["高净值客户", "银发客户"]


def test_a_renamed_file_with_its_text_and_audience_is_still_the_article_that_went_out(tmp_path: Path) -> None:
    # the rename the record's text hash is for: the earlier name is gone, the stream and audience are the same
    spec = _sent_then_renamed(tmp_path, "date", "2026-12-05")
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00")
    assert again.returncode == 0, again.stderr
    assert "wealth/outlook-2026-12 (broadcast to 「高净值客户」): already sent" in again.stdout, again.stdout
    assert _tags_sent(tmp_path) == ["高净值客户"]


def test_a_new_article_repeating_the_body_of_one_that_went_out_goes_out_in_its_own_slot(tmp_path: Path) -> None:
    # attack review 68, F6: a recap with its own file, title, digest and date, the earlier file removed, was taken
    # for that article renamed (by its body alone): "already sent", exit 0, and never published
    spec = small_bank(tmp_path)
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-10T09:00:00+08:00").returncode == 0
    young = spec.parent / "content" / "young"
    (young / "deposit-insurance.md").rename(young / "deposit-insurance-recap.md")
    for field, value in (("title", "回顾：存款保险再讲一遍"), ("digest", "上次没看到的朋友，这次补上。"),
                         ("date", "2026-12-23")):
        set_front(young / "deposit-insurance-recap.md", field, value)
    _applied(tmp_path, spec)
    recap = "finance-class/2026-12-23 young/deposit-insurance-recap (publication)"
    sent = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-23T09:00:00+08:00")
    assert sent.returncode == 0 and f"bank: {recap}: sent: publish_id" in sent.stdout, sent.stdout + sent.stderr
    publications = json.loads((tmp_path / ".oaspec" / "local" / "bank.publishing.json").read_text(encoding="utf-8"))
    assert len(publications["publications"]) == 3  # 12-09's, 12-16's and the recap
    assert _calendar(tmp_path, spec, "2026-12-23T09:00:00+08:00", "1")["finance-class/2026-12-23"]["status"] == "sent"


def test_a_send_recorded_before_oaspec_kept_what_followers_saw_is_matched_by_its_body(tmp_path: Path) -> None:
    # a record written by an earlier oaspec holds the body's hash alone: its renamed file is still the article sent
    spec = small_bank(tmp_path)
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00").returncode == 0
    path = tmp_path / ".oaspec" / "content" / "bank.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    for entry in record["sends"].values():
        del entry["shown_sha256"]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    wealth = spec.parent / "content" / "wealth"
    (wealth / "december-outlook.md").rename(wealth / "outlook-2026-12.md")
    set_front(wealth / "outlook-2026-12.md", "title", "十二月市场观察（修订标题）")
    _applied(tmp_path, spec)
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00")
    assert "wealth/outlook-2026-12 (broadcast to 「高净值客户」): already sent" in again.stdout, again.stdout
    assert _tags_sent(tmp_path) == ["高净值客户"]


def test_the_calendar_says_what_publish_does_with_an_article_renamed_and_moved_after_it_went_out(
        tmp_path: Path) -> None:
    # the calendar read the slot alone: "due" for the new date, forever, where publish says "already sent"
    spec = _sent_then_renamed(tmp_path, "date", "2026-11-05")
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00")
    assert again.returncode == 0, again.stderr
    assert "wealth/outlook-2026-12 (broadcast to 「高净值客户」): already sent: in slot monthly-report/2026-12-05" \
        in again.stdout, again.stdout
    row = _calendar(tmp_path, spec, "2026-12-06T09:00:00+08:00", "1")["monthly-report/2026-11-05"]
    assert (row["article"], row["status"], row["why"]) == (
        "wealth/outlook-2026-12", "already sent", "in slot monthly-report/2026-12-05: an article goes out once")
    assert row["msg_id"]  # the send it went out with
    text = oaspec(tmp_path, "calendar", "-f", str(spec), "--days", "1", now="2026-12-06T09:00:00+08:00").stdout
    assert ("wealth/outlook-2026-12: already sent (in slot monthly-report/2026-12-05: an article goes out once)"
            in text), text


def _sent_then_renamed(tmp_path: Path, field: str, value: str) -> Path:
    """The small bank's December outlook sent, then its file renamed and `field` set to `value`, and applied."""
    spec = small_bank(tmp_path)
    _applied(tmp_path, spec)
    assert oaspec(tmp_path, "publish", "-f", str(spec), "--due", now="2026-12-06T09:00:00+08:00").returncode == 0
    wealth = spec.parent / "content" / "wealth"
    (wealth / "december-outlook.md").rename(wealth / "outlook-2026-12.md")
    set_front(wealth / "outlook-2026-12.md", field, value)
    _applied(tmp_path, spec)
    return spec
