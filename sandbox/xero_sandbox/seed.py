"""Seed data for a new organisation: an NZ-style chart of accounts and tracking categories.

Written for the sandbox (not copied from Xero): codes follow the familiar NZ layout of
revenue in the 200s, expenses in the 400s, assets in the 600s-700s, liabilities in the 800s
and equity in the 900s, with 12.5% GST (OUTPUT on sales, INPUT on purchases).
"""

from __future__ import annotations

import secrets
import string

from .model import Account, TrackingCategory

PARTNER_NAME = "Demo Partner"
ORG_NAME = "Demo Company"
KEY_LENGTH = 30
_KEY_ALPHABET = string.ascii_uppercase + string.digits

CHART_OF_ACCOUNTS: tuple[Account, ...] = (
    Account("200", "Sales", "REVENUE", "OUTPUT", "Income from the sale of goods and services."),
    Account(
        "260", "Other Revenue", "REVENUE", "OUTPUT", "Income that is not part of normal trading."
    ),
    Account("270", "Interest Income", "OTHERINCOME", "NONE", "Interest earned on bank balances."),
    Account(
        "310", "Cost of Goods Sold", "DIRECTCOSTS", "INPUT", "Cost of the goods sold to customers."
    ),
    Account("400", "Advertising", "OVERHEADS", "INPUT", "Advertising and marketing costs."),
    Account("404", "Bank Fees", "OVERHEADS", "NONE", "Fees charged by the bank."),
    Account("408", "Cleaning", "OVERHEADS", "INPUT", "Cleaning of the premises."),
    Account(
        "412",
        "Consulting & Accounting",
        "OVERHEADS",
        "INPUT",
        "Professional advice and accounting.",
    ),
    Account("416", "Depreciation", "DEPRECIATN", "NONE", "Depreciation of fixed assets."),
    Account("420", "Entertainment", "OVERHEADS", "INPUT", "Client and staff entertainment."),
    Account(
        "429", "General Expenses", "OVERHEADS", "INPUT", "Small expenses with no better account."
    ),
    Account("433", "Insurance", "OVERHEADS", "INPUT", "Business insurance premiums."),
    Account("445", "Light, Power, Heating", "OVERHEADS", "INPUT", "Electricity and gas."),
    Account("453", "Office Expenses", "OVERHEADS", "INPUT", "Stationery and office consumables."),
    Account("469", "Rent", "OVERHEADS", "INPUT", "Rent of the premises."),
    Account("477", "Wages and Salaries", "EXPENSE", "NONE", "Payroll costs."),
    Account("489", "Telephone & Internet", "OVERHEADS", "INPUT", "Phone and internet services."),
    Account("493", "Travel - National", "OVERHEADS", "INPUT", "Domestic travel."),
    Account("610", "Accounts Receivable", "CURRENT", "NONE", "Money owed by customers."),
    Account("620", "Prepayments", "PREPAYMENT", "NONE", "Expenses paid in advance."),
    Account("720", "Office Equipment", "FIXED", "INPUT", "Computers, furniture and equipment."),
    Account("800", "Accounts Payable", "CURRLIAB", "NONE", "Money owed to suppliers."),
    Account("820", "GST", "CURRLIAB", "NONE", "GST collected less GST paid."),
    Account("900", "Loan", "TERMLIAB", "NONE", "Long-term borrowing."),
    Account("970", "Owner A Funds Introduced", "EQUITY", "NONE", "Capital put in by the owner."),
)

TRACKING_CATEGORIES: tuple[TrackingCategory, ...] = (
    TrackingCategory("Region", ("North", "South", "East", "West", "Auckland")),
    TrackingCategory("Salesperson", ("Aroha Ngata", "Ben Wilson", "Mei Chen")),
)


def new_key() -> str:
    """A random key shaped like Xero's: 30 upper-case letters and digits."""
    return "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_LENGTH))
