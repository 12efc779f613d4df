"""``manage.py seed_scale``: a synthetic agency proportional to a number of clients,
bulk-loaded with COPY.

``agency`` runs the load (and says what it loads and why it bypasses the history triggers);
``size`` holds the proportions, ``vocabulary`` the words drawn from, ``loader`` what the
parts share; one module a record kind (``staff``, ``providers``, ``clients``,
``assessments``, ``plans``, ``contacts``, ``referrals``, ``supervision``, ``variances``)
plans and copies its rows; ``copy`` is the PostgreSQL COPY writer.
"""
