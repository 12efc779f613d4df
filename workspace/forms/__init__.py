"""Forms of the pages that gather several apps, one module per resource."""
