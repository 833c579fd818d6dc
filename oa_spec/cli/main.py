"""The `oaspec` command: parse arguments, run the pipeline, print, and exit with a meaningful code.

Exit codes: 0 success (and, with --detailed-exitcode, no differences); 1 error, refusal or usage error;
2 the live accounts differ from the spec (plan --detailed-exitcode only). The README lists them per command.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from oa_spec.apply.run import ApplyOptions, ApplyResult, apply_plan, rollback_plan
from oa_spec.config.cadence import render_calendar, upcoming
from oa_spec.config.diagnostics import SpecError, shown
from oa_spec.config.importer import import_account
from oa_spec.config.model import AccountSpec, Spec, WeChatProviderConfig, json_schema
from oa_spec.errors import OaspecError
from oa_spec.history import audit as audit_log
from oa_spec.history.lock import describe_holder, unlock
from oa_spec.history.revisions import Revision, RevisionStore, recorded_accounts
from oa_spec.plan.model import Plan
from oa_spec.plan.workspace import DEFAULT_PARALLELISM, Workspace
from oa_spec.policy import policy_explain, policy_list
from oa_spec.policy.waivers import standings_json, standings_text
from oa_spec.providers import make_provider
from oa_spec.render.machine import render_json
from oa_spec.render.markdown import render_markdown
from oa_spec.render.terminal import render_text
from oa_spec.util import clock
from oa_spec.util.display import json_safe, visible

EXIT_ERROR, EXIT_CHANGES = 1, 2
DEFAULT_SPEC = "oaspec.yaml"

spec_option = click.option("-f", "--file", "spec_file", default=DEFAULT_SPEC, show_default=True,
                           envvar="OASPEC_FILE", type=click.Path(dir_okay=False), help="The spec file.")
account_option = click.option("--account", "account_id", help="Only this account (by its id).")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
                             show_default=True, help="text for terminals, markdown for PR comments, json for machines.")
parallel_option = click.option("--parallelism", default=DEFAULT_PARALLELISM, show_default=True,
                               type=click.IntRange(1, 64), help="Accounts read or written at once.")
approve_option = click.option("--auto-approve", is_flag=True, help="Apply without asking (for CI, after review).")
destroy_option = click.option("--allow-destroy", is_flag=True,
                              help="Let through changes past the destroy guard (deleting tags with followers, ...).")


def safety_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--allow-destroy, --override-freeze and --reason, shared by apply and rollback."""
    command = click.option("--reason", default="", help="Why the freeze is overridden (recorded).")(command)
    command = click.option("--override-freeze", is_flag=True,
                           help="Apply inside a freeze window (needs --reason).")(command)
    return destroy_option(command)


def fail(message: str) -> NoReturn:
    # Messages quote names from the spec or a live account: shown line by line, never acted on.
    shown_lines = "\n".join(visible(line) for line in message.split("\n"))
    click.echo(f"error: {shown_lines}", err=True)
    sys.exit(EXIT_ERROR)


def state_dir(ctx: click.Context) -> Path:
    return Path(ctx.find_root().params["state_dir"])


def open_workspace(ctx: click.Context, spec_file: str) -> Workspace:
    ws = Workspace.open(spec_file, state_dir(ctx))
    ctx.call_on_close(ws.close)  # one provider (token, connections) per account for the whole command
    for line in shown(ws.warnings):
        click.echo(line, err=True)
    return ws


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def render(plan: Plan, fmt: str) -> str:
    if fmt == "json":
        return render_json(plan)
    if fmt == "markdown":
        return render_markdown(plan)
    return render_text(plan, colour=use_colour())


def progress_reporter(total: int) -> Callable[[str], None] | None:
    """A progress line on stderr for runs over several accounts."""
    if total < 4:
        return None
    done: list[str] = []

    def report(account: str) -> None:
        done.append(account)
        click.echo(f"read {len(done)}/{total} accounts (last: {account})", err=True)

    return report


