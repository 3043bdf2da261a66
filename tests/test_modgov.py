"""The modern.gov client (ingest.modgov) against a real HTTP server on 127.0.0.1 (evals/modgov_site.py) that
answers in modern.gov's recorded shape and serves the corpus PDFs: parsing, finding a committee, meetings,
the pack-or-items rule, politeness (interval, User-Agent, retries, robots.txt) and checked downloads."""

from __future__ import annotations

import functools
import hashlib
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.settings import SyncSettings
from evals.modgov_site import FakeMeeting, FakeModernGovSite
from ingest.modgov import (
    MAX_RETRY_WAIT_SECONDS,
    CommitteeNotFound,
    FetchFailed,
    ModernGovSite,
    NotAPdf,
    NotModernGov,
    PoliteFetcher,
    SiteUnreachable,
    default_user_agent,
    normalise_site_url,
    parse_agenda,
    parse_meeting_page,
)
from ingest.modgov import _xml_root as xml_root
from tests.conftest import REPO
from tests.servers import free_port

CORPUS = REPO / "corpus"
PACK_2015 = CORPUS / "kent-cpp-2015-12-08-agenda-pack.pdf"
APPENDIX_2017 = CORPUS / "kent-cpp-2017-02-01-appendix.pdf"
PACK_2018 = CORPUS / "kent-cpp-2018-09-19-agenda-pack.pdf"
PACK_2019 = CORPUS / "kent-cpp-2019-01-29-agenda-pack.pdf"
ANNUAL_REPORT = CORPUS / "kent-county-council-2020-03-19-annual-report.pdf"

CPP = 693
COMMITTEES = {CPP: "Corporate Parenting Panel", 144: "Audit Committee", 312: "Children's Social Care Committee",
              401: "Pension Fund Committee"}


def cpp_meetings() -> dict[int, list[FakeMeeting]]:
    return {CPP: [
        FakeMeeting(6001, date(2015, 12, 8), {"pack": PACK_2015}),
        FakeMeeting(6500, date(2016, 3, 1), status="Cancelled"),
        # A pack and printed minutes on the page, and item papers the pack already holds.
        FakeMeeting(7960, date(2018, 9, 19), {"Agenda frontsheet": APPENDIX_2017, "pack": PACK_2018,
                                              "minutes": APPENDIX_2017},
                    items=[("1", "Apologies and Substitutes", {}, False),
                           ("5", "Annual report", {"Annual report 2019/20": ANNUAL_REPORT}, False),
                           ("9", "Placement costs", {"Costs by provider": APPENDIX_2017}, True)]),
        # No pack: the public item papers, one of them restricted at the document level.
        FakeMeeting(8001, date(2019, 1, 29), items=[
            ("3", "Minutes of the meeting held on 19 September 2018", {}, False),
            ("4", "Performance scorecard", {"Scorecard Q3": PACK_2019, "Appendix A (exempt)": APPENDIX_2017},
             False),
            ("6", "Annual report of the Virtual School", {"Virtual School report": ANNUAL_REPORT}, False)],
                    restricted_papers=frozenset({"Appendix A (exempt)"})),
    ]}


def fast(**changes) -> SyncSettings:
    """No waiting between requests and tiny backoffs: the politeness tests set what they check."""
    return SyncSettings(**{"interval_seconds": 0.0, "timeout_seconds": 5.0, "retries": 2,
                           "backoff_seconds": 0.01, **changes})


class FakeClock:
    """A monotonic clock that moves only when slept on; every sleep is recorded."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake():
    with FakeModernGovSite(COMMITTEES, cpp_meetings()) as site:
        yield site


def reader(fake: FakeModernGovSite, **changes) -> ModernGovSite:
    return ModernGovSite(fake.url, PoliteFetcher(fast(**changes)))


def timed_reader(fake: FakeModernGovSite, clock: FakeClock, **changes) -> ModernGovSite:
    return ModernGovSite(fake.url, PoliteFetcher(fast(**changes), clock=clock, sleep=clock.sleep))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Parsing the recorded shapes --------------------------------------------------------------------------------

# Trimmed from a real GetMeeting answer's shape (as recorded in DemocracyClub/LGSF's fixtures), wrapped in the
# namespace some sites use: padded counts, HTML in agendatext, an attendee with its own <url>, the printed
# item number differing from agendaitemnumber.
RECORDED_MEETING = b"""<?xml version="1.0" encoding="utf-8"?>
<meeting xmlns="http://moderngov.co.uk/namespaces">
  <meetingid>4967</meetingid>
  <meetingdate>10/02/2026</meetingdate>
  <agendaitems>
    <agendaitem>
      <agendaitemid>18831</agendaitemid>
      <agendaitemtitle>Minutes</agendaitemtitle>
      <agendatext>&lt;div class="WordSection1"&gt;&lt;p&gt;To approve the minutes.&lt;/p&gt;&lt;/div&gt;
