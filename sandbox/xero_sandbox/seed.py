"""Seed data for a new organisation: an NZ-style chart of accounts and tracking categories.

Written for the sandbox (not copied from Xero): codes follow the familiar NZ layout of
revenue in the 200s, expenses in the 400s, assets in the 600s-700s, liabilities in the 800s
and equity in the 900s, with 12.5% GST (OUTPUT on sales, INPUT on purchases).
"""

from __future__ import annotations

import secrets
import string

from xero_customer_api.v1_0.models import (
    Account,
    AccountType,
    TaxType,
    TrackingCategory,
    TrackingOption,
)

PARTNER_NAME = "Demo Partner"
ORG_NAME = "Demo Company"
KEY_LENGTH = 30
_KEY_ALPHABET = string.ascii_uppercase + string.digits

_ACCOUNTS = (  # code, name, type, tax type, description
    ("200", "Sales", "REVENUE", "OUTPUT", "Income from the sale of goods and services."),
    ("260", "Other Revenue", "REVENUE", "OUTPUT", "Income that is not part of normal trading."),
    ("270", "Interest Income", "OTHERINCOME", "NONE", "Interest earned on bank balances."),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT", "Cost of the goods sold to customers."),
    ("400", "Advertising", "OVERHEADS", "INPUT", "Advertising and marketing costs."),
    ("404", "Bank Fees", "OVERHEADS", "NONE", "Fees charged by the bank."),
    ("408", "Cleaning", "OVERHEADS", "INPUT", "Cleaning of the premises."),
    (
        "412",
        "Consulting & Accounting",
        "OVERHEADS",
        "INPUT",
        "Professional advice and accounting.",
    ),
    ("416", "Depreciation", "DEPRECIATN", "NONE", "Depreciation of fixed assets."),
    ("420", "Entertainment", "OVERHEADS", "INPUT", "Client and staff entertainment."),
    ("429", "General Expenses", "OVERHEADS", "INPUT", "Small expenses with no better account."),
    ("433", "Insurance", "OVERHEADS", "INPUT", "Business insurance premiums."),
    ("445", "Light, Power, Heating", "OVERHEADS", "INPUT", "Electricity and gas."),
    ("453", "Office Expenses", "OVERHEADS", "INPUT", "Stationery and office consumables."),
    ("469", "Rent", "OVERHEADS", "INPUT", "Rent of the premises."),
    ("477", "Wages and Salaries", "EXPENSE", "NONE", "Payroll costs."),
    ("489", "Telephone & Internet", "OVERHEADS", "INPUT", "Phone and internet services."),
    ("493", "Travel - National", "OVERHEADS", "INPUT", "Domestic travel."),
    ("610", "Accounts Receivable", "CURRENT", "NONE", "Money owed by customers."),
    ("620", "Prepayments", "PREPAYMENT", "NONE", "Expenses paid in advance."),
    ("720", "Office Equipment", "FIXED", "INPUT", "Computers, furniture and equipment."),
    ("800", "Accounts Payable", "CURRLIAB", "NONE", "Money owed to suppliers."),
    ("820", "GST", "CURRLIAB", "NONE", "GST collected less GST paid."),
    ("900", "Loan", "TERMLIAB", "NONE", "Long-term borrowing."),
    ("970", "Owner A Funds Introduced", "EQUITY", "NONE", "Capital put in by the owner."),
)

_TRACKING = {
    "Region": ("North", "South", "East", "West", "Auckland"),
    "Salesperson": ("Aroha Ngata", "Ben Wilson", "Mei Chen"),
}

CHART_OF_ACCOUNTS: tuple[Account, ...] = tuple(
    Account(
        code=code,
        name=name,
        type=AccountType(kind),
        tax_type=TaxType(tax),
        description=description,
    )
    for code, name, kind, tax, description in _ACCOUNTS
)
TRACKING_CATEGORIES: tuple[TrackingCategory, ...] = tuple(
    TrackingCategory(name=name, options=[TrackingOption(name=option) for option in options])
    for name, options in _TRACKING.items()
)


def new_key() -> str:
    """A random key shaped like Xero's: 30 upper-case letters and digits."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_LENGTH))