class OaspecGroup(click.Group):
    """Turns every user error into one clear message and exit 1, never a traceback. A usage error (an
    unknown option, a bad option value) is one too: click's exit code 2 would read as "changes pending"
    to `plan --detailed-exitcode`, which alone may exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = EXIT_ERROR
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.exit_code = EXIT_ERROR
            raise
        except SpecError as exc:
            for line in shown(exc.diagnostics):
                click.echo(line, err=True)
            errors = sum(d.severity == "error" for d in exc.diagnostics)
            click.echo(f"{errors} error(s) in the spec", err=True)
            sys.exit(EXIT_ERROR)
        except OaspecError as exc:
            fail(str(exc))
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `oaspec plan | head`: the reader has all it wanted
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except OSError as exc:  # a file oaspec was asked to read or write (--out, a plan file)
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}; check the path and its permissions")
        except Exception as exc:
            if os.environ.get("OASPEC_DEBUG"):
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {exc}\n"
                 "  this is a bug in oaspec; rerun with OASPEC_DEBUG=1 for details and report it")


@click.group(cls=OaspecGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--state-dir", default=".oaspec", show_default=True, envvar="OASPEC_STATE_DIR",
              type=click.Path(file_okay=False), help="Where history, locks and local accounts are kept.")
@click.version_option(package_name="oaspec")
def main(state_dir: str) -> None:
    """Configuration as code for WeChat Official Accounts.

    Keep the account (menus, tags, templates, replies, modules) in a reviewed YAML spec; plan the
    changes against the live account; apply exactly the reviewed plan; keep every revision.

    \b
    Example:
      oaspec validate -f specs/examples/citybank/oaspec.yaml
      oaspec plan -f specs/examples/citybank/oaspec.yaml --out plan.json
      oaspec apply plan.json
    """


@main.command()
@spec_option
@click.pass_context
def validate(ctx: click.Context, spec_file: str) -> None:
    """Check the spec against the platform's limits, offline. Exit 0 valid, 1 invalid.

    \b
    Example:
      oaspec validate -f specs/examples/citybank/oaspec.yaml
    """
    ws = open_workspace(ctx, spec_file)
    for line in shown(ws.policy.diagnostics(include_waived=True)):  # bounded: a finding per rule can be many
        click.echo(line, err=True)
    for note in ws.policy.notes:
        click.echo(f"note: {note}", err=True)
    if ws.policy.blocking:
        fail(f"{spec_file}: {ws.policy.summary()}: fix the findings above, or waive them with a reason, "
             "an approver and an expiry date (policies.waivers)")
    click.echo(f"{spec_file}: valid ({len(ws.accounts)} account(s), {len(ws.warnings)} warning(s); "
               f"{ws.policy.summary()})")


@main.command()
@spec_option
@account_option
@format_option
@click.option("--out", type=click.Path(dir_okay=False), help="Save the plan (JSON) for `oaspec apply PLAN`.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when the live accounts match the spec, 2 when they differ (even where only the console "
                   "can change them), 1 on an error.")
@click.option("--allow-destroy", is_flag=True,
              help="Note in the saved plan that destroying is intended; apply still needs its own --allow-destroy.")
@parallel_option
@click.pass_context
def plan(ctx: click.Context, spec_file: str, account_id: str | None, fmt: str, out: str | None,
         detailed_exitcode: bool, allow_destroy: bool, parallelism: int) -> None:
    """Show what apply would change in the live account(s).

    \b
    Example (in CI, on every pull request):
      oaspec plan --format markdown --out plan.json --detailed-exitcode > plan.md
    """
    ws = open_workspace(ctx, spec_file)
    result = ws.plan(account_id, parallelism, progress_reporter(len(ws.select(account_id))))
    result.allow_destroy = allow_destroy
    if out:
        Path(out).write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(render(result, fmt), nl=fmt == "text")
    if out and fmt != "json":
        click.echo(f"Saved the plan to {out}. Apply exactly this plan with: oaspec apply {out}", err=True)
    if result.blocking_findings:
        fail(f"{len(result.blocking_findings)} policy error(s) block apply (see above): fix them, or waive them "
             "with a reason, an approver and an expiry date")
    if detailed_exitcode and result.has_differences:  # an unwritable difference is still a difference
        sys.exit(EXIT_CHANGES)


@main.command()
@click.argument("plan_file", required=False, type=click.Path(exists=True, dir_okay=False))
@spec_option
@account_option
@approve_option
@safety_options
@parallel_option
@click.pass_context
def apply(ctx: click.Context, plan_file: str | None, spec_file: str, account_id: str | None, auto_approve: bool,
          allow_destroy: bool, override_freeze: bool, reason: str, parallelism: int) -> None:
    """Apply a saved plan exactly, or plan now and apply after you confirm.

    A saved plan is applied only when the spec (-f, OASPEC_FILE or ./oaspec.yaml) still compiles to its
    desired state, the live accounts are as it saw them and its changes follow from both; otherwise it
    is refused and nothing is written. --allow-destroy is needed here even if the plan was made with it.

    \b
    Examples:
      oaspec apply plan.json                # the reviewed plan, as it is (CI on merge)
      oaspec apply -f oaspec.yaml           # plan, show, ask, apply
    """
    the_plan = load_plan(plan_file) if plan_file else None
    if the_plan and not Path(spec_file).exists():
        fail(f"{spec_file}: no such spec; {plan_file} was made from {the_plan.spec_path or 'an unknown spec'}: pass "
             "the spec to check it against with -f (or OASPEC_FILE)")
    ws = open_workspace(ctx, spec_file)
    accounts = [c.id for c in ws.select(account_id)]  # from the spec and --account, never from a plan file
    if plan_file and the_plan:
        check_plan_file(plan_file, the_plan, ws, accounts)
    else:
        the_plan = ws.plan(account_id, parallelism)
        click.echo(render(the_plan, "text"))
        if the_plan.has_changes and not auto_approve:
            confirm()
    run_apply(ws, the_plan, ApplyOptions(allow_destroy, override_freeze, reason), parallelism, accounts)


def check_plan_file(path: str, the_plan: Plan, ws: Workspace, accounts: list[str]) -> None:
    """What a plan file says about where it came from must match the command line; the rest of it is
    checked against the spec and the live account by apply_plan. A refusal is recorded in the audit trail."""
    problem = None
    if the_plan.source != "spec":
        problem = (f"{path}: a plan file is applied only from a spec (this one says source {the_plan.source!r}); "
                   "a rollback is made and applied by `oaspec rollback`")
    elif not the_plan.spec_path or Path(the_plan.spec_path).resolve() != ws.spec_path.resolve():
        problem = (f"{path} was made from {the_plan.spec_path or 'no spec'!s}, not from {ws.spec_path}: apply it "
                   f"with -f {the_plan.spec_path or 'SPEC'} (or OASPEC_FILE), from the directory where it was planned")
    if problem is None:
        return
    for account in accounts:
        audit_log.record_event(ws.state_dir, "apply", account, "refused", problem, refusal="tampered-plan")
    fail(problem)


def load_plan(path: str) -> Plan:
    try:
        return Plan.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OaspecError(f"{path}: not a plan file oaspec can read ({exc}); make one with `oaspec plan --out`") \
            from exc


def confirm() -> None:
    try:
        answer = click.prompt("Apply these changes? Only 'yes' applies", default="", show_default=False)
    except click.Abort:
        answer = ""
    if answer.strip() != "yes":
        fail("apply cancelled: nothing was changed (pass --auto-approve to apply without asking)")


def run_apply(ws: Workspace, the_plan: Plan, options: ApplyOptions, parallelism: int, accounts: list[str]) -> None:
    results = apply_plan(ws, the_plan, options, parallelism, accounts)
    if all(r.ok and not r.planned for r in results):
        click.echo("Nothing to apply that oaspec can write: the rest differs only where the console can change it "
                   "(see the plan). Nothing was written." if the_plan.has_differences
                   else "Nothing to apply: the live accounts match the spec. Nothing was written.")
        return
    for result in results:
        click.echo(describe_result(result), err=not result.ok)
    if not all(r.ok for r in results):
        sys.exit(EXIT_ERROR)


def describe_result(result: ApplyResult) -> str:
    revision = f" (revision {result.revision.number})" if result.revision else ""
    if result.ok:
        return f"{result.account}: applied {result.applied} change(s){revision}"
    lines = [f"error: {result.error}"]
    if result.pending and (result.revision or result.applied):
        lines.append(f"{result.account}: applied {result.applied} of {result.planned} changes{revision}; "
                     "the next plan shows the rest:")
        lines += [f"  not applied: {address}" for address in result.pending]
    elif result.revision:
        lines.append(f"{result.account}: all {result.planned} changes were sent{revision}; see the error above")
    return "\n".join(lines)


@main.command()
@click.argument("revision", type=int)
@spec_option
@account_option
@approve_option
@safety_options
@format_option
@click.pass_context
def rollback(ctx: click.Context, revision: int, spec_file: str, account_id: str | None, auto_approve: bool,
             allow_destroy: bool, override_freeze: bool, reason: str, fmt: str) -> None:
    """Plan the account back to REVISION's state and apply it as a new revision.

    \b
    Example:
      oaspec rollback 3 --account citybank
    """
    ws = open_workspace(ctx, spec_file)
    account = account_id or single_account(ws)
    the_plan = rollback_plan(ws, account, revision)
    click.echo(render(the_plan, fmt), nl=fmt == "text")
    if the_plan.has_changes and not auto_approve:
        confirm()
    run_apply(ws, the_plan, ApplyOptions(allow_destroy, override_freeze, reason), 1, [account])


def single_account(ws: Workspace) -> str:
    if len(ws.accounts) != 1:
        fail("the spec has several accounts: name one with --account")
    return ws.accounts[0].id


@main.command()
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def history(ctx: click.Context, account_id: str | None, fmt: str) -> None:
    """List the revisions recorded by apply and rollback.

    \b
    Example:
      oaspec history --account citybank
    """
    accounts = [account_id] if account_id else recorded_accounts(state_dir(ctx))
    revisions: list[Revision] = []
    unreadable: list[str] = []  # a corrupt record is named, and the others are still listed
    for account in accounts:
        store = RevisionStore(state_dir(ctx), account)
        try:
            numbers = store.numbers()
        except OaspecError as exc:
            unreadable.append(str(exc))
            continue
        for number in numbers:
            try:
                revisions.append(store.get(number))
            except OaspecError as exc:
                unreadable.append(str(exc))
    if fmt == "json":
        click.echo(json_safe(json.dumps([revision_row(r) for r in revisions], ensure_ascii=False, indent=2)))
    elif revisions:
        click.echo(f"{'ACCOUNT':<12} {'REV':>4}  {'TIME':<25} {'USER':<12} {'OPERATION':<9} {'STATUS':<8} "
                   f"{'CHANGES':>7}  COMMIT")
        for r in revisions:  # every field was written by someone: shown, never acted on (display.visible)
            row = revision_row(r)
            click.echo(f"{visible(r.account):<12} {r.number:>4}  {visible(r.time):<25} {visible(r.user):<12} "
                       f"{visible(r.operation):<9} {visible(r.status):<8} {row['changes']:>7}  "
                       f"{visible(commit_label(r))}")
    elif not unreadable:
        click.echo("No revisions yet: `oaspec apply` records one per change.")
    if unreadable:
        fail("\n".join(unreadable))


def provenance_rows(r: Revision) -> list[tuple[str, str]]:
    """Where the revision came from, for `show`: work tree state, CI job, OS user, decision clock."""
    facts = r.provenance
    git, ci = facts.get("git") or {}, facts.get("ci") or {}
    rows = []
    if git:
        dirty = git.get("dirty")
        rows.append(("work tree", "clean" if dirty is False else f"dirty (uncommitted edits {git.get('diff_digest')})"
                      if dirty else "unknown (git status failed)"))
    if ci:
        rows.append(("ci job", " ".join(str(ci[k]) for k in ("system", "job", "url") if ci.get(k))))
    rows += [(key, str(facts[key])) for key in ("os_user", "host") if facts.get(key)]
    if facts.get("decision_time"):  # OASPEC_NOW: freeze windows and waivers were judged at this time
        rows.append(("decided at", f"{facts['decision_time']} (OASPEC_NOW)"))
    return rows


def commit_label(r: Revision) -> str:
    """The short commit, marked when the work tree held uncommitted edits (or their state is unknown)."""
    git = r.provenance.get("git") or {}
    dirty = git.get("dirty", False)
    mark = "" if not git or dirty is False else "+dirty" if dirty else "+unknown"
    return f"{(r.git_commit or '-')[:10]}{mark}"


def revision_row(r: Revision) -> dict[str, Any]:
    return {"account": r.account, "revision": r.number, "time": r.time, "user": r.user,
            "operation": r.operation, "status": r.status, "changes": f"{len(r.applied)}/{len(r.changes)}",
            "git_commit": r.git_commit, "spec_digest": r.spec_digest, "source": r.source, "error": r.error}


@main.command()
@click.argument("revision", type=int)
@spec_option
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, revision: int, spec_file: str, account_id: str | None, fmt: str) -> None:
    """Show one revision: who, when, what changed, and what landed.

    \b
    Example:
      oaspec show 2 --account citybank
    """
    account = account_id or single_account(open_workspace(ctx, spec_file))
    r = RevisionStore(state_dir(ctx), account).get(revision)
    if fmt == "json":
        click.echo(json_safe(json.dumps(r.to_json(), ensure_ascii=False, indent=2)))
        return
    for key, value in revision_row(r).items():
        click.echo(f"{key + ':':<13}{visible(value) if value is not None else '-'}")
    for key, value in r.extra.items():
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    for key, value in provenance_rows(r):
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    click.echo("changes:")
    for change in r.changes:
        mark = "applied" if change.address in r.applied else "NOT applied"
        click.echo(f"  {visible(change.action):<8} {visible(change.address)}  [{mark}]")


@main.command(name="import")
@click.option("--account", "account_id", required=True, help="The account's id in the written spec.")
@spec_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), help="Write the spec here (default: stdout).")
@click.pass_context
def import_(ctx: click.Context, account_id: str, spec_file: str, out: str | None) -> None:
    """Write a spec from what the live account holds, so adoption starts from what exists.

    The account's provider comes from the spec file when it names the account there; otherwise the
    embedded local account of that id is read.

    \b
    Example:
      oaspec import --account citybank -f oaspec.yaml --out imported.yaml
    """
    ws = open_workspace(ctx, spec_file) if Path(spec_file).is_file() else None
    declared = [c.spec for c in ws.accounts if c.id == account_id] if ws else []
    if ws and declared:
        text, notes = import_account(declared[0], ws.provider(declared[0]))
    else:
        account = AccountSpec(id=account_id, name=account_id)  # the embedded local account of that id
        text, notes = import_account(account, make_provider(account, state_dir(ctx)))
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}. Check it with: oaspec plan -f {out} --account {account_id}", err=True)
    else:  # the file keeps the exact bytes; on screen, bidirectional and invisible characters are escaped
        click.echo(json_safe(text), nl=False)


@main.command(name="unlock")
@click.argument("account")
@click.option("--force", is_flag=True, help="Release the lock even though its holder still runs on this host.")
@click.pass_context
def unlock_(ctx: click.Context, account: str, force: bool) -> None:
    """Release an account's lock left behind by a run that died.

    A lock whose holder is still running on this host is refused unless --force.

    \b
    Example:
      oaspec unlock citybank
    """
    holder = unlock(state_dir(ctx), account, force)
    audit_log.record_unlock(state_dir(ctx), account, holder, forced=force)
    if holder is None:
        click.echo(f"{account} was not locked.")
    else:
        click.echo(f"Released the lock on {account} held by {describe_holder(holder)}.")


@main.group()
def policy() -> None:
    """The compliance rules that validate and plan run.

    \b
    Example:
      oaspec policy list
      oaspec policy explain wealth.risk-disclaimer
      oaspec policy waivers -f specs/examples/citybank/oaspec.yaml
    """


@policy.command(name="list")
def policy_list_() -> None:
    """Every rule with its id, severity and basis.

    \b
    Example:
      oaspec policy list
    """
    click.echo(policy_list(), nl=False)


@policy.command(name="explain")
@click.argument("rule")
def policy_explain_(rule: str) -> None:
    """One rule in full: what it checks, why, and how to fix a finding.

    \b
    Example:
      oaspec policy explain loan.apr-disclosure
    """
    try:
        click.echo(policy_explain(rule), nl=False)
    except KeyError as exc:
        fail(str(exc.args[0]) if exc.args else f"no rule {rule!r}")


@policy.command(name="waivers")
@spec_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def policy_waivers(ctx: click.Context, spec_file: str, fmt: str) -> None:
    """Every waiver: rule, target, approver, expiry, what it covers. Exit 1 if any is expired, unused or invalid.

    \b
    Example:
      oaspec policy waivers -f specs/examples/citybank/oaspec.yaml
    """
    standings = open_workspace(ctx, spec_file).policy.standings
    if fmt == "json":
        click.echo(json.dumps(standings_json(standings), ensure_ascii=False, indent=2))
    else:
        click.echo(standings_text(standings), nl=False)
    broken = [s for s in standings if s.status != "in force"]
    if broken:
        fail(f"{spec_file}: {len(broken)} of {len(standings)} waiver(s) cover nothing (expired, unused or "
             "invalid): fix or remove them (see `oaspec validate`)")


@main.command(name="calendar")
@spec_option
@account_option
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 366), help="How far ahead.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def calendar_(ctx: click.Context, spec_file: str, account_id: str | None, days: int, fmt: str) -> None:
    """The upcoming content slots per account, with broadcasts over quota marked.

    \b
    Example:
      oaspec calendar -f specs/examples/citybank/oaspec.yaml --days 30
    """
    ws = open_workspace(ctx, spec_file)
    if account_id:
        ws.account(account_id)  # a clear error for an unknown account
    calendars = upcoming(ws.spec, clock.now().astimezone(clock.BEIJING).date(), days, account_id)
    if fmt == "json":
        click.echo(json.dumps([{"account": c.account, "slots": [s.to_json() for s in c.slots]} for c in calendars],
                              ensure_ascii=False, indent=2))
    else:
        click.echo(render_calendar(calendars))


@main.command()
@click.option("--port", default=8790, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--latency-ms", default=0, show_default=True, type=click.IntRange(0, 60_000),
              help="Delay every API call, like a slow network.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False), help="Keep the emulated accounts here.")
@click.option("--spec", "spec_file", type=click.Path(exists=True, dir_okay=False),
              help="Register this spec's wechat accounts (secrets from their environment variables) and "
                   "its templates in the template library.")
def emulator(port: int, latency_ms: int, state_file: str | None, spec_file: str | None) -> None:
    """Run a stand-in of the WeChat API on 127.0.0.1, for trying oaspec without an account.

    Admin endpoints under /_admin/ seed and read accounts, read the call log and inject faults
    (see the README). Stop it with Ctrl-C.

    \b
    Example:
      export OASPEC_DEMO_SECRET=any-secret
      oaspec emulator --spec specs/examples/emulator/oaspec.yaml &
      oaspec plan -f specs/examples/emulator/oaspec.yaml
    """
    from oa_spec.emulator import run_emulator

    server = run_emulator(port, latency_ms, state_file)
    try:
        if spec_file:
            register_spec(server.admin, Workspace.open(spec_file, ".oaspec").spec)
        click.echo(f"WeChat API emulator on {server.base_url} (admin: {server.base_url}/_admin/); Ctrl-C stops it",
                   err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def register_spec(admin: Any, spec: Spec) -> None:
    """Apps with their secrets, and the library templates the spec adds, so a plan can converge."""
    for account in spec.accounts:
        if isinstance(account.provider, WeChatProviderConfig):
            variable = account.provider.secret_variable
            secret = os.environ.get(variable)
            if not secret:
                fail(f"set {variable} (any value): the emulator registers {account.provider.app_id} with it")
            admin.register_app(account.provider.app_id, secret)
        templates = [{"template_id_short": t.library_id, "title": t.title} for t in account.templates if t.library_id]
        if templates:
            admin.add_library_templates(templates)


@main.command()
@click.option("--included", is_flag=True, help="The schema of a file pulled in by include: (accounts only).")
def schema(included: bool) -> None:
    """Print the spec's JSON Schema (for editors; also in schemas/).

    \b
    Example:
      oaspec schema > schemas/oaspec.schema.json
      oaspec schema --included > schemas/oaspec-included.schema.json
    """
    click.echo(json.dumps(json_schema(included), ensure_ascii=False, indent=2))


@main.group()
def audit() -> None:
    """Check and export the audit trail (STATE_DIR/audit.log), a hash-chained log of every apply,
    rollback and unlock.

    \b
    Example:
      oaspec audit verify
      oaspec audit export --since 2026-01-01 --out audit-2026.jsonl
    """


@audit.command(name="verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Check that no entry was edited, removed or reordered. Exit 0 intact, 1 tampered.

    Prints the number of entries and the hash of the last one: keep that hash outside the state
    directory (the CI log, the bank's log system) to detect a log rewritten from scratch.

    \b
    Example:
      oaspec audit verify --state-dir /srv/oaspec/state
    """
    path = audit_log.log_path(state_dir(ctx))
    problem = audit_log.verify(path)
    if problem is not None and problem.torn:
        fail(f"the audit log is not intact: {problem}")
    if problem is not None:
        fail(f"the audit log was tampered with or damaged; first bad entry: {problem}")
    count, last = audit_log.head(path)
    click.echo(f"{path}: {count} entries, hash chain intact; last entry hash {last}")
    for line, entry in audit_log.recoveries(path):
        click.echo(f"{path}:{line}: recovered from a torn write at {entry.get('time')}: {entry.get('torn_bytes')} "
                   f"bytes set aside in {entry.get('evidence')} ({entry.get('torn_sha256')}); keep that file as "
                   "evidence")


