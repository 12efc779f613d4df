"""No template carries JavaScript of its own: all of it lives in static files, so that a
Content-Security-Policy can forbid inline scripts (issue 11, "No lost notes").

Each test scans every template under templates/ for one kind of inline code and lists where
it is found: a <script> block without src, an on* event-handler attribute, a javascript: URL,
htmx's hx-on handlers, and the htmx attributes that evaluate code (hx-vals/hx-headers with a
"js:" prefix, hx-trigger event filters in brackets), which run through eval just the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# A <script> element that does not load a file, unless it only holds data (json_script).
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)[^>]*>",
    re.IGNORECASE,
)
EVENT_HANDLER = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
HX_ON = re.compile(r"\shx-on\b|\sdata-hx-on\b", re.IGNORECASE)
HTMX_EVAL = re.compile(
    r"""\s(?:data-)?hx-(?:vals|headers)\s*=\s*["']\s*(?:js|javascript)\s*:"""
    r"""|\s(?:data-)?hx-trigger\s*=\s*["'][^"']*\[""",
    re.IGNORECASE,
)


def _found(pattern: re.Pattern[str]) -> list[str]:
    """Where the pattern occurs in the templates, as path:line."""
    places = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            places.append(f"{template.relative_to(TEMPLATES)}:{line}")
    return places


def test_no_template_has_an_inline_script_block() -> None:
    assert _found(INLINE_SCRIPT) == []


def test_no_template_has_an_event_handler_attribute() -> None:
    assert _found(EVENT_HANDLER) == []


def test_no_template_has_a_javascript_url() -> None:
    assert _found(JAVASCRIPT_URL) == []


def test_no_template_uses_htmx_inline_handlers() -> None:
    assert _found(HX_ON) == []


def test_no_template_asks_htmx_to_evaluate_code() -> None:
    assert _found(HTMX_EVAL) == []


@pytest.mark.parametrize(
    ("pattern", "markup"),
    [
        (INLINE_SCRIPT, "<script>alert(1)</script>"),
        (INLINE_SCRIPT, '<script type="module">go()</script>'),
        (EVENT_HANDLER, '<select name="team" onchange="this.form.submit()">'),
        (EVENT_HANDLER, '<button\n  class="btn" onClick="window.print()">'),
        (JAVASCRIPT_URL, '<a href="javascript:void(0)">'),
        (HX_ON, '<form hx-on::after-request="this.reset()">'),
        (HX_ON, '<button hx-on:click="go()">'),
        (HTMX_EVAL, '<div hx-vals="js:{at: Date.now()}">'),
        (HTMX_EVAL, "<input hx-trigger=\"keyup[key=='Enter']\">"),
    ],
)
def test_the_scan_recognises_inline_code(pattern: re.Pattern[str], markup: str) -> None:
    assert pattern.search(markup)


@pytest.mark.parametrize(
    ("pattern", "markup"),
    [
        (INLINE_SCRIPT, "<script src=\"{% static 'js/idle.js' %}\" defer></script>"),
        (INLINE_SCRIPT, '<script id="data" type="application/json">{}</script>'),
        (EVENT_HANDLER, '<a class="nav-link" href="/notes/" data-online="1">'),
        (HTMX_EVAL, '<div hx-trigger="contactRecorded from:body" hx-get="/caseload/">'),
        (HTMX_EVAL, '<body hx-headers=\'{"X-CSRFToken": "token"}\'>'),
    ],
)
def test_the_scan_lets_static_scripts_and_data_through(
    pattern: re.Pattern[str], markup: str
) -> None:
    assert pattern.search(markup) is None
