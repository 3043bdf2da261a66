"""The topic timelines and the follow-up register, scored against lists made by hand from the papers.

    python -m evals.history [--split dev|test|all] [--wide-index DIR] [--json PATH]

* ``evals/followups.jsonl``: every follow-up the sample corpus's minutes request, each with the later item
  that answered it (or null). Scored: how many the register finds (recall), how many of the register's
  entries are none of them (spurious), and how many answered ones it pairs with the right later item
  (a wrongly answered open request is counted too).
* ``evals/followups_archive.jsonl``: the same for real 2024-25 Cabinet, County Council and Panel minutes (dev
  only), scored on the wide index.
* ``evals/timelines.jsonl``: ten topics, each with every minute and agenda paper on it. Scored per topic:
  the share found, whether the timeline is in date order, and the entries found that are not on the list
  (unrelated), averaged over the topics.
* ``evals/minutes_dev/<council>/``: minutes of fictional councils' committees, written by hand by readers who
  never saw the project's code, each with its own ``followups.jsonl`` and ``timelines.jsonl`` (all dev). They
  are rendered to PDFs and ingested into an index of their own (``--minutes-dev-index``, default
  ``.panel-index-minutes-dev``): wordings and minute styles the sample corpus does not have, to tune on
  without reading the test part.
* ``evals/minutes_heldout/<council>/``: the same, written after the rules were tuned (split "test"): only
  measured, and only its scores are printed, never its failures.

Both on the index of the sample corpus (the settings' ``index_dir``), and, with ``--wide-index`` (default
``.panel-index-wide``, built by ``python -m evals.run``: the corpus plus the shared real papers and archive),
the same lists scored among every other committee's papers, with the time the history and register take
to build there (embeddings cached, as a reopened index has them; and cold, embedding every title).
Thresholds are tuned on the dev part only (``[history]`` settings); the test part is only measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from retrieval.history import (
    FollowUpRequest,
    History,
    HistoryEntry,
)

HERE = Path(__file__).resolve().parent
FOLLOWUPS = HERE / "followups.jsonl"
# Follow-ups in real Cabinet, County Council and Panel minutes of 2024-25 (all dev): scored on the wide index.
ARCHIVE_FOLLOWUPS = HERE / "followups_archive.jsonl"
TIMELINES = HERE / "timelines.jsonl"
WIDE_INDEX = REPO_ROOT / ".panel-index-wide"
MINUTES_DEV = HERE / "minutes_dev"  # fictional councils' minutes, written blind to the code (all dev)
MINUTES_DEV_INDEX = REPO_ROOT / ".panel-index-minutes-dev"
# Fictional minutes written after the rules were tuned, by a reader blind to the code: measured, never tuned on.
MINUTES_HELDOUT = HERE / "minutes_heldout"
MINUTES_HELDOUT_INDEX = REPO_ROOT / ".panel-index-minutes-heldout"
THRESHOLDS = HERE / "thresholds.toml"  # its [history] table: the floors tests/test_history.py holds
SPLITS = ("dev", "test")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if len(w) > 2}


def _closeness(a: str, b: str) -> float:
    mine, theirs = _words(a), _words(b)
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / min(len(mine), len(theirs))


def _same_text(a: str, b: str) -> bool:
    """The same request in two cuttings (a clause, or its whole sentence)."""
    return _closeness(a, b) >= 0.6


def _number(value) -> str:
    return str(value or "").strip().lower()


def same_place(gold: dict, entry: HistoryEntry) -> bool:
    """A gold minute or agenda item and an entry of the history are the same: the meeting, and the minute
    number (or, for an agenda paper, the item number, which the minute taking that item shares; or, for a
    paper with neither, the document)."""
    if gold.get("meeting_date") != entry.meeting_date:
        return False
    if gold.get("minute"):
        return _number(gold["minute"]) == _number(entry.minute)
    if entry.minute:
        # The minute that records an agenda item being taken is that item's business too.
        return bool(gold.get("item")) and _number(gold["item"]) == _number(entry.item)
    if gold.get("item"):
        return _number(gold["item"]) == _number(entry.item)
    return gold.get("document") == entry.document


def _matches(gold: dict, request: FollowUpRequest) -> bool:
    # (where minutes number their paragraphs on across items, a list names the paragraph holding the request)
    minutes = {_number(request.entry.minute)} | ({_number(request.paragraph)} if request.paragraph else set())
    return (gold["meeting_date"] == request.meeting_date and _number(gold.get("minute")) in minutes
            and _same_text(gold["request"], request.words))


def _match(gold: list[dict], found: list[FollowUpRequest]) -> dict[int, int]:
    """Gold and found requests paired one to one (gold index -> found index): each gold request takes the
    found one closest in words, closest pairs first."""
    pairs = sorted(((_closeness(g["request"], r.words), gi, fi) for gi, g in enumerate(gold)
                    for fi, r in enumerate(found) if _matches(g, r)), reverse=True)
    pairing: dict[int, int] = {}
    for _, g_index, f_index in pairs:
        if g_index not in pairing and f_index not in pairing.values():
            pairing[g_index] = f_index
    return pairing


def score_register(gold: list[dict], found: list[FollowUpRequest]) -> dict:
    """Recall, spurious share and pairing accuracy; the failures named."""
    pairing = _match(gold, found)
    matched = {g: found[f] for g, f in pairing.items()}
    used = set(pairing.values())
    # A found request matching a gold one already matched is the same request twice: spurious too.
    spurious = [r for i, r in enumerate(found) if i not in used]
    answered = [i for i, g in enumerate(gold) if g.get("answered_by")]
    paired = [i for i in answered if i in matched and matched[i].answer is not None
              and same_place(gold[i]["answered_by"], matched[i].answer)]
    open_ones = [i for i, g in enumerate(gold) if not g.get("answered_by") and i in matched]
    wrongly_answered = [i for i in open_ones if matched[i].answer is not None]
    return {
        "requests": len(gold), "found": len(found), "recall": len(matched) / len(gold) if gold else 0.0,
        "spurious": len(spurious) / len(found) if found else 0.0,
        "answered": len(answered), "paired": len(paired) / len(answered) if answered else 0.0,
        "open": len(open_ones), "wrongly_answered": len(wrongly_answered),
        "missed": [f"{g['meeting_date']} minute {g.get('minute')}: {g['request'][:90]}" for i, g in enumerate(gold)
                   if i not in matched],
        "spurious_found": [f"{r.meeting_date} {r.entry.label}: {r.words[:90]}" for r in spurious],
        "mispaired": [f"{gold[i]['meeting_date']} minute {gold[i].get('minute')} -> expected "
                      f"{gold[i]['answered_by'].get('meeting_date')} "
                      f"{gold[i]['answered_by'].get('title', '')[:40]}; got "
                      + (f"{matched[i].answer.meeting_date} {matched[i].answer.label}" if i in matched and
                         matched[i].answer else "none")
                      for i in answered if i not in paired],
        "wrongly_answered_list": [f"{gold[i]['meeting_date']} minute {gold[i].get('minute')} -> "
                                  f"{matched[i].answer.meeting_date} {matched[i].answer.label}"
                                  for i in wrongly_answered],
    }


def register_for(history: History, corpus: Path) -> list[FollowUpRequest]:
    """The register's entries from the sample corpus's papers (the hand-made list covers their minutes): on
    a wide index, other papers' requests are not on the list and are not spurious."""
    papers = {path.name for path in corpus.glob("*.pdf")}
    return [r for r in history.requests if r.entry.document in papers]


