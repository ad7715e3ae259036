"""Xero's official SDK (``xero-python``, a bench-only extra) deserialising a JSON answer.

Exactly what ``AccountingApi.get_invoices`` does with the body once it has arrived: it calls
``api_client.call_api(..., response_type="Invoices", response_model_finder=
self.get_model_finder())``, which wraps the urllib3 response in ``rest.RESTResponse`` and hands
it to ``ApiClient.deserialize(response, response_type, response_model_finder)``
(``json.loads(response.text, parse_float=Decimal)``, then the model finder builds the models).
Only the network is left out, as it is for the SDK figure it is compared with.
"""

from __future__ import annotations

from typing import Any


def available() -> bool:
    try:
        import xero_python  # noqa: F401
    except ImportError:
        return False
    return True


class InvoicesDeserializer:
    """``deserialize(body)`` -> the ``xero_python.accounting.models.Invoices`` of a JSON body."""

    def __init__(self) -> None:
        import urllib3
        from xero_python.accounting import AccountingApi
        from xero_python.api_client import ApiClient
        from xero_python.api_client.configuration import Configuration
        from xero_python.rest import RESTResponse

        self._api = AccountingApi(ApiClient(Configuration()))
        self._response_class = RESTResponse
        self._http_response = urllib3.HTTPResponse

    def deserialize(self, body: bytes) -> Any:
        response = self._response_class(
            self._http_response(body=body, status=200, reason="OK", preload_content=True)
        )
        return self._api.api_client.deserialize(response, "Invoices", self._api.get_model_finder())


# The fields both answers carry (the SDK's 2.0 names are xero-python's too).
INVOICE_FIELDS = (
    "type",
    "invoice_id",
    "invoice_number",
    "reference",
    "date",
    "due_date",
    "status",
    "line_amount_types",
    "sub_total",
    "total_tax",
    "total",
    "updated_date_utc",
    "currency_code",
    "currency_rate",
    "amount_due",
    "amount_paid",
    "amount_credited",
    "sent_to_contact",
    "has_attachments",
    "is_discounted",
    "has_errors",
)
CONTACT_FIELDS = ("contact_id", "name")
LINE_FIELDS = (
    "line_item_id",
    "description",
    "quantity",
    "unit_amount",
    "account_code",
    "tax_type",
    "tax_amount",
    "line_amount",
)


def _plain(value: object) -> object:
    """Enums as their text (xero-python keeps some as str, the SDK as enums)."""
    return getattr(value, "value", value)


def differences(ours: Any, theirs: Any) -> list[str]:
    """Where the SDK's ``InvoicesResponse`` and xero-python's ``Invoices`` disagree (none: [])."""
    found: list[str] = []

    def compare(where: str, a: object, b: object, fields: tuple[str, ...]) -> None:
        for name in fields:
            x, y = _plain(getattr(a, name)), _plain(getattr(b, name))
            if x != y or x is None:
                found.append(f"{where}.{name}: SDK {x!r}, xero-python {y!r}")

    if len(ours.invoices) != len(theirs.invoices):
        return [f"SDK {len(ours.invoices)} invoices, xero-python {len(theirs.invoices)}"]
    for i, (a, b) in enumerate(zip(ours.invoices, theirs.invoices, strict=True)):
        compare(f"invoices[{i}]", a, b, INVOICE_FIELDS)
        compare(f"invoices[{i}].contact", a.contact, b.contact, CONTACT_FIELDS)
        if len(a.line_items) != len(b.line_items):
            found.append(f"invoices[{i}].line_items: {len(a.line_items)} vs {len(b.line_items)}")
            continue
        for k, (la, lb) in enumerate(zip(a.line_items, b.line_items, strict=True)):
            compare(f"invoices[{i}].line_items[{k}]", la, lb, LINE_FIELDS)
    return found
