"""validate, plan, apply and rollback: the review gate's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from oa_spec.apply.outcome import ApplyOptions, ApplyResult
    from oa_spec.plan.model import Plan
    from oa_spec.plan.workspace import Workspace

from oa_spec.cli.common import (
    EXIT_CHANGES,
    EXIT_ERROR,
    MACHINE_FORMATS,
    account_option,
    approve_option,
    fail,
    format_option,
    load_plan,
    lock_timeout_option,
    max_chars_option,
    open_project,
    open_workspace,
    parallel_option,
    progress_reporter,
    render,
    safety_options,
    say,
    single_account,
    spec_option,
    state_dir,
    write_out,
)


@click.command()
@spec_option
@click.pass_context
def validate(ctx: click.Context, spec_file: str) -> None:
    """Check the spec against the platform's limits, offline. Exit 0 valid, 1 invalid.

    \b
    Example:
      oaspec validate -f specs/examples/citybank/oaspec.yaml
    """
    from oa_spec.config.diagnostics import shown

    ws = open_project(spec_file)
    for line in shown(ws.policy.diagnostics(include_waived=True)):  # bounded: a finding per rule can be many
        click.echo(line, err=True)
    for note in ws.policy.notes:  # they quote waivers' rules and targets from the spec
        say(f"note: {note}", err=True)
    if ws.policy.blocking:
        fail(f"{spec_file}: {ws.policy.summary()}: fix the findings above, or waive them with a reason, "
             "an approver and an expiry date (policies.waivers)")
    click.echo(f"{spec_file}: valid ({len(ws.accounts)} account(s), {len(ws.warnings)} warning(s); "
               f"{ws.policy.summary()})")


@click.command()
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
@max_chars_option
@click.pass_context
def plan(ctx: click.Context, spec_file: str, account_id: str | None, fmt: str, out: str | None,
         detailed_exitcode: bool, allow_destroy: bool, parallelism: int, max_chars: int | None) -> None:
    """Show what apply would change in the live account(s).

    \b
    Example (in CI, on every pull request):
      oaspec plan --format markdown --out plan.json --detailed-exitcode > plan.md
    """
    ws = open_workspace(ctx, spec_file)
    result = ws.plan(account_id, parallelism, progress_reporter(len(ws.select(account_id))))
    result.allow_destroy = allow_destroy
    if out:
        write_out(out, json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", state_dir(ctx))
    click.echo(render(result, fmt, ws.project.spec, max_chars), nl=fmt == "text")
    if out and fmt not in MACHINE_FORMATS:
        click.echo(f"Saved the plan to {out}. Apply exactly this plan with: oaspec apply {out}", err=True)
    if result.blocking_findings:
        fail(f"{len(result.blocking_findings)} policy error(s) block apply (see above): fix them, or waive them "
             "with a reason, an approver and an expiry date")
    if detailed_exitcode and result.has_differences:  # an unwritable difference is still a difference
        sys.exit(EXIT_CHANGES)


@click.command()
@click.argument("plan_file", required=False, type=click.Path(exists=True, dir_okay=False))
@spec_option
@account_option
@approve_option
@safety_options
@parallel_option
@lock_timeout_option
@click.pass_context
def apply(ctx: click.Context, plan_file: str | None, spec_file: str, account_id: str | None, auto_approve: bool,
          allow_destroy: bool, override_freeze: bool, reason: str, parallelism: int, lock_timeout: float) -> None:
    """Apply a saved plan exactly, or plan now and apply after you confirm.

    A saved plan is applied only when the spec (-f, OASPEC_FILE or ./oaspec.yaml) still compiles to its
    desired state, the live accounts are as it saw them and its changes follow from both; otherwise it
    is refused and nothing is written. --allow-destroy is needed here even if the plan was made with it.

    \b
    Examples:
      oaspec apply plan.json                # the reviewed plan, as it is (CI on merge)
      oaspec apply -f oaspec.yaml           # plan, show, ask, apply
    """
    from oa_spec.apply.outcome import ApplyOptions

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
    run_apply(ws, the_plan, ApplyOptions(allow_destroy, override_freeze, reason, lock_timeout), parallelism, accounts)


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
    elif the_plan.state != (here := ws.state.identity()):
        problem = (f"{path} was made against the {the_plan.state or 'state an older oaspec did not name'}, but this "
                   f"apply would record into the {here}: history, the audit trail and the lock would "
                   "not go where the reviewed plan said; make the plan against the state apply uses")
    if problem is None:
        return
    for account in accounts:
        ws.state.audit.event("apply", account, "refused", problem, refusal="tampered-plan")
    fail(problem)


def confirm(err: bool = False) -> None:
    """Ask before applying; `err` asks on stderr, when stdout holds a document for a machine."""
    try:
        answer = click.prompt("Apply these changes? Only 'yes' applies", default="", show_default=False, err=err)
    except click.Abort:
        answer = ""
    if answer.strip() != "yes":
        fail("apply cancelled: nothing was changed (pass --auto-approve to apply without asking)")


def run_apply(ws: Workspace, the_plan: Plan, options: ApplyOptions, parallelism: int, accounts: list[str],
              err: bool = False) -> None:
    """Apply and say what happened: on stdout, or all of it on stderr (`err`) when stdout holds a document."""
    from oa_spec.apply.run import apply_plan

    results = apply_plan(ws, the_plan, options, parallelism, accounts)
    if all(r.ok and not r.planned for r in results):
        click.echo("Nothing to apply that oaspec can write: the rest differs only where the console can change it "
                   "(see the plan). Nothing was written." if the_plan.has_differences
                   else "Nothing to apply: the live accounts match the spec. Nothing was written.", err=err)
        return
    for result in results:  # addresses hold live names (a console rule, a tag), errors the platform's words
        say(describe_result(result), err=err or not result.ok)
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
    elif result.partly:
        lines.append(f"{result.account}: applied {result.applied} of {result.planned} changes{revision}; the next "
                     "plan cleans up what they left:")
    elif result.dropped:
        lines.append(f"{result.account}: applied {result.applied} of {result.planned} changes{revision}; the "
                     "platform answered OK to the rest but did not keep them, and the next plan shows them again:")
        lines += [f"  dropped by the platform: {address}" for address in result.dropped]
    elif result.revision:
        lines.append(f"{result.account}: all {result.planned} changes were sent{revision}; see the error above")
    lines += [f"  landed, left behind: {address}: {left}" for address, left in result.partly.items()]
    return "\n".join(lines)


@click.command()
@click.argument("revision", type=int)
@spec_option
@account_option
@approve_option
@safety_options
@format_option
@lock_timeout_option
@click.pass_context
def rollback(ctx: click.Context, revision: int, spec_file: str, account_id: str | None, auto_approve: bool,
             allow_destroy: bool, override_freeze: bool, reason: str, fmt: str, lock_timeout: float) -> None:
    """Plan the account back to REVISION's state and apply it as a new revision.

    \b
    Example:
      oaspec rollback 3 --account citybank
    """
    from oa_spec.apply.outcome import ApplyOptions
    from oa_spec.apply.rollback import rollback_plan

    ws = open_workspace(ctx, spec_file)
    account = account_id or single_account(ws)
    the_plan = rollback_plan(ws, account, revision)
    click.echo(render(the_plan, fmt, ws.project.spec), nl=fmt == "text")
    machine = fmt in MACHINE_FORMATS  # stdout holds the plan alone: the question and the result go to stderr
    if the_plan.has_changes and not auto_approve:
        confirm(err=machine)
    run_apply(ws, the_plan, ApplyOptions(allow_destroy, override_freeze, reason, lock_timeout), 1, [account],
              err=machine)