def score_timelines(topics: list[dict], history: History, papers: set[str] | None = None) -> dict:
    """``papers``: score only the entries from these papers (on a wide index, the sample corpus's: the
    hand-made lists cover those; the other papers still compete for the topic)."""
    per_topic = []
    for topic in topics:
        found = history.timeline(topic["topic"])
        entries = [t.entry for t in found if papers is None or t.entry.document in papers]
        hits = [g for g in topic["entries"] if any(same_place(g, e) for e in entries)]
        unrelated = [e for e in entries if not any(same_place(g, e) for g in topic["entries"])]
        dates = [e.meeting_date for e in entries]
        per_topic.append({
            "topic": topic["topic"], "expected": len(topic["entries"]), "found": len(hits),
            "recall": len(hits) / len(topic["entries"]) if topic["entries"] else 1.0,
            "unrelated": len(unrelated), "in_order": dates == sorted(dates),
            "missed": [f"{g['meeting_date']} {g.get('minute') or g.get('item')} {g['title'][:50]}"
                       for g in topic["entries"] if g not in hits],
            "unrelated_found": [f"{e.meeting_date} {e.label} {e.title[:50]}" for e in unrelated],
        })
    return topic_summary(per_topic)


def topic_summary(per_topic: list[dict]) -> dict:
    """The means over topics' scores (``score_timelines``'s ``per_topic``, of one list or several)."""
    n = len(per_topic) or 1
    return {
        "topics": len(per_topic),
        "mean_recall": sum(t["recall"] for t in per_topic) / n,
        "min_recall": min((t["recall"] for t in per_topic), default=0.0),
        "topics_at_90": sum(t["recall"] >= 0.9 for t in per_topic),
        "unrelated_per_topic": sum(t["unrelated"] for t in per_topic) / n,
        "in_order": all(t["in_order"] for t in per_topic),
        "per_topic": per_topic,
    }


