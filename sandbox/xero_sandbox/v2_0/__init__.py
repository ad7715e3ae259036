"""API 2.0 (the Accounting API): routes, rules, codec and errors over the shared store.

Endpoints (PascalCase plural paths, ids in the path; every call with ``Authorization:
Bearer`` and ``xero-tenant-id``): Contacts, Invoices, Accounts, TrackingCategories (with
their Options) and Payments as the SDK's 2.0 manifest lists them. :mod:`.api` has the
request pipeline (token, tenant, limits, faults, scopes, idempotency), :mod:`.service` the
rules, :mod:`.view` how the version-neutral records read as 2.0 models, :mod:`.codec` the
envelope and request checks, :mod:`.where` the where/order language.
"""

from .api import PREFIX, Api

__all__ = ["PREFIX", "Api"]
