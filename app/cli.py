"""`panel-papers`: ingest papers, look at the index, search it, ask it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from core.errors import BadQuestion, IndexBusy, IndexUnavailable, SettingsError, damaged_index_message
from core.records import ChunkKind, Filters
from core.settings import Settings


def _index(settings: Settings):
    from store.index import PanelIndex

    try:
        return PanelIndex(settings.store)
    except IndexUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_ingest(args, settings: Settings) -> int:
    from ingest.pipeline import ingest_paths

    paths = args.paths or [settings.ingest.corpus_dir]
    password = settings.ingest.pdf_password
    if args.password:
        import getpass

        password = getpass.getpass("Password for encrypted papers: ")
    index = _index(settings)
    ingest_settings = replace(settings.ingest, ocr=False) if args.no_ocr else settings.ingest
    report = ingest_paths(paths, ingest_settings, index, progress=not args.quiet, password=password)
    print(report.summary())
    if report.ingested or report.rebuilt:
        _prepare(settings, index, args.quiet)
    return 0 if report.ok else 1


def _prepare(settings: Settings, index, quiet: bool) -> None:
    """Build the new index version's snapshot now, while the papers' ingest is a batch job, so that the
    next ``serve`` opens by reading files (``retrieval.hybrid.Snapshot``)."""
    from retrieval.answer import Assistant

    started = time.perf_counter()
    Assistant.open(settings, index).prepare()
    if not quiet:
        print(f"prepared the index for opening in {time.perf_counter() - started:.1f} s")


def cmd_sync(args, settings: Settings) -> int:
    from ingest.modgov import SiteError
    from ingest.sync import sync_committee

    site = args.site or settings.sync.site
    committee = args.committee or settings.sync.committee
    if not site or not committee:
        print("error: give the site and the committee (panel-papers sync SITE_URL --committee NAME_OR_ID, "
              "or set sync_site and sync_committee)", file=sys.stderr)
        return 2
    try:
        since, until = (date.fromisoformat(d) if d else None for d in (args.since, args.until))
    except ValueError as exc:
        print(f"error: --since and --until take a date as YYYY-MM-DD ({exc})", file=sys.stderr)
        return 2
    sync_settings = replace(settings.sync, interval_seconds=args.interval) if args.interval is not None \
        else settings.sync
    index = _index(settings)
    try:
        report = sync_committee(site, committee, sync_settings, settings.ingest, index, since=since, until=until,
                                refresh=args.refresh, progress=not args.quiet)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    if report.new:
        _prepare(settings, index, args.quiet)
    return 0 if report.ok else 1


def cmd_stats(args, settings: Settings) -> int:
    index = _index(settings)
    stats = index.stats()
    documents = index.documents()
    if args.json:
        listing = [asdict(record) for record in documents.values()]
        print(json.dumps({**stats, "documents_list": listing}, indent=2, default=str))
        return 0
    where = f"{settings.store.chroma_host}:{settings.store.chroma_port}" if settings.store.uses_server \
        else settings.store.index_dir
    print(f"index: {where}")
    for key in ("documents", "pages", "chunks", "decisions", "figures", "last_ingest"):
        print(f"{key:>12}: {stats[key]}")
    for name, record in sorted(documents.items()):
        print(f"  {name}  {record.meeting_date or '?'}  {record.pages} pages, {record.chunks} chunks, "
              f"{record.decisions} decisions")
    waiting = sorted(index.to_rebuild())
    if waiting:
        print(f"{len(waiting)} documents await rebuilding after a damaged store was reset "
              f"(run `panel-papers ingest`): {', '.join(waiting)}")
    return 0


def cmd_remove(args, settings: Settings) -> int:
    index = _index(settings)
    name = Path(args.document).name
    if not index.remove(name):
        print(f"error: {name}: not in the index", file=sys.stderr)
        return 1
    print(f"removed {name}")
    _prepare(settings, index, quiet=True)
    return 0


def cmd_search(args, settings: Settings) -> int:
    from retrieval.answer import Assistant

    assistant = Assistant.open(settings, _index(settings))
    try:
        _, candidates = assistant.retrieve(args.query, filters=Filters.parse(args.document, args.committee, args.kind),
                                           k=args.k)
    except BadQuestion as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([{**asdict(c.chunk), "page": c.chunk.page_start, "score": c.fused, "dense": c.dense}
                          for c in candidates], indent=2))
        return 0
    if not candidates:
        print("No passages found (is the index empty? run `panel-papers ingest`).")
        return 0
    for rank, candidate in enumerate(candidates, start=1):
        chunk = candidate.chunk
        meeting = f"meeting {chunk.meeting_date}" if chunk.meeting_date else "meeting ?"
        extra = ", ".join(x for x in (meeting, f"item {chunk.item}" if chunk.item else "",
                                      f"minute {chunk.minute}" if chunk.minute else "", chunk.kind) if x)
        print(f"[{rank}] {chunk.title} — page {chunk.printed_page} ({chunk.document}, {extra}) "
              f"score {candidate.fused:.3f}")
        snippet = " ".join(chunk.text.split())
        print(f"    {snippet[:400]}{'…' if len(snippet) > 400 else ''}\n")
    return 0


def _filters(args) -> Filters:
    return Filters.parse(document=args.document, committee=args.committee, date_from=args.date_from,
                         date_to=args.date_to)


def _site_urls(index) -> dict[str, str]:
    """Each synced paper's address on the council's site, by document."""
    return {name: record.provenance.url for name, record in index.documents().items() if record.provenance}


def print_answer(answer, site_urls: dict[str, str] | None = None) -> None:
    marker = "" if answer.answered else "(not answered) "
    print(marker + answer.text)
    if answer.citations:
        print("\nSources:")
    for c in answer.citations:
        print(f"  [{c.n}] {c.where()} ({c.document}, PDF page {c.page})")
        quote = " ".join(c.quote.split())
        print(f"      “{quote[:300]}{'…' if len(quote) > 300 else ''}”")
        if (site_urls or {}).get(c.document):
            print(f"      on the council's site: {site_urls[c.document]}#page={c.page}")


def _batch_questions(path: Path) -> list[str]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            questions.append(str(json.loads(line).get("question", "")))
        else:
            questions.append(line)
    return questions


def cmd_ask(args, settings: Settings) -> int:
    from retrieval.answer import Assistant

    if not args.batch and not args.question:
        print("error: give a question, or --batch FILE", file=sys.stderr)
        return 2
    try:
        filters = _filters(args)
    except ValueError as exc:
        print(f"error: a date filter is not a date ({exc}); write it as YYYY-MM-DD", file=sys.stderr)
        return 2
    assistant = Assistant.open(settings, _index(settings))
    questions = _batch_questions(Path(args.batch)) if args.batch else [args.question]
    status = 0
    for question in questions:
        try:
            answer = assistant.ask(question, filters=filters)
        except BadQuestion as exc:
            if args.json:
                print(json.dumps({"question": question, "error": str(exc)}))
            else:
                print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        sites = _site_urls(assistant.index) if answer.citations else {}
        if args.json:
            shown = answer.to_dict()
            for citation in shown["citations"]:
                url = sites.get(citation["document"])
                citation["site_url"] = f"{url}#page={citation['page']}" if url else ""
            print(json.dumps(shown, ensure_ascii=False))
        else:
            print_answer(answer, sites)
            if len(questions) > 1:
                print()
    return status


LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# How long `serve` waits for its answer processes to warm up before it says it is ready without them.
WORKER_START_SECONDS = 300


def serve_auth(host: str, settings: Settings) -> tuple[str, str] | None:
    """Loopback needs no login; any other address needs the username and password from settings."""
    if host in LOOPBACK:
        return None
    if not (settings.app.username and settings.app.password):
        raise SystemExit(
            f"error: serving on {host} (not loopback) needs a login: set PANEL_APP_USERNAME and "
            "PANEL_APP_PASSWORD (or app_username / app_password in the settings file), or serve on 127.0.0.1")
    return settings.app.username, settings.app.password


def warm_through_http(port: int, auth: tuple[str, str] | None) -> None:
    """One request through the web server as a user's would go (the queue, its worker threads and the
    first event's lazy imports cost about 0.8 s once); a failure here is left for the first user to meet."""
    from gradio_client import Client

    try:
        Client(f"http://127.0.0.1:{port}/", auth=auth, verbose=False).predict(
            "What did the panel resolve at its last meeting?", api_name="/ask")
    except Exception:  # noqa: BLE001 (a warm-up only; the app is up either way)
        pass


