"""xero-codegen: generates the xero_customer_api package from hand-kept XSDs."""
