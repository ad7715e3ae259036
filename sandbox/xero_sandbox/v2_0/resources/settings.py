"""Family C of the Accounting API 2.0 in the sandbox: the organisation and its settings.

BrandingThemes (read-only, two seeded per organisation, each with the payment services applied
to it), PaymentServices (custom Pay Now links), Budgets (read-only; an overall budget seeded
from the chart of accounts), ContactGroups (and their members), Currencies (the base currency
seeded, ISO 4217 codes added), InvoiceReminders (the one setting), Organisation (the tenant's
organisation, its Actions and CIS settings), Setup (chart of accounts, conversion date and
balances) and TaxRates (the seeded NZ-style rates, custom rates with components, DELETED and
ARCHIVED).

Rules read in the facts (reference notes on 2.0, sections 1-3 and 6): ContactGroups: Name
required on create, at most 100 groups ("You've reached the limit of 100 contact groups."),
lists show only ACTIVE groups, members only on a GET of one group, POST Status=DELETED
deletes, the member DELETEs answer 204. TaxRates: created from Name + TaxComponents, Xero
assigns TaxType TAX001, ... and computes DisplayTaxRate and EffectiveRate; POST updates (no id
path), Status DELETED removes. Currencies: PUT takes one Currency. PaymentServices: an unknown
service applied to a theme is "Payment service could not be found"; PaymentServiceType is
CUSTOM; PayNowText defaults to "Pay by credit card". Setup: ConversionDate Month 1-12, Year
after 2006; answers an ImportSummary of account counts. Every rule marked ``# inferred:`` was
not in the facts and is the sandbox's best guess; in short:

* Organisation: the OrganisationID is the tenant id; an NZ company (NZD, GST, year ending 31
  March), on the DEMO plan for the Demo Company and PREMIUM otherwise; every action ALLOWED;
  CIS neither contractor nor subcontractor; invoice reminders off.
* Currencies: any ISO 4217 code of Xero's list can be added (names from CLDR); adding one
  already there is no error.
* TaxRates: the seeded rates are system rates (never removed, components fixed); names are
  unique; removing a rate an account or invoice line uses makes it ARCHIVED, otherwise
  DELETED; neither can change again; DELETED rates leave lists; a compound component is
  charged on the amount plus the simple components' tax; ACTIVE custom rates can be used on
  lines and accounts (:meth:`..service.Service.tax_rate`).
* ContactGroups: names unique among ACTIVE groups; a deleted group loses its members and is
  not found; removing a contact not in the group is a 400.
* PaymentServices: the URL must be http(s); Budgets: one overall budget is seeded with round
  figures; lists leave lines out; Setup: balances need a ConversionDate and known accounts.

Everything is kept as JSON records (:mod:`..records` dumps/loads) in one table of this module,
``settings_records`` (organisation, kind, key); an organisation's defaults are written on
its first call to any of these resources.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from lxml import etree
from xero_customer_api.v2_0 import models

from ... import records, seed
from ...store import Org, Store, new_guid
from .. import codec
from ..errors import POST_DATA_INVALID, VALIDATION, ApiError, Problems
from ..service import _GUID, Answer, Call, Handler, NotFound, Service

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings_records (
    org_id INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (org_id, kind, key));
"""

