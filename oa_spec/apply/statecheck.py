"""Platform limits on a normalized state that did not come from a validated spec: a history revision
that rollback is about to deploy (a hand-edited or damaged file must not reach the account as it is).

The spec validator checks the same limits on the spec, with file:line:col; here each problem names
the resource's address instead.
"""

from __future__ import annotations

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.state import AccountState, Button
from oa_spec.util.urls import split_url


def limit_problems(account: str, state: AccountState) -> list[str]:
    """What in `state` the platform would refuse, or a spec could never have said; empty when none."""
    problems: list[str] = []
    if state.menu is not None:
        problems += _buttons(build(account, "menu"), state.menu.buttons)
    if len(state.conditional_menus) > limits.MAX_CONDITIONAL_MENUS:
        problems.append(f"{account}: {len(state.conditional_menus)} conditional menus, over the platform's "
                        f"{limits.MAX_CONDITIONAL_MENUS}")
    for menu in state.conditional_menus:
        problems += _buttons(build(account, "conditional_menu", menu.name), menu.buttons)
    if len(state.tags) > limits.MAX_TAGS:
        problems.append(f"{account}: {len(state.tags)} tags, over the platform's {limits.MAX_TAGS}")
    problems += [f"{build(account, 'tag', t.name)}: the name is over {limits.TAG_NAME_BYTES} bytes"
                 for t in state.tags if limits.utf8_len(t.name) > limits.TAG_NAME_BYTES]
    if len(state.templates) > limits.MAX_TEMPLATES:
        problems.append(f"{account}: {len(state.templates)} templates, over the platform's {limits.MAX_TEMPLATES}")
    replies = [(build(account, "reply", key), reply.text) for key, reply in
               (("subscribe", state.subscribe_reply), ("default", state.default_reply)) if reply is not None]
    replies += [(build(account, "keyword_reply", r.name), r.reply.text) for r in state.keyword_replies]
    problems += [f"{address}: the text is over {limits.REPLY_TEXT_BYTES} bytes" for address, text in replies
                 if limits.utf8_len(text) > limits.REPLY_TEXT_BYTES]
    for rule in state.keyword_replies:
        if not 1 <= len(rule.keywords) <= limits.MAX_KEYWORDS_PER_RULE or any(
                limits.utf8_len(k) > limits.KEYWORD_BYTES for k in rule.keywords):
            problems.append(f"{build(account, 'keyword_reply', rule.name)}: 1 to {limits.MAX_KEYWORDS_PER_RULE} "
                            f"keywords of at most {limits.KEYWORD_BYTES} bytes each")
    return problems


def _buttons(address: str, buttons: tuple[Button, ...]) -> list[str]:
    problems = []
    if not 1 <= len(buttons) <= limits.MAX_TOP_BUTTONS:
        problems.append(f"{address}: {len(buttons)} top-level buttons (1 to {limits.MAX_TOP_BUTTONS})")
    for button in buttons:
        problems += _button(address, button, top=True)
    return problems


def _button(address: str, button: Button, top: bool) -> list[str]:
    limit = limits.TOP_NAME_BYTES if top else limits.SUB_NAME_BYTES
    problems = [f"{address}: button {button.name!r} is over {limit} bytes"] \
        if not button.name or limits.utf8_len(button.name) > limit else []
    if button.sub_buttons:
        if not top or len(button.sub_buttons) > limits.MAX_SUB_BUTTONS:
            problems.append(f"{address}: button {button.name!r}: sub-buttons only on top-level buttons, "
                            f"at most {limits.MAX_SUB_BUTTONS}")
        for sub in button.sub_buttons:
            problems += _button(address, sub, top=False)
        return problems
    required = limits.BUTTON_REQUIRED_FIELDS.get(button.type or "")
    if required is None:
        return [*problems, f"{address}: button {button.name!r} has type {button.type!r}, which menu/create "
                           "does not accept"]
    problems += [f"{address}: button {button.name!r} ({button.type}) has no {f}"
                 for f in required if not getattr(button, f)]
    if button.key is not None and limits.utf8_len(button.key) > limits.KEY_BYTES:
        problems.append(f"{address}: button {button.name!r}: key over {limits.KEY_BYTES} bytes")
    if button.url is not None:
        parts = split_url(button.url)
        if limits.utf8_len(button.url) > limits.URL_BYTES or parts is None \
                or parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"{address}: button {button.name!r}: {button.url!r} is not an http(s) link of at "
                            f"most {limits.URL_BYTES} bytes")
    return problems
