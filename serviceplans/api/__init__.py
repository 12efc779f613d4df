"""The JSON API (``/api/v1/``), one module per resource: assessments, risk_screens, plans,
goals (with their objectives and interventions) and barriers, each with its serializers, filters
and viewsets; ``fields`` holds what they share.

Every viewset goes gate → serializer → service → response and holds no rules of its own: a
list comes from the model's ``visible_to(user)`` with its related rows fetched up front (the
same number of queries whatever its length); a single object is reached through
clients.access.object_for_request (404 and a DENIED row in the access log outside the user's
scope, 403 where the user may read but not change it). Ids in a request body are looked up in
the user's scope, so another team's record is "not found" there too. Nothing clinical is
deleted (no DELETE: 405).
"""
