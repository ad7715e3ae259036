"""``python -m xero_sandbox`` runs the command line."""

from .cli import main

main()
