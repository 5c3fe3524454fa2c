"""Governance view: many repositories or JSON reports into one picture.

``collect`` turns sources into rows, ``store`` keeps them in SQLite, ``render`` and the
``render_*`` modules turn an ``Aggregate`` into table, CSV, JSON, Markdown or HTML.
"""
