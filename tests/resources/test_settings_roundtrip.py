"""Family C documents made by hypothesis, valid against our XSDs: every answer and every request
body of BrandingThemes, PaymentServices, Budgets, ContactGroups, Currencies,
InvoiceReminders, Organisation (and Actions, CISSettings), Setup and TaxRates survives the
generated codec (write, validate, read back: the same model), and request bodies carry only
the write shape, in its one order."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import re
import types
import typing
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xero_customer_api.v2_0 import _codec, models

from tests.codec.strategies import DATES, TEXT, UTC_DATETIMES

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "v2.0"
XS = "{http://www.w3.org/2001/XMLSchema}"

#: Response schema stem -> the model of its <Response>.
RESPONSES = {
    "branding_themes_response": models.BrandingThemesResponse,
    "payment_services_response": models.PaymentServicesResponse,
    "budgets_response": models.BudgetsResponse,
    "contact_groups_response": models.ContactGroupsResponse,
    "currencies_response": models.CurrenciesResponse,
    "invoice_reminders_response": models.InvoiceRemindersResponse,
    "organisations_response": models.OrganisationsResponse,
    "actions_response": models.ActionsResponse,
    "cis_org_settings_response": models.CisOrgSettingsResponse,
    "setup_response": models.SetupResponse,
    "tax_rates_response": models.TaxRatesResponse,
}
#: Request root -> (request schema stem, model of one item, batch?)
REQUESTS = {
    "PaymentService": ("payment_services_request", models.PaymentService, False),
    "PaymentServices": ("payment_services_request", models.PaymentService, True),
    "ContactGroup": ("contact_groups_request", models.ContactGroup, False),
    "ContactGroups": ("contact_groups_request", models.ContactGroup, True),
    "Currency": ("currencies_request", models.Currency, False),
    "TaxRate": ("tax_rates_request", models.TaxRate, False),
    "TaxRates": ("tax_rates_request", models.TaxRate, True),
    "Setup": ("setup_request", models.Setup, False),
}


@cache
def _schema(kind: str, stem: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / kind / f"{stem}.xsd")))


@cache
def _element_types() -> dict[str, dict[str, str]]:
    """complexType -> element -> XSD type, of every complex type the read models come from."""
    found: dict[str, dict[str, str]] = {}
    for xsd in [SCHEMAS / "types.xsd", *sorted((SCHEMAS / "responses").glob("*.xsd"))]:
        for ctype in etree.parse(str(xsd)).getroot().iterfind(f"{XS}complexType"):
            elements = found.setdefault(ctype.get("name", ""), {})
            for el in ctype.iter(f"{XS}element"):
                if el.get("type"):
                    elements[el.get("name", "")] = el.get("type", "")
    return found


#: Strings with a facet: generated valid, so the documents are valid against the XSDs.
PATTERNED: dict[str, st.SearchStrategy[str]] = {
    "guid": st.uuids().map(str),
    "currencyCode": st.from_regex(r"\A[A-Z]{3}\Z"),
    "accountCode": TEXT.filter(lambda s: len(s) <= 10),
    "taxType": TEXT.filter(lambda s: s.strip() != "" and len(s) >= 1),
}
DECIMALS = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, places=4
)


def _scalar(tp: Any, xsd_type: str) -> st.SearchStrategy[Any]:
    if dataclasses.is_dataclass(tp):
        return st.deferred(lambda: valid_model(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if tp is str:
        limit = re.fullmatch(r"text(\d+)", xsd_type)  # the length types (simple_types.xsd)
        if limit is not None:
            most = int(limit.group(1))
            return TEXT.map(lambda s: s[:most])
        return PATTERNED.get(xsd_type, TEXT)
    if tp is Decimal:
        return DECIMALS
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(-(2**31), 2**31 - 1)
    if tp is datetime.datetime:
        return UTC_DATETIMES
    if tp is datetime.date:
        return DATES
    raise TypeError(f"no strategy for {tp!r}")


@cache
def valid_model(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Instances of a generated model whose every string keeps to its XSD facet."""
    meta = getattr(cls, "Meta", None)
    xsd_types = _element_types().get(getattr(meta, "name", cls.__name__), {})
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, st.SearchStrategy[Any]] = {}
    for f in dataclasses.fields(cls):
        tp, xsd_type = hints[f.name], xsd_types.get(f.metadata.get("name", ""), "")
        if typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            kwargs[f.name] = st.lists(_scalar(inner, xsd_type), max_size=2)
            continue
        args = typing.get_args(tp)
        if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
            (inner,) = [a for a in args if a is not type(None)]
            kwargs[f.name] = st.none() | _scalar(inner, xsd_type)
        else:
            kwargs[f.name] = _scalar(tp, xsd_type)
    return st.builds(cls, **kwargs)


EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("stem", sorted(RESPONSES))
@EXAMPLES
@given(data=st.data())
def test_answers_valid_against_the_xsd_read_back_the_same(stem: str, data: st.DataObject) -> None:
    cls = RESPONSES[stem]
    answer = data.draw(valid_model(cls))
    written = _codec.ENCODERS[cls](answer)
    root = etree.fromstring(written)
    validator = _schema("responses", stem)
    assert validator.validate(root), validator.error_log
    assert _codec.DECODERS[cls](root, True) == answer
    for element in root.iter():  # Xero's order is its own: reading does not depend on it
        if len({child.tag for child in element}) == len(element):  # not a list
            element[:] = list(reversed(element))
    assert _codec.DECODERS[cls](root, True) == answer


def _write_order(name: str) -> list[str]:
    tree = etree.parse(str(SCHEMAS / "requests" / "write_types.xsd"))
    for ctype in tree.getroot().iterfind(f"{XS}complexType"):
        if ctype.get("name") == name:
            return [el.get("name", "") for el in ctype.iterfind(f"{XS}sequence/{XS}element")]
    raise AssertionError(f"no write type {name}")


@pytest.mark.parametrize("root_name", sorted(REQUESTS))
@EXAMPLES
@given(data=st.data())
def test_request_bodies_valid_in_write_order_and_stable(
    root_name: str, data: st.DataObject
) -> None:
    stem, cls, batch = REQUESTS[root_name]
    encode = getattr(_codec, "encode_request_" + _snake(root_name))
    value: Any = (
        data.draw(st.lists(valid_model(cls), min_size=1, max_size=3))
        if batch
        else data.draw(valid_model(cls))
    )
    body = etree.fromstring(encode(value))
    assert body.tag == root_name
    validator = _schema("requests", stem)
    assert validator.validate(body), validator.error_log
    items = list(body) if batch else [body]
    order = _write_order(cls.__name__)
    for item in items:
        tags = [child.tag for child in item]
        assert tags == [name for name in order if name in tags]
        assert not any(node.attrib for node in item.iter())  # no status attribute, no nil
    again = [_codec.DECODERS[cls](item, True) for item in items]
    assert encode(again if batch else again[0]) == encode(value)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def test_read_only_elements_are_never_written() -> None:
    rate = models.TaxRate(
        name="GST",
        tax_type="OUTPUT2",
        status=models.TaxRateStatus.ACTIVE,
        tax_components=[models.TaxComponent(name="GST", rate=Decimal("15"))],
        display_tax_rate=Decimal("15"),
        effective_rate=Decimal("15"),
        can_apply_to_revenue=True,
        validation_errors=[models.EntityValidationError(message="x")],
        validation_status=models.EntityValidationStatus.ERROR,
    )
    body = etree.fromstring(_codec.encode_request_tax_rate(rate))
    assert [c.tag for c in body] == ["Name", "TaxType", "TaxComponents", "Status"]
    group = models.ContactGroup(
        name="Wholesale",
        contacts=[models.ContactGroupMember(name="Tui")],
        status=models.ContactGroupStatus.ACTIVE,
    )
    assert [c.tag for c in etree.fromstring(_codec.encode_request_contact_group(group))] == [
        "Name",
        "Status",
    ]
    service = models.PaymentService(payment_service_name="P", payment_service_type="CUSTOM")
    assert _codec.encode_request_payment_service(service) == (
        b"<PaymentService><PaymentServiceName>P</PaymentServiceName></PaymentService>"
    )
    currency = models.Currency(code="EUR", description="Euro")
    assert _codec.encode_request_currency(currency) == b"<Currency><Code>EUR</Code></Currency>"
