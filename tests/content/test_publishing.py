"""End to end on the emulator, through the real CLI: plan and apply the six example articles as drafts, change
one in place, and publish the due slots exactly once (twice in a row, two runs at once), on quota, with
failed jobs left unsent, and a dry run that writes nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing import FIXED_NOW
from testing.accounts import edit
from testing.cli import Result, child_env, run_cli
from tests.content.bank import APPID, ARTICLES, SECRET, SECRET_VAR, article_file, citybank

LIBRARY = [{"template_id_short": "OPENTM207665002", "title": "账户资金变动提醒"},
           {"template_id_short": "OPENTM411344461", "title": "预约成功通知"},
           {"template_id_short": "OPENTM405456204", "title": "还款提醒"}]
DECEMBER_20 = "2026-12-20T09:00:00+08:00"  # due: 12-05 and 12-20 (broadcasts), 12-09 and 12-16 (publications)
ENV = {SECRET_VAR: SECRET, "OASPEC_PUBLISH_WAIT_SECONDS": "5", "OASPEC_PUBLISH_SETTLE_SECONDS": "0"}


def at(moment: str) -> float:
    return datetime.fromisoformat(moment).timestamp()


@pytest.fixture
def admin(server: EmulatorServer) -> EmulatorAdmin:
    server.admin.reset()
    server.admin.register_app(APPID, SECRET)
    server.admin.add_library_templates(LIBRARY)
    server.admin.set_publishing(APPID, account_type="service")
    server.admin.set_clock(at(FIXED_NOW))
    return server.admin


@pytest.fixture
def spec(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Path:
    return citybank(tmp_path, api_base=server.base_url)


def oaspec(tmp_path: Path, *args: str, now: str = FIXED_NOW) -> Result:
    result = run_cli(*args, cwd=tmp_path, env={**ENV, "OASPEC_NOW": now})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def planned_articles(tmp_path: Path, spec: Path) -> list[tuple[str, str]]:
    result = oaspec(tmp_path, "plan", "-f", str(spec), "--account", "citybank", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["accounts"][0]["changes"]
    return [(c["action"], c["key"]) for c in changes if c["kind"] == "article"]


def applied(tmp_path: Path, spec: Path) -> None:
    result = oaspec(tmp_path, "apply", "-f", str(spec), "--account", "citybank", "--auto-approve")
    assert result.returncode == 0, result.stderr + result.stdout


def tag_ids(admin: EmulatorAdmin) -> dict[str, int]:
    return {t["name"]: int(t["id"]) for t in admin.state(APPID)["tags"]}


def test_articles_plan_apply_in_place_and_publish_due_slots_exactly_once(tmp_path: Path, spec: Path,
                                                                         admin: EmulatorAdmin) -> None:
    assert planned_articles(tmp_path, spec) == [("create", name) for name in ARTICLES]
    applied(tmp_path, spec)
    published = admin.publishing(APPID)
    assert len(published["drafts"]) == 6
    assert all(entry["uploads"] == 1 for entry in [*published["images"].values(), *published["materials"].values()])
    assert planned_articles(tmp_path, spec) == []  # what the platform stored reads back as what was sent

    edit(article_file(spec, "young/deposit-insurance"), "最高偿付限额为人民币 50 万元", "最高偿付限额为人民币五十万元")
    plan = oaspec(tmp_path, "plan", "-f", str(spec), "--account", "citybank")
    assert "-同一存款人在同一家投保银行的所有存款，本金和利息合并计算，最高偿付限额为人民币 50 万元。" in plan.stdout
    assert planned_articles(tmp_path, spec) == [("update", "young/deposit-insurance")]
    applied(tmp_path, spec)
    drafts = admin.publishing(APPID)["drafts"]
    assert len(drafts) == 6 and sum("五十万元" in d["news_item"][0]["content"] for d in drafts.values()) == 1
    assert planned_articles(tmp_path, spec) == []

    admin.set_clock(at(DECEMBER_20))
    first = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20)
    assert first.returncode == 0, first.stderr
    assert "Done: 4 sent now, 0 sent before." in first.stdout
    state = admin.publishing(APPID)
    tags = tag_ids(admin)
    assert sorted(s["tag_id"] for s in state["sends"]) == sorted([tags["高净值客户"], tags["银发客户"]])
    assert len(state["publications"]) == 2
    again = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", now=DECEMBER_20)
    assert again.returncode == 0 and "Done: 0 sent now, 4 sent before." in again.stdout
    assert len(admin.publishing(APPID)["sends"]) == 2 and len(admin.publishing(APPID)["publications"]) == 2
    record = json.loads((tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8"))
    sent = {slot: (e["state"], e["msg_id"] or e["publish_id"]) for slot, e in record["sends"].items()}
    lessons = ["finance-class/2026-12-09", "finance-class/2026-12-16"]
    assert sent == {"monthly-report/2026-12-05": ("sent", str(state["sends"][0]["msg_id"])),
                    "anti-fraud/2026-12-20": ("sent", str(state["sends"][1]["msg_id"])),
                    **{slot: ("sent", pid) for slot, pid in zip(lessons, state["publications"], strict=True)}}


def test_a_lost_state_directory_never_makes_a_second_draft(tmp_path: Path, spec: Path, admin: EmulatorAdmin) -> None:
    applied(tmp_path, spec)
    (tmp_path / ".oaspec" / "content" / "citybank.json").unlink()  # which draft is which article: forgotten
    assert planned_articles(tmp_path, spec) == [("create", name) for name in ARTICLES]
    applied(tmp_path, spec)  # each identical draft on the account is taken as it is
    assert len(admin.publishing(APPID)["drafts"]) == 6
    assert planned_articles(tmp_path, spec) == []


def test_a_draft_made_by_a_killed_apply_is_recorded_as_that_runs(tmp_path: Path, spec: Path,
                                                                   admin: EmulatorAdmin) -> None:
    """Killed between draft/add and reading the draft back: reconciliation records the create as landed, and
    the next run neither makes a second draft nor claims to have made this one."""
    admin.slow(20_000, nth=1, path="draft/get")
    command = [sys.executable, "-m", "oa_spec", "apply", "-f", str(spec), "--account", "citybank", "--auto-approve"]
    victim = subprocess.Popen(command, cwd=tmp_path, env=child_env({**ENV, "OASPEC_NOW": FIXED_NOW}),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not admin.publishing(APPID)["drafts"]:
        assert victim.poll() is None and time.monotonic() < deadline, "no draft was added"
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    admin.clear_faults()
    [made] = admin.publishing(APPID)["drafts"].values()
    title = made["news_item"][0]["title"]
    [name] = [n for n in ARTICLES if f"title: {title}" in article_file(spec, n).read_text(encoding="utf-8")]
    assert planned_articles(tmp_path, spec) == [("create", n) for n in ARTICLES if n != name]  # read as made
    assert oaspec(tmp_path, "unlock", "citybank").returncode == 0
    applied(tmp_path, spec)
    history = tmp_path / ".oaspec" / "history" / "citybank"
    killed, rerun = (json.loads(path.read_text(encoding="utf-8")) for path in sorted(history.glob("*.json")))
    address = f"citybank/content/articles/{name}"
    assert "reconciled" in killed["extra"] and address in killed["applied"], killed["error"]
    assert address not in rerun["applied"] and len(rerun["applied"]) == len(ARTICLES) - 1
    assert len(admin.publishing(APPID)["drafts"]) == len(ARTICLES)
    assert planned_articles(tmp_path, spec) == []


@pytest.mark.parametrize("action", ["update", "create"])
def test_a_draft_write_whose_read_back_fails_is_recorded_as_landed(tmp_path: Path, spec: Path, admin: EmulatorAdmin,
                                                                  action: str) -> None:
    """Attack review 34: draft/update (or draft/add) answered errcode 0, then only draft/get failed; the revision,
    the audit entry and `show` said the change was NOT applied while the platform held it, and the next plan
    showed nothing. A write the platform answered has landed: recorded so, with what it left unknown."""
    name = "young/deposit-insurance"
    path = article_file(spec, name)
    text = path.read_text(encoding="utf-8")
    if action == "create":
        path.unlink()
    applied(tmp_path, spec)
    if action == "create":
        path.write_text(text, encoding="utf-8")
    else:
        edit(path, "最高偿付限额为人民币 50 万元", "最高偿付限额为人民币五十万元")
    admin.fail(-1, every=1, path="draft/get", writes_only=False)
    failed = oaspec(tmp_path, "apply", "-f", str(spec), "--account", "citybank", "--auto-approve")
    admin.clear_faults()
    address = f"citybank/content/articles/{name}"
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "citybank: applied 1 of 1 changes (revision 2)" in failed.stderr, failed.stderr
    assert f"{address} landed all the same: its draft (" in failed.stderr
    revision = json.loads((tmp_path / ".oaspec" / "history" / "citybank" / "000002.json").read_text(encoding="utf-8"))
    assert revision["applied"] == [address] and list(revision["partly"]) == [address]
    shown = oaspec(tmp_path, "show", "2", "--account", "citybank", "-f", str(spec))
    assert f"{address}  [applied; left behind: its draft (" in shown.stdout and "NOT applied" not in shown.stdout
    drafts = admin.publishing(APPID)["drafts"]
    assert len(drafts) == len(ARTICLES)
    assert sum("五十万元" in d["news_item"][0]["content"] for d in drafts.values()) == (action == "update")
    assert planned_articles(tmp_path, spec) == []  # the draft as the platform holds it is the article
    applied(tmp_path, spec)
    assert len(admin.publishing(APPID)["drafts"]) == len(ARTICLES) and planned_articles(tmp_path, spec) == []


@pytest.fixture
def drafted(tmp_path: Path, spec: Path, admin: EmulatorAdmin) -> Iterator[Path]:
    applied(tmp_path, spec)
    admin.set_clock(at(DECEMBER_20))
    yield spec


def test_who_a_broadcast_goes_to_is_reviewed_and_applied_before_it_is_sent(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # an attack review removed a stream's audience: plan said "No changes" and publish sent a wealth article to every
    # follower; now the plan shows the slot's change, publish refuses the unapplied one, and sends it once applied
    account = drafted.parent / "accounts" / "citybank.yaml"
    text = account.read_text(encoding="utf-8")
    stream = "          title: 月度理财观察\n          audience: {tags: [高净值客户]}\n"
    assert stream in text
    account.write_text(text.replace(stream, "          title: 月度理财观察\n"), encoding="utf-8")
    plan = oaspec(tmp_path, "plan", "-f", str(drafted), "--account", "citybank", "--detailed-exitcode")
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "- slot: monthly-report 2026-12-05, broadcast to 「高净值客户」 (群发)" in plan.stdout
    assert "+ slot: monthly-report 2026-12-05, broadcast to every follower (is_to_all) (群发)" in plan.stdout
    early = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert early.returncode == 1 and "monthly-report/2026-12-05 wealth/december-outlook (broadcast to every " \
        "follower (is_to_all)): refused: the account's draft is not the reviewed version" in early.stderr
    assert not any(s["is_to_all"] for s in admin.publishing(APPID)["sends"])
    assert oaspec(tmp_path, "apply", "-f", str(drafted), "--account", "citybank", "--auto-approve").returncode == 0
    sent = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert sent.returncode == 0, sent.stderr
    assert [s["is_to_all"] for s in admin.publishing(APPID)["sends"]].count(True) == 1


def test_an_unclear_publication_of_an_article_changed_since_is_not_published_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # the unclear attempt was looked for by the draft's current content: after a fix and a re-apply it was not
    # recognised, and the slot went out a second time
    admin.drop(nth=1, path="freepublish/submit", after_processing=True)  # published, but the answer is lost
    first = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert "finance-class/2026-12-09 young/deposit-insurance (publication): unclear" in first.stdout + first.stderr
    edit(article_file(drafted, "young/deposit-insurance"), "不需要你另外申请或付费。", "不需要您另外申请或付费。")
    assert oaspec(tmp_path, "apply", "-f", str(drafted), "--account", "citybank", "--auto-approve").returncode == 0
    again = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert again.returncode == 1
    assert ("finance-class/2026-12-09 young/deposit-insurance (publication): refused: an attempt at ") in again.stderr
    assert "the article changed since" in again.stderr
    titles = [p["news_item"][0]["title"] for p in admin.publishing(APPID)["publications"].values()]
    assert titles.count("五分钟看懂存款保险") == 1


def test_an_article_added_to_the_draft_in_the_console_is_shown_and_never_goes_out_unreviewed(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # an attack review added a second article to an applied draft (多图文): drafts were read by their first article
    # only, so plan said "No changes" and publish broadcast both, the unreviewed one promising 保本保收益
    [(media_id, draft)] = [(m, d) for m, d in admin.publishing(APPID)["drafts"].items()
                           if d["news_item"][0]["title"].startswith("12月理财观察")]
    admin.add_draft_article(APPID, media_id, {**draft["news_item"][0], "title": "限时高收益理财",
                                              "content": "<p>本行理财产品保本保收益，年化8%！</p>"})
    plan = oaspec(tmp_path, "plan", "-f", str(drafted), "--account", "citybank", "--detailed-exitcode")
    assert plan.returncode == 2, plan.stdout + plan.stderr
    assert "~ article wealth/december-outlook" in plan.stdout and "保本保收益" in plan.stdout, plan.stdout
    refused = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert refused.returncode == 1
    assert "wealth/december-outlook (broadcast to 「高净值客户」): refused: the account's draft is not the reviewed " \
        "version" in refused.stderr
    assert not any(s["media_id"] == media_id for s in admin.publishing(APPID)["sends"])
    assert oaspec(tmp_path, "apply", "-f", str(drafted), "--account", "citybank", "--auto-approve").returncode == 0
    drafts = admin.publishing(APPID)["drafts"]
    assert media_id not in drafts and all(len(d["news_item"]) == 1 for d in drafts.values())
    assert planned_articles(tmp_path, drafted) == []
    sent = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert sent.returncode == 0, sent.stderr
    state = admin.publishing(APPID)
    assert all(len(state["drafts"][s["media_id"]]["news_item"]) == 1 for s in state["sends"])


def test_a_dry_run_shows_what_would_go_out_and_writes_nothing(tmp_path: Path, drafted: Path,
                                                               admin: EmulatorAdmin) -> None:
    before = snapshot(tmp_path / ".oaspec")
    admin.clear_calls()
    dry = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", "--dry-run",
                 now=DECEMBER_20)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("would send") == 4
    assert "monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): would send" in dry.stdout
    assert admin.writes(APPID) == [] and snapshot(tmp_path / ".oaspec") == before
    assert admin.publishing(APPID)["sends"] == []


def test_two_runs_at_once_send_each_slot_once(tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    command = [sys.executable, "-m", "oa_spec", "publish", "-f", str(drafted), "--account", "citybank", "--due"]
    env = {**_base_env(), **ENV, "OASPEC_NOW": DECEMBER_20}
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    outputs = sorted(out for out, _ in results)
    assert "Done: 0 sent now, 4 sent before." in outputs[0] and "Done: 4 sent now, 0 sent before." in outputs[1]
    state = admin.publishing(APPID)
    assert len(state["sends"]) == 2 and len(state["publications"]) == 2


def test_a_failed_publication_job_is_not_recorded_as_sent_and_goes_out_on_the_next_run(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    admin.set_publishing(APPID, publish_status=4)  # rejected by review
    failed = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert failed.returncode == 1
    assert ("finance-class/2026-12-09 young/deposit-insurance (publication): failed: the platform's job failed: "
            "rejected by review (publish_status 4)") in failed.stderr
    assert "2 due slot(s) not sent" in failed.stderr
    record = json.loads((tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8"))
    assert {slot: e["state"] for slot, e in record["sends"].items()} == {
        "monthly-report/2026-12-05": "sent", "finance-class/2026-12-09": "failed",
        "finance-class/2026-12-16": "failed", "anti-fraud/2026-12-20": "sent"}
    admin.set_publishing(APPID, publish_status=0)
    retried = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert retried.returncode == 0 and "Done: 2 sent now, 2 sent before." in retried.stdout
    state = admin.publishing(APPID)
    assert len(state["sends"]) == 2
    assert [p["publish_status"] for p in state["publications"].values()] == [4, 4, 0, 0]


def test_a_publication_deleted_or_blocked_after_it_went_out_is_sent_and_never_published_again(
        tmp_path: Path, drafted: Path, admin: EmulatorAdmin) -> None:
    # publish_status 6 (成功后系统封禁所有文章) was taken for a failed job: the next run published it again
    admin.set_publishing(APPID, publish_status=6)
    first = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert first.returncode == 0, first.stderr
    assert "published, then blocked by the platform (publish_status 6)" in first.stdout + first.stderr
    admin.set_publishing(APPID, publish_status=0)
    again = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert again.returncode == 0 and "Done: 0 sent now, 4 sent before." in again.stdout
    assert [p["publish_status"] for p in admin.publishing(APPID)["publications"].values()] == [6, 6]


def test_the_platforms_quota_refusal_names_the_slot_and_records_nothing_as_sent(
        tmp_path: Path, server: EmulatorServer, drafted: Path, admin: EmulatorAdmin) -> None:
    draft = next(iter(admin.publishing(APPID)["drafts"]))
    for _ in range(4):  # four broadcasts sent from elsewhere (the console) this month
        assert console_sendall(server, draft, tag_ids(admin)["年轻客群"])["errcode"] == 0
    refused = oaspec(tmp_path, "publish", "-f", str(drafted), "--account", "citybank", "--due", now=DECEMBER_20)
    assert refused.returncode == 1
    assert ("monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): failed: citybank: "
            "message/mass/sendall: WeChat error 45028") in refused.stderr
    record = json.loads((tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8"))
    assert record["sends"]["monthly-report/2026-12-05"]["state"] == "failed"
    assert len(admin.publishing(APPID)["sends"]) == 4


def console_sendall(server: EmulatorServer, draft: str, tag_id: int) -> Any:
    base = f"{server.base_url}/cgi-bin/"
    credentials = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    token = requests.post(base + "stable_token", json=credentials, timeout=5).json()["access_token"]
    body = {"filter": {"is_to_all": False, "tag_id": tag_id}, "mpnews": {"media_id": draft}, "msgtype": "mpnews"}
    return requests.post(base + "message/mass/sendall", params={"access_token": token}, timeout=5,
                         data=json.dumps(body).encode()).json()


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def _base_env() -> dict[str, Any]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "OASPEC_STATE_DIR"}
    return {**env, "NO_COLOR": "1"}