MAX_CONTACT_GROUPS = 100
PAY_NOW_TEXT = "Pay by credit card"
BASE_CURRENCY = "NZD"
#: The actions of Organisation/Actions (the names of Xero's example answer).
ACTIONS = (
    "CreateApprovedInvoice",
    "CreateDraftPurchaseOrder",
    "CreateApprovedBill",
    "AttachFilesIntoInvoice",
    "UseMulticurrency",
    "CreateDraftInvoice",
    "CreateRepeatingInvoice",
    "CreateRepeatingBill",
    "CreateSentQuote",
    "CreateInvoicePayment",
    "CreateApprovedPurchaseOrder",
    "CreateDraftQuote",
    "CreateDraftBill",
)
#: ISO 4217 codes Xero takes (its CurrencyCode list) and their English names (CLDR's;
#: inferred: Xero's own Description wording may differ except for USD, given in the facts).
CURRENCY_NAMES: dict[str, str] = {
    "AED": "United Arab Emirates Dirham",
    "AFN": "Afghan Afghani",
    "ALL": "Albanian Lek",
    "AMD": "Armenian Dram",
    "ANG": "Netherlands Antillean Guilder",
    "AOA": "Angolan Kwanza",
    "ARS": "Argentine Peso",
    "AUD": "Australian Dollar",
    "AWG": "Aruban Florin",
    "AZN": "Azerbaijani Manat",
    "BAM": "Bosnia-Herzegovina Convertible Mark",
    "BBD": "Barbadian Dollar",
    "BDT": "Bangladeshi Taka",
    "BGN": "Bulgarian Lev",
    "BHD": "Bahraini Dinar",
    "BIF": "Burundian Franc",
    "BMD": "Bermudan Dollar",
    "BND": "Brunei Dollar",
    "BOB": "Bolivian Boliviano",
    "BRL": "Brazilian Real",
    "BSD": "Bahamian Dollar",
    "BTN": "Bhutanese Ngultrum",
    "BWP": "Botswanan Pula",
    "BYN": "Belarusian Ruble",
    "BYR": "Belarusian Ruble (2000-2016)",
    "BZD": "Belize Dollar",
    "CAD": "Canadian Dollar",
    "CDF": "Congolese Franc",
    "CHF": "Swiss Franc",
    "CLF": "Chilean Unit of Account (UF)",
    "CLP": "Chilean Peso",
    "CNY": "Chinese Yuan",
    "COP": "Colombian Peso",
    "CRC": "Costa Rican Colón",
    "CUC": "Cuban Convertible Peso",
    "CUP": "Cuban Peso",
    "CVE": "Cape Verdean Escudo",
    "CZK": "Czech Koruna",
    "DJF": "Djiboutian Franc",
    "DKK": "Danish Krone",
    "DOP": "Dominican Peso",
    "DZD": "Algerian Dinar",
    "EEK": "Estonian Kroon",
    "EGP": "Egyptian Pound",
    "ERN": "Eritrean Nakfa",
    "ETB": "Ethiopian Birr",
    "EUR": "Euro",
    "FJD": "Fijian Dollar",
    "FKP": "Falkland Islands Pound",
    "GBP": "British Pound",
    "GEL": "Georgian Lari",
    "GHS": "Ghanaian Cedi",
    "GIP": "Gibraltar Pound",
    "GMD": "Gambian Dalasi",
    "GNF": "Guinean Franc",
    "GTQ": "Guatemalan Quetzal",
    "GYD": "Guyanaese Dollar",
    "HKD": "Hong Kong Dollar",
    "HNL": "Honduran Lempira",
    "HRK": "Croatian Kuna",
    "HTG": "Haitian Gourde",
    "HUF": "Hungarian Forint",
    "IDR": "Indonesian Rupiah",
    "ILS": "Israeli New Shekel",
    "INR": "Indian Rupee",
    "IQD": "Iraqi Dinar",
    "IRR": "Iranian Rial",
    "ISK": "Icelandic Króna",
    "JMD": "Jamaican Dollar",
    "JOD": "Jordanian Dinar",
    "JPY": "Japanese Yen",
    "KES": "Kenyan Shilling",
    "KGS": "Kyrgyz Som",
    "KHR": "Cambodian Riel",
    "KMF": "Comorian Franc",
    "KPW": "North Korean Won",
    "KRW": "South Korean Won",
    "KWD": "Kuwaiti Dinar",
    "KYD": "Cayman Islands Dollar",
    "KZT": "Kazakhstani Tenge",
    "LAK": "Laotian Kip",
    "LBP": "Lebanese Pound",
    "LKR": "Sri Lankan Rupee",
    "LRD": "Liberian Dollar",
    "LSL": "Lesotho Loti",
    "LTL": "Lithuanian Litas",
    "LVL": "Latvian Lats",
    "LYD": "Libyan Dinar",
    "MAD": "Moroccan Dirham",
    "MDL": "Moldovan Leu",
    "MGA": "Malagasy Ariary",
    "MKD": "Macedonian Denar",
    "MMK": "Myanmar Kyat",
    "MNT": "Mongolian Tugrik",
    "MOP": "Macanese Pataca",
    "MRO": "Mauritanian Ouguiya (1973-2017)",
    "MRU": "Mauritanian Ouguiya",
    "MUR": "Mauritian Rupee",
    "MVR": "Maldivian Rufiyaa",
    "MWK": "Malawian Kwacha",
    "MXN": "Mexican Peso",
    "MXV": "Mexican Investment Unit",
    "MYR": "Malaysian Ringgit",
    "MZN": "Mozambican Metical",
    "NAD": "Namibian Dollar",
    "NGN": "Nigerian Naira",
    "NIO": "Nicaraguan Córdoba",
    "NOK": "Norwegian Krone",
    "NPR": "Nepalese Rupee",
    "NZD": "New Zealand Dollar",
    "OMR": "Omani Rial",
    "PAB": "Panamanian Balboa",
    "PEN": "Peruvian Sol",
    "PGK": "Papua New Guinean Kina",
    "PHP": "Philippine Peso",
    "PKR": "Pakistani Rupee",
    "PLN": "Polish Zloty",
    "PYG": "Paraguayan Guarani",
    "QAR": "Qatari Riyal",
    "RON": "Romanian Leu",
    "RSD": "Serbian Dinar",
    "RUB": "Russian Ruble",
    "RWF": "Rwandan Franc",
    "SAR": "Saudi Riyal",
    "SBD": "Solomon Islands Dollar",
    "SCR": "Seychellois Rupee",
    "SDG": "Sudanese Pound",
    "SEK": "Swedish Krona",
    "SGD": "Singapore Dollar",
    "SHP": "St. Helena Pound",
    "SKK": "Slovak Koruna",
    "SLE": "Sierra Leonean Leone",
    "SLL": "Sierra Leonean Leone (1964—2022)",
    "SOS": "Somali Shilling",
    "SRD": "Surinamese Dollar",
    "STD": "São Tomé & Príncipe Dobra (1977-2017)",
    "STN": "São Tomé & Príncipe Dobra",
    "SVC": "Salvadoran Colón",
    "SYP": "Syrian Pound",
    "SZL": "Swazi Lilangeni",
    "THB": "Thai Baht",
    "TJS": "Tajikistani Somoni",
    "TMT": "Turkmenistani Manat",
    "TND": "Tunisian Dinar",
    "TOP": "Tongan Pa'anga",
    "TRY": "Turkish Lira",
    "TTD": "Trinidad & Tobago Dollar",
    "TWD": "New Taiwan Dollar",
    "TZS": "Tanzanian Shilling",
    "UAH": "Ukrainian Hryvnia",
    "UGX": "Ugandan Shilling",
    "USD": "United States Dollar",
    "UYU": "Uruguayan Peso",
    "UZS": "Uzbekistani Som",
    "VEF": "Venezuelan Bolívar (2008-2018)",
    "VES": "Venezuelan Bolívar",
    "VND": "Vietnamese Dong",
    "VUV": "Vanuatu Vatu",
    "WST": "Samoan Tala",
    "XAF": "Central African CFA Franc",
    "XCD": "East Caribbean Dollar",
    "XOF": "West African CFA Franc",
    "XPF": "CFP Franc",
    "YER": "Yemeni Rial",
    "ZAR": "South African Rand",
    "ZMW": "Zambian Kwacha",
    "ZMK": "Zambian Kwacha (1968-2012)",
    "ZWD": "Zimbabwean Dollar (1980-2008)",
}


# ----------------------------------------------------------------------------- records


@dataclass(slots=True, kw_only=True)
class OrgSettings:
    """The organisation-wide settings kept by this module."""

    currencies: list[str] = field(default_factory=list)
    reminders_enabled: bool = False
    conversion_month: int | None = None
    conversion_year: int | None = None
    cis_contractor: bool = False
    cis_subcontractor: bool = False


@dataclass(slots=True, kw_only=True)
class Component:
    """One component of a tax rate."""

    name: str
    rate: Decimal
    is_compound: bool = False
    is_non_recoverable: bool = False


@dataclass(slots=True, kw_only=True)
class TaxRateRec:
    """A tax rate (seeded system rates carry ``system``)."""

    tax_type: str
    name: str
    components: list[Component]
    status: str = "ACTIVE"
    report_tax_type: str | None = None
    system: bool = False
    assets: bool = True
    equity: bool = True
    expenses: bool = True
    liabilities: bool = True
    revenue: bool = True


@dataclass(slots=True, kw_only=True)
class GroupRec:
    """A contact group and the ids of its members, in the order they were added."""

    group_id: str
    name: str
    status: str = "ACTIVE"
    members: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class ServiceRec:
    """A custom payment service."""

    service_id: str
    name: str
    url: str
    pay_now_text: str = PAY_NOW_TEXT


