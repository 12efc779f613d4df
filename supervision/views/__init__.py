"""Supervision pages, one module per resource."""
