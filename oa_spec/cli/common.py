"""What every command shares: options, the one way to fail, opening the workspace, rendering a plan.

Heavy modules (the spec models, providers, policy packs) are imported inside the functions that use
them, so `oaspec --help` and light commands start fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from oa_spec.errors import OaspecError
from oa_spec.plan import DEFAULT_PARALLELISM
from oa_spec.util.display import visible

if TYPE_CHECKING:
    from oa_spec.config.model import Spec
    from oa_spec.history.state import State
    from oa_spec.plan.model import Plan
    from oa_spec.plan.project import Project
    from oa_spec.plan.workspace import Workspace

EXIT_ERROR, EXIT_CHANGES = 1, 2
PLAN_FORMATS = ("text", "markdown", "json", "sarif")
# Formats for machines: stdout holds the one document, and every prompt, result line and note goes to stderr.
MACHINE_FORMATS = ("json", "sarif")
DEFAULT_SPEC = "oaspec.yaml"


def _spec_file_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("-f", "--file", "spec_file", default=DEFAULT_SPEC, show_default=True, envvar="OASPEC_FILE",
                        type=click.Path(dir_okay=False), help=help_text)


spec_option = _spec_file_option("The spec file.")
# For commands that read only the state: the spec is read for its `state:` block alone.
state_spec_option = _spec_file_option("The spec file, for its state: block (when it exists).")
account_option = click.option("--account", "account_id", help="Only this account (by its id).")
format_option = click.option("--format", "fmt", type=click.Choice(PLAN_FORMATS), default="text", show_default=True,
                             help="text for terminals, markdown for PR comments, json for machines, sarif for "
                                  "code scanning (the policy findings, on the spec's lines).")
max_chars_option = click.option("--max-chars", type=click.IntRange(1000, 10_000_000), metavar="N",
                                help="With --format markdown: a plan longer than N characters prints as a summary "
                                     "that fits (65536 for a GitHub comment); the whole plan stays in the --out file.")
parallel_option = click.option("--parallelism", default=DEFAULT_PARALLELISM, show_default=True,
                               type=click.IntRange(1, 64), help="Accounts read or written at once.")
approve_option = click.option("--auto-approve", is_flag=True, help="Apply without asking (for CI, after review).")
destroy_option = click.option("--allow-destroy", is_flag=True,
                              help="Let through changes past the destroy guard (deleting tags with followers, ...).")
# The address names no password: libpq takes it from PGPASSWORD, a service file or ~/.pgpass.
state_option = click.option("--state", "state_url", envvar="OASPEC_STATE", metavar="URL",
                            help="Keep history, locks and the audit trail in this PostgreSQL database "
                                 "(postgresql://HOST/DB; no password in it) instead of the state directory.")
lock_timeout_option = click.option("--lock-timeout", default=0.0, show_default=True, envvar="OASPEC_LOCK_TIMEOUT",
                                   type=click.FloatRange(0, 86400), metavar="SECONDS",
                                   help="Wait this long for an account another run has locked.")


def safety_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--allow-destroy, --override-freeze and --reason, shared by apply and rollback."""
    command = click.option("--reason", default="", help="Why the freeze is overridden (recorded).")(command)
    command = click.option("--override-freeze", is_flag=True,
                           help="Apply inside a freeze window (needs --reason).")(command)
    return destroy_option(command)


def say(message: str, err: bool = False) -> None:
    """Print a message that quotes text from the spec, a live account or the state (a name, an address, an
    error the platform sent): each of its lines through `visible`, so the text is shown, never acted on."""
    click.echo("\n".join(visible(line) for line in message.split("\n")), err=err)


