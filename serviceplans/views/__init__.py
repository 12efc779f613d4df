"""Web pages, one module per resource: assessments, risk_screens, plans, goals, barriers."""
