"""The pages that gather an app-spanning picture, one module per page."""
