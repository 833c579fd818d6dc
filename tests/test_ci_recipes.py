"""The CI recipes in the repository, run: every shell step of .github/workflows/oaspec.yml and of
.gitlab-ci.yml, in bash, against the emulator and a real PostgreSQL state, so that the recipes cannot rot.
Every job runs in a checkout of its own, as on runners that start empty: only the database is shared.

Only the platforms' own parts are stood in for. `uses:` steps: checkout is a scratch copy of the
repository, setup-python a virtualenv, upload-artifact a copy into a local store (any other action
fails the test, so the recipe cannot grow an untested step); GitLab's `artifacts:` likewise. The calls
to the platforms' APIs (the `gh` CLI, `curl` to GitLab) are answered by the shims in tests/ci_shims/,
which record them. `pip install .` runs for real into the virtualenv, offline (no index; build tools
and dependencies come from the test environment), once per module: an identical install step of a
later job is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from tests.backend.conftest import pg_cluster, pg_dsn
from tests.conftest import ROOT
from tests.render.sarif_schema import sarif_errors

__all__ = ["pg_cluster", "pg_dsn"]  # the PostgreSQL fixtures of tests/backend, for the shared state

# One pytest worker runs the whole module, so the virtualenv and its install are made once, not per worker.
pytestmark = pytest.mark.xdist_group("ci-recipes")

GITHUB = ROOT / ".github" / "workflows" / "oaspec.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
SHIMS = ROOT / "tests" / "ci_shims"
INSTALL = 'python -m pip install ".[postgres]"'
APPID = "wx5ec2e75ab1e0c0ci"
SECRET = "ci-recipe-secret-4c1d8e"
HEAD_SHA = "3f1c9e0d2b7a4c5e8f9a0b1c2d3e4f5a6b7c8d9e"
SPEC = """\
version: 1
bank: 测试城市商业银行
accounts:
  - id: citybank
    name: 测试城市商业银行
    type: service
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{OASPEC_CITYBANK_SECRET}}", api_base: "{base}"}}
    tags: [{{name: 高净值客户}}]
    menu:
      - {{name: 余额查询, type: click, key: BALANCE}}
      - {{name: 网点, type: view, url: "https://m.citybank.example.cn/branches"}}
"""
STEP_TIMEOUT = 120


@dataclass
class Outcome:
    ok: bool
    steps: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "\n".join(s.stdout + s.stderr for s in self.steps)


@dataclass
class Python:
    """The virtualenv that setup-python stands for; `installed` once the recipe's install step has run."""

    bin: Path
    installed: bool = False


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Python:
    venv = tmp_path_factory.mktemp("ci-python") / "venv"
    # Without pip of its own: ensurepip took 3 s of CPU (10 s on a loaded machine) to copy in the pip the
    # test environment already has, which the venv's `python -m pip` finds through the system site-packages
    # and uses to install into the venv, as the recipes' install step asks.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   check=True, timeout=120)
    return Python(venv / "bin")


