"""`{% term "monitoring_gap" %}`: a term of art with its plain-words explanation.

A title attribute is neither shown on touch screens nor reliably read by screen readers, so the
explanation sits in a <details> disclosure: the term is the summary (a button to every
assistive technology), the explanation opens under it, and it works without JavaScript.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from casemgmt.glossary import GLOSSARY

register = template.Library()


def _disclosure(key: str, summary: str, text: str) -> SafeString:
    return format_html(
        '<details class="term" data-term="{}"><summary>{}</summary>'
        '<span class="term-text">{}</span></details>',
        key,
        summary,
        text,
    )


@register.simple_tag
def term(key: str, label: str = "") -> SafeString:
    """The disclosure for the glossary entry `key`.

    `label` replaces the term's own words in the summary (a column's short header, or the
    value shown, such as "Aftercare"); the explanation then names the term, so it reads
    right on its own. An unknown key is a programming error: it raises KeyError.
    """
    entry = GLOSSARY[key]
    if label and label != entry.label:
        text = format_html("<strong>{}:</strong> {}", entry.label, entry.explanation)
    else:
        text = format_html("{}", entry.explanation)
    return _disclosure(key, label or entry.label, text)


@register.simple_tag
def term_hint(key: str) -> SafeString:
    """The disclosure asking "What does “Monitoring gap” mean?", for a term shown in a heading
    or a badge (where a disclosure cannot sit: a heading holds phrasing content only).

    Empty for a key the glossary does not hold, so a compliance rule's code can be passed as
    it is: rules whose names say what they mean ("No service plan") need no explanation.
    """
    entry = GLOSSARY.get(key)
    if entry is None:
        return SafeString("")
    return term(key, f"What does “{entry.label}” mean?")


@register.simple_tag
def rule_badge(code: str, label: str, badge: str) -> SafeString:
    """A compliance rule's badge (`data-rule` names the rule), which opens on its explanation
    when the glossary has one: the caseload's and the review queue's rows show rules by name
    only, so the explanation is offered right there."""
    shown = format_html('<span class="badge {}" data-rule="{}">{}</span>', badge, code, label)
    entry = GLOSSARY.get(code)
    if entry is None:
        return shown
    return _disclosure(code, shown, entry.explanation)
