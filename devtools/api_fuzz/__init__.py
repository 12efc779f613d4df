"""The schemathesis run of the API (``.ci/schemathesis``): generated calls to every operation,
as a case manager and as an administrator, against a live server on loopback.

- ``staging`` (Django) puts a few of the demo case manager's records in the states the write
  operations start from (drafts, a note to acknowledge, pending variances), through the
  services, as their authors would;
- ``pools`` (Django) lists, per role and operation, the ids of the demo agency's records the
  role may act on, and the body fields that must agree with them;
- ``hooks`` (schemathesis, no Django) sends most generated calls to those records, with dates
  near today, and records every call's status;
- ``verdict`` (no Django) fails the run on any 5xx, and on a write operation of
  ``expected.WRITES`` that never answered 2xx (so an API that refuses everything fails).
"""
