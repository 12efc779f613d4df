"""The benchmark behind ``manage.py benchmark``: pages and the nightly compliance evaluation,
each beside its floor.

A page is requested through the whole Django stack in this process (``django.test.Client``,
middleware, sessions, templates; DEBUG off), logged in as the user the page is for; its
server time is the median and 95th percentile over ``repeat`` requests after two warm-ups,
and its queries are counted on one more request (CaptureQueriesContext, which also gives the
time spent in the database). Its **floor** is one hand-written SQL statement that fetches the
rows the page shows, timed the same way in the same run: absolute times on a shared machine
are noise, the ratios are what is judged. The caseload is also requested with a
search that finds no one (a reference, not judged): what the stack costs before any row.

The compliance evaluation (supervision.compliance.compliance_evaluate) is timed over every
open enrollment, and again with half of them closed first (an agency of half the size),
against a floor of hand-written SQL: per rule one
statement that raises the missing flags and resolves the met ones (a data-modifying WITH:
UPDATE ... RETURNING beside INSERT ... SELECT ... ON CONFLICT DO NOTHING). Every run of either
is rolled back, so the database is the same for each run and after the benchmark.

Budgets (issue 15, restating issue 6's for pages): at most 12 queries a page, constant in
the rows; the page's SQL (each statement timed in the request) at most 2x its floor; the
page's Python time (each request's time less its own SQL, the median of those) at most 3x
the no-rows reference's in the same run; the duplicate search under 100 ms median. The
compliance evaluation at most 3x its floor and growing no faster than linearly (seconds per
10,000 open enrollments at all of them no more than 1.25x that at half of them).
"""