@dataclass(slots=True, kw_only=True)
class ThemeRec:
    """A branding theme and the payment services applied to it."""

    theme_id: str
    name: str
    sort_order: int
    created: datetime.datetime
    services: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Balance:
    """A budgeted amount for one month (``period`` is YYYY-MM)."""

    period: str
    amount: Decimal
    notes: str | None = None


@dataclass(slots=True, kw_only=True)
class BudgetLineRec:
    """The budget of one account."""

    account_code: str
    balances: list[Balance]


@dataclass(slots=True, kw_only=True)
class BudgetRec:
    """A budget."""

    budget_id: str
    type: str
    description: str
    updated: datetime.datetime
    lines: list[BudgetLineRec] = field(default_factory=list)


# ----------------------------------------------------------------------------- storage


class Settings:
    """This module's records of one organisation (seeded on first use)."""

    def __init__(self, service: Service, call: Call) -> None:
        self.service = service
        self.store = service.store
        self.org = call.org
        self.org_id = call.org.org_id
        if self._get("org", "settings") is None:  # an organisation made before this module
            self._seed()

    @classmethod
    def seeding(cls, store: Store, org: Org) -> Settings:
        """The records of a new organisation, inside the store's write that creates it."""
        self = cls.__new__(cls)
        self.store, self.org, self.org_id = store, org, org.org_id
        return self

    def _get(self, kind: str, key: str) -> str | None:
        row = self.store._one(
            "SELECT data FROM settings_records WHERE org_id = ? AND kind = ? AND key = ?",
            self.org_id,
            kind,
            key,
        )
        return None if row is None else str(row[0])

    def all(self, cls: type[T], kind: str) -> list[T]:
        rows = self.store._all(
            "SELECT data FROM settings_records WHERE org_id = ? AND kind = ? ORDER BY seq",
            self.org_id,
            kind,
        )
        return [records.loads(cls, str(row[0])) for row in rows]

    def one(self, cls: type[T], kind: str, key: str) -> T | None:
        text = self._get(kind, key)
        return None if text is None else records.loads(cls, text)

    def put(self, kind: str, key: str, record: Any) -> None:
        row = self.store._one(
            "SELECT seq FROM settings_records WHERE org_id = ? AND kind = ? AND key = ?",
            self.org_id,
            kind,
            key,
        )
        if row is None:
            row = self.store._one(
                "SELECT coalesce(max(seq), 0) + 1 FROM settings_records WHERE org_id = ?",
                self.org_id,
            )
        self.store._one(
            "INSERT OR REPLACE INTO settings_records VALUES (?, ?, ?, ?, ?)",
            self.org_id,
            kind,
            key,
            int(row[0]),
            records.dumps(record),
        )

    @property
    def settings(self) -> OrgSettings:
        found = self.one(OrgSettings, "org", "settings")
        assert found is not None
        return found

    def _seed(self) -> None:
        created = _created(self.org.created)
        self.put("org", "settings", OrgSettings(currencies=[BASE_CURRENCY]))
        for rate in _seed_tax_rates():
            self.put("taxrate", rate.tax_type, rate)
        for n, name in enumerate(("Standard", "Special Projects")):
            theme = ThemeRec(
                theme_id=_derived_guid(self.org.tenant_id, f"theme:{name}"),
                name=name,
                sort_order=n,
                created=created,
            )
            self.put("theme", theme.theme_id, theme)
        budget = _seed_budget(self.org.tenant_id, self.store.stamp())
        self.put("budget", budget.budget_id, budget)


