"""``fzcheck serve``: the reviewer's, the auditor's and the agency clerk's work in a browser, and a JSON API.

One ASGI application (FastAPI) over the same library the CLI calls: checks through
``engine.check``, imports through ``engine.db.importer``, audits through ``engine.audit``, stored runs
through ``engine.db.runs`` with the account's ``Scope``. Pages are server-rendered Jinja2 with every
asset in the package (no network needed on a closed network).
"""

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
