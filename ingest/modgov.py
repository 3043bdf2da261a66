"""Reading a council's modern.gov site: its web service (committees, meetings, a meeting's agenda items and
their papers, ``{site}/mgWebService.asmx/<Operation>``, bare XML by GET) and its meeting pages
(``ieListDocuments.aspx``), which link the whole-meeting PDFs the service does not list: the public reports
pack and the printed minutes.

``PoliteFetcher`` makes every request: one at a time, at least ``interval_seconds`` between their starts
(or the site's robots.txt Crawl-delay, if longer), a User-Agent naming the project and its version, a
timeout, retries with exponential backoff on a 5xx, a 429 or a dropped connection (never on another 4xx),
and robots.txt honoured. ``download`` writes a PDF to a temporary file beside its destination, checks it
is a whole PDF and only then moves it into place.

Every failure is a ``SiteError`` whose ``str()`` is one line for the user. Standard library only.
"""

from __future__ import annotations

import datetime
import difflib
import email.utils
import hashlib
import http.client
import importlib.metadata
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

from core.settings import SyncSettings

PROJECT_URL = "https://github.com/panel-papers"
# A Retry-After longer than this is cut to it: a sync should not sit silent for an hour.
MAX_RETRY_WAIT_SECONDS = 120.0
# A whole PDF ends with %%EOF, perhaps followed by a little whitespace or junk.
EOF_WINDOW = 2048
CHUNK_BYTES = 64 * 1024
# modern.gov's web service has nothing before this; the default range runs from here to a year ahead.
FIRST_MEETING_DATE = datetime.date(2000, 1, 1)
# What a site that is not modern.gov (or has its web service switched off) answers for GetCommittees.
NOT_SERVICE_STATUSES = frozenset({400, 404, 405, 410, 501})

T = TypeVar("T")


class SiteError(Exception):
    """Anything that went wrong talking to the site; ``str(err)`` is the one-line message for the user."""


class NotModernGov(SiteError):
    """The site answers, but not as a modern.gov site (no web service, or one that does not answer XML)."""


class SiteUnreachable(SiteError):
    """No connection could be made to the site (DNS, refused, connect timeout), after the retries."""


class CommitteeNotFound(SiteError):
    """No committee of that id or name; the message names the nearest titles."""


class FetchFailed(SiteError):
    """One URL failed (an HTTP status, no answer in time, disallowed by robots.txt): "<url>: <reason>"."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status  # the HTTP status, where the failure was one


class NotAPdf(FetchFailed):
    """A download that is not a whole PDF: an HTML page sent with status 200, or a body cut short."""


@dataclass(frozen=True)
class Committee:
    id: int
    title: str
    deleted: bool
    expired: bool


@dataclass(frozen=True)
class Meeting:
    id: int
    committee_id: int
    committee: str  # the committee's title on the site
    date: datetime.date
    status: str  # "Confirmed", "Rearranged", ... (cancelled meetings are never listed)
    time: str  # as the site prints it, e.g. "10.00 am"


@dataclass(frozen=True)
class Paper:
    """One PDF of a meeting to fetch."""

    url: str  # absolute
    title: str  # "Public reports pack 19th-Sep-2018 10.00 Corporate Parenting Panel", or the item paper's title
    kind: str  # "pack" | "minutes" | "frontsheet" | "item"
    item_number: str = ""  # the agenda item's number as printed on the agenda ("" for packs and minutes)
    item_title: str = ""
    attachment_id: int | None = None
    published: datetime.date | None = None


@dataclass(frozen=True)
class MeetingPapers:
    meeting: Meeting
    papers: list[Paper]
    # Papers withheld as restricted (exempt): each restricted document, and each restricted agenda item
    # that lists none (its paper is withheld without being listed).
    restricted_skipped: int


@dataclass(frozen=True)
class Download:
    path: Path
    sha256: str
    size: int
    content_type: str
    url: str


def default_user_agent() -> str:
    try:
        version = importlib.metadata.version("panel-papers")
    except importlib.metadata.PackageNotFoundError:
        version = "0"
    return f"panel-papers/{version} (+{PROJECT_URL})"


def normalise_site_url(site: str) -> str:
    """The site's base URL: a scheme (https:// if none was given), no query, no trailing slash, and no page
    name ("https://x.gov.uk/mgListCommittees.aspx?bcr=1" → "https://x.gov.uk"); a sub-path such as
    "/moderngov" is kept."""
    site = site.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", site):
        site = "https://" + site
    parts = urllib.parse.urlsplit(site)
    path = parts.path
    if re.search(r"\.(aspx|asmx|html?)$", path.rsplit("/", 1)[-1], re.IGNORECASE):
        path = path.rsplit("/", 1)[0]
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, path.rstrip("/"), "", ""))


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _clean_url(url: str) -> str:
    """A URL urllib can send: raw spaces and other unsafe characters quoted, existing %-escapes kept."""
    return urllib.parse.quote(url.strip(), safe="%/:=&?~#+!$,;'@()*[]")


def _tries(count: int) -> str:
    return f" ({count} tries)" if count > 1 else ""


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, BaseException):
        return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return str(reason)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date), capped; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        seconds = (when - datetime.datetime.now(datetime.UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_WAIT_SECONDS)


class _Robots:
    """One host's robots.txt: its rules, or why it could not be read (then everything is disallowed)."""

    def __init__(self, rules: urllib.robotparser.RobotFileParser, unreadable: str = ""):
        self.rules = rules
        self.unreadable = unreadable


