"""Seed data for a new organisation: an NZ-style chart of accounts and tracking categories.

Written for the sandbox (not copied from Xero): codes follow the familiar NZ layout of
revenue in the 200s, expenses in the 400s, assets in the 600s-700s, liabilities in the 800s
and equity in the 900s, with 12.5% GST (OUTPUT on sales, INPUT on purchases). Plain values:
each organisation gets its own ids (:mod:`xero_sandbox.store`).
"""

from __future__ import annotations

import secrets
import string

PARTNER_NAME = "Demo Partner"
ORG_NAME = "Demo Company"
#: The OAuth 2.0 app of the demo partner (a "custom connection" to the Demo Company).
APP_NAME = "Demo App"
KEY_LENGTH = 30
_KEY_ALPHABET = string.ascii_uppercase + string.digits

#: code, name, type, tax type, description
CHART_OF_ACCOUNTS: tuple[tuple[str, str, str, str, str], ...] = (
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
#: A bank account payments can be made to (2.0's Payments need one).
BANK_ACCOUNT = ("090", "Business Bank Account", "BANK", "NONE", "The main business account.")

TRACKING_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Region": ("North", "South", "East", "West", "Auckland"),
    "Salesperson": ("Aroha Ngata", "Ben Wilson", "Mei Chen"),
}

#: Account type -> its class (2.0's read-only Account/Class).
ACCOUNT_CLASS = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "FIXED": "ASSET",
    "INVENTORY": "ASSET",
    "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
    "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "OTHERINCOME": "REVENUE",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
}


def new_key() -> str:
    """A random key shaped like Xero's: 30 upper-case letters and digits."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_LENGTH))


def new_client_id() -> str:
    """An OAuth 2.0 client id shaped like Xero's: 32 upper-case hex digits."""
    return secrets.token_hex(16).upper()


def new_secret() -> str:
    """A client secret shaped like Xero's: 48 URL-safe characters."""
    return secrets.token_urlsafe(36)
