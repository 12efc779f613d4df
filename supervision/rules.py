"""The registry of compliance rules: what a flag's ``rule`` code means.

A rule is a set-based function ``(as_of, enrollments) -> QuerySet`` of the enrollments open on
``as_of`` on which it is due and unmet, annotated with ``due_on`` (and ``subject_id``: the
record concerned, when there is one), together with its words: the standard it enforces, what
satisfies it, what a flag it resolves says. The compliance engine (supervision.compliance)
evaluates every registered rule, in the order they were registered.

Supervision registers its own rules (supervision.compliance.BUILT_IN_RULES) in its
``AppConfig.ready()``; an app above supervision (outcome measures due, authorizations
exhausted) registers its own the same way, in its ``ready()``: the code and label of a flag or
a variance come from here, so supervision is not edited to add one. Models read the registry
(a flag's label, its rule's words) but never the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from clients.models import Enrollment

RuleFunction = Callable[[dt.date, QuerySet[Enrollment]], QuerySet[Enrollment]]

# The width of Flag.rule and Variance.rule.
RULE_CODE_MAX_LENGTH = 40


@dataclass(frozen=True)
class Rule:
    code: str  # stored on flags and variances: never renamed once registered
    label: str  # short, for lists and filters ("Monitoring gap")
    name: str  # in full, for explanations and the digest
    standard: str
    satisfied_by: str
    resolution: str  # written on a flag this rule resolves because it was met
    due: RuleFunction
    subject_key: str | None = None  # the key of ``subject_id`` in Flag.detail
    # The longest a variance to it may be approved for, in days from the decision; None: no
    # limit but the administrator's judgement (Idaho CMH standard 11 sets none of its own).
    variance_max_days: int | None = None


_registry: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the rules the engine evaluates and flags may name. Registering the same
    rule again changes nothing (``ready()`` may run twice in tests); another rule with a code
    already taken is refused."""
    if len(rule.code) > RULE_CODE_MAX_LENGTH:
        raise ValueError(f"Rule code {rule.code!r} is over {RULE_CODE_MAX_LENGTH} characters.")
    registered = _registry.get(rule.code)
    if registered is not None and registered != rule:
        raise ValueError(f"Another rule is already registered as {rule.code!r}.")
    _registry[rule.code] = rule
    return rule


def registered_rules() -> tuple[Rule, ...]:
    """Every rule, in the order registered (supervision's own first: assessment, plan,
    monitoring, linkage, consent, risk); lists grouped by rule follow it."""
    return tuple(_registry.values())


def rule_for_code(code: str) -> Rule:
    """The rule a flag or variance names; ``KeyError`` for a code no app registered."""
    return _registry[code]


def variance_latest_until(code: str, *, today: dt.date) -> dt.date | None:
    """The last day a variance to the rule may be approved until, decided ``today``; None when
    the rule sets no maximum (or no app registered it)."""
    rule = _registry.get(code)
    if rule is None or rule.variance_max_days is None:
        return None
    return today + dt.timedelta(days=rule.variance_max_days)


def is_registered(code: str) -> bool:
    return code in _registry


def rule_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered rule: the ``choices`` of Flag.rule and Variance.rule
    (a callable, so a rule registered by a higher app is a valid choice without a migration)
    and of every form and filter that picks a rule."""
    return [(rule.code, rule.label) for rule in _registry.values()]
