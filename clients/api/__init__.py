"""The JSON API of the client record (``/api/v1/``), one module per resource: ``clients``,
``enrollments``. Contacts, recorded with the service-plan goals they served, are
workspace.api.contacts.

The viewsets hold no rules of their own: each one goes gate → serializer → service →
response, exactly like the web views. Lists come from the models' ``visible_to(user)``
querysets; a single object is reached through :func:`clients.access.object_for_request`, so
an id outside the user's scope answers 404 (403 when the user may read but not change it) and
leaves a row in the access log. Ids in a request body (the client of an enrollment, its case
manager) are looked up in the same scope, so another team's record is "not found" there too.
Nothing clinical is deleted: there is no DELETE (405).
"""