class PoliteFetcher:
    """Every request to a site goes through here (see the module docstring). ``requests`` counts them,
    retries and robots.txt included."""

    def __init__(self, settings: SyncSettings, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.user_agent = settings.user_agent or default_user_agent()
        self.requests = 0
        self._clock = clock
        self._sleep = sleep
        # Reentrant: a request's first visit to a host fetches its robots.txt while holding the lock.
        self._lock = threading.RLock()
        self._last_start: float | None = None
        self._robots: dict[str, _Robots] = {}
        self._opener = urllib.request.build_opener()

    def get(self, url: str) -> bytes:
        """The body of ``url``; FetchFailed, or SiteUnreachable, once the retries are spent."""
        with self._lock:
            self._check_robots(url)
            return self._with_retries(url, lambda response: response.read())

    def download(self, url: str, dest: Path) -> Download:
        """Fetch the PDF at ``url`` into ``dest``: streamed to ``dest.with_suffix(".part")``, checked to be a
        whole PDF, synced to disk, then moved into place. On any failure the part file is removed and
        ``dest`` is untouched."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_suffix(".part")
        try:
            with self._lock:
                self._check_robots(url)
                sha256, size, content_type = self._with_retries(url, lambda response: _save_pdf(response, url, part))
            os.replace(part, dest)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        _fsync_dir(dest.parent)
        return Download(path=dest, sha256=sha256, size=size, content_type=content_type, url=url)

    # The request itself -------------------------------------------------------------------------------

    def _with_retries(self, url: str, consume: Callable[[http.client.HTTPResponse], T]) -> T:
        tries = max(0, self.settings.retries) + 1
        for attempt in range(tries):
            last = attempt == tries - 1
            self._wait_turn(url)
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
            try:
                with self._opener.open(request, timeout=self.settings.timeout_seconds) as response:
                    return consume(response)
            except urllib.error.HTTPError as err:
                err.close()
                if not (err.code == 429 or err.code >= 500) or last:
                    raise FetchFailed(url, f"HTTP {err.code}{_tries(attempt + 1)}", status=err.code) from None
                wait = _retry_after(err.headers.get("Retry-After"))
            except urllib.error.URLError as err:  # the connection could not be made
                if last:
                    raise SiteUnreachable(f"cannot reach {_origin(url)}: {_reason(err)}{_tries(tries)}") from None
                wait = None
            except TimeoutError:
                if last:
                    waited = f"{self.settings.timeout_seconds:g} s"
                    raise FetchFailed(url, f"timed out: no answer within {waited}{_tries(tries)}") from None
                wait = None
            except (ConnectionError, http.client.HTTPException) as err:  # dropped mid-answer
                if last:
                    raise FetchFailed(url, f"connection dropped: {_reason(err)}{_tries(tries)}") from None
                wait = None
            self._sleep(wait if wait is not None else self.settings.backoff_seconds * 2**attempt)
        raise AssertionError("unreachable")  # the last try always returns or raises

    def _wait_turn(self, url: str) -> None:
        """Sleep until the least interval since the last request's start has passed."""
        interval = self.settings.interval_seconds
        robots = self._robots.get(_origin(url))
        if robots is not None and self.settings.robots:
            interval = max(interval, float(robots.rules.crawl_delay(self.user_agent) or 0))
        if self._last_start is not None:
            wait = self._last_start + interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_start = self._clock()

    # robots.txt ---------------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        if not self.settings.robots:
            return
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        robots = self._robots[origin]
        if robots.unreadable:
            raise FetchFailed(url, f"disallowed: robots.txt could not be read ({robots.unreadable})")
        if not robots.rules.can_fetch(self.user_agent, url):
            raise FetchFailed(url, "disallowed by robots.txt")

    def _read_robots(self, origin: str) -> _Robots:
        """Missing (a 4xx) allows everything, 401/403 nothing; one that fails to answer (5xx, timeout)
        disallows everything (RFC 9309). An unreachable site raises SiteUnreachable and is tried again
        on the next request."""
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            body = self._with_retries(origin + "/robots.txt", lambda response: response.read())
        except FetchFailed as err:
            if err.status in (401, 403):
                rules.disallow_all = True
            elif err.status is not None and 400 <= err.status < 500:
                rules.allow_all = True
            else:
                return _Robots(rules, unreadable=err.reason)
            return _Robots(rules)
        rules.parse(body.decode("utf-8", errors="replace").splitlines())
        return _Robots(rules)


def _save_pdf(response: http.client.HTTPResponse, url: str, part: Path) -> tuple[str, int, str]:
    """Stream the body into ``part`` (synced to disk) and check it is a whole PDF: (sha256, size, type)."""
    content_type = response.headers.get("Content-Type", "")
    length = response.headers.get("Content-Length")
    expected = int(length) if length and length.strip().isdigit() else None
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    with open(part, "wb") as out:
        try:
            while chunk := response.read(CHUNK_BYTES):
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                tail = (tail + chunk)[-EOF_WINDOW:]
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        except http.client.IncompleteRead as err:
            raise NotAPdf(url, f"truncated: {size + len(err.partial)} of {expected or '?'} bytes") from None
        out.flush()
        os.fsync(out.fileno())
    if not head.startswith(b"%PDF-"):
        sent = "an HTML page" if head.lstrip().startswith(b"<") else f"{size} bytes starting {head[:16]!r}"
        raise NotAPdf(url, f"not a PDF: the site sent {sent} (Content-Type {content_type or 'none'})")
    if expected is not None and size != expected:
        raise NotAPdf(url, f"truncated: {size} of {expected} bytes")
    if b"%%EOF" not in tail:
        raise NotAPdf(url, f"truncated: no %%EOF at the end ({size} bytes)")
    return digest.hexdigest(), size, content_type


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform; harmless to skip there)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# Parsing the web service's XML ---------------------------------------------------------------------------


