"""import, calendar, emulator and schema: helpers around the pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from oa_spec.util import clock
from oa_spec.util.display import json_safe, visible

if TYPE_CHECKING:
    pass

from oa_spec.cli.common import (
    account_option,
    fail,
    open_project,
    open_state,
    open_workspace,
    spec_option,
    state_dir,
    write_out,
)


@click.command(name="import")
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
    from oa_spec.config.model import AccountSpec
    from oa_spec.plan.importer import import_account
    from oa_spec.providers import LocalSettings, make_provider

    if out and Path(spec_file).is_file() and (Path(out).resolve() == Path(spec_file).resolve()
                                              or _same_file(Path(out), Path(spec_file))):
        fail(f"--out {out} is the spec being read: the import would replace it, comments and policies "
             "included; write it elsewhere (e.g. --out imported.yaml) and compare the two")
    ws = open_workspace(ctx, spec_file) if Path(spec_file).is_file() else None
    if out and ws:
        _refuse_a_read_file(out, ws.project.read_files())
    declared = [c.spec for c in ws.accounts if c.id == account_id] if ws else []
    managed = open_state(ctx).history(account_id).managed()  # what a plan of the imported spec may delete
    given = (ws.spec, spec_file) if ws else None  # the bank's rules and settings hold for the imported spec too
    if ws and declared:
        text, notes = import_account(declared[0], ws.provider(declared[0]), Path(out).parent if out else Path.cwd(),
                                     managed, given)
    else:
        account = AccountSpec(id=account_id, name=account_id)  # the embedded local account of that id
        text, notes = import_account(account, make_provider(account_id, LocalSettings(), state_dir(ctx)),
                                     managed=managed, given=given)
    for note in notes:  # they quote live values
        click.echo(f"note: {visible(note)}", err=True)
    if out:
        write_out(out, text, state_dir(ctx))
        click.echo(f"Wrote {out}. Check it with: oaspec plan -f {out} --account {account_id}", err=True)
    else:  # the file keeps the exact bytes; on screen, bidirectional and invisible characters are escaped
        click.echo(json_safe(text), nl=False)


def _refuse_a_read_file(out: str, read: tuple[Path, ...]) -> None:
    """--out may not be a file the spec reads (attack review 71 F4): an included account file written over lost
    its comments, policies and guards, and the bank's spec no longer validated. Compared resolved, through symlinks
    and `..`, as the writer would follow them, and as the same file on the disk: the writer writes into the file
    `out` names, so a hard link to the account file was written over too (attack review 76 F1)."""
    target = Path(out).resolve()
    for path in read:
        if path.resolve() == target or _same_file(path, target):
            fail(f"--out {visible(out)} is {visible(str(path))}, a file the spec being read uses: the import would "
                 "replace it; choose another path (e.g. --out imported.yaml), nothing was written")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


@click.command(name="calendar")
@spec_option
@account_option
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 366), help="How far ahead.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def calendar_(ctx: click.Context, spec_file: str, account_id: str | None, days: int, fmt: str) -> None:
    """The content slots per account: what is sent, due and upcoming, with broadcasts over quota marked.

    Each slot shows the article that fills it and, from the publish record, what `oaspec publish` sent
    (msg_id or publish_id, the platform's status) and the job-finish event `oaspec serve` received.
    Earlier slots are listed while an article fills them or a send is recorded for them.

    \b
    Example:
      oaspec calendar -f specs/examples/citybank/oaspec.yaml --days 30
    """
    from oa_spec.config.cadence import upcoming
    from oa_spec.content.bound import BoundContent
    from oa_spec.content.calendar_view import content_calendar, render
    from oa_spec.plan.workspace import live_account

    ws = open_project(spec_file)
    today = clock.now().astimezone(clock.BEIJING).date()
    calendars = []
    for compiled in ws.select(account_id):
        record = BoundContent(open_state(ctx).content(compiled.id), live_account(compiled.spec)).load()  # review 72
        cal = content_calendar(compiled.spec, record, today, days)
        cal.notes += [n for c in upcoming(ws.spec, today, days, compiled.id) for n in c.notes]
        calendars.append(cal)
    if fmt == "json":
        # the record keeps what the platform sent (statuses, errors, ids, events): escaped as every JSON output is
        click.echo(json_safe(json.dumps([{"account": c.account, "slots": [r.to_json() for r in c.rows],
                                          "notes": c.notes} for c in calendars], ensure_ascii=False, indent=2)))
    else:
        for line in render(calendars):  # texts from the spec and events from the platform, escaped
            click.echo(visible(line))


@click.command()
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
    from oa_spec.emulator.seed import register_spec

    server = run_emulator(port, latency_ms, state_file)
    try:
        if spec_file:
            register_spec(server.admin, open_project(spec_file).spec, os.environ)
        click.echo(f"WeChat API emulator on {server.base_url} (admin: {server.base_url}/_admin/); Ctrl-C stops it",
                   err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@click.command()
@click.option("--included", is_flag=True, help="The schema of a file pulled in by include: (accounts only).")
def schema(included: bool) -> None:
    """Print the spec's JSON Schema (for editors; also in schemas/).

    \b
    Example:
      oaspec schema > schemas/oaspec.schema.json
      oaspec schema --included > schemas/oaspec-included.schema.json
    """
    from oa_spec.config.model import json_schema

    click.echo(json.dumps(json_schema(included), ensure_ascii=False, indent=2))