def fail(message: str) -> NoReturn:
    say(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def write_out(out: str, text: str, state: Path) -> None:
    """Write a command's --out file, never one of oaspec's own records (attack review 76's note): not inside the
    state directory `state`, through a symlink or `..` as the write would follow them, and not a file with a second
    name (a hard link, whose write changes the file every name shares). An error names the file (main prints it as
    "FILE: why; what to do"): the write or close that fails on a full disk raises without one."""
    target = Path(out)
    if target.resolve().is_relative_to(state.resolve()):
        fail(f"--out {visible(out)} is inside the state directory {visible(str(state))}: it would replace oaspec's "
             "own records; choose a path outside it, nothing was written")
    with contextlib.suppress(OSError):  # not there yet (or unreadable: the write says why)
        if target.is_file() and target.stat().st_nlink > 1:
            fail(f"--out {visible(out)} is a file with other names (a hard link): writing it would change them too; "
                 "choose a path of its own, nothing was written")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        exc.filename = exc.filename or out
        raise


def state_dir(ctx: click.Context) -> Path:
    return Path(ctx.find_root().params["state_dir"])


def state_address(ctx: click.Context) -> str | None:
    """Where the state is: --state or OASPEC_STATE, else the variable the spec's `state:` block names;
    None means the files state (--state-dir). Every command that keeps state asks here, so `history`,
    `audit` and `unlock` find the database `plan` and `apply` use."""
    from oa_spec.history.state import state_address as resolved

    return resolved(ctx.find_root().params.get("state_url"), spec_state_variable(ctx))


def spec_state_variable(ctx: click.Context) -> str | None:
    """The variable the spec's `state:` block names: from the project when the command opened it, else
    read from the spec file (-f, OASPEC_FILE or ./oaspec.yaml when it exists) without the rest of it."""
    project: Project | None = ctx.find_root().meta.get("oaspec.project")
    if project is not None:
        return project.spec.state.variable if project.spec.state else None
    spec_file = ctx.params.get("spec_file")
    if spec_file is None:
        return None
    source = ctx.get_parameter_source("spec_file")
    if source is click.core.ParameterSource.DEFAULT and not Path(spec_file).is_file():
        return None
    from oa_spec.config.validate import state_variable

    return state_variable(Path(spec_file))


def open_state(ctx: click.Context, serving: bool = False) -> State:
    """The state this command reads and writes, opened once per command and closed at its end."""
    from oa_spec.history.state import open_state as opened

    root = ctx.find_root()
    state: State | None = root.meta.get("oaspec.state")
    if state is None:
        state = opened(state_address(ctx), state_dir(ctx), serving=serving)
        root.meta["oaspec.state"] = state
        root.call_on_close(state.close)
    return state


def open_project(spec_file: str) -> Project:
    """The spec loaded, validated, compiled and policy-checked; its warnings on stderr."""
    from oa_spec.util.gc_pause import gc_paused

    with gc_paused():  # importing the models and rule packs allocates as much as a large spec, none of it garbage
        from oa_spec.config.diagnostics import shown
        from oa_spec.plan.project import Project

        project = Project.open(spec_file)
    for line in shown(project.warnings):
        click.echo(line, err=True)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # the state block is then read from the project, not the file again
        ctx.find_root().meta["oaspec.project"] = project
    return project


def open_workspace(ctx: click.Context, spec_file: str) -> Workspace:
    from oa_spec.plan.workspace import Workspace

    project = open_project(spec_file)
    ws = Workspace(project, state_dir(ctx), open_state(ctx))
    ctx.call_on_close(ws.close)  # one provider (token, connections) per account for the whole command
    if state_address(ctx):
        local = [c.id for c in project.accounts if c.spec.provider.type == "local"]
        if local:  # the platform's stand-in is not state: it does not move into the database
            say(f"note: the local provider keeps {', '.join(local)} on this machine, in "
                f"{state_dir(ctx) / 'local'}, not in {ws.state.describe()}", err=True)
    return ws



def load_plan(path: str) -> Plan:
    """A saved plan (`plan --out`), for apply to check against a new plan or for show to render."""
    from oa_spec.history import stored_json
    from oa_spec.plan.model import Plan

    try:  # read strictly: a key written twice would read one way here and another in a reviewer's tool
        return Plan.from_json(stored_json.parse(Path(path).read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OaspecError(f"{path}: not a plan file oaspec can read ({exc}); make one with `oaspec plan --out`") \
            from exc


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def render(plan: Plan, fmt: str, spec: Spec | None = None, max_chars: int | None = None) -> str:
    """The plan in `fmt`; SARIF describes the rules from the spec's catalogue when there is a spec."""
    from oa_spec.render.machine import render_json
    from oa_spec.render.markdown import render_markdown
    from oa_spec.render.terminal import render_text

    if fmt == "json":
        return render_json(plan)
    if fmt == "sarif":
        from oa_spec.plan.scan import rule_catalogue
        from oa_spec.render.sarif import render_plan_sarif

        return render_plan_sarif(plan, rule_catalogue(spec) if spec else ())
    if fmt == "markdown" and max_chars:
        from oa_spec.render.comment import render_comment

        return render_comment(plan, max_chars)
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


def single_account(ws: Workspace) -> str:
    if len(ws.accounts) != 1:
        fail("the spec has several accounts: name one with --account")
    return ws.accounts[0].id