def evaluate(history: History, corpus: Path, split: str = "all", wide: bool = False) -> dict:
    followups, timelines = load(FOLLOWUPS), load(TIMELINES)
    found = register_for(history, corpus)
    # Each found request belongs to the part of the gold request it matches (matched over the whole list,
    # so a request is never claimed by both parts), else to the part whose requests share its meeting.
    owner = {id(found[f]): followups[g]["split"] for g, f in _match(followups, found).items()}
    result = {}
    for part in ([*SPLITS, "all"] if split == "all" else [split]):
        gold = [g for g in followups if part == "all" or g["split"] == part]
        topics = [t for t in timelines if part == "all" or t["split"] == part]
        meetings = {g["meeting_date"] for g in gold}
        requests = [r for r in found if part == "all" or owner.get(id(r)) == part
                    or (id(r) not in owner and r.meeting_date in meetings)]
        result[part] = {"register": score_register(gold, requests),
                        "timelines": score_timelines(topics, history,
                                                     {p.name for p in corpus.glob("*.pdf")} if wide else None)}
    return result


def open_history(settings: Settings) -> tuple[History, float, float]:
    """The history of the settings' index, and the seconds building it took: cold (every title and request
    embedded afresh, as on a first build) and warm (the embedding cache filled, as on a reopened index whose
    snapshot is stale). Both are timed on ``Assistant.build_history`` (the index's records read and the history
    built): the index's snapshot keeps a built history, and reading that back would time nothing. The model is
    loaded before either is timed."""
    from retrieval.answer.assistant import Assistant

    assistant = Assistant.open(settings)
    assistant.searcher.ensure_fresh()
    embeddings = assistant.index.embeddings
    embeddings.embed_query("warm up")

    def build() -> float:
        started = time.perf_counter()
        assistant.build_history()
        return time.perf_counter() - started

    cache, embeddings.cache = embeddings.cache, None
    cold = build()
    embeddings.cache = cache
    build()  # fills the cache
    warm = build()
    return assistant.history(), cold, warm


