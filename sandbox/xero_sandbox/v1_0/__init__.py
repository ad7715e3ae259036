"""API 1.0 (the Customer API): routes, rules, codec and errors over the shared store.

Endpoints (lower-case paths, keys in the query string): GET contact, GET contacts, PUT
contact, POST contact, POST contacts, GET invoice, GET invoices, PUT invoice, PUT invoices,
GET accounts, GET tracking. :mod:`.service` has the rules, :mod:`.view` how the
version-neutral records read as 1.0 models, :mod:`.codec` the envelope and request checks.
"""

from .api import LOGIN_PATH, NOT_FOUND_PAGE, PREFIX, Api, login_page, object_moved

__all__ = ["LOGIN_PATH", "NOT_FOUND_PAGE", "PREFIX", "Api", "login_page", "object_moved"]