</agendatext>
      <agendaitemnumber>4</agendaitemnumber>
      <agendaitemsubnumber>
      </agendaitemsubnumber>
      <fulldisplaynumberformat>1.</fulldisplaynumberformat>
      <isrestricted>False</isrestricted>
      <linkeddocuments>
        <linkeddoc>
          <attachmentid> 60860</attachmentid>
          <title>6 - CHAIR APPROVED  Minutes Audit Committee 25 Nov 2025</title>
          <isurl>False</isurl>
          <url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60860</url>
          <isrestricted>False</isrestricted>
          <restrictionsRef>
          </restrictionsRef>
          <publicationdate>02/02/2026</publicationdate>
        </linkeddoc>
        <linkeddoc>
          <attachmentid>60861</attachmentid>
          <title>Confidential appendix</title>
          <isurl>False</isurl>
          <url>https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60861</url>
          <isrestricted>True</isrestricted>
          <publicationdate>02/02/2026</publicationdate>
        </linkeddoc>
      </linkeddocuments>
    </agendaitem>
    <agendaitem>
      <agendaitemid>18840</agendaitemid>
      <agendaitemtitle>Exclusion of the press and public</agendaitemtitle>
      <agendaitemnumber>14</agendaitemnumber>
      <fulldisplaynumberformat>11.</fulldisplaynumberformat>
      <isrestricted>True</isrestricted>
      <linkeddocuments>
      </linkeddocuments>
    </agendaitem>
  </agendaitems>
  <attendees>
    <attendee membertype="U" memberid="192" name="Councillor A Member">
      <url>https://democracy.example.gov.uk/mgUserInfo.aspx?UID=192</url>
    </attendee>
  </attendees>
