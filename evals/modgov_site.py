"""A fake modern.gov site for tests: a real HTTP server on 127.0.0.1 answering in modern.gov's recorded
shape (the web service's XML as in DemocracyClub/LGSF's recorded fixtures, the meeting page's links,
the PDFs), with faults that can be set per path while it runs.

    with FakeModernGovSite({693: "Corporate Parenting Panel"},
                           {693: [FakeMeeting(7960, date(2018, 9, 19), {"pack": PACK})]}) as site:
        ModernGovSite(site.url, fetcher).committees()

Served: /robots.txt (the text given, else 404); /mgWebService.asmx/GetCommittees, GetMeetings (lCommitteeId,
sFromDate, sToDate as dd/mm/yyyy), GetMeeting (lMeetingId); /ieListDocuments.aspx?CId=&MId= (the
meeting's page); /documents/g{MID}/<name>.pdf (whole-meeting PDFs), /documents/s{N}/<name>.pdf and
/mgConvert2PDF.aspx?ID=N (item papers, N the attachment id). Anything else is a 404. Query keys are
case-insensitive, as on modern.gov.

``faults`` maps a substring of the request path (query included) to what goes wrong there: "500", "429"
(with ``retry_after``), "404", "timeout" (no answer for ``stall_seconds``), "slow" (answers after
``slow_seconds``), "html" (200, Content-Type application/pdf, an HTML error page), "truncated" (half the
PDF with the whole one's Content-Length, then the connection closes), "truncated-eof" (the PDF cut before
its %%EOF, with a matching Content-Length). A fault ending "-once" ("500-once") fires on the first
matching request only.
"""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

# (item number as printed, item title, {paper title: PDF}, restricted)
FakeItem = tuple[str, str, dict[str, Path], bool]

PAGE_KINDS = {"pack": "Public reports pack", "minutes": "Printed minutes"}
XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
ERROR_PAGE = (b"<!DOCTYPE html>\r\n<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' "
              b"Application.</h1><p>Sorry, the document could not be found.</p></body></html>\r\n")


@dataclass
class FakeMeeting:
    id: int
    date: date
    # "pack" | "minutes" | any other link text ("Agenda frontsheet") → a local PDF, linked on the meeting's page
    pdfs: dict[str, Path] = field(default_factory=dict)
    items: list[FakeItem] = field(default_factory=list)
    status: str = "Confirmed"
    time: str = "10.00 am"
    restricted_papers: frozenset[str] = frozenset()  # item paper titles restricted at the document level


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day:02d}{suffix}" if day < 10 else f"{day}{suffix}"


def _time24(text: str) -> str:
    """"10.00 am" → "10.00", "2.00 pm" → "14.00" (as modern.gov names its packs)."""
    try:
        return datetime.strptime(text.strip().upper(), "%I.%M %p").strftime("%H.%M")
    except ValueError:
        return text.strip()