def cmd_serve(args, settings: Settings) -> int:
    import os

    # Gradio reads these when it is imported: no analytics call at launch, uploads under our temp dir.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Gradio summarises its last 10,000 events with pandas after every event (by default): at tens of
    # answers a second that was a tenth of the server's time (measured with py-spy under evals.load).
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    auth = serve_auth(args.host, settings)
    from app.service import PanelService
    from app.ui import launch

    service = PanelService(settings)
    started = time.perf_counter()
    workers = service.start_answer_workers()  # they warm up beside this process
    print("Warming up: loading the model and the index, making one answer"
          + (f" (and in {workers} answer processes)" if workers else "") + " ...", flush=True)
    service.warm()
    app = launch(service, args.host, args.port, auth=auth, block=False)
    warm_through_http(args.port, auth)
    if workers and service.wait_for_answer_workers(WORKER_START_SECONDS) < workers:
        print("Some answer processes did not start: this process answers meanwhile.", flush=True)
    # Said only once the first question will answer as fast as the tenth (tests and scripts wait for it).
    print(f"Ready in {time.perf_counter() - started:.1f} s: Panel Papers Assistant on http://{args.host}:{args.port} "
          f"({service.status()})", flush=True)
    try:
        app.block_thread()  # until Ctrl-C, which it handles
    finally:
        service.stop_answer_workers()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="panel-papers", description=__doc__)
    parser.add_argument("--config", help="a TOML settings file (default: $PANEL_CONFIG or ./panel-papers.toml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index PDFs (default: the corpus/ folder)")
    p.add_argument("paths", nargs="*", help="PDF files or folders")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--password", action="store_true",
                   help="ask for the password of encrypted papers (or set PANEL_PDF_PASSWORD); papers that "
                        "need none open as before")
    p.add_argument("--no-ocr", action="store_true",
                   help="do not read scanned pages by OCR: papers without a usable text layer are refused")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "sync", help="fetch a committee's papers from the council's modern.gov site and index what is new",
        description="Fetch a committee's meetings and papers from a council's modern.gov site (its web "
                    "service, mgWebService.asmx, and each meeting's page) and index what is new: each meeting's "
                    "public reports pack and printed minutes, else its item papers; restricted items are never "
                    "asked for. Each paper keeps the site's committee, meeting date and agenda item, and where it "
                    "came from. A paper already held is not fetched again; a re-run after an interruption goes "
                    "on where it stopped. Polite by default: one request at a time, at most one a second, "
                    "robots.txt honoured, a User-Agent naming panel-papers (settings sync_interval_seconds, "
                    "sync_timeout_seconds, sync_retries, sync_backoff_seconds, sync_user_agent, sync_robots). "
                    "Exit code 0: all fetched; 1: some papers failed (the others are indexed); 2: nothing done.",
        epilog="example: panel-papers sync https://democracy.kent.gov.uk --committee "
               "\"Corporate Parenting Panel\" --since 2018-01-01")
    p.add_argument("site", nargs="?", help="the site's address, e.g. https://democracy.kent.gov.uk "
                                           "(default: the sync_site setting)")
    p.add_argument("--committee", help="the committee's name or id on the site, e.g. 693 (default: sync_committee)")
    p.add_argument("--since", help="meetings on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="meetings on or before this date (YYYY-MM-DD)")
    p.add_argument("--refresh", action="store_true",
                   help="fetch papers already held again (a paper the site has changed is indexed anew)")
    p.add_argument("--interval", type=float, help="seconds between requests (default: sync_interval_seconds, 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("stats", help="documents, pages, chunks, decisions and the last ingest")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("remove", help="remove a document (by its file name) from the index")
    p.add_argument("document")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("search", help="the passages that best match a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    p.add_argument("--document", help="only this document (file name)")
    p.add_argument("--committee", help="only this committee")
    p.add_argument("--kind", choices=[str(kind) for kind in ChunkKind], help="only this kind of chunk")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="an answer with its cited pages (or an honest 'the papers do not say')")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true", help="one JSON object per answer")
    p.add_argument("--batch", help="a file of questions: one per line, or JSONL with a 'question' field")
    p.add_argument("--document", help="only this document (file name)")
    p.add_argument("--committee", help="only this committee")
    p.add_argument("--from", dest="date_from", help="meetings on or after this date (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", help="meetings on or before this date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="the web app (chat, decisions, figures, library) on 127.0.0.1:7860")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need a login)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(args.config)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except IndexBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from store.damage import is_damage

        if not is_damage(exc):  # a store left unreadable by a crash (see store/damage.py)
            raise
        print(f"error: {damaged_index_message(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
