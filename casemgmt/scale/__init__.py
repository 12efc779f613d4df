"""A synthetic agency at scale and the benchmark that judges the app against it.

``agency`` plans and bulk-loads the synthetic agency behind ``manage.py seed_scale``;
``copy`` is its PostgreSQL COPY writer; ``benchmark`` times pages and the compliance
evaluation against their SQL floors (``manage.py benchmark``).
"""
