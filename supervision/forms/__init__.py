"""Supervision forms and list filters, one module per resource."""