class FakeModernGovSite:
    def __init__(self, committees: dict[int, str], meetings: dict[int, list[FakeMeeting]], *,
                 robots: str | None = None, xml_namespace: str | None = None, expired: frozenset[int] = frozenset()):
        self.committees = committees
        self.meetings = meetings
        self.robots = robots
        self.xml_namespace = xml_namespace  # e.g. "http://moderngov.co.uk/namespaces", as some sites answer
        self.expired = expired  # committee ids listed as expired
        self.faults: dict[str, str] = {}
        self.retry_after = "1"
        self.stall_seconds = 5.0
        self.slow_seconds = 0.2
        self.requests: list[str] = []  # every path requested (query included), in order
        self.user_agents: list[str] = []  # the User-Agent of each request, in the same order
        self.max_in_flight = 0  # the most requests ever being answered at once
        self._in_flight = 0
        self._fired: set[str] = set()
        self._attachments: dict[tuple[int, str, str], int] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    # Running -------------------------------------------------------------------------------------------

    def __enter__(self) -> FakeModernGovSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site._answer(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def pdf_requests(self) -> list[str]:
        with self._lock:
            return [path for path in self.requests if path.startswith("/documents/") or "mgconvert2pdf" in path.lower()]

    # Answering -----------------------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(handler.path)
            self.user_agents.append(handler.headers.get("User-Agent", ""))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            fault = self._fault(handler.path)
        try:
            reply = self._reply(handler.path, fault)
        finally:
            # A request stops counting before its answer is written: once the client has read the last byte it
            # may rightly send its next request while this thread is still returning from the write.
            with self._lock:
                self._in_flight -= 1
        if reply is None:
            return
        try:
            _send(handler, *reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _reply(self, path: str, fault: str) -> tuple[int, bytes, str, dict[str, str]] | None:
        """What to answer (status, body, content type, extra headers), or None to answer nothing."""
        if fault == "timeout":
            self._closing.wait(self.stall_seconds)
            return None
        if fault == "slow":
            self._closing.wait(self.slow_seconds)
        if fault in ("500", "404", "429"):
            headers = {"Retry-After": self.retry_after} if fault == "429" else {}
            return int(fault), ERROR_PAGE, "text/html; charset=utf-8", headers
        status, body, content_type = self._route(path)
        if fault == "html":
            return 200, ERROR_PAGE, "application/pdf", {}
        if fault == "truncated":
            return status, body[: len(body) // 2], content_type, {"Content-Length": str(len(body))}
        if fault == "truncated-eof":
            return status, body[: body.rfind(b"%%EOF") - 4096], content_type, {}
        return status, body, content_type, {}

    def _fault(self, path: str) -> str:
        for key, fault in list(self.faults.items()):
            if key in path:
                if fault.endswith("-once"):
                    if key in self._fired:
                        continue
                    self._fired.add(key)
                    return fault.removesuffix("-once")
                return fault
        return ""

    def _route(self, raw_path: str) -> tuple[int, bytes, str]:
        parts = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(parts.path)
        query = {key.lower(): values[-1] for key, values in urllib.parse.parse_qs(parts.query).items()}
        folded = path.lower()
        if folded == "/robots.txt":
            if self.robots is None:
                return 404, ERROR_PAGE, "text/html"
            return 200, self.robots.encode(), "text/plain"
        if folded.startswith("/mgwebservice.asmx/"):
            operation = folded.rsplit("/", 1)[-1]
            xml = {"getcommittees": self._committees_xml, "getmeetings": self._meetings_xml,
                   "getmeeting": self._meeting_xml}.get(operation)
            body = xml(query) if xml else None
            if body is None:
                return 404, ERROR_PAGE, "text/html"
            return 200, (XML_HEAD + body).encode(), "text/xml; charset=utf-8"
        if folded == "/ielistdocuments.aspx":
            page = self._meeting_page(query)
            return (200, page.encode(), "text/html; charset=utf-8") if page else (404, ERROR_PAGE, "text/html")
        pdf = self._pdf(parts.path, query)
        if pdf is not None:
            return 200, pdf.read_bytes(), "application/pdf"
        return 404, ERROR_PAGE, "text/html"

    # The site's data -----------------------------------------------------------------------------------

    def _asked(self, query: dict[str, str], key: str) -> tuple[int, FakeMeeting] | None:
        """The meeting a request's query names under ``key`` (None for a missing or unknown id)."""
        wanted = query.get(key, "")
        return self._find(int(wanted)) if wanted.isdigit() else None

    def _find(self, meeting_id: int) -> tuple[int, FakeMeeting] | None:
        for committee_id, meetings in self.meetings.items():
            for meeting in meetings:
                if meeting.id == meeting_id:
                    return committee_id, meeting
        return None

    def _attachment(self, meeting: FakeMeeting, item_number: str, title: str) -> int:
        with self._lock:
            key = (meeting.id, item_number, title)
            return self._attachments.setdefault(key, 50000 + len(self._attachments))

    def _page_pdfs(self, committee_id: int, meeting: FakeMeeting) -> list[tuple[str, str, Path]]:
        """(link text, file name, PDF) for the meeting's whole-meeting PDFs."""
        when = f"{_ordinal(meeting.date.day)}-{meeting.date:%b-%Y} {_time24(meeting.time)}"
        committee = self.committees.get(committee_id, "")
        out = []
        for key, pdf in meeting.pdfs.items():
            text = PAGE_KINDS.get(key, key)
            out.append((text, f"{text} {when} {committee}.pdf", pdf))
        return out

    def _item_papers(self, meeting: FakeMeeting):
        """(item, paper title, PDF, attachment id, restricted) for each item paper."""
        for item in meeting.items:
            number, _title, papers, restricted_item = item
            for title, pdf in papers.items():
                yield item, title, pdf, self._attachment(meeting, number, title), (
                    restricted_item or title in meeting.restricted_papers)

    def _pdf(self, raw_path: str, query: dict[str, str]) -> Path | None:
        if urllib.parse.unquote(raw_path).lower() == "/mgconvert2pdf.aspx":
            wanted = query.get("id", "")
            for _committee_id, meetings in self.meetings.items():
                for meeting in meetings:
                    for _item, _title, pdf, attachment, restricted in self._item_papers(meeting):
                        if str(attachment) == wanted and not restricted:
                            return pdf
            return None
        # Split before unquoting: a title may hold an escaped "/" ("2019%2F20").
        segments = [urllib.parse.unquote(segment).lower() for segment in raw_path.strip("/").split("/")]
        if len(segments) != 3 or segments[0] != "documents" or segments[1][:1] not in ("g", "s"):
            return None
        number = segments[1][1:]
        if not number.isdigit():
            return None
        if segments[1][0] == "g":
            found = self._find(int(number))
            if found is None:
                return None
            for _text, name, pdf in self._page_pdfs(*found):
                if name.lower() == segments[2]:
                    return pdf
            return None
        for _committee_id, meetings in self.meetings.items():
            for meeting in meetings:
                for _item, title, pdf, attachment, restricted in self._item_papers(meeting):
                    if attachment == int(number) and f"{title}.pdf".lower() == segments[2] and not restricted:
                        return pdf
        return None

    def _document(self, tag: str, children: list) -> str:
        """The web service's answer: ``children`` as (tag, text or [children]) pairs, indented as recorded."""
        opening = f'<{tag} xmlns="{self.xml_namespace}">' if self.xml_namespace else f"<{tag}>"
        return f"{opening}\n{_elements(children, 1)}</{tag}>\n"

    def _committees_xml(self, query: dict[str, str]) -> str:
        rows = [("committee", [("committeeid", cid), ("committeetitle", title), ("committeedeleted", False),
                               ("committeeexpired", cid in self.expired), ("committeecategory", "Committees")])
                for cid, title in self.committees.items()]
        # Counts come with a leading space, as recorded (" 3").
        return self._document("committees", [("committeescount", f" {len(rows)}"), *rows])

    def _meetings_xml(self, query: dict[str, str]) -> str:
        try:
            committee_id = int(query.get("lcommitteeid", ""))
            since = datetime.strptime(query.get("sfromdate", "01/01/1900"), "%d/%m/%Y").date()
            until = datetime.strptime(query.get("stodate", "31/12/2999"), "%d/%m/%Y").date()
        except ValueError:
            return self._document("getmeetings", [("meetingscount", " 0"), ("committeescount", " 0")])
        meetings = [m for m in self.meetings.get(committee_id, []) if since <= m.date <= until]
        rows = [("meeting", [("meetingid", m.id), ("meetingdate", f"{m.date:%d/%m/%Y}"), ("meetingstatus", m.status),
                             ("meetingtime", m.time), ("iswebcast", False)])
                for m in meetings]
        committee = [("committeeid", committee_id), ("committeetitle", self.committees.get(committee_id, "")),
                     ("committeemeetingcount", f" {len(rows)}"), ("committeemeetings", rows)]
        return self._document("getmeetings", [("meetingscount", f" {len(rows)}"), ("committeescount", " 1"),
                                              ("committee", committee)])

    def _meeting_xml(self, query: dict[str, str]) -> str | None:
        found = self._asked(query, "lmeetingid")
        if found is None:
            return None
        committee_id, meeting = found
        committee = self.committees.get(committee_id, "")
        day = f"{meeting.date:%d/%m/%Y}"
        papers = list(self._item_papers(meeting))
        items = []
        for order, item in enumerate(meeting.items):
            number, item_title, _papers, restricted_item = item
            docs = [("linkeddoc", [("attachmentid", attachment), ("title", title), ("isurl", False),
                                   ("url", f"{self.url}/mgConvert2PDF.aspx?ID={attachment}"),
                                   ("isrestricted", restricted), ("restrictionsRef", "\n"),
                                   ("publicationdate", f"{meeting.date.replace(day=1):%d/%m/%Y}"),
                                   ("meetingdate", day), ("committeetitle", committee), ("ownertitle", item_title)])
                    for owner, title, _pdf, attachment, restricted in papers if owner is item and not restricted_item]
            # As recorded: agendaitemnumber is an ordering key; the printed number is fulldisplaynumberformat.
            items.append(("agendaitem", [
                ("agendaitemid", meeting.id * 10 + order), ("agendaitemtitle", item_title),
                ("agendatext", f"<p>{item_title}</p>"), ("agendaitemnumber", order + 3),
                ("agendaitemsubnumber", "\n"), ("fulldisplaynumberformat", f"{number}."),
                ("isrestricted", restricted_item), ("meetingdate", day), ("linkeddocuments", docs)]))
        attendees = (f'  <attendees>\n    <attendee membertype="U" memberid="192" name="Councillor A Member">\n'
                     f"      <url>{self.url}/mgUserInfo.aspx?UID=192</url>\n    </attendee>\n  </attendees>\n")
        body = self._document("meeting", [("meetingid", meeting.id), ("meetingdate", day),
                                          ("meetingstatus", meeting.status), ("meetingtime", meeting.time),
                                          ("agendaitems", items)])
        return body.replace("</meeting>\n", attendees + "</meeting>\n")

    def _meeting_page(self, query: dict[str, str]) -> str | None:
        found = self._asked(query, "mid")
        if found is None:
            return None
        committee_id, meeting = found
        links = []
        for text, name, pdf in self._page_pdfs(committee_id, meeting):
            href = f"documents/g{meeting.id}/{urllib.parse.quote(name, safe='')}?T=10"
            size = f"PDF {max(1, pdf.stat().st_size // 1024)} KB"
            links.append(f'<li><a href="{href}" title="Link to document \'{escape(name[:-4])}\' ({size})">'
                         f'{escape(text)} <span class="mgFileSize">{size}</span></a></li>')
        item_rows = []
        for (number, item_title, _papers, restricted_item), title, _pdf, attachment, restricted in \
                self._item_papers(meeting):
            if restricted_item or restricted:
                item_rows.append(f"<tr><td>{escape(number)}.</td><td>{escape(item_title)} (exempt)</td></tr>")
                continue
            href = f"documents/s{attachment}/{urllib.parse.quote(title, safe='')}.pdf"
            item_rows.append(f'<tr><td>{escape(number)}.</td><td>{escape(item_title)}<ul class="mgBulletList">'
                             f'<li><a href="{href}" title="Link to document \'{escape(title)}\'">{escape(title)} '
                             f'<span class="mgFileSize">PDF 100 KB</span></a></li></ul></td></tr>')
        committee = escape(self.committees.get(committee_id, ""))
        return (f"<!DOCTYPE html>\n<html><head><title>Agenda for {committee} on {meeting.date:%A, %d %B, %Y}, "
                f"{escape(meeting.time)}</title></head>\n<body><div id=\"modgov\"><div class=\"mgContent\">\n"
                f'<a href="mgCommitteeDetails.aspx?ID={committee_id}">{committee}</a>\n'
                f'<ul class="mgActionList">{"".join(links)}</ul>\n'
                f'<table class="mgItemTable">{"".join(item_rows)}</table>\n'
                f'<a href="mgListCommittees.aspx?bcr=1">Committee details</a>\n</div></div></body></html>\n')


def _elements(children: list, depth: int) -> str:
    pad = "  " * depth
    out = []
    for tag, value in children:
        if isinstance(value, list):
            out.append(f"{pad}<{tag}>\n{_elements(value, depth + 1)}{pad}</{tag}>\n")
        else:
            out.append(f"{pad}<{tag}>{escape(str(value))}</{tag}>\n")
    return "".join(out)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    headers = {"Content-Length": str(len(body)), **(headers or {})}
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()

