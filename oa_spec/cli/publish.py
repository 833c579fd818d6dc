"""publish: send the content slots that are due, exactly once (content/publish.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from oa_spec.cli.common import account_option, fail, open_workspace, spec_option
from oa_spec.util.display import visible

if TYPE_CHECKING:
    from oa_spec.content.slots import Outcome


@click.command(name="publish")
@spec_option
@account_option
@click.option("--due", is_flag=True, help="Send every slot that is due (today or earlier) and not sent yet.")
@click.option("--dry-run", is_flag=True, help="With --due: show what would go out; send and record nothing.")
@click.pass_context
def publish(ctx: click.Context, spec_file: str, account_id: str | None, due: bool, dry_run: bool) -> None:
    """Publish or broadcast the articles whose slot is due, each exactly once.

    A stream with `broadcast: true` sends its article to its audience tag (群发, counted against the
    account's quota); any other stream publishes it without push (发布). Only the draft `oaspec apply`
    wrote goes out, and only while it is the reviewed version. Without --due, lists every article's slot
    (sent, due or upcoming) and sends nothing. The clock is OASPEC_NOW when set (Beijing time).

    \b
    Examples:
      oaspec publish -f oaspec.yaml                    # what is sent, due and upcoming
      oaspec publish -f oaspec.yaml --due --dry-run    # what a scheduled run would send now
      oaspec publish -f oaspec.yaml --due              # send it (a scheduled CI job)
    """
    from oa_spec.content.publish import publish as run

    def show(outcome: Outcome) -> None:
        line = outcome.line()
        if not due and outcome.result == "would send":
            line += " (due: `oaspec publish --due` sends it)"
        click.echo(visible(line), err=due and not outcome.ok)

    ws = open_workspace(ctx, spec_file)
    sending = due and not dry_run  # each slot said as it is done: an error later (the state gone) leaves it said
    outcomes = run(ws, account_id, due_only=due, dry_run=dry_run, report=show if sending else None)
    if not outcomes:
        click.echo("Nothing is due: no article's slot is today or earlier." if due else
                   "No article fills a slot: give articles a stream: and a date:.")
        return
    if not sending:
        for outcome in outcomes:
            show(outcome)
    problems = [o for o in outcomes if not o.ok]
    if due and problems:
        fail(f"{len(problems)} due slot(s) not sent (see above); what was sent is recorded and is never sent again")
    if due and not dry_run:
        sent = [o for o in outcomes if o.result == "sent"]
        settled = sum(o.earlier for o in sent)  # an earlier run's send this run found and recorded
        click.echo(f"Done: {len(sent) - settled} sent now, "
                   + (f"{settled} sent by an earlier run and recorded now, " if settled else "")
                   + f"{sum(o.result == 'already sent' for o in outcomes)} sent before.")
