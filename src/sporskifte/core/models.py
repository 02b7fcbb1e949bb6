"""core has no models of its own. The module exists because Django sends post_migrate only to
apps with a models module, and core makes the cache table on that signal (apps.py)."""