class CI:
    """Runs the recipes' jobs in scratch checkouts, with the shims answering for GitHub and GitLab."""

    def __init__(self, root: Path, python: Python, server: EmulatorServer, dsn: str) -> None:
        self.root, self.python, self.server, self.dsn = root, python, server, dsn
        self.shim = root / "shim"
        self.store = self.shim / "artifacts"
        self.store.mkdir(parents=True)

    def checkout(self, name: str) -> Path:
        """The repository at the pull request's head, with the bank's spec."""
        work = self.root / name
        work.mkdir()
        for item in ("pyproject.toml", "README.md", ".gitlab-ci.yml"):
            shutil.copy(ROOT / item, work / item)
        for tree in ("oa_spec", ".github"):
            shutil.copytree(ROOT / tree, work / tree, ignore=shutil.ignore_patterns("__pycache__"))
        (work / "oaspec.yaml").write_text(SPEC.format(appid=APPID, base=self.server.base_url), encoding="utf-8")
        return work

    def env(self, variables: dict[str, str]) -> dict[str, str]:
        """A runner's environment: nothing of this test process leaks in (no PYTHONPATH: the installed
        oaspec runs), pip is offline, and the shims come first on PATH."""
        return {"PATH": f"{SHIMS}:{self.python.bin}:{os.environ['PATH']}", "HOME": str(self.root),
                "LANG": "C.UTF-8", "NO_COLOR": "1", "CI_SHIM_DIR": str(self.shim), "PIP_NO_INDEX": "1",
                "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **variables}

    def bash(self, script: str, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
        if script.strip() == INSTALL and self.python.installed:
            return None  # the same sources were installed into this virtualenv already
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=work,
                                env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False)
        assert "Traceback" not in result.stderr, result.stderr
        if script.strip() == INSTALL and result.returncode == 0:
            self.python.installed = True
        return result

    # -- GitHub Actions --
    def github(self, job_name: str, work: Path, context: dict[str, str], run_id: str = "run-1",
               edit: tuple[str, str] | None = None) -> Outcome:
        workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
        job = workflow["jobs"][job_name]
        env = self.env({"GITHUB_REPOSITORY": "citybank/oaspec-config", "GITHUB_SHA": "9" * 40,
                        **_expressions(workflow.get("env") or {}, context),
                        **_expressions(job.get("env") or {}, context)})
        outcome = Outcome(ok=True)
        for step in job["steps"]:
            if not _runs(step, outcome.ok, work):
                continue
            if "uses" in step:
                self._github_action(step, work, run_id)
                continue
            script = step["run"] if edit is None else step["run"].replace(*edit)
            result = self.bash(script, work, {**env, **_expressions(step.get("env") or {}, context)})
            if result is not None:
                outcome.steps.append(result)
                outcome.ok = outcome.ok and result.returncode == 0
        return outcome

    def _github_action(self, step: dict[str, Any], work: Path, run_id: str) -> None:
        action = step["uses"].split("@")[0]
        if action in ("actions/checkout", "actions/setup-python"):
            return  # the scratch checkout, the virtualenv
        if action == "github/codeql-action/upload-sarif":  # code scanning takes a valid SARIF log
            sarif = json.loads((work / step["with"]["sarif_file"]).read_text(encoding="utf-8"))
            assert sarif_errors(sarif) == []
            target = self.store / run_id / "code-scanning"
            target.mkdir(parents=True)
            shutil.copy(work / step["with"]["sarif_file"], target / step["with"]["sarif_file"])
            return
        assert action == "actions/upload-artifact", f"the test does not know the action {step['uses']}"
        target = self.store / run_id / step["with"]["name"]
        target.mkdir(parents=True)
        for name in step["with"]["path"].split():
            shutil.copy(work / name, target / name)

    # -- GitLab CI --
    def gitlab(self, job_name: str, work: Path, variables: dict[str, str], job_id: str = "21",
               edit: tuple[str, str] | None = None) -> Outcome:
        pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
        job = pipeline[job_name]
        env = self.env({"CI_API_V4_URL": "https://gitlab.bank.example/api/v4", "CI_PROJECT_ID": "42",
                        **pipeline.get("variables", {}), **job.get("variables", {}), **variables})
        outcome = Outcome(ok=True)
        for script in [*pipeline["default"]["before_script"], *job["script"]]:
            result = self.bash(script if edit is None else script.replace(*edit), work, env)
            if result is not None:
                outcome.steps.append(result)
                if result.returncode != 0:
                    outcome.ok = False
                    break
        for script in job.get("after_script", []):  # runs whatever happened; it cannot fail the job
            done = self.bash(script, work, env)
            assert done is not None
            outcome.steps.append(done)
        artifacts = job.get("artifacts") or {}
        if not outcome.ok and artifacts.get("when") != "always":
            return outcome
        for name in artifacts.get("paths", []):
            (self.store / job_id).mkdir(parents=True, exist_ok=True)
            shutil.copy(work / name, self.store / job_id / name)
        return outcome


def _runs(step: dict[str, Any], ok: bool, work: Path) -> bool:
    """A step's `if:`: none runs it while the job is passing; `always() && hashFiles('F') != ''` runs it
    whenever F exists. Any other condition fails the test, so the recipe cannot grow an untested one."""
    condition = str(step.get("if", ""))
    if not condition:
        return ok
    files = re.findall(r"hashFiles\('([^']+)'\) != ''", condition)
    rest = re.sub(r"\s*&&\s*hashFiles\('[^']+'\) != ''", "", condition)
    assert rest == "always()", f"the test does not know the condition {condition!r}"
    return all((work / name).exists() for name in files)


def _expressions(mapping: dict[str, Any], context: dict[str, str]) -> dict[str, str]:
    """`${{ expr }}` values evaluated from `context`; an expression the test does not know fails it."""
    out = {}
    for key, value in mapping.items():
        text = str(value)
        for expression in re.findall(r"\$\{\{\s*(.*?)\s*\}\}", text):
            assert expression in context, f"the test does not know the expression {expression!r} ({key})"
            text = text.replace(f"${{{{ {expression} }}}}", context[expression])
        out[key] = text
    return out


@pytest.fixture
def admin(server: EmulatorServer) -> EmulatorAdmin:
    server.admin.reset()
    server.admin.register_app(APPID, SECRET)
    return server.admin


@pytest.fixture
def ci(tmp_path: Path, python: Python, server: EmulatorServer, admin: EmulatorAdmin, pg_dsn: str) -> Iterator[CI]:
    yield CI(tmp_path, python, server, pg_dsn)


def github_context(ci: CI) -> dict[str, str]:
    return {"secrets.OASPEC_CITYBANK_SECRET": SECRET, "vars.OASPEC_ALLOWED_API_BASES": ci.server.base_url,
            "secrets.OASPEC_STATE": ci.dsn, "secrets.OASPEC_STATE_PASSWORD": "",  # the test cluster trusts its socket
            "github.token": "gh-test-token", "github.event.pull_request.number": "7"}


GITLAB_MR = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "7", "CI_PROJECT_ID": "42",
             "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "42", "OASPEC_GITLAB_TOKEN": "gl-test-token"}


def gitlab_secrets(ci: CI) -> dict[str, str]:
    return {"OASPEC_CITYBANK_SECRET": SECRET, "OASPEC_ALLOWED_API_BASES": ci.server.base_url,
            "OASPEC_STATE": ci.dsn, "PGPASSWORD": ""}


def assert_state_shared(ci: CI, main: Path, head_file: Path) -> None:
    """The merge's apply was recorded in the database, not on its runner, and its head kept outside."""
    assert not (main / ".oaspec").exists() or not any((main / ".oaspec").rglob("*.json"))
    listed = subprocess.run([str(ci.python.bin / "oaspec"), "history", "--format", "json"], cwd=ci.root,
                            env=ci.env({"OASPEC_STATE": ci.dsn}), capture_output=True, text=True, check=True)
    [row] = json.loads(listed.stdout)
    assert (row["account"], row["revision"], row["status"]) == ("citybank", 1, "applied")
    head = json.loads(head_file.read_text(encoding="utf-8"))
    verified = subprocess.run([str(ci.python.bin / "oaspec"), "audit", "verify"], cwd=ci.root,
                              env=ci.env({"OASPEC_STATE": ci.dsn}), capture_output=True, text=True, check=True)
    assert verified.stdout.strip().endswith(head["head"]) and head["entries"] >= 2


# --- GitHub Actions ----------------------------------------------------------------------------------------
def test_github_plans_the_pull_request_and_applies_exactly_the_reviewed_plan_on_merge(
        ci: CI, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    context = github_context(ci)
    pr = ci.checkout("pr")
    # validate runs with no secret at all, as on a fork's pull request
    validated = ci.github("validate", pr, {"vars.OASPEC_ALLOWED_API_BASES": server.base_url})
    assert validated.ok, validated.output
    planned = ci.github("plan", pr, context)
    assert planned.ok, planned.output
    comment = (ci.shim / "comment-7.md").read_text(encoding="utf-8")
    assert comment == (pr / "plan.md").read_text(encoding="utf-8") and "余额查询" in comment  # fits: whole
    assert (ci.store / "run-1" / "code-scanning" / "oaspec.sarif").exists()
    reviewed = json.loads((ci.store / "run-1" / "oaspec-plan" / "plan.json").read_text(encoding="utf-8"))
    assert (ci.store / "run-1" / "oaspec-plan" / "plan.md").exists()
    assert admin.writes() == [], "the pull request wrote nothing"

    (ci.shim / "merged-head-sha").write_text(HEAD_SHA + "\n", encoding="utf-8")
    (ci.shim / "run-id").write_text("run-1\n", encoding="utf-8")
    main = ci.checkout("main")
    applied = ci.github("apply", main, context)
    assert applied.ok, applied.output
    assert json.loads((main / "reviewed" / "plan.json").read_text(encoding="utf-8")) == reviewed
    calls = (ci.shim / "calls.log").read_text(encoding="utf-8")
    assert f"gh run list --workflow oaspec.yml --commit {HEAD_SHA} --event pull_request --status success" in calls
    assert [b["name"] for b in admin.state(APPID)["menu"]["button"]] == ["余额查询", "网点"]
    assert_state_shared(ci, main, ci.store / "run-1" / "oaspec-audit-head" / "audit-head.json")

    # The next pull request, on another empty runner: what the merge applied is oaspec's, nothing to do.
    (ci.shim / "comment-7.md").unlink()
    again = ci.github("plan", ci.checkout("next-pr"), context, run_id="run-2")
    assert again.ok, again.output
    assert "No changes" in (ci.shim / "comment-7.md").read_text(encoding="utf-8")


def test_github_apply_is_refused_when_the_live_account_moved_after_review(ci: CI, server: EmulatorServer,
                                                                         admin: EmulatorAdmin) -> None:
    pr = ci.checkout("pr")
    assert ci.github("plan", pr, github_context(ci)).ok
    admin.seed(APPID, {"tags": [{"id": 2, "name": "星标组", "count": 0}, {"id": 100, "name": "手工标签"}]})
    (ci.shim / "merged-head-sha").write_text(HEAD_SHA, encoding="utf-8")
    (ci.shim / "run-id").write_text("run-1", encoding="utf-8")
    applied = ci.github("apply", ci.checkout("main"), github_context(ci))
    assert not applied.ok
    failed = next(step for step in applied.steps if step.returncode != 0)
    assert failed.args[-1].strip().startswith("oaspec apply reviewed/plan.json")
    assert "the live account changed since this plan was made" in failed.stderr
    assert admin.writes() == []


def test_github_apply_without_a_reviewed_plan_fails(ci: CI, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    (ci.shim / "merged-head-sha").write_text("", encoding="utf-8")  # a push that merged no pull request
    applied = ci.github("apply", ci.checkout("main"), github_context(ci))
    assert not applied.ok and "there is no reviewed plan to apply" in applied.output
    assert admin.writes() == []


def test_github_a_mistyped_option_fails_the_plan_step(ci: CI, server: EmulatorServer) -> None:
    planned = ci.github("plan", ci.checkout("pr"), github_context(ci),
                        edit=("--format markdown", "--format markdwon"))
    assert not planned.ok
    assert "oaspec plan failed" in planned.output
    assert not (ci.shim / "comment-7.md").exists() and not (ci.store / "run-1").exists()


def test_github_posts_a_plan_too_long_for_a_comment_as_a_summary_that_fits(ci: CI) -> None:
    from tests.render.test_comment import big_plan

    work = ci.checkout("pr")
    plan = big_plan(10, 1000)  # 10,000 changes: about 600,000 characters of Markdown
    (work / "plan.json").write_text(json.dumps(plan.to_json(), ensure_ascii=False), encoding="utf-8")
    job = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"]["plan"]
    step = next(s for s in job["steps"] if s.get("name") == "Post the plan on the pull request")
    result = ci.bash(step["run"], work, ci.env({"PR_NUMBER": "7", "GH_TOKEN": "gh-test-token"}))
    assert result is not None and result.returncode == 0, result and result.stderr
    comment = (ci.shim / "comment-7.md").read_text(encoding="utf-8")
    assert len(comment.encode("utf-16-le")) // 2 <= 65_536 and comment.startswith("## oaspec plan (summary)")
    assert "Apply is blocked by 1 policy error(s)" in comment and "more changes not shown here" in comment


def test_github_a_plan_blocked_by_policy_is_posted_and_annotated_but_not_kept(ci: CI, server: EmulatorServer,
                                                                            admin: EmulatorAdmin) -> None:
    pr = ci.checkout("pr")
    spec = (pr / "oaspec.yaml").read_text(encoding="utf-8")
    (pr / "oaspec.yaml").write_text(spec.replace("accounts:", "policies: {packs: [cn-bank]}\naccounts:") +
                                    "    replies:\n      default: {text: 本行理财产品保本保收益，稳赚不赔！立即购买}\n",
                                    encoding="utf-8")
    planned = ci.github("plan", pr, github_context(ci))
    assert not planned.ok and "policy error(s) block apply" in planned.output
    assert "Apply is blocked" in (ci.shim / "comment-7.md").read_text(encoding="utf-8")
    sarif = json.loads((ci.store / "run-1" / "code-scanning" / "oaspec.sarif").read_text(encoding="utf-8"))
    [guarantee, *_] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "wealth.no-guaranteed-return"]
    assert guarantee["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "oaspec.yaml"
    assert guarantee["locations"][0]["physicalLocation"]["region"]["startLine"] == 14
    assert not (ci.store / "run-1" / "oaspec-plan").exists()  # a blocked plan is not a reviewed plan
    assert admin.writes() == []


def test_github_a_failing_plan_fails_the_step(ci: CI, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    admin.fail(45009, path="tags/get", writes_only=False)
    planned = ci.github("plan", ci.checkout("pr"), github_context(ci))
    assert not planned.ok and "oaspec plan failed (exit 1)" in planned.output


# --- GitLab CI ---------------------------------------------------------------------------------------------
def test_gitlab_plans_the_merge_request_and_applies_exactly_the_reviewed_plan_on_merge(
        ci: CI, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    mr = ci.checkout("mr")
    fork = {**GITLAB_MR, "OASPEC_ALLOWED_API_BASES": server.base_url}  # a project variable, not a secret
    validated = ci.gitlab("validate", mr, fork)  # no secret, as on a fork's merge request
    assert validated.ok, validated.output
    planned = ci.gitlab("plan", mr, {**GITLAB_MR, **gitlab_secrets(ci)}, job_id="21")
    assert planned.ok, planned.output
    note = json.loads((ci.shim / "note-7.json").read_text(encoding="utf-8"))
    assert note == {"body": (mr / "plan.md").read_text(encoding="utf-8")} and "余额查询" in note["body"]
    assert sarif_errors(json.loads((ci.store / "21" / "oaspec.sarif").read_text(encoding="utf-8"))) == []
    assert admin.writes() == []

    (ci.shim / "merge_requests.json").write_text(json.dumps([{"iid": 7, "sha": HEAD_SHA}]), encoding="utf-8")
    (ci.shim / "pipelines.json").write_text(json.dumps([{"id": 11, "sha": "0" * 40, "status": "success"},
                                                        {"id": 10, "sha": HEAD_SHA, "status": "success"}]))
    (ci.shim / "jobs.json").write_text(json.dumps([{"id": 20, "name": "validate"}, {"id": 21, "name": "plan"}]))
    main = ci.checkout("main")
    merged = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_SHA": "9" * 40, "OASPEC_GITLAB_TOKEN": "gl-test-token"}
    applied = ci.gitlab("apply", main, {**merged, **gitlab_secrets(ci)}, job_id="apply")
    assert applied.ok, applied.output
    assert (main / "reviewed" / "plan.json").read_bytes() == (ci.store / "21" / "plan.json").read_bytes()
    calls = (ci.shim / "calls.log").read_text(encoding="utf-8")
    assert "/merge_requests/7/pipelines" in calls and "/pipelines/10/jobs" in calls
    assert [b["name"] for b in admin.state(APPID)["menu"]["button"]] == ["余额查询", "网点"]
    assert_state_shared(ci, main, ci.store / "apply" / "audit-head.json")
    again = ci.gitlab("plan", ci.checkout("next-mr"), {**GITLAB_MR, **gitlab_secrets(ci)}, job_id="31")
    assert again.ok, again.output
    assert "No changes" in json.loads((ci.shim / "note-7.json").read_text(encoding="utf-8"))["body"]


def test_gitlab_a_mistyped_option_fails_the_plan_job(ci: CI, server: EmulatorServer) -> None:
    planned = ci.gitlab("plan", ci.checkout("mr"), {**GITLAB_MR, **gitlab_secrets(ci)},
                        edit=("--format markdown", "--format markdwon"))
    assert not planned.ok and "oaspec plan failed" in planned.output
    assert not (ci.shim / "note-7.json").exists() and not (ci.store / "21").exists()


def test_gitlab_apply_without_a_successful_plan_fails(ci: CI, server: EmulatorServer, admin: EmulatorAdmin) -> None:
    (ci.shim / "merge_requests.json").write_text(json.dumps([{"iid": 7, "sha": HEAD_SHA}]), encoding="utf-8")
    (ci.shim / "pipelines.json").write_text(json.dumps([{"id": 10, "sha": HEAD_SHA, "status": "failed"}]))
    merged = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_SHA": "9" * 40, "OASPEC_GITLAB_TOKEN": "gl-test-token"}
    applied = ci.gitlab("apply", ci.checkout("main"), {**merged, **gitlab_secrets(ci)})
    assert not applied.ok and "no successful plan" in applied.output
    assert admin.writes() == []


# --- what the recipes promise, read from the files ---------------------------------------------------------------
def test_the_recipes_install_from_the_repository_and_keep_secrets_from_forks() -> None:
    workflow, pipeline = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in (GITHUB, GITLAB))
    installs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "pip" in s.get("run", "")]
    assert installs and all(i.strip() == INSTALL for i in installs)
    assert pipeline["default"]["before_script"] == [INSTALL]
    for text in (GITHUB.read_text(encoding="utf-8"), GITLAB.read_text(encoding="utf-8")):
        assert "pip install oaspec" not in text and "--detailed-exitcode" in text
    assert "secrets." not in json.dumps(workflow["jobs"]["validate"])
    assert "head.repo.full_name == github.repository" in workflow["jobs"]["plan"]["if"]
    assert "$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID" in pipeline["plan"]["rules"][0]["if"]


def test_the_readme_ci_section_points_at_the_recipes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In CI", 1)[1].split("\n## ", 1)[0]
    assert ".github/workflows/oaspec.yml" in section and ".gitlab-ci.yml" in section
    assert "pip install oaspec" not in readme