</meeting>
"""


def test_a_recorded_getmeeting_answer_gives_its_public_item_papers():
    papers, restricted = parse_agenda(xml_root(RECORDED_MEETING), "https://democracy.example.gov.uk")
    assert [(p.kind, p.item_number, p.item_title, p.attachment_id, p.published) for p in papers] == [
        ("item", "1", "Minutes", 60860, date(2026, 2, 2))]
    assert papers[0].url == "https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=60860"
    assert papers[0].title == "6 - CHAIR APPROVED Minutes Audit Committee 25 Nov 2025"
    # The restricted appendix, and the restricted item that lists no paper.
    assert restricted == 2


def test_a_meeting_page_gives_its_pack_and_minutes_with_absolute_urls():
    page = """<ul class="mgActionList">
      <li><a href="documents/g7960/Agenda%20frontsheet%2019th-Sep-2018%2010.00%20Corporate%20Parenting%20Panel.pdf?T=0">
        Agenda frontsheet <span class="mgFileSize">PDF 161 KB</span></a></li>
      <li><a href="documents/g7960/Public reports pack 19th-Sep-2018 10.00 Corporate Parenting Panel.pdf?T=10"
        >Public reports pack <span class="mgFileSize">PDF 4 MB</span></a></li>
      <li><a href="documents/g7960/Printed%20minutes%2019th-Sep-2018%2010.00%20Corporate%20Parenting%20Panel.pdf?T=1"
        >Printed minutes <span>PDF 150 KB</span></a></li>
      <li><a href="documents/s85000/Report.pdf">Report <span>PDF 300 KB</span></a></li></ul>"""
    papers = parse_meeting_page(page, "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=693&MId=7960")
    assert [(p.kind, p.title) for p in papers] == [
        ("frontsheet", "Agenda frontsheet 19th-Sep-2018 10.00 Corporate Parenting Panel"),
        ("pack", "Public reports pack 19th-Sep-2018 10.00 Corporate Parenting Panel"),
        ("minutes", "Printed minutes 19th-Sep-2018 10.00 Corporate Parenting Panel")]
    # A raw space in the link becomes %20, so urllib can send it.
    assert papers[1].url == ("https://democracy.kent.gov.uk/documents/g7960/Public%20reports%20pack%2019th-Sep-2018"
                             "%2010.00%20Corporate%20Parenting%20Panel.pdf?T=10")


@pytest.mark.parametrize(("given", "expected"), [
    ("democracy.kent.gov.uk", "https://democracy.kent.gov.uk"),
    ("https://democracy.kent.gov.uk/", "https://democracy.kent.gov.uk"),
    ("https://democracy.kent.gov.uk/mgListCommittees.aspx?bcr=1", "https://democracy.kent.gov.uk"),
    ("http://www.example.gov.uk/moderngov/", "http://www.example.gov.uk/moderngov"),
])
def test_site_urls_are_normalised(given, expected):
    assert normalise_site_url(given) == expected


# Committees and meetings ------------------------------------------------------------------------------------


def test_committees_are_read_from_getcommittees():
    with FakeModernGovSite(COMMITTEES, {}, expired=frozenset({401})) as fake:
        committees = {c.id: c for c in reader(fake).committees()}
    assert {cid: c.title for cid, c in committees.items()} == COMMITTEES
    assert committees[401].expired and not committees[CPP].expired
    assert not any(c.deleted for c in committees.values())


def test_committees_in_a_namespaced_answer_are_read_too():
    with FakeModernGovSite(COMMITTEES, cpp_meetings(), xml_namespace="http://moderngov.co.uk/namespaces") as fake:
        site = reader(fake)
        committee = site.find_committee("693")
        meetings = site.meetings(committee)
        papers = site.meeting_papers(meetings[-1])
    assert committee.title == "Corporate Parenting Panel"
    assert [m.id for m in meetings] == [6001, 7960, 8001]
    assert [p.title for p in papers.papers] == ["Scorecard Q3", "Virtual School report"]


def test_a_committee_is_found_by_id_exact_name_or_a_unique_part_of_it(fake):
    site = reader(fake)
    assert site.find_committee("693").title == "Corporate Parenting Panel"
    assert site.find_committee("  corporate PARENTING panel ").id == CPP
    assert site.find_committee("Parenting").id == CPP
    # The committees are asked for once.
    assert sum("GetCommittees" in path for path in fake.requests) == 1


def test_a_misspelt_committee_names_the_nearest():
    with FakeModernGovSite(COMMITTEES, {}) as fake:
        site = reader(fake)
        with pytest.raises(CommitteeNotFound) as caught:
            site.find_committee("Corporate Parenting Pannel")
        message = str(caught.value)
        assert message.startswith(f'no committee "Corporate Parenting Pannel" on {fake.url}; nearest: '
                                  '"Corporate Parenting Panel" (693)')
        assert "\n" not in message
        with pytest.raises(CommitteeNotFound, match="matches 3 committees"):
            site.find_committee("committee")
        with pytest.raises(CommitteeNotFound, match="no committee with id 9999"):
            site.find_committee("9999")


def test_meetings_in_a_range_oldest_first_cancelled_left_out(fake):
    site = reader(fake)
    committee = site.find_committee("693")
    assert [(m.id, m.date) for m in site.meetings(committee)] == [
        (6001, date(2015, 12, 8)), (7960, date(2018, 9, 19)), (8001, date(2019, 1, 29))]
    in_range = site.meetings(committee, since=date(2016, 1, 1), until=date(2018, 12, 31))
    assert [m.id for m in in_range] == [7960]
    assert in_range[0].committee == "Corporate Parenting Panel" and in_range[0].committee_id == CPP
    assert in_range[0].time == "10.00 am" and in_range[0].status == "Confirmed"
    # The range was asked of the site in its own date format.
    assert any("sFromDate=01/01/2016&sToDate=31/12/2018" in path for path in fake.requests)


# The pack-or-items rule -------------------------------------------------------------------------------------


def meeting(site: ModernGovSite, meeting_id: int):
    return next(m for m in site.meetings(site.find_committee("693")) if m.id == meeting_id)


def test_a_meeting_with_a_pack_gives_the_pack_and_minutes_not_its_item_papers(fake):
    site = reader(fake)
    found = site.meeting_papers(meeting(site, 7960))
    assert [(p.kind, p.title) for p in found.papers] == [
        ("pack", "Public reports pack 19th-Sep-2018 10.00 Corporate Parenting Panel"),
        ("minutes", "Printed minutes 19th-Sep-2018 10.00 Corporate Parenting Panel")]
    assert all(p.url.startswith(f"{fake.url}/documents/g7960/") for p in found.papers)
    assert found.restricted_skipped == 1


def test_a_meeting_without_a_pack_gives_its_public_item_papers(fake):
    site = reader(fake)
    found = site.meeting_papers(meeting(site, 8001))
    assert [(p.kind, p.item_number, p.item_title, p.title) for p in found.papers] == [
        ("item", "4", "Performance scorecard", "Scorecard Q3"),
        ("item", "6", "Annual report of the Virtual School", "Virtual School report")]
    assert all(p.attachment_id and p.url == f"{fake.url}/mgConvert2PDF.aspx?ID={p.attachment_id}"
               for p in found.papers)
    assert found.papers[0].published == date(2019, 1, 1)
    assert found.restricted_skipped == 1


def test_the_agenda_front_sheet_is_a_paper_only_where_no_pack_holds_it():
    """A pack opens with the agenda: with a pack, the front sheet is not fetched again; without one (a
    Cabinet publishes its papers item by item), the front sheet comes first, then the items, then the minutes."""
    with_pack = FakeMeeting(9001, date(2025, 1, 30), pdfs={"Agenda frontsheet": APPENDIX_2017, "pack": PACK_2018})
    without = FakeMeeting(9002, date(2025, 2, 27), pdfs={"Agenda frontsheet": APPENDIX_2017, "minutes": PACK_2019},
                          items=[("4", "Budget monitoring", {"Budget report": ANNUAL_REPORT}, False)])
    with FakeModernGovSite({115: "Cabinet"}, {115: [with_pack, without]}) as fake:
        site = reader(fake)
        cabinet = site.find_committee("Cabinet")
        first, second = (site.meeting_papers(m) for m in site.meetings(cabinet))
        assert [p.kind for p in first.papers] == ["pack"]
        assert [(p.kind, p.title) for p in second.papers] == [
            ("frontsheet", "Agenda frontsheet 27th-Feb-2025 10.00 Cabinet"), ("item", "Budget report"),
            ("minutes", "Printed minutes 27th-Feb-2025 10.00 Cabinet")]


def test_each_listed_paper_downloads_as_the_corpus_pdf(fake, tmp_path):
    site = reader(fake)
    for meeting_id, expected in ((7960, [PACK_2018, APPENDIX_2017]), (8001, [PACK_2019, ANNUAL_REPORT])):
        papers = site.meeting_papers(meeting(site, meeting_id)).papers
        got = [site.fetcher.download(p.url, tmp_path / f"{meeting_id}-{n}.pdf") for n, p in enumerate(papers)]
        assert [d.sha256 for d in got] == [sha256(pdf) for pdf in expected]


def test_a_failing_meeting_page_still_gives_the_item_papers(fake):
    site = reader(fake)
    found_meeting = meeting(site, 7960)
    fake.faults["ieListDocuments"] = "404"
    assert [p.title for p in site.meeting_papers(found_meeting).papers] == ["Annual report 2019/20"]


def test_a_failing_getmeeting_still_gives_the_pack(fake):
    site = reader(fake)
    found_meeting = meeting(site, 7960)
    fake.faults["GetMeeting?"] = "500"
    found = site.meeting_papers(found_meeting)
    assert [p.kind for p in found.papers] == ["pack", "minutes"]


def test_a_meeting_whose_page_and_getmeeting_both_fail_is_fetchfailed(fake):
    site = reader(fake)
    found_meeting = meeting(site, 7960)
    fake.faults["ieListDocuments"] = "404"
    fake.faults["GetMeeting?"] = "404"
    with pytest.raises(FetchFailed, match="HTTP 404") as caught:
        site.meeting_papers(found_meeting)
    assert "\n" not in str(caught.value)


# Politeness -------------------------------------------------------------------------------------------------


def test_requests_start_at_least_the_interval_apart(fake):
    clock = FakeClock()
    site = timed_reader(fake, clock, interval_seconds=1.0)
    site.committees()
    site.meetings(site.find_committee("693"))
    # robots.txt, GetCommittees, GetMeetings: the fake clock stands still during a request, so each wait
    # after the first request is the whole interval.
    assert len(fake.requests) == 3
    assert clock.sleeps == [1.0, 1.0]
    assert site.fetcher.requests == 3


def test_a_robots_crawl_delay_longer_than_the_interval_is_honoured():
    clock = FakeClock()
    with FakeModernGovSite(COMMITTEES, cpp_meetings(), robots="User-agent: *\nCrawl-delay: 5\n") as fake:
        site = timed_reader(fake, clock, interval_seconds=1.0)
        site.meetings(site.find_committee("693"))
    # robots.txt, then GetCommittees and GetMeetings each 5 s after the one before.
    assert clock.sleeps == [5.0, 5.0]


def test_one_request_at_a_time_even_from_several_threads(fake):
    fetcher = PoliteFetcher(fast())
    fake.faults["GetCommittees"] = "slow"
    url = f"{fake.url}/mgWebService.asmx/GetCommittees"
    threads = [threading.Thread(target=fetcher.get, args=(url,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.requests.count("/mgWebService.asmx/GetCommittees") == 4
    assert fake.max_in_flight == 1


def test_the_user_agent_names_the_project_and_its_version(fake):
    reader(fake).committees()
    assert default_user_agent().startswith("panel-papers/") and "(+https://" in default_user_agent()
    assert fake.user_agents and set(fake.user_agents) == {default_user_agent()}
    reader(fake, user_agent="council-archive/2 (officer@example.gov.uk)").committees()
    assert fake.user_agents[-1] == "council-archive/2 (officer@example.gov.uk)"


def test_a_500_is_retried_after_a_backoff_then_succeeds(fake):
    clock = FakeClock()
    site = timed_reader(fake, clock, backoff_seconds=0.5)
    fake.faults["GetCommittees"] = "500-once"
    assert len(site.committees()) == len(COMMITTEES)
    assert fake.requests.count("/mgWebService.asmx/GetCommittees") == 2
    assert clock.sleeps == [0.5]


def test_a_lasting_500_fails_after_the_retries_with_doubling_backoff(fake):
    clock = FakeClock()
    fetcher = PoliteFetcher(fast(retries=3, backoff_seconds=0.5), clock=clock, sleep=clock.sleep)
    fake.faults["GetCommittees"] = "500"
    url = f"{fake.url}/mgWebService.asmx/GetCommittees"
    with pytest.raises(FetchFailed) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: HTTP 500 (4 tries)"
    assert caught.value.status == 500
    assert fake.requests.count("/mgWebService.asmx/GetCommittees") == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_a_404_is_not_retried(fake):
    fetcher = PoliteFetcher(fast(retries=3))
    url = f"{fake.url}/documents/g1/nothing.pdf"
    with pytest.raises(FetchFailed) as caught:
        fetcher.get(url)
    assert str(caught.value) == f"{url}: HTTP 404"
    assert fake.requests.count("/documents/g1/nothing.pdf") == 1


@pytest.mark.parametrize(("retry_after", "waited"), [("3", 3.0), ("86400", MAX_RETRY_WAIT_SECONDS)])
def test_a_429_waits_as_long_as_retry_after_says_within_a_cap(fake, retry_after, waited):
    clock = FakeClock()
    site = timed_reader(fake, clock)
    fake.faults["GetCommittees"] = "429-once"
    fake.retry_after = retry_after
    site.committees()
    assert fake.requests.count("/mgWebService.asmx/GetCommittees") == 2
    assert clock.sleeps == [waited]


def test_no_answer_in_time_fails_after_the_retries(fake):
    fetcher = PoliteFetcher(fast(timeout_seconds=0.3, retries=1))
    fake.faults["GetCommittees"] = "timeout"
    url = f"{fake.url}/mgWebService.asmx/GetCommittees"
    with pytest.raises(FetchFailed, match=r"GetCommittees: timed out: no answer within 0\.3 s \(2 tries\)$"):
        fetcher.get(url)
    assert fake.requests.count("/mgWebService.asmx/GetCommittees") == 2


def test_robots_disallow_is_honoured_and_robots_is_read_once(tmp_path):
    robots = "User-agent: *\nDisallow: /documents/\n"
    with FakeModernGovSite(COMMITTEES, cpp_meetings(), robots=robots) as fake:
        site = reader(fake)
        papers = site.meeting_papers(meeting(site, 7960)).papers
        with pytest.raises(FetchFailed, match="disallowed by robots.txt"):
            site.fetcher.download(papers[0].url, tmp_path / "pack.pdf")
        assert fake.pdf_requests() == []
        assert fake.requests.count("/robots.txt") == 1
        assert not (tmp_path / "pack.pdf").exists() and not (tmp_path / "pack.part").exists()
        # Item papers are not under /documents/: allowed.
        item = site.meeting_papers(meeting(site, 8001)).papers[0]
        assert site.fetcher.download(item.url, tmp_path / "item.pdf").sha256 == sha256(PACK_2019)


def test_robots_naming_the_project_blocks_it_unless_robots_is_off():
    robots = "User-agent: panel-papers\nDisallow: /\n\nUser-agent: *\nDisallow:\n"
    with FakeModernGovSite(COMMITTEES, {}, robots=robots) as fake:
        with pytest.raises(FetchFailed, match="GetCommittees: disallowed by robots.txt"):
            reader(fake).committees()
        assert len(reader(fake, robots=False).committees()) == len(COMMITTEES)
        assert len(reader(fake, user_agent="someone-else/1").committees()) == len(COMMITTEES)


def test_a_missing_robots_txt_allows_everything(fake):
    assert fake.robots is None
    assert len(reader(fake).committees()) == len(COMMITTEES)
    assert fake.requests[:2] == ["/robots.txt", "/mgWebService.asmx/GetCommittees"]


# Sites that are not modern.gov, or not there --------------------------------------------------------------


def test_a_plain_web_server_is_not_modern_gov(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>Welcome to the council</body></html>")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(NotModernGov) as caught:
            reader_for(url).find_committee("693")
    finally:
        server.shutdown()
        server.server_close()
    assert str(caught.value) == f"{url} is not a modern.gov site (GetCommittees: HTTP 404)"


def reader_for(url: str) -> ModernGovSite:
    return ModernGovSite(url, PoliteFetcher(fast()))


def test_a_site_answering_html_with_status_200_is_not_modern_gov(fake):
    fake.faults["GetCommittees"] = "html"
    with pytest.raises(NotModernGov, match=r"GetCommittees answered an HTML page\)"):
        reader(fake).committees()


def test_a_closed_port_is_unreachable():
    clock = FakeClock()
    url = f"http://127.0.0.1:{free_port()}"
    site = ModernGovSite(url, PoliteFetcher(fast(retries=2), clock=clock, sleep=clock.sleep))
    with pytest.raises(SiteUnreachable) as caught:
        site.committees()
    assert str(caught.value) == f"cannot reach {url}: Connection refused (3 tries)"
    assert clock.sleeps == [0.01, 0.02]


# Downloads --------------------------------------------------------------------------------------------------


def pack_url(fake: FakeModernGovSite) -> str:
    site = reader(fake)
    return site.meeting_papers(meeting(site, 7960)).papers[0].url


def test_a_download_is_the_pdf_with_its_sha256(fake, tmp_path):
    url = pack_url(fake)
    dest = tmp_path / "papers" / "pack.pdf"
    got = PoliteFetcher(fast()).download(url, dest)
    assert got.path == dest and got.url == url
    assert dest.read_bytes() == PACK_2018.read_bytes()
    assert got.sha256 == sha256(PACK_2018) and got.size == PACK_2018.stat().st_size
    assert got.content_type == "application/pdf"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["pack.pdf"]


@pytest.mark.parametrize(("fault", "reason"), [
    ("html", "not a PDF: the site sent an HTML page (Content-Type application/pdf)"),
    ("truncated", f"truncated: {PACK_2018.stat().st_size // 2} of {PACK_2018.stat().st_size} bytes"),
    ("truncated-eof", "truncated: no %%EOF at the end"),
])
def test_a_bad_download_is_notapdf_and_leaves_nothing(fake, tmp_path, fault, reason):
    url = pack_url(fake)
    fake.faults["/documents/g7960/"] = fault
    dest = tmp_path / "pack.pdf"
    with pytest.raises(NotAPdf) as caught:
        PoliteFetcher(fast()).download(url, dest)
    assert str(caught.value).startswith(f"{url}: {reason}")
    assert list(tmp_path.iterdir()) == []
    # Not retried: the site answered, with the wrong thing.
    assert len(fake.pdf_requests()) == 1


def test_a_failed_download_leaves_an_earlier_copy_untouched(fake, tmp_path):
    url = pack_url(fake)
    dest = tmp_path / "pack.pdf"
    dest.write_bytes(b"the copy from the last sync")
    fake.faults["/documents/g7960/"] = "truncated"
    with pytest.raises(NotAPdf):
        PoliteFetcher(fast()).download(url, dest)
    assert dest.read_bytes() == b"the copy from the last sync"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf"]


def test_a_download_that_fails_once_with_500_is_retried(fake, tmp_path):
    url = pack_url(fake)
    fake.faults["/documents/g7960/"] = "500-once"
    got = PoliteFetcher(fast()).download(url, tmp_path / "pack.pdf")
    assert got.sha256 == sha256(PACK_2018)
    assert len(fake.pdf_requests()) == 2