def _xml_root(body: bytes) -> ET.Element | None:
    """The document's root with namespaces stripped and tags lower-cased; None if it is not XML."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1].lower()
    return root


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _flag(element: ET.Element, tag: str) -> bool:
    return _text(element, tag).lower() == "true"


def _int(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() else None


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _service_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def parse_committees(root: ET.Element) -> list[Committee]:
    committees = []
    for element in root.iter("committee"):
        committee_id = _int(_text(element, "committeeid"))
        if committee_id is None:
            continue
        committees.append(Committee(id=committee_id, title=" ".join(_text(element, "committeetitle").split()),
                                    deleted=_flag(element, "committeedeleted"),
                                    expired=_flag(element, "committeeexpired")))
    return committees


def parse_meetings(root: ET.Element, committee: Committee) -> list[Meeting]:
    """Every meeting listed that has an id and a date, cancelled ones too (``meetings`` leaves those out)."""
    meetings = []
    for element in root.iter("meeting"):
        meeting_id = _int(_text(element, "meetingid"))
        day = _date(_text(element, "meetingdate"))
        if meeting_id is None or day is None:
            continue
        meetings.append(Meeting(id=meeting_id, committee_id=committee.id, committee=committee.title, date=day,
                                status=_text(element, "meetingstatus"), time=_text(element, "meetingtime")))
    return meetings


def _item_number(item: ET.Element) -> str:
    """The number printed on the agenda ("fulldisplaynumberformat", e.g. "1."), which is not always
    ``agendaitemnumber`` (an ordering key on some sites: item 4 printed as "1.")."""
    shown = _text(item, "fulldisplaynumberformat").rstrip(".").strip()
    if shown:
        return shown
    return _text(item, "agendaitemnumber") + _text(item, "agendaitemsubnumber")


def parse_agenda(root: ET.Element, site_url: str) -> tuple[list[Paper], int]:
    """A GetMeeting answer's public item papers, and how many restricted ones were left out."""
    papers: list[Paper] = []
    restricted = 0
    for item in root.iter("agendaitem"):
        docs = item.findall("linkeddocuments/linkeddoc")
        if _flag(item, "isrestricted"):
            restricted += max(1, len(docs))
            continue
        for doc in docs:
            if _flag(doc, "isrestricted"):
                restricted += 1
                continue
            href = _text(doc, "url")
            if not href or _flag(doc, "isurl"):  # a link to a web page, not a paper
                continue
            papers.append(Paper(url=_clean_url(urllib.parse.urljoin(site_url + "/", href)),
                                title=" ".join(_text(doc, "title").split()), kind="item",
                                item_number=_item_number(item),
                                item_title=" ".join(_text(item, "agendaitemtitle").split()),
                                attachment_id=_int(_text(doc, "attachmentid")),
                                published=_date(_text(doc, "publicationdate"))))
    return papers, restricted


