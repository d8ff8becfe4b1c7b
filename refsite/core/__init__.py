"""Project-wide helpers that know no app: HTTP caching, the content version,
throttling, htmx and form helpers, validators, Markdown, social cards and JSON-LD.

Dependencies run one way: ``refsite.core`` <- ``codes`` <- ``guides``. Nothing
in this package imports an app; apps hand it what it needs (models to watch,
functions that date a page).
"""
