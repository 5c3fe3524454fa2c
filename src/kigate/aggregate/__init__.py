"""Governance view: many repositories or JSON reports into one picture.

``collect`` turns sources into rows (with owners, risk classes and components), ``store``
keeps them in a history (``store_sqlite`` for a file, ``store_pg`` for a shared PostgreSQL
database), ``history`` turns stored points into a trend, and ``render`` with the
``render_*`` modules turns an ``Aggregate`` into table, CSV, JSON, Markdown or HTML.
"""
