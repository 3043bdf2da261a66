"""Check the Northshire gold: every request, near-miss text and timeline decision occurs
exactly once in its minutes .txt (line breaks replaced by spaces, whitespace collapsed)."""
import json, os, re, sys
D = os.path.dirname(os.path.abspath(__file__))
norm = lambda s: re.sub(r'\s+', ' ', s).strip()
txt = {}
for f in os.listdir(D):
    if f.endswith('-minutes.txt'):
        raw = open(os.path.join(D, f), encoding='utf-8').read()
        assert max(len(l) for l in raw.split('\n')) <= 95, f
        txt[f[len('northshire-cpp-'):][:10]] = norm(raw.replace('\n', ' '))
bad = 0
def once(date, s, label):
    global bad
    n = txt[date].count(norm(s))
    if n != 1:
        bad += 1; print('FAIL', label, date, n, s[:70])
fu = [json.loads(l) for l in open(os.path.join(D, 'followups.jsonl'), encoding='utf-8')]
for r in fu:
    once(r['meeting_date'], r['request'], r['id'])
    assert r['document'] == 'northshire-cpp-%s-minutes.pdf' % r['meeting_date']
    heading = '%s. %s (Item' % (r['minute'], r['minute_title'])
    once(r['meeting_date'], heading, r['id'] + ' heading')
    a = r['answered_by']
    if a:
        once(a['meeting_date'], '%s. %s (Item' % (a['minute'], a['title']), r['id'] + ' answer')
        assert a['meeting_date'] > r['meeting_date']
nm = [json.loads(l) for l in open(os.path.join(D, 'near_misses.jsonl'), encoding='utf-8')]
for i, r in enumerate(nm):
    once(r['meeting_date'], r['text'], 'near%d' % i)
    for f in fu:  # a near miss must not overlap a request
        if f['meeting_date'] == r['meeting_date'] and (norm(r['text']) in norm(f['request']) or norm(f['request']) in norm(r['text'])):
            bad += 1; print('OVERLAP', f['id'], i)
tl = [json.loads(l) for l in open(os.path.join(D, 'timelines.jsonl'), encoding='utf-8')]
for t in tl:
    assert len({e['meeting_date'] for e in t['entries']}) >= 2, t['id']
    for e in t['entries']:
        once(e['meeting_date'], '%s. %s (Item' % (e['minute'], e['title']), t['id'] + ' title')
        if e['decision']:
            once(e['meeting_date'], e['decision'], t['id'] + ' decision')
print('followups', len(fu), 'resolution', sum(r['kind'] == 'resolution' for r in fu),
      'discussion', sum(r['kind'] == 'discussion' for r in fu),
      'answered', sum(bool(r['answered_by']) for r in fu), 'due', sum(bool(r['due']) for r in fu),
      'marginal', sum(r['note'].startswith('Marginal:') for r in fu))
print('by meeting', {d: sum(r['meeting_date'] == d for r in fu) for d in sorted(txt)})
print('near misses', len(nm), 'timelines', len(tl), 'failures', bad)
sys.exit(1 if bad else 0)