# Parsing the meeting's page ------------------------------------------------------------------------------

# A link's text begins with what the document is; modern.gov then adds its size ("PDF 4 MB").
_PAGE_KINDS = (("public reports pack", "pack"), ("agenda reports pack", "pack"), ("printed minutes", "minutes"),
               ("agenda frontsheet", "frontsheet"))
_FILE_SIZE = re.compile(r"\s*\(?\s*PDF\s+[\d.,]+\s*[KMG]?B\s*\)?\s*$", re.IGNORECASE)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def parse_meeting_page(html: str, page_url: str) -> list[Paper]:
    """The public reports packs, printed minutes and agenda front sheets a meeting's page links, in page
    order, once each."""
    collector = _Links()
    collector.feed(html)
    collector.close()
    papers: dict[str, Paper] = {}
    for href, text in collector.links:
        folded = text.casefold()
        kind = next((kind for start, kind in _PAGE_KINDS if folded.startswith(start)), None)
        if kind is None or not href.strip():
            continue
        url = _clean_url(urllib.parse.urljoin(page_url, href))
        # The file's name is the fuller title ("Public reports pack 19th-Sep-2018 10.00 Corporate Parenting
        # Panel"); the link's text is the fallback.
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        name = re.sub(r"\.pdf$", "", name, flags=re.IGNORECASE).strip()
        title = name if name.casefold().startswith(folded[:15]) else _FILE_SIZE.sub("", text)
        papers.setdefault(url, Paper(url=url, title=" ".join(title.split()), kind=kind))
    return list(papers.values())


