"""The manifest as a public AI values statement (Markdown, HTML) and a README badge.

``build`` checks the project once and gathers what the public may read; the renderers
only format that ``Statement``. Every text from the manifest is escaped on the way out.
"""
