"""The forms of the client record, one module per resource."""
