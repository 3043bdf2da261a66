"""Check the Eastmoor hand-made gold against its own .txt minutes (system python3, stdlib only)."""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted(HERE.glob("*-minutes.txt"))}
BY_DATE = {re.search(r"\d{4}-\d{2}-\d{2}", n).group(0): n for n in DOCS}


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def headings(text):
    return {m.group(1): m.group(2) for m in re.finditer(r"^(CYP/24/\d+)  (.+)$", text, re.M)}


def once(needle, name, label, errors):
    n = norm(DOCS[name]).count(norm(needle))
    if n != 1:
        errors.append(f"{label}: occurs {n} times in {name}")


def txt_of(pdf):
    return pdf[:-4] + ".txt"


errors = []
for name, text in DOCS.items():
    for i, line in enumerate(text.split("\n"), 1):
        if len(line) > 95:
            errors.append(f"{name}:{i} longer than 95 characters")
        if re.match(r"^\s*CYP/24/\d", line) and not re.match(r"^CYP/24/\d+  \S", line):
            errors.append(f"{name}:{i} body line starts with a minute number")

fields = ["id", "split", "committee", "meeting_date", "minute", "minute_title", "document", "page",
          "request", "kind", "due", "answered_by", "note"]
rows = [json.loads(l) for l in (HERE / "followups.jsonl").read_text(encoding="utf-8").splitlines()]
last = None
for r in rows:
    if list(r) != fields:
        errors.append(f"{r['id']}: fields {list(r)}")
    name = txt_of(r["document"])
    if BY_DATE[r["meeting_date"]] != name:
        errors.append(f"{r['id']}: document does not match meeting_date")
    heads = headings(DOCS[name])
    if heads.get(r["minute"]) != r["minute_title"]:
        errors.append(f"{r['id']}: minute/title mismatch")
    once(r["request"], name, r["id"], errors)
    pos = (r["meeting_date"], norm(DOCS[name]).find(norm(r["request"])))
    if last and pos < last:
        errors.append(f"{r['id']}: not in document order")
    last = pos
    a = r["answered_by"]
    if a:
        aname = txt_of(a["document"])
        if headings(DOCS[aname]).get(a["minute"]) != a["title"] or a["meeting_date"] <= r["meeting_date"]:
            errors.append(f"{r['id']}: bad answered_by")

for r in (json.loads(l) for l in (HERE / "near_misses.jsonl").read_text(encoding="utf-8").splitlines()):
    name = BY_DATE[r["meeting_date"]]
    if r["minute"] not in headings(DOCS[name]):
        errors.append(f"near miss {r['minute']}: no such minute")
    once(r["text"], name, f"near miss {r['minute']}", errors)
    for f in rows:
        if norm(f["request"]) in norm(r["text"]) or norm(r["text"]) in norm(f["request"]):
            errors.append(f"near miss {r['minute']} overlaps {f['id']}")

for t in (json.loads(l) for l in (HERE / "timelines.jsonl").read_text(encoding="utf-8").splitlines()):
    dates = {e["meeting_date"] for e in t["entries"]}
    if len(dates) < 2:
        errors.append(f"{t['id']}: fewer than two meetings")
    for e in t["entries"]:
        name = txt_of(e["document"])
        if headings(DOCS[name]).get(e["minute"]) != e["title"]:
            errors.append(f"{t['id']} {e['minute']}: title mismatch")
        if e["decision"] is not None:
            once(e["decision"], name, f"{t['id']} {e['minute']} decision", errors)

print("\n".join(errors) if errors else "OK")
print(f"followups {len(rows)}, answered {sum(1 for r in rows if r['answered_by'])}, "
      f"with due {sum(1 for r in rows if r['due'])}, resolutions {sum(1 for r in rows if r['kind'] == 'resolution')}, "
      f"marginal {sum(1 for r in rows if r['note'].startswith('Marginal:'))}")
for d, n in sorted(BY_DATE.items()):
    print(d, "followups", sum(1 for r in rows if r["meeting_date"] == d),
          "minutes", len(headings(DOCS[n])))
sys.exit(1 if errors else 0)