@audit.command(name="export")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day (UTC) to export, YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@click.pass_context
def audit_export(ctx: click.Context, since: Any, out: str | None) -> None:
    """Write the entries since DATE as JSON Lines, with their hashes, for the bank's log system.

    The log is verified first: a tampered log is not exported.

    \b
    Example:
      oaspec audit export --since 2026-01-01 --out audit.jsonl
    """
    path = audit_log.log_path(state_dir(ctx))
    problem = audit_log.verify(path)
    if problem is not None and problem.torn:  # the whole entries before it verify: log shipping goes on
        click.echo(f"warning: not exporting {problem}", err=True)
    elif problem is not None:
        fail(f"not exporting: the audit log was tampered with or damaged; first bad entry: {problem}")
    text = audit_log.export(path, since.date())
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {text.count(chr(10))} entries to {out}.", err=True)
    else:  # the file keeps the exact bytes; on screen, bidirectional and invisible characters are escaped
        click.echo(json_safe(text), nl=False)


@main.command()
@spec_option
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text for job logs, json for machines, sarif for code-scanning dashboards.")
@parallel_option
@click.pass_context
def scan(ctx: click.Context, spec_file: str, account_id: str | None, fmt: str, parallelism: int) -> None:
    """Check what the live accounts show followers now against today's policies, for a scheduled job.

    Every live text counts (console edits too), not only what the spec declares. Exit 0 when nothing
    blocks (waived findings are shown, not blocking), 1 on a blocking finding or an unreadable account.

    \b
    Example (nightly):
      oaspec scan -f oaspec.yaml --format sarif > live.sarif
    """
    from oa_spec.policy.scan import render_scan_sarif, render_scan_text
    from oa_spec.policy.scan import scan as scan_accounts

    ws = open_workspace(ctx, spec_file)
    report = scan_accounts(ws, account_id, parallelism, progress=progress_reporter(len(ws.select(account_id))))
    if fmt == "json":
        click.echo(json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)))
    elif fmt == "sarif":
        click.echo(render_scan_sarif(report, ws.spec), nl=False)
    else:
        click.echo(render_scan_text(report), nl=False)
    for account in report.unreadable:
        click.echo(visible(f"error: {account.account} could not be read: {account.error}"), err=True)
    if report.failed:
        fail(report.failure())