class ModernGovSite:
    """One modern.gov site, read through a ``PoliteFetcher``."""

    def __init__(self, base_url: str, fetcher: PoliteFetcher):
        self.base_url = normalise_site_url(base_url)  # "https://democracy.kent.gov.uk", no trailing slash
        self.fetcher = fetcher
        self._committees: list[Committee] | None = None

    def _service_url(self, operation: str, **params: object) -> str:
        query = urllib.parse.urlencode(params, safe="/")
        return f"{self.base_url}/mgWebService.asmx/{operation}" + (f"?{query}" if query else "")

    def _service(self, operation: str, **params: object) -> ET.Element:
        url = self._service_url(operation, **params)
        root = _xml_root(self.fetcher.get(url))
        if root is None:
            raise FetchFailed(url, "the answer is not XML")
        return root

    def committees(self) -> list[Committee]:
        """Every committee the site lists (asked once per ``ModernGovSite``); NotModernGov if the site has
        no web service that answers."""
        if self._committees is not None:
            return self._committees
        url = self._service_url("GetCommittees")
        try:
            body = self.fetcher.get(url)
        except FetchFailed as err:
            if err.status in NOT_SERVICE_STATUSES:
                raise NotModernGov(f"{self.base_url} is not a modern.gov site (GetCommittees: HTTP {err.status})") \
                    from None
            raise
        root = _xml_root(body)
        if root is None or root.tag != "committees":
            what = ("an HTML page" if root is None and b"<html" in body[:2048].lower() or root is not None
                    and root.tag == "html" else "something not XML" if root is None else f"<{root.tag}> XML")
            raise NotModernGov(f"{self.base_url} is not a modern.gov site (GetCommittees answered {what})")
        self._committees = parse_committees(root)
        return self._committees

    def find_committee(self, name_or_id: str) -> Committee:
        """By id (digits), else by title: exact (case-insensitive; a current committee before an expired
        or deleted one of the same name), else the one title containing it; else CommitteeNotFound naming
        the nearest titles."""
        query = " ".join(str(name_or_id).split())
        committees = self.committees()
        if query.isdigit():
            for committee in committees:
                if committee.id == int(query):
                    return committee
            raise CommitteeNotFound(f"no committee with id {query} on {self.base_url} "
                                    f"({len(committees)} committees listed)")
        key = query.casefold()
        if not key:
            raise CommitteeNotFound("no committee named: give a committee's id or name")
        exact = [c for c in committees if c.title.casefold() == key]
        if exact:
            return max(exact, key=lambda c: (not c.deleted, not c.expired, c.id))
        containing = [c for c in committees if key in c.title.casefold()]
        current = [c for c in containing if not (c.deleted or c.expired)]
        for found in (containing, current):
            if len(found) == 1:
                return found[0]
        if containing:
            raise CommitteeNotFound(f'"{query}" matches {len(containing)} committees on {self.base_url}: '
                                    f"{_listed(containing[:5])}; give the id or the whole name")
        titles = {c.title.casefold(): c for c in committees}
        nearest = [titles[t] for t in difflib.get_close_matches(key, list(titles), n=3, cutoff=0.5)]
        hint = f"nearest: {_listed(nearest)}" if nearest else f"none close among {len(committees)} committees"
        raise CommitteeNotFound(f'no committee "{query}" on {self.base_url}; {hint}')

    def meetings(self, committee: Committee, since: datetime.date | None = None,
                 until: datetime.date | None = None) -> list[Meeting]:
        """The committee's meetings from ``since`` to ``until`` (both included; by default 2000 to a year
        ahead), oldest first, cancelled ones left out."""
        start = since or FIRST_MEETING_DATE
        end = until or datetime.date.today() + datetime.timedelta(days=365)
        root = self._service("GetMeetings", lCommitteeId=committee.id, sFromDate=_service_date(start),
                             sToDate=_service_date(end))
        found: dict[int, Meeting] = {}
        for meeting in parse_meetings(root, committee):
            if start <= meeting.date <= end and meeting.status.casefold() not in ("cancelled", "canceled"):
                found.setdefault(meeting.id, meeting)
        return sorted(found.values(), key=lambda m: (m.date, m.id))

    def meeting_page_url(self, meeting: Meeting) -> str:
        return f"{self.base_url}/ieListDocuments.aspx?CId={meeting.committee_id}&MId={meeting.id}"

    def meeting_papers(self, meeting: Meeting) -> MeetingPapers:
        """The meeting's papers, never the same text twice: its public reports pack (which holds the agenda
        and the item papers) and printed minutes where its page links a pack, else its agenda front sheet,
        its public item papers (from GetMeeting) and printed minutes. If one of the two sources fails the
        other is used; if both fail, FetchFailed."""
        page_url = self.meeting_page_url(meeting)
        page_papers: list[Paper] | None = None
        page_error: FetchFailed | None = None
        try:
            page_papers = parse_meeting_page(self.fetcher.get(page_url).decode("utf-8", errors="replace"), page_url)
        except FetchFailed as err:
            page_error = err
        item_papers: list[Paper] | None = None
        restricted = 0
        try:
            item_papers, restricted = parse_agenda(self._service("GetMeeting", lMeetingId=meeting.id), self.base_url)
        except FetchFailed as err:
            if page_error is not None:
                raise FetchFailed(page_url, f"{page_error.reason}; and {err}", status=page_error.status) from None
        packs = [p for p in page_papers or [] if p.kind == "pack"]
        minutes = [p for p in page_papers or [] if p.kind == "minutes"]
        # A pack opens with the agenda; without one, the agenda front sheet is a paper of its own.
        frontsheets = [p for p in page_papers or [] if p.kind == "frontsheet"]
        chosen = packs + minutes if packs else frontsheets + (item_papers or []) + minutes
        unique: dict[str, Paper] = {}
        for paper in chosen:
            unique.setdefault(paper.url, paper)
        return MeetingPapers(meeting=meeting, papers=list(unique.values()), restricted_skipped=restricted)


def _listed(committees: list[Committee]) -> str:
    return ", ".join(f'"{c.title}" ({c.id})' for c in committees)
