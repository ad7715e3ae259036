"""One-off: append the attachments and pdf entries to the resource files (issue 18)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "schemas/v2.0/resources"
RES = [
    # file, Path, id param, noun, pdf, include_online, sample file name, bytes
    ("accounts", "Accounts", "account_id", "account", False, False),
    ("bank_transactions", "BankTransactions", "bank_transaction_id", "bank transaction", False, False),
    ("bank_transfers", "BankTransfers", "bank_transfer_id", "bank transfer", False, False),
    ("contacts", "Contacts", "contact_id", "contact", False, False),
    ("credit_notes", "CreditNotes", "credit_note_id", "credit note", True, True),
    ("invoices", "Invoices", "invoice_id", "invoice", True, True),
    ("manual_journals", "ManualJournals", "manual_journal_id", "manual journal", False, False),
    ("purchase_orders", "PurchaseOrders", "purchase_order_id", "purchase order", True, False),
    ("quotes", "Quotes", "quote_id", "quote", True, False),
    ("receipts", "Receipts", "receipt_id", "receipt", False, False),
    ("repeating_invoices", "RepeatingInvoices", "repeating_invoice_id", "repeating invoice", False, False),
]
MARK = "# ---- attachments and PDF (issue 18)"


def slot_of(param: str) -> str:
    return "".join(p.capitalize() for p in param.removesuffix("_id").split("_")) + "ID"


def cli(name: str) -> str:
    return name.replace("_", "-")


def entries(file: str, path: str, pid: str, noun: str, pdf: bool, online: bool) -> str:
    a_noun = ("an " if noun[0] in "aeiou" else "a ") + noun
    slot = slot_of(pid)
    base = f"{path}/{{{slot}}}"
    doc_var = f"{file.rstrip('s') if not file.endswith('ies') else file[:-3] + 'y'}_with_files"
    upper = doc_var.upper()
    idp = f'''[[endpoints.path_params]]
name = "{pid}"
slot = "{slot}"
type = "guid"
doc = "Xero's identifier of the {noun}."
'''
    out = [f"\n{MARK}: files attached to the {noun}" + (", and its PDF" if pdf else "") + ".\n"]
    online_q = '''[[endpoints.query]]
name = "include_online"
wire = "IncludeOnline"
type = "bool"
default = false
doc = "True to show the file to the customer with the online invoice."
''' if online else ""
    if online:
        upload_example = f'''
import pathlib
{doc_var} = client.{file}.list()[0].{pid}
{upper} = str({doc_var})  # for the shell examples: $UPPER
order = pathlib.Path("signed-order.pdf")
order.write_bytes(b"%PDF-1.4 signed order")
with order.open("rb") as file:
    signed = client.{file}.attachments.upload(
        {pid}={doc_var}, file_name=order.name, content=file, include_online=True
    )
print(signed.file_name, signed.mime_type, signed.content_length, signed.include_online)
'''.replace("$UPPER", "$" + upper)
    else:
        upload_example = f'''
import pathlib
{doc_var} = client.{file}.list()[0].{pid}
{upper} = str({doc_var})  # for the shell examples: $UPPER
scan = pathlib.Path("receipt-scan.png")
scan.write_bytes(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(256))
saved = client.{file}.attachments.upload({pid}={doc_var}, file_name=scan.name, content=scan)
print(saved.file_name, saved.mime_type, saved.content_length)
'''.replace("$UPPER", "$" + upper)
    name_ = "signed-order.pdf" if online else "receipt-scan.png"
    out.append(f'''
[sub_resources.attachments]
doc = "Files attached to {a_noun} (at most 10, each at most 10 MB): list them, upload or replace one, download one by file name or AttachmentID."

[[endpoints]]
name = "upload"
sub_resource = "attachments"
method = "PUT"
path = "{base}/Attachments/{{FileName}}"
request = {{ binary = true, param = "content", max_files = 10 }}
response = {{ schema = "responses/attachments_response.xsd", type = "AttachmentsResponse", payload = "attachments" }}
returns = "one"
cli_arguments = ["{pid}", "content"]
doc = "Attach a file to {a_noun} (a file of the same name is replaced); the content is streamed, its type taken from the file name unless given."
example = \'\'\'{upload_example}\'\'\'
cli_example = \'\'\'xero {cli(file)} attachments upload ${upper} {name_}{" --include-online" if online else ""}\'\'\'
{idp}[[endpoints.path_params]]
name = "file_name"
slot = "FileName"
type = "string"
doc = "The attachment's file name (1 to 255 characters, no slash, backslash or control character)."
{online_q}
[[endpoints]]
name = "replace"
sub_resource = "attachments"
method = "POST"
path = "{base}/Attachments/{{FileName}}"
request = {{ binary = true, param = "content", max_files = 10 }}
response = {{ schema = "responses/attachments_response.xsd", type = "AttachmentsResponse", payload = "attachments" }}
returns = "one"
cli_arguments = ["{pid}", "content"]
doc = "Replace a file attached to {a_noun} (POST; a new name is added, as by upload())."
example = \'\'\'
again = client.{file}.attachments.replace({pid}={doc_var}, file_name="{name_}", content=b"corrected copy")
print(again.file_name, again.content_length)
\'\'\'
cli_example = \'\'\'xero {cli(file)} attachments replace ${upper} {name_}\'\'\'
{idp}[[endpoints.path_params]]
name = "file_name"
slot = "FileName"
type = "string"
doc = "The attachment's file name (1 to 255 characters, no slash, backslash or control character)."

[[endpoints]]
name = "list"
sub_resource = "attachments"
method = "GET"
path = "{base}/Attachments"
response = {{ schema = "responses/attachments_response.xsd", type = "AttachmentsResponse", payload = "attachments" }}
cli_arguments = ["{pid}"]
doc = "List the files attached to {a_noun} (names, sizes, types and ids; not their content)."
example = \'\'\'
files = client.{file}.attachments.list({pid}={doc_var})
print([(f.file_name, f.content_length) for f in files])
\'\'\'
cli_example = \'\'\'xero {cli(file)} attachments list ${upper}\'\'\'
{idp}
[[endpoints]]
name = "download"
sub_resource = "attachments"
method = "GET"
path = "{base}/Attachments/{{Attachment}}"
response = {{ binary = "*/*", content_type_header = "contentType", file_name = "file_name" }}
one_of = ["file_name", "attachment_id"]
cli_arguments = ["{pid}", "file_name"]
doc = "Download a file attached to {a_noun}, by file name or AttachmentID, as bytes; download_to() streams it to a file."
example = \'\'\'
content = client.{file}.attachments.download({pid}={doc_var}, file_name="{name_}")
print(len(content), content[:14])
first = files[0]
with open("copy-of-" + first.file_name, "wb") as out:
    print(client.{file}.attachments.download_to({pid}={doc_var}, attachment_id=first.attachment_id, destination=out))
\'\'\'
cli_example = \'\'\'xero {cli(file)} attachments download ${upper} {name_} -o downloaded-{name_}\'\'\'
{idp}[[endpoints.path_params]]
name = "file_name"
slot = "Attachment"
type = "string"
doc = "The attachment's file name."
[[endpoints.path_params]]
name = "attachment_id"
slot = "Attachment"
type = "guid"
doc = "Xero's identifier of the attachment (AttachmentID)."
''')
    if pdf:
        out.append(f'''
[[endpoints]]
name = "pdf"
method = "GET"
path = "{base}/pdf"
response = {{ binary = "application/pdf" }}
cli_arguments = ["{pid}"]
doc = "The {noun} as a PDF document (what Xero prints or emails), as bytes; pdf_to() streams it to a file."
example = \'\'\'
pdf = client.{file}.pdf({pid}={doc_var})
print(pdf[:5], len(pdf), "bytes")
written = client.{file}.pdf_to({pid}={doc_var}, destination="{cli(file)[:-1]}.pdf")
print(written, "bytes written to {cli(file)[:-1]}.pdf")
\'\'\'
cli_example = \'\'\'xero {cli(file)} pdf ${upper} -o {cli(file)[:-1]}-copy.pdf\'\'\'
{idp}''')
    return "".join(out)


for row in RES:
    target = ROOT / f"{row[0]}.toml"
    text = target.read_text(encoding="utf-8")
    if MARK in text:
        text = text[: text.index(MARK)].rstrip("\n") + "\n"
    target.write_text(text.rstrip("\n") + "\n" + entries(*row), encoding="utf-8")
    print("wrote", target.name)