def lines_for(name: str, result: dict) -> list[str]:
    out = [f"## {name}", "", "| split | requests | found | recall | spurious | answered | paired | open answered "
           "wrongly | topics | mean recall | min recall | topics >= 0.9 | unrelated / topic | in order |",
           "| --- " * 15 + "|"]
    for part, scores in result.items():
        r, t = scores["register"], scores["timelines"]
        out.append(f"| {part} | {r['requests']} | {r['found']} | {r['recall']:.3f} | {r['spurious']:.3f} | "
                   f"{r['answered']} | {r['paired']:.3f} | {r['wrongly_answered']} / {r['open']} | {t['topics']} | "
                   f"{t['mean_recall']:.3f} | {t['min_recall']:.3f} | {t['topics_at_90']} | "
                   f"{t['unrelated_per_topic']:.2f} | {t['in_order']} |")
    # Only the dev part's failures are listed: the test part is measured, never read to tune a rule (and with
    # ``--split test`` nothing is listed).
    everything = result.get("dev")
    if everything is None:
        return out + [""]
    for label, key in (("missed", "missed"), ("spurious", "spurious_found"), ("mispaired", "mispaired"),
                       ("open but answered", "wrongly_answered_list")):
        for line in everything["register"][key]:
            out.append(f"- register {label}: {line}")
    for topic in everything["timelines"]["per_topic"]:
        for line in topic["missed"]:
            out.append(f"- timeline '{topic['topic']}' missed: {line}")
        for line in topic["unrelated_found"]:
            out.append(f"- timeline '{topic['topic']}' unrelated: {line}")
    return out + [""]


def register_lines(name: str, register: dict) -> str:
    lines = [f"## {name}", "", f"requests {register['requests']}, found {register['found']}, recall "
             f"{register['recall']:.3f}, spurious {register['spurious']:.3f}, answered {register['answered']}, paired "
             f"{register['paired']:.3f}, open answered wrongly {register['wrongly_answered']} / {register['open']}"]
    for label, key in (("missed", "missed"), ("spurious", "spurious_found"), ("mispaired", "mispaired"),
                       ("open but answered", "wrongly_answered_list")):
        lines += [f"- register {label}: {line}" for line in register[key]]
    return "\n".join(lines) + "\n"


def minutes_dev_pdfs(source: Path, out: Path) -> list[Path]:
    """Each fictional minutes text (``source/<council>/*.txt``) as a PDF in ``out``, remade when its text
    changed (the text's hash is in the PDF's name)."""
    from evals.pdf_factory import text_pdf

    out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for text_file in sorted(source.glob("*/*.txt")):
        text = text_file.read_text(encoding="utf-8")
        stamp = out / f".{text_file.stem}.{hashlib.sha256(text.encode()).hexdigest()[:12]}"
        pdf = out / f"{text_file.stem}.pdf"
        if not (pdf.exists() and stamp.exists()):
            for old in out.glob(f".{text_file.stem}.*"):
                old.unlink()
            text_pdf(pdf, [text])
            stamp.touch()
        pdfs.append(pdf)
    return pdfs


def score_minutes_dev(history: History, source: Path, pdfs: list[Path]) -> tuple[dict, dict]:
    """The register and timelines of the fictional councils' minutes (``pdfs``, made from ``source``) against
    their hand-made lists."""
    gold = [line for path in sorted(source.glob("*/followups.jsonl")) for line in load(path)]
    papers = {pdf.name for pdf in pdfs}
    found = [r for r in history.requests if r.entry.document in papers]
    # Each council's topics are scored on its own papers (its list covers those); the other councils' papers
    # still compete for the topic, as other committees' do in an archive.
    per_council = [score_timelines(load(folder / "timelines.jsonl"), history,
                                   {f"{text.stem}.pdf" for text in folder.glob("*.txt")})
                   for folder in sorted(p.parent for p in source.glob("*/timelines.jsonl"))]
    return score_register(gold, found), topic_summary([t for part in per_council for t in part["per_topic"]])


def minutes_dev(settings: Settings, source: Path, index_dir: Path) -> tuple[dict, dict]:
    """The fictional councils' minutes scored on an index of their own (made, or brought up to date)."""
    from ingest.pipeline import ingest_paths
    from store.index import PanelIndex

    dev_settings = replace(settings, store=replace(settings.store, index_dir=index_dir))
    pdfs = minutes_dev_pdfs(source, index_dir / "pdfs")
    report = ingest_paths(pdfs, dev_settings.ingest, PanelIndex(dev_settings.store), progress=False)
    if not report.ok:
        raise RuntimeError(f"ingest into {index_dir} failed: {report.failed}")
    history, _, _ = open_history(dev_settings)
    return score_minutes_dev(history, source, pdfs)