def _created(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        return datetime.datetime.now(datetime.UTC)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _derived_guid(tenant: str, what: str) -> str:
    """A stable id for seeded records of an organisation."""
    digest = hashlib.sha256(f"{tenant}:{what}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def _seed_tax_rates() -> list[TaxRateRec]:
    """The rates of the seeded chart (service.TAX_RATES) as system tax rates."""
    # inferred: names, report types and the CanApplyTo flags follow an NZ organisation.
    rows = (
        ("INPUT", "GST on Expenses (12.5%)", "12.5", "INPUT", "purchase"),
        ("OUTPUT", "GST on Income (12.5%)", "12.5", "OUTPUT", "sale"),
        ("INPUT2", "GST on Expenses", "15", "INPUT", "purchase"),
        ("OUTPUT2", "GST on Income", "15", "OUTPUT", "sale"),
        ("NONE", "No GST", "0", "NONE", "both"),
        ("EXEMPTINPUT", "GST Exempt Expenses", "0", "EXEMPTINPUT", "purchase"),
        ("EXEMPTOUTPUT", "GST Exempt Income", "0", "EXEMPTOUTPUT", "sale"),
        ("ZERORATED", "Zero Rated", "0", "NONE", "both"),
        ("ZERORATEDINPUT", "Zero Rated Expenses", "0", "ZERORATEDINPUT", "purchase"),
        ("ZERORATEDOUTPUT", "Zero Rated Income", "0", "ZERORATEDOUTPUT", "sale"),
    )
    return [
        TaxRateRec(
            tax_type=tax_type,
            name=name,
            components=[Component(name="GST", rate=Decimal(rate))],
            report_tax_type=report,
            system=True,
            expenses=side != "sale",
            revenue=side != "purchase",
        )
        for tax_type, name, rate, report, side in rows
    ]


def _seed_budget(tenant: str, now: datetime.datetime) -> BudgetRec:
    """The overall budget of a new organisation: this year's months for a few accounts."""
    # inferred: Xero makes an empty Overall Budget; the sandbox fills one in with round
    # figures so that lines, balances and the DateFrom/DateTo range can be tried.
    year = now.year
    figures = (
        ("200", Decimal("12000.00")),
        ("400", Decimal("800.00")),
        ("469", Decimal("2500.00")),
    )
    return BudgetRec(
        budget_id=_derived_guid(tenant, "budget:overall"),
        type="OVERALL",
        description="Overall Budget",
        updated=now,
        lines=[
            BudgetLineRec(
                account_code=code,
                balances=[Balance(period=f"{year}-{m:02d}", amount=amount) for m in range(1, 13)],
            )
            for code, amount in figures
        ],
    )


# ----------------------------------------------------------------------------- requests


def _items(call: Call, cls: type[T], item: str, batch: str | None) -> list[T]:
    return [
        codec.decode(cls, el) for el in codec.request_reader().parse(call.body, item, batch=batch)
    ]


def _shape(call: Call, wrapper: str, items: list[Any], tag: str | None = None) -> Answer:
    return Answer(
        200, codec.envelope(call.provider, wrapper, [codec.entity(i, tag) for i in items])
    )


def _refuse(item: Any, id_field: str | None, messages: list[str]) -> ApiError:
    echo = replace(item)
    if id_field is not None:
        setattr(echo, id_field, codec.ZERO_ID)
    echo.validation_errors = [models.EntityValidationError(message=m) for m in messages]
    return ApiError(VALIDATION, "A validation exception occurred", elements=[echo])


def no_content() -> Answer:
    """204 No Content (the API layer sends no body)."""
    return Answer(204, etree.Element("NoContent"))


def _guid_segment(call: Call, index: int) -> str:
    value = call.segments[index]
    if not _GUID.match(value):
        raise NotFound()  # inferred: a malformed id in the path finds nothing
    return value.lower()


def _date_param(call: Call, name: str) -> datetime.date | None:
    value = call.query.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise ApiError(
            POST_DATA_INVALID, f"{name} must be a date (YYYY-MM-DD), not '{value[:40]}'."
        ) from None


# ----------------------------------------------------------------------------- organisation


def organisation_model(org_id: int, tenant: str, name: str, created: str) -> models.Organisation:
    """The organisation of a tenant as Xero describes it (an NZ demo-style organisation)."""
    # inferred: the OrganisationID is the tenant id (Xero's connections list an organisation
    # under its id); the other values are those of an NZ company on Xero's demo plan.
    demo = name == seed.ORG_NAME
    digest = hashlib.sha256(tenant.encode()).hexdigest().upper()
    return models.Organisation(
        organisation_id=tenant,
        api_key=digest[:30],
        name=name,
        legal_name=name,
        pays_tax=True,
        version=models.OrganisationVersion.NZ,
        organisation_type=models.OrganisationType.COMPANY,
        base_currency=BASE_CURRENCY,
        country_code="NZ",
        is_demo_company=demo,
        organisation_status="ACTIVE",
        tax_number=f"{int(digest[:6], 16) % 1000:03d}-{int(digest[6:12], 16) % 1000:03d}-{org_id % 1000:03d}",
        financial_year_end_day=31,
        financial_year_end_month=3,
        sales_tax_basis=models.SalesTaxBasis.PAYMENTS,
        sales_tax_period=models.SalesTaxPeriod.TWOMONTHS,
        default_sales_tax="Tax Exclusive",
        default_purchases_tax="Tax Inclusive",
        created_date_utc=_created(created),
        timezone="NEWZEALANDSTANDARDTIME",
        organisation_entity_type=models.OrganisationType.COMPANY,
        short_code="!" + digest[30:35].lower(),
        class_=models.OrganisationClass.DEMO if demo else models.OrganisationClass.PREMIUM,
        edition=models.OrganisationEdition.BUSINESS,
        addresses=[
            models.Address(
                address_type=models.AddressType.POBOX,
                address_line1="PO Box 1234",
                city="Wellington",
                postal_code="6140",
                country="New Zealand",
            )
        ],
        payment_terms=models.PaymentTerms(
            bills=models.PaymentTerm(day=20, type=models.PaymentTermType.OFFOLLOWINGMONTH),
            sales=models.PaymentTerm(day=20, type=models.PaymentTermType.OFFOLLOWINGMONTH),
        ),
    )


def get_organisation(service: Service, call: Call) -> Answer:
    """GET Organisation: the one organisation of the tenant."""
    org = call.org
    model = organisation_model(org.org_id, org.tenant_id, org.name, org.created)
    return _shape(call, "Organisations", [model])


def get_organisation_part(service: Service, call: Call) -> Answer:
    """GET Organisation/Actions."""
    if call.segments[1].lower() != "actions":
        raise NotFound()
    allowed = models.ActionStatus.ALLOWED
    return _shape(call, "Actions", [models.Action(name=n, status=allowed) for n in ACTIONS])


def get_cis_settings(service: Service, call: Call) -> Answer:
    """GET Organisation/{OrganisationID}/CISSettings."""
    if call.segments[2].lower() != "cissettings" or _guid_segment(call, 1) != call.org.tenant_id:
        raise NotFound()  # inferred: another organisation's id finds nothing
    settings = Settings(service, call).settings
    # inferred: an NZ organisation is neither CIS contractor nor subcontractor; no rate.
    model = models.CisOrgSetting(
        cis_contractor_enabled=settings.cis_contractor,
        cis_sub_contractor_enabled=settings.cis_subcontractor,
    )
    return _shape(call, "CISSettings", [model], "CISSetting")


def get_invoice_reminders(service: Service, call: Call) -> Answer:
    """GET InvoiceReminders/Settings."""
    if call.segments[1].lower() != "settings":
        raise NotFound()
    enabled = Settings(service, call).settings.reminders_enabled
    return _shape(call, "InvoiceReminders", [models.InvoiceReminder(enabled=enabled)])


# ----------------------------------------------------------------------------- currencies


def _currency(code: str) -> models.Currency:
    return models.Currency(code=code, description=CURRENCY_NAMES.get(code, code))


def list_currencies(service: Service, call: Call) -> Answer:
    """GET Currencies (where, order)."""
    codes = Settings(service, call).settings.currencies
    elements = service._query_list(call, codes, _currency, pageable=False)
    return Answer(200, codec.envelope(call.provider, "Currencies", elements))


def put_currency(service: Service, call: Call) -> Answer:
    """PUT Currencies: add one currency (one element, never a batch)."""
    (item,) = _items(call, models.Currency, "Currency", None)
    settings_ = Settings(service, call)
    kept = settings_.settings
    code = (item.code or "").upper()
    if not code:
        raise _refuse(item, None, ["A currency Code must be given."])  # inferred wording
    if code not in CURRENCY_NAMES:
        raise _refuse(
            item, None, [f"The currency code {code} is not a valid currency."]
        )  # inferred
    if code not in kept.currencies:  # inferred: adding a currency already there is no error
        kept.currencies.append(code)
        settings_.put("org", "settings", kept)
    return _shape(call, "Currencies", [_currency(code)])


# ----------------------------------------------------------------------------- tax rates


def _rates(components: list[Component]) -> tuple[Decimal, Decimal]:
    """(DisplayTaxRate, EffectiveRate): the sum of the components, and the rate charged
    when compound components apply on top of the simple ones."""
    # inferred: compound arithmetic (the facts leave it unverified): a compound component
    # is charged on the amount plus the simple components' tax.
    simple = sum((c.rate for c in components if not c.is_compound), Decimal(0))
    compound = sum((c.rate for c in components if c.is_compound), Decimal(0))
    display = simple + compound
    effective = simple + compound * (Decimal(100) + simple) / Decimal(100)
    q = Decimal("0.0001")
    return display.quantize(q), effective.quantize(q)


def tax_rate_model(rec: TaxRateRec) -> models.TaxRate:
    display, effective = _rates(rec.components)
    return models.TaxRate(
        name=rec.name,
        tax_type=rec.tax_type,
        tax_components=[
            models.TaxComponent(
                name=c.name,
                rate=c.rate.quantize(Decimal("0.0001")),
                is_compound=c.is_compound,
                is_non_recoverable=c.is_non_recoverable,
            )
            for c in rec.components
        ],
        status=models.TaxRateStatus(rec.status),
        report_tax_type=models.ReportTaxType(rec.report_tax_type) if rec.report_tax_type else None,
        can_apply_to_assets=rec.assets,
        can_apply_to_equity=rec.equity,
        can_apply_to_expenses=rec.expenses,
        can_apply_to_liabilities=rec.liabilities,
        can_apply_to_revenue=rec.revenue,
        display_tax_rate=display,
        effective_rate=effective,
    )


def usable_rate(service: Service, org_id: int, tax_type: str) -> Decimal | None:
    """The effective rate (a fraction) of an ACTIVE tax rate the organisation made, if any
    (the seeded rates are service.TAX_RATES)."""
    row = service.store._one(
        "SELECT data FROM settings_records WHERE org_id = ? AND kind = 'taxrate' AND key = ?",
        org_id,
        tax_type,
    )
    if row is None:
        return None
    rec = records.loads(TaxRateRec, str(row[0]))
    if rec.status != "ACTIVE":
        return None
    return _rates(rec.components)[1] / Decimal(100)


def list_tax_rates(service: Service, call: Call) -> Answer:
    """GET TaxRates (where, order): every rate but the deleted ones."""
    # inferred: DELETED rates are left out of lists (ARCHIVED and PENDING are listed).
    rates = [r for r in Settings(service, call).all(TaxRateRec, "taxrate") if r.status != "DELETED"]
    elements = service._query_list(call, rates, tax_rate_model, pageable=False)
    return Answer(200, codec.envelope(call.provider, "TaxRates", elements))


def get_tax_rate(service: Service, call: Call) -> Answer:
    """GET TaxRates/{TaxType}."""
    found = Settings(service, call).one(TaxRateRec, "taxrate", call.segments[1].upper())
    if found is None:
        raise NotFound()
    return _shape(call, "TaxRates", [tax_rate_model(found)])


def put_tax_rates(service: Service, call: Call) -> Answer:
    """PUT TaxRates: create one or a batch."""
    return _write_tax_rates(service, call, create_only=True)


def post_tax_rates(service: Service, call: Call) -> Answer:
    """POST TaxRates: update (found by TaxType, else Name) one or a batch."""
    return _write_tax_rates(service, call, create_only=False)


def _write_tax_rates(service: Service, call: Call, *, create_only: bool) -> Answer:
    items = _items(call, models.TaxRate, "TaxRate", "TaxRates")
    settings_ = Settings(service, call)
    results: list[Any] = []
    for item in items:
        try:
            results.append(
                tax_rate_model(_save_tax_rate(service, call, settings_, item, create_only))
            )
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "TaxRates", items, results, "tax_type")


def _components(item: models.TaxRate, problems: list[str]) -> list[Component]:
    out = []
    for n, given in enumerate(item.tax_components, start=1):
        if not (given.name or "").strip():
            problems.append(f"Tax component {n}: a Name must be given.")  # inferred wording
        if given.rate is None:
            problems.append(f"Tax component {n}: a Rate must be given.")  # inferred wording
        elif given.rate < 0 or given.rate != given.rate.quantize(Decimal("0.0001")):
            problems.append(
                f"Tax component {n}: the Rate must be 0 or more, with at most 4 decimal places."
            )
        out.append(
            Component(
                name=(given.name or "").strip(),
                rate=given.rate if given.rate is not None else Decimal(0),
                is_compound=bool(given.is_compound),
                is_non_recoverable=bool(given.is_non_recoverable),
            )
        )
    return out


def _used_tax_types(service: Service, org: int) -> set[str]:
    used = {a.tax_type for a in service.store.accounts(org) if a.tax_type}
    for invoice in service.store.invoices(org):
        used.update(line.tax_type for line in invoice.lines if line.tax_type)
    return used


def _save_tax_rate(
    service: Service, call: Call, settings_: Settings, item: models.TaxRate, create_only: bool
) -> TaxRateRec:
    rates = settings_.all(TaxRateRec, "taxrate")
    name = (item.name or "").strip()
    existing: TaxRateRec | None = None
    if not create_only:
        if item.tax_type:
            existing = next((r for r in rates if r.tax_type == item.tax_type.upper()), None)
            if existing is None:
                raise Problems([f"The TaxType {item.tax_type} does not exist."])  # inferred wording
        elif name:
            existing = next(
                (
                    r
                    for r in rates
                    if r.name.casefold() == name.casefold() and r.status != "DELETED"
                ),
                None,
            )
    problems: list[str] = []
    status = item.status.value if item.status else (existing.status if existing else "ACTIVE")
    if existing is None:
        if not name:
            raise Problems(["The tax rate Name must be given."])  # inferred wording
        if not item.tax_components:
            problems.append("A tax rate needs at least one tax component.")  # inferred wording
        if status != "ACTIVE":
            problems.append(f"A tax rate cannot be created with the status {status}.")  # inferred
    elif existing.status in ("DELETED", "ARCHIVED"):
        # inferred: the facts say deleted and archived rates cannot be restored or used.
        raise Problems(
            [f"The tax rate {existing.name} is {existing.status} and cannot be changed."]
        )
    elif status in ("ARCHIVED", "PENDING") and status != existing.status:
        problems.append(f"The status of a tax rate cannot be set to {status}.")  # inferred
    if status == "DELETED" and existing is not None and existing.system:
        problems.append(f"The system tax rate {existing.name} cannot be deleted.")  # inferred
    if name and any(
        r.name.casefold() == name.casefold()
        and r.status != "DELETED"
        and (existing is None or r.tax_type != existing.tax_type)
        for r in rates
    ):
        problems.append(f"The tax rate name {name} is already used.")  # inferred wording
    components = _components(item, problems)
    if existing is not None and existing.system and components:
        problems.append(
            f"The components of the system tax rate {existing.name} cannot be changed."
        )  # inferred
    if problems:
        raise Problems(problems)
    if existing is None:
        taken = {r.tax_type for r in rates}
        n = 1
        while f"TAX{n:03d}" in taken:
            n += 1
        rec = TaxRateRec(
            tax_type=f"TAX{n:03d}",
            name=name,
            components=components,
            report_tax_type=item.report_tax_type.value if item.report_tax_type else None,
        )
    else:
        rec = existing
        if name:
            rec.name = name
        if components:
            rec.components = components
        if item.report_tax_type is not None:
            rec.report_tax_type = item.report_tax_type.value
        if status == "DELETED":
            # inferred from the status meanings: a rate already used on a transaction or an
            # account is ARCHIVED, one never used is DELETED.
            used = existing.tax_type in _used_tax_types(service, call.org.org_id)
            status = "ARCHIVED" if used else "DELETED"
        rec.status = status
    settings_.put("taxrate", rec.tax_type, rec)
    return rec


# ----------------------------------------------------------------------------- contact groups


def _member_models(service: Service, org: int, ids: list[str]) -> list[models.ContactGroupMember]:
    out = []
    for contact_id in ids:
        contact = service.store.contact_by_id(org, contact_id)
        if contact is not None:
            out.append(models.ContactGroupMember(contact_id=contact.contact_id, name=contact.name))
    return out


def group_model(
    rec: GroupRec, members: list[models.ContactGroupMember] | None = None
) -> models.ContactGroup:
    return models.ContactGroup(
        contact_group_id=rec.group_id,
        name=rec.name,
        status=models.ContactGroupStatus(rec.status),
        contacts=members or [],
    )


def list_contact_groups(service: Service, call: Call) -> Answer:
    """GET ContactGroups: the ACTIVE groups, without their contacts."""
    groups = [g for g in Settings(service, call).all(GroupRec, "group") if g.status == "ACTIVE"]
    elements = service._query_list(call, groups, group_model, pageable=False)
    return Answer(200, codec.envelope(call.provider, "ContactGroups", elements))


def _group(settings_: Settings, call: Call) -> GroupRec:
    found = settings_.one(GroupRec, "group", _guid_segment(call, 1))
    if found is None or found.status != "ACTIVE":
        raise NotFound()  # inferred: a deleted group is not found
    return found


def get_contact_group(service: Service, call: Call) -> Answer:
    """GET ContactGroups/{ContactGroupID}: the group with its contacts."""
    rec = _group(Settings(service, call), call)
    members = _member_models(service, call.org.org_id, rec.members)
    return _shape(call, "ContactGroups", [group_model(rec, members)])


def put_contact_groups(service: Service, call: Call) -> Answer:
    """PUT ContactGroups: create one or a batch."""
    items = _items(call, models.ContactGroup, "ContactGroup", "ContactGroups")
    settings_ = Settings(service, call)
    results: list[Any] = []
    for item in items:
        try:
            results.append(group_model(_save_group(settings_, item, None)))
        except Problems as problems:
            results.append(problems)
    return service._batch(call, "ContactGroups", items, results, "contact_group_id")


def post_contact_group(service: Service, call: Call) -> Answer:
    """POST ContactGroups/{ContactGroupID}: rename, or delete with Status DELETED."""
    settings_ = Settings(service, call)
    rec = _group(settings_, call)
    (item,) = _items(call, models.ContactGroup, "ContactGroup", None)
    try:
        saved = _save_group(settings_, item, rec)
    except Problems as problems:
        raise _refuse(item, "contact_group_id", problems.messages) from None
    members = _member_models(service, call.org.org_id, saved.members)
    return _shape(call, "ContactGroups", [group_model(saved, members)])


def _save_group(
    settings_: Settings, item: models.ContactGroup, existing: GroupRec | None
) -> GroupRec:
    groups = [g for g in settings_.all(GroupRec, "group") if g.status == "ACTIVE"]
    name = (
        (item.name or "").strip() if item.name is not None else (existing.name if existing else "")
    )
    status = item.status.value if item.status else (existing.status if existing else "ACTIVE")
    if existing is None:
        if item.contact_group_id is not None:
            raise Problems(
                ["A ContactGroupID cannot be given when creating a contact group."]
            )  # inferred
        if not name:
            raise Problems(["The contact group Name must be given."])  # inferred wording
        if status != "ACTIVE":
            raise Problems(["A contact group is created ACTIVE."])  # inferred
        if len(groups) >= MAX_CONTACT_GROUPS:
            raise Problems(["You\u2019ve reached the limit of 100 contact groups."])
    if not name:
        raise Problems(["The contact group Name must be given."])  # inferred wording
    if status == "ACTIVE" and any(
        g.name.casefold() == name.casefold()
        and (existing is None or g.group_id != existing.group_id)
        for g in groups
    ):
        # inferred: group names are unique among active groups, as in Xero's own screens
        raise Problems([f"A contact group named {name} already exists."])
    rec = existing or GroupRec(group_id=new_guid(), name=name)
    rec.name, rec.status = name, status
    if status == "DELETED":
        rec.members = []  # inferred: the contacts stay; they leave the deleted group
    settings_.put("group", rec.group_id, rec)
    return rec


def put_group_contacts(service: Service, call: Call) -> Answer:
    """PUT ContactGroups/{id}/Contacts: add existing contacts (by ContactID)."""
    if call.segments[2].lower() != "contacts":
        raise NotFound()
    settings_ = Settings(service, call)
    rec = _group(settings_, call)
    org = call.org.org_id
    items = [
        codec.decode(models.Contact, el)
        for el in service.reader.parse(call.body, "Contact", batch="Contacts")
    ]
    refused = []
    added = []
    for item in items:
        found = (
            service.store.contact_by_id(org, item.contact_id.lower()) if item.contact_id else None
        )
        if found is None:
            # inferred wording; Xero identifies members by ContactID only
            message = (
                "A contact is added to a group by its ContactID."
                if item.contact_id is None
                else f"The contact {item.contact_id} does not exist."
            )
            echo = replace(item, contact_id=codec.ZERO_ID)
            echo.validation_errors = [models.EntityValidationError(message=message)]
            refused.append(echo)
            continue
        added.append(found)
    if refused:
        raise ApiError(VALIDATION, "A validation exception occurred", elements=refused)
    for contact in added:
        if contact.contact_id not in rec.members:
            rec.members.append(contact.contact_id)
    settings_.put("group", rec.group_id, rec)
    out = [models.Contact(contact_id=c.contact_id, name=c.name) for c in added]
    return _shape(call, "Contacts", out)


def delete_group_contacts(service: Service, call: Call) -> Answer:
    """DELETE ContactGroups/{id}/Contacts: remove every member (204)."""
    if call.segments[2].lower() != "contacts":
        raise NotFound()
    settings_ = Settings(service, call)
    rec = _group(settings_, call)
    rec.members = []
    settings_.put("group", rec.group_id, rec)
    return no_content()


def delete_group_contact(service: Service, call: Call) -> Answer:
    """DELETE ContactGroups/{id}/Contacts/{ContactID}: remove one member (204)."""
    if call.segments[2].lower() != "contacts":
        raise NotFound()
    settings_ = Settings(service, call)
    rec = _group(settings_, call)
    contact_id = _guid_segment(call, 3)
    if contact_id not in rec.members:
        # inferred wording (the 400 is in the facts' description of the operation)
        raise ApiError(
            VALIDATION, f"The contact {contact_id} is not in the contact group {rec.name}."
        )
    rec.members.remove(contact_id)
    settings_.put("group", rec.group_id, rec)
    return no_content()


# ----------------------------------------------------------------------------- payment services


def service_model(rec: ServiceRec) -> models.PaymentService:
    return models.PaymentService(
        payment_service_id=rec.service_id,
        payment_service_name=rec.name,
        payment_service_url=rec.url,
        pay_now_text=rec.pay_now_text,
        payment_service_type="CUSTOM",
    )


def list_payment_services(service: Service, call: Call) -> Answer:
    """GET PaymentServices."""
    found = Settings(service, call).all(ServiceRec, "service")
    return _shape(call, "PaymentServices", [service_model(s) for s in found])


def put_payment_services(service: Service, call: Call) -> Answer:
    """PUT PaymentServices: create one or a batch."""
    items = _items(call, models.PaymentService, "PaymentService", "PaymentServices")
    settings_ = Settings(service, call)
    results: list[Any] = []
    for item in items:
        problems = []
        name = (item.payment_service_name or "").strip()
        url = (item.payment_service_url or "").strip()
        if not name:
            problems.append("The PaymentServiceName must be given.")  # inferred wording
        if not re.match(r"^https?://\S+$", url):
            problems.append("The PaymentServiceUrl must be an http or https URL.")  # inferred
        if problems:
            results.append(Problems(problems))
            continue
        rec = ServiceRec(
            service_id=new_guid(),
            name=name,
            url=url,
            pay_now_text=(item.pay_now_text or "").strip() or PAY_NOW_TEXT,
        )
        settings_.put("service", rec.service_id, rec)
        results.append(service_model(rec))
    return service._batch(call, "PaymentServices", items, results, "payment_service_id")


# ----------------------------------------------------------------------------- branding themes


def theme_model(rec: ThemeRec) -> models.BrandingTheme:
    return models.BrandingTheme(
        branding_theme_id=rec.theme_id,
        name=rec.name,
        type=models.BrandingThemeType.INVOICE,
        sort_order=rec.sort_order,
        created_date_utc=rec.created,
    )


def list_branding_themes(service: Service, call: Call) -> Answer:
    """GET BrandingThemes."""
    themes = Settings(service, call).all(ThemeRec, "theme")
    return _shape(call, "BrandingThemes", [theme_model(t) for t in themes])


def _theme(settings_: Settings, call: Call) -> ThemeRec:
    found = settings_.one(ThemeRec, "theme", _guid_segment(call, 1))
    if found is None:
        raise NotFound()
    return found


def get_branding_theme(service: Service, call: Call) -> Answer:
    """GET BrandingThemes/{BrandingThemeID}."""
    return _shape(call, "BrandingThemes", [theme_model(_theme(Settings(service, call), call))])


def _theme_services_path(call: Call) -> None:
    if call.segments[2].lower() != "paymentservices":
        raise NotFound()


def get_theme_services(service: Service, call: Call) -> Answer:
    """GET BrandingThemes/{id}/PaymentServices."""
    _theme_services_path(call)
    settings_ = Settings(service, call)
    theme = _theme(settings_, call)
    found = [settings_.one(ServiceRec, "service", s) for s in theme.services]
    return _shape(call, "PaymentServices", [service_model(s) for s in found if s is not None])


def post_theme_services(service: Service, call: Call) -> Answer:
    """POST BrandingThemes/{id}/PaymentServices: apply existing services to the theme."""
    _theme_services_path(call)
    settings_ = Settings(service, call)
    theme = _theme(settings_, call)
    items = _items(call, models.PaymentService, "PaymentService", "PaymentServices")
    applied = []
    for item in items:
        found = (
            settings_.one(ServiceRec, "service", item.payment_service_id.lower())
            if item.payment_service_id
            else None
        )
        if found is None:
            raise _refuse(item, "payment_service_id", ["Payment service could not be found"])
        applied.append(found)
        if found.service_id not in theme.services:
            theme.services.append(found.service_id)
    settings_.put("theme", theme.theme_id, theme)
    return _shape(call, "PaymentServices", [service_model(s) for s in applied])


# ----------------------------------------------------------------------------- budgets


def budget_model(
    service: Service,
    org: int,
    rec: BudgetRec,
    *,
    lines: bool,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> models.Budget:
    accounts = {a.code: a for a in service.store.accounts(org)}

    def within(period: str) -> bool:
        start = datetime.date.fromisoformat(period + "-01")
        return (since is None or start >= since.replace(day=1)) and (
            until is None or start <= until
        )

    return models.Budget(
        budget_id=rec.budget_id,
        type=models.BudgetType(rec.type),
        description=rec.description,
        updated_date_utc=rec.updated,
        budget_lines=[
            models.BudgetLine(
                account_id=accounts[line.account_code].account_id
                if line.account_code in accounts
                else None,
                account_code=line.account_code,
                budget_balances=[
                    models.BudgetBalance(period=b.period, amount=b.amount, notes=b.notes)
                    for b in line.balances
                    if within(b.period)
                ],
            )
            for line in rec.lines
        ]
        if lines
        else [],
    )


def list_budgets(service: Service, call: Call) -> Answer:
    """GET Budgets (IDs; DateFrom and DateTo are checked), without lines."""
    # inferred: lists leave the lines out, as lists of other resources leave details out
    ids = call.query.get("IDs", "")
    wanted = {v.strip().lower() for v in ids.split(",") if v.strip()} if ids.strip() else None
    if wanted is not None and any(not _GUID.match(v) for v in wanted):
        raise ApiError(POST_DATA_INVALID, "IDs must be GUIDs separated by commas.")
    for name in ("DateFrom", "DateTo"):  # checked; a list shows no balances to limit
        _date_param(call, name)
    found = [
        b
        for b in Settings(service, call).all(BudgetRec, "budget")
        if wanted is None or b.budget_id in wanted
    ]
    org = call.org.org_id
    return _shape(call, "Budgets", [budget_model(service, org, b, lines=False) for b in found])


def get_budget(service: Service, call: Call) -> Answer:
    """GET Budgets/{BudgetID}: the budget with its lines within DateFrom and DateTo."""
    found = Settings(service, call).one(BudgetRec, "budget", _guid_segment(call, 1))
    if found is None:
        raise NotFound()
    since, until = _date_param(call, "DateFrom"), _date_param(call, "DateTo")
    if since is not None and until is not None and since > until:
        raise ApiError(VALIDATION, "DateFrom must not be after DateTo.")  # inferred wording
    model = budget_model(service, call.org.org_id, found, lines=True, since=since, until=until)
    return _shape(call, "Budgets", [model])


# ----------------------------------------------------------------------------- setup


def post_setup(service: Service, call: Call) -> Answer:
    """POST Setup: chart of accounts, conversion date and conversion balances."""
    (item,) = _items(call, models.Setup, "Setup", None)
    settings_ = Settings(service, call)
    org = call.org.org_id
    problems: list[str] = []
    date = item.conversion_date
    if date is not None:
        if date.month is None or not 1 <= date.month <= 12:
            problems.append("The ConversionDate Month must be a whole number from 1 to 12.")
        if date.year is None or date.year <= 2006:
            problems.append("The ConversionDate Year must be after 2006.")
    before = {a.code: a for a in service.store.accounts(org) if a.status != "DELETED"}
    new = updated = 0
    errors: list[Any] = []
    for given in item.accounts:
        existing = before.get(given.code or "")
        try:
            service._save_account(call, given, existing, [])
        except ApiError as exc:
            errors.extend(exc.elements)
            continue
        if existing is None:
            new += 1
        else:
            updated += 1
    codes = {a.code for a in service.store.accounts(org) if a.status != "DELETED"}
    for n, balance in enumerate(item.conversion_balances, start=1):
        if not balance.account_code or balance.account_code not in codes:
            problems.append(
                f"Conversion balance {n}: the account code '{balance.account_code}' is not a valid code."
            )  # inferred wording
        for detail in balance.balance_details:
            if detail.currency_code and detail.currency_code not in settings_.settings.currencies:
                problems.append(
                    f"Conversion balance {n}: the currency {detail.currency_code} is not one of the organisation's currencies."
                )  # inferred
    if item.conversion_balances and date is None:
        problems.append("Conversion balances need a ConversionDate.")  # inferred
    if problems or errors:
        raise ApiError(
            VALIDATION,
            "A validation exception occurred" if not problems else " ".join(problems),
            elements=errors,
        )
    if date is not None:
        kept = settings_.settings
        kept.conversion_month, kept.conversion_year = date.month, date.year
        settings_.put("org", "settings", kept)
    accounts = [a for a in service.store.accounts(org) if a.status != "DELETED"]
    summary = models.ImportSummary(
        accounts=models.ImportSummaryAccounts(
            total=len(accounts),
            new=new,
            updated=updated,
            deleted=0,
            locked=0,
            system=sum(1 for a in accounts if a.type == "BANK" or a.code in ("610", "800", "820")),
            errored=0,
            present=bool(item.accounts),
            new_or_updated=new + updated,
        ),
        organisation=models.ImportSummaryOrganisation(present=False),
    )
    root = codec.envelope(call.provider, "ImportSummary", [])
    holder = root.find("ImportSummary")
    assert holder is not None
    root.replace(holder, codec.entity(summary, "ImportSummary"))
    return Answer(200, root)


# ----------------------------------------------------------------------------- routes

ROUTES: dict[tuple[str, str, int], tuple[Handler, str]] = {
    ("GET", "organisation", 1): (get_organisation, "accounting.settings"),
    ("GET", "organisation", 2): (get_organisation_part, "accounting.settings"),
    ("GET", "organisation", 3): (get_cis_settings, "accounting.settings"),
    ("GET", "invoicereminders", 2): (get_invoice_reminders, "accounting.settings"),
    ("GET", "currencies", 1): (list_currencies, "accounting.settings"),
    ("PUT", "currencies", 1): (put_currency, "accounting.settings"),
    ("GET", "taxrates", 1): (list_tax_rates, "accounting.settings"),
    ("GET", "taxrates", 2): (get_tax_rate, "accounting.settings"),
    ("PUT", "taxrates", 1): (put_tax_rates, "accounting.settings"),
    ("POST", "taxrates", 1): (post_tax_rates, "accounting.settings"),
    ("GET", "contactgroups", 1): (list_contact_groups, "accounting.contacts"),
    ("GET", "contactgroups", 2): (get_contact_group, "accounting.contacts"),
    ("PUT", "contactgroups", 1): (put_contact_groups, "accounting.contacts"),
    ("POST", "contactgroups", 2): (post_contact_group, "accounting.contacts"),
    ("PUT", "contactgroups", 3): (put_group_contacts, "accounting.contacts"),
    ("DELETE", "contactgroups", 3): (delete_group_contacts, "accounting.contacts"),
    ("DELETE", "contactgroups", 4): (delete_group_contact, "accounting.contacts"),
    ("GET", "paymentservices", 1): (list_payment_services, "paymentservices"),
    ("PUT", "paymentservices", 1): (put_payment_services, "paymentservices"),
    ("GET", "brandingthemes", 1): (list_branding_themes, "accounting.settings"),
    ("GET", "brandingthemes", 2): (get_branding_theme, "accounting.settings"),
    ("GET", "brandingthemes", 3): (get_theme_services, "paymentservices"),
    ("POST", "brandingthemes", 3): (post_theme_services, "paymentservices"),
    ("GET", "budgets", 1): (list_budgets, "accounting.budgets"),
    ("GET", "budgets", 2): (get_budget, "accounting.budgets"),
    ("POST", "setup", 1): (post_setup, "accounting.settings"),
}


def SEED(store: Store, org: Org) -> None:
    """Seed a new organisation's settings (tax rates, branding themes, a budget) when the store
    creates it, so that reads never write."""
    Settings.seeding(store, org)._seed()
