"""Helpers for fake transports that answer the way Xero does.

Xero answers a batch write (``PUT/POST <Things>`` with ``<Things><Thing/>...</Things>``) with
one element per element sent, in order; the SDK refuses an answer that does not (issue 20,
item 13). A fake answering from a fixed document therefore has to match the request's size:
:func:`as_many_as_sent` repeats (or cuts) the answer's elements to the number sent.
"""

from __future__ import annotations

import copy

from lxml import etree


def as_many_as_sent(request_body: bytes, answer: bytes) -> bytes:
    """``answer`` with its payload list holding one element per element of ``request_body``.

    Only a batch body changes anything: a root whose children are all one element (the
    ``<Things><Thing/>...</Things>`` of ``create_many``/``save_many``) whose list the answer
    carries under its ``<Response>``. The answer's own elements are reused in turn (so a fixture
    with an ``OK`` and an ``ERROR`` element keeps both when two are sent).
    """
    if not request_body:
        return answer
    try:
        sent = etree.fromstring(request_body)
    except etree.XMLSyntaxError:
        return answer
    tags = {child.tag for child in sent}
    if len(tags) != 1 or len(sent) == 0:
        return answer
    (tag,) = tags
    root = etree.fromstring(answer)
    payload = root.find(sent.tag)
    if payload is None:
        return answer
    own = [child for child in payload if child.tag == tag]
    if not own or len(own) == len(sent):
        return answer
    for child in own:
        payload.remove(child)
    for n in range(len(sent)):
        payload.append(copy.deepcopy(own[n % len(own)]))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
