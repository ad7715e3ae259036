"""API 2.0 (the Accounting API): routes, rules, codec and errors over the shared store."""
