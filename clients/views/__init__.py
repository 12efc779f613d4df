"""Web views of the client record, one module per resource: gate (clients.access) → form →
service (clients.services) → render/redirect. The pages that gather what the apps above know
(the client page, the caseload, the contact modal) are workspace.views'."""
