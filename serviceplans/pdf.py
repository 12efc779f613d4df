"""The printable service plan as a PDF, for the client (and family) to sign: an HTML
template (serviceplans/plan_pdf.html) rendered by WeasyPrint.

The template carries its own stylesheet and WeasyPrint fetches nothing: the plan's text is
the client's and staff's, and a PDF renderer that follows URLs would read files or call
hosts on their behalf.
"""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string

from serviceplans.models import ServicePlan

PDF_TEMPLATE = "serviceplans/plan_pdf.html"


def plan_pdf_html(context: dict[str, Any]) -> str:
    """The HTML the PDF is made from; ``context`` is the plan page's (serviceplans.views.plans)."""
    return render_to_string(PDF_TEMPLATE, context)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint takes a second to load, and only this download needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: every URL in the document is refused (and skipped with a warning).
    fetch_nothing = URLFetcher(allowed_protocols=frozenset())
    return HTML(string=html, url_fetcher=fetch_nothing).write_pdf()  # type: ignore[no-any-return]  # WeasyPrint is untyped


def plan_pdf_filename(plan: ServicePlan) -> str:
    """``service-plan-<record number>-v<version>.pdf``, safe in a Content-Disposition header."""
    record = re.sub(r"[^A-Za-z0-9_-]+", "-", plan.enrollment.client.record_number).strip("-")
    return f"service-plan-{record or plan.enrollment.client_id}-v{plan.version}.pdf"
