"""A bank's own rules from `policies.rules:` in the spec, without Python.

Four shapes, one per rule: forbidden terms (normalised and negation-aware, like the built-in text
rules), a regular expression that must not match, required text (one of several phrases), and
allowed link domains. Each may be narrowed to some sources (replies, menus, modules, streams,
templates), to texts in a context (loan, wealth...) or containing a term, and to a segment: texts
delivered to some tags (conditional menus matching the tag, streams and modules aimed at it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from oa_spec.config.model_safety import CustomRuleSpec
from oa_spec.policy.rules import Hit, Rule
from oa_spec.policy.subjects import AccountView, TextItem, host_allowed
from oa_spec.policy.text import find_terms, read_across
from oa_spec.policy.vocabulary import CONTEXT_NAMES
from oa_spec.util.regex import LinearPattern, PatternError, compile_linear

PACK = "policies.rules"
# Second line of defence after RE2: a rule that has run this long over one account stops and says so,
# so no rule (a huge spec, a pathological term list) can hold validate or a CI job hostage.
RULE_TIME_BUDGET_SECONDS = 2.0


def unchecked(seconds: float, account: str, what_to_do: str) -> str:
    """What a finding says when checks ran out of their time budget on an account (a custom rule's, or that of all
    the rules over the account: policy/engine.py), and what to do about it."""
    return f"未检查完：超过 {seconds:g} 秒时限，{account} 其余文本未检查 ({what_to_do})"


def problem(spec: CustomRuleSpec) -> tuple[str, str]:
    """(the field at fault or "" for the whole rule, why the rule cannot run); ("", "") when it can."""
    unknown = [c for c in spec.when_contexts if c not in CONTEXT_NAMES]
    if unknown:
        return "", f"unknown context {', '.join(unknown)} (known: {', '.join(CONTEXT_NAMES)})"
    if spec.allowed_domains and (spec.when_contexts or spec.when_terms or spec.audience_tags):
        return "", "allowed_domains rules look at links: when_contexts, when_terms and audience_tags do not apply"
    if spec.pattern is not None:
        try:
            compile_linear(spec.pattern)
        except PatternError as exc:
            return "pattern", str(exc)
    return "", ""


def _applies(spec: CustomRuleSpec, item: TextItem) -> bool:
    if spec.scope and item.source not in spec.scope:
        return False
    if spec.when_contexts and not item.text.contexts.promo & set(spec.when_contexts):
        return False
    if spec.when_terms and not find_terms(item.text, spec.when_terms, negatable=False):
        return False
    return not spec.audience_tags or any(tag in spec.audience_tags for tag in item.audience)


def _text_hits(spec: CustomRuleSpec, item: TextItem, pattern: LinearPattern | None) -> Iterator[str]:
    if spec.forbidden:
        yield from read_across(lambda text: [f"“{m.term}”" for m in find_terms(text, spec.forbidden)], item.text)
    elif pattern is not None:
        yield from (f"“{found}”" for found in pattern.matches(item.text.original))
    elif spec.required and not item.text.has_any(spec.required):
        yield "缺少：" + " / ".join(spec.required)


def build(spec: CustomRuleSpec, position: int) -> Rule:
    """The rule at policies.rules[position], which `problem` found runnable."""
    pattern = compile_linear(spec.pattern) if spec.pattern is not None else None
    allowed = tuple(spec.allowed_domains)

    def check(view: AccountView) -> Iterator[Hit]:
        if allowed:
            for link in view.links:
                if (not spec.scope or link.source in spec.scope) and link.host and not host_allowed(link.host,
                                                                                                     allowed):
                    yield Hit(link.address, link.loc, link.host)
            return
        deadline = time.monotonic() + RULE_TIME_BUDGET_SECONDS
        for item in view.texts:
            if time.monotonic() > deadline:
                yield Hit(f"policies/rules/{spec.id}", ("policies", "rules", position),
                          unchecked(RULE_TIME_BUDGET_SECONDS, view.account.id,
                                    "rule ran out of its time budget: simplify it"))
                return
            if _applies(spec, item):
                for detail in _text_hits(spec, item, pattern):
                    yield Hit(item.address, item.loc, detail)

    summary = spec.explain or _describe(spec)
    return Rule(spec.id, spec.severity, spec.message, spec.basis, summary, PACK, check, "bank rule")


def _describe(spec: CustomRuleSpec) -> str:
    if spec.forbidden:
        what = "texts do not contain " + ", ".join(spec.forbidden)
    elif spec.pattern is not None:
        what = f"texts do not match /{spec.pattern}/"
    elif spec.required:
        what = "texts contain one of " + ", ".join(spec.required)
    else:
        what = "links point at " + ", ".join(spec.allowed_domains)
    where = [f"in {', '.join(spec.scope)}"] if spec.scope else []
    where += [f"in context {', '.join(spec.when_contexts)}"] if spec.when_contexts else []
    where += [f"mentioning {', '.join(spec.when_terms)}"] if spec.when_terms else []
    where += [f"for tags {', '.join(spec.audience_tags)}"] if spec.audience_tags else []
    return f"Bank rule: {what}" + (f" ({'; '.join(where)})" if where else "") + "."
