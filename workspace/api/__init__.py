"""The JSON API of what spans several apps, one module per resource."""