def minutes_dev_lines(name: str, register: dict, timelines: dict, failures: bool = True) -> list[str]:
    """The scores of a fictional set; its failures listed only where ``failures`` (never for a held-out set)."""
    if not failures:
        register = {**register, "missed": [], "spurious_found": [], "mispaired": [], "wrongly_answered_list": []}
        timelines = {**timelines, "per_topic": []}
    lines = [register_lines(name, register).rstrip("\n"),
             f"timelines: topics {timelines['topics']}, mean recall {timelines['mean_recall']:.3f}, min recall "
             f"{timelines['min_recall']:.3f}, topics >= 0.9 {timelines['topics_at_90']}, unrelated / topic "
             f"{timelines['unrelated_per_topic']:.2f}, in order {timelines['in_order']}"]
    for topic in timelines["per_topic"]:
        lines += [f"- timeline '{topic['topic']}' missed: {line}" for line in topic["missed"]]
        lines += [f"- timeline '{topic['topic']}' unrelated: {line}" for line in topic["unrelated_found"]]
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--wide-index", default=str(WIDE_INDEX),
                        help="also score on this index (the corpus among other papers) and time the build there; "
                             "'' to skip")
    parser.add_argument("--minutes-dev-index", default=str(MINUTES_DEV_INDEX),
                        help="the index of the fictional councils' minutes (evals/minutes_dev); '' to skip")
    parser.add_argument("--minutes-heldout-index", default=str(MINUTES_HELDOUT_INDEX),
                        help="the index of the held-out fictional minutes (evals/minutes_heldout); '' to skip")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    settings = Settings.load()
    results: dict = {}
    fictional = (("minutes_dev", MINUTES_DEV, args.minutes_dev_index, True,
                  "Fictional councils' minutes (evals/minutes_dev, dev) on an index of their own"),
                 ("minutes_heldout", MINUTES_HELDOUT, args.minutes_heldout_index, False,
                  "Held-out fictional minutes (evals/minutes_heldout, measured only) on an index of their own"))
    for key, source, index_dir, failures, name in fictional:
        if index_dir and any(source.glob("*/followups.jsonl")):
            register, timelines = minutes_dev(settings, source, Path(index_dir))
            results[key] = {"register": register, "timelines": timelines}
            print("\n".join(minutes_dev_lines(name, register, timelines, failures)))
    history, cold, seconds = open_history(settings)
    corpus = Path(settings.ingest.corpus_dir)
    results["corpus"] = evaluate(history, corpus, args.split)
    timings = {"corpus": {"entries": len(history.entries), "requests": len(history.requests),
                          "build_seconds": round(seconds, 2), "cold_build_seconds": round(cold, 2)}}
    print("\n".join(lines_for("Sample corpus index", results["corpus"])))
    wide = Path(args.wide_index) if args.wide_index else None
    if wide and (wide / "chroma").is_dir():
        wide_settings = replace(settings, store=replace(settings.store, index_dir=wide))
        wide_history, cold, warm = open_history(wide_settings)
        results["wide"] = evaluate(wide_history, corpus, args.split, wide=True)
        timings["wide"] = {"entries": len(wide_history.entries), "requests": len(wide_history.requests),
                           "build_seconds": round(warm, 2), "cold_build_seconds": round(cold, 2)}
        name = f"Wide index ({wide.name}): the sample papers among all the others"
        print("\n".join(lines_for(name, results["wide"])))
        archive = load(ARCHIVE_FOLLOWUPS)
        meetings = {(g["committee"], g["meeting_date"]) for g in archive}
        found = [r for r in wide_history.requests if (r.committee, r.meeting_date) in meetings]
        results["archive"] = score_register(archive, found)
        print(register_lines("Archive minutes (evals/followups_archive.jsonl, dev) on the wide index",
                             results["archive"]))
    elif wide:
        print(f"(no wide index at {wide}: run `python -m evals.run` once to build it)")
    for name, figures in timings.items():
        print(f"build on {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "timings": timings}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
