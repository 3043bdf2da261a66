"""pdfplumber's page, with its conversion of each parsed object to a dict made cheaper.

pdfplumber turns every character pdfminer parses into a dict, and on real council papers a fifth of a page's
reading time went to that conversion's generic per-attribute ``resolve_all`` (cProfile of ``read_part`` over
the real archive): a recursive resolver run on plain floats and strings, fifteen times per character, and the
decoding of the same colour space's name for every character. Here a plain value (or a tuple of them) is taken
as it is (``resolve_all`` returns it unchanged, or an equal tuple), a colour space's name is decoded once, and
everything else still goes through ``resolve_all``; the rest is pdfplumber 0.11.10's ``Page.process_object``
line for line (the version ``pyproject.toml`` pins). ``tests/test_pdf_reader.py`` checks that every object of
real papers comes out equal to the library's own.
"""

from __future__ import annotations

import re
from typing import Any

from pdfminer.layout import LTChar, LTCurve, LTItem, LTTextContainer
from pdfplumber.page import ALL_ATTRS, Page, fix_fontname_bytes, lt_pat, normalize_unicode
from pdfplumber.utils import resolve_all, resolve_and_decode

# Values ``resolve_all`` would return unchanged (it resolves references, lists, tuples and dicts only).
_PLAIN: frozenset[type] = frozenset({float, int, str, bool, type(None)})
_KINDS: dict[type, str] = {}  # "LTChar" -> "char": the class name's regex, once per class
_COLOUR_SPACES: dict[str | bytes, Any] = {}  # a colour space's name, decoded once ("DeviceGray", per char)


def _resolved(value: Any) -> Any:
    """``resolve_all(value)``, without the call for a plain value or a tuple of them (a char's matrix)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple and all(type(item) in _PLAIN for item in value):
        return value  # resolve_all would build an equal tuple
    return resolve_all(value)


def _colour_space(name: Any) -> Any:
    if type(name) not in (str, bytes):
        return resolve_and_decode(name)
    decoded = _COLOUR_SPACES.get(name)
    if decoded is None:
        decoded = _COLOUR_SPACES[name] = resolve_and_decode(name)
    return decoded


class QuickPage(Page):
    """A pdfplumber page whose objects are converted as above; use ``quicken`` on a page of ``pdf.pages``."""

    def process_object(self, obj: LTItem) -> dict[str, Any]:
        cls = obj.__class__
        kind = _KINDS.get(cls)
        if kind is None:
            kind = _KINDS[cls] = re.sub(lt_pat, "", cls.__name__).lower()
        attr = {k: _resolved(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
        attr["object_type"] = kind
        attr["page_number"] = self.page_number
        for cs in ["ncs", "scs"]:
            if hasattr(obj, cs):
                attr[cs] = _colour_space(getattr(obj, cs).name)
        if isinstance(obj, (LTChar, LTTextContainer)):
            text = obj.get_text()
            attr["text"] = (normalize_unicode(self.pdf.unicode_norm, text)
                            if self.pdf.unicode_norm is not None else text)
        if isinstance(obj, LTChar):
            gs = obj.graphicstate
            attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
            attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
            if isinstance(attr["fontname"], bytes):
                attr["fontname"] = fix_fontname_bytes(attr["fontname"])
        elif isinstance(obj, LTCurve):
            attr["pts"] = list(map(self.point2coord, attr["pts"]))
            attr["path"] = [(cmd, *map(self.point2coord, pts)) for cmd, *pts in obj.original_path]
            attr["dash"] = obj.dashing_style
        mb_x0, mb_top = self.mediabox[:2]
        if "y0" in attr:
            attr["top"] = (self.height - attr["y1"]) + mb_top
            attr["bottom"] = (self.height - attr["y0"]) + mb_top
            attr["doctop"] = self.initial_doctop + attr["top"]
        if "x0" in attr and mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr


def quicken(page: Page) -> Page:
    """The same page, converting its objects as ``QuickPage`` does (a plain ``Page`` of ``pdf.pages``: a
    cropped page keeps its own class)."""
    if type(page) is Page:
        page.__class__ = QuickPage
    return page
