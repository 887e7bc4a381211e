#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tsunagu --db FILE --report 年度 --output DIR: the 年度 written every way
# it is written, a PDF with its contents and page numbers in the date style
# asked for, one CSV per table (UTF-8 with BOM, or CP932), files private;
# no person's or group's own value in any file (counts only); wrong input
# refused with a message and a status.
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

tsunagu, make_centre = sys.argv[1], sys.argv[2]
FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print('FAIL:', msg)


def run(*args, env=None):
    return subprocess.run([tsunagu, *args], capture_output=True, text=True, env=env)


tmp = tempfile.mkdtemp(prefix='tsu-report-cli-')
db = os.path.join(tmp, 'centre.sqlite3')
env = dict(os.environ, TSUNAGU_TODAY='2026-12-01', LANGUAGE='ja',
           TSUNAGU_LOCALEDIR=os.path.join(os.environ.get('TSU_BUILD_ROOT', '.'), 'po'))
subprocess.run([make_centre, db], check=True, env=env)

for year in ('2026', '令和8', 'R8', '令和8年度'):
    out = os.path.join(tmp, 'out-' + year)
    r = run('--db', db, '--report', year, '--output', out, env=env)
    if r.returncode != 0:
        fail('--report %s: %s' % (year, r.stderr))
        continue
    written = r.stdout.split()
    if written[0] != 'report-2026.pdf':
        fail('first file %s' % written[0])
    csvs = [f for f in written if f.endswith('.csv')]
    if len(csvs) < 25 or sorted(os.listdir(out)) != sorted(written):
        fail('%d CSV files, folder %s' % (len(csvs), sorted(os.listdir(out))))
    for f in written:
        mode = os.stat(os.path.join(out, f)).st_mode & 0o777
        if mode != 0o600:
            fail('%s has mode %o' % (f, mode))
    with open(os.path.join(out, 'groups-summary.csv'), 'rb') as f:
        data = f.read()
    if not data.startswith(b'\xef\xbb\xbf') or b'\r\n' not in data:
        fail('groups-summary.csv is not UTF-8 with BOM and CRLF')
    header = data[3:].decode('utf-8').split('\r\n')[0].split(',')
    if header[1:3] != ['令和8年度', '令和7年度']:
        fail('CSV header %s' % header)

out = os.path.join(tmp, 'out-2026')
text = subprocess.run(['pdftotext', '-enc', 'UTF-8', os.path.join(out, 'report-2026.pdf'), '-'],
                      capture_output=True, text=True, check=True).stdout
pages = text.split('\f')
info = subprocess.run(['pdfinfo', os.path.join(out, 'report-2026.pdf')], capture_output=True,
                      text=True, check=True).stdout
if 'A4' not in info and '595.28 x 841.89' not in info:
    fail('not A4: ' + info)
if '目次' not in pages[1]:
    fail('no contents on page 2')
if '令和8年度' not in pages[0]:
    fail('the cover does not say 令和8年度')
for n in range(2, len(pages) - 1):
    if not re.search(r'—\s*%d\s*—' % (n + 1), pages[n]):
        fail('page %d has no number' % (n + 1))
        break
# The contents name the page each section starts on.
for title in ('登録団体', 'ボランティア', '相談'):
    m = re.search(r'\d\. %s\S*\s+(\d+)' % title, pages[1])
    if not m:
        fail('contents lack %s' % title)
        continue
    page = int(m.group(1))
    if title not in pages[page - 1]:
        fail('%s is not on page %d' % (title, page))
if '3未満' not in text:
    fail('the small-cell note is missing')

# Nothing personal: every file of the report is searched for every value
# that names or reaches a person or a group (read here from the database:
# names, readings, phones, addresses, free text), joined names too.
PERSONAL = {
    'volunteers': None, 'consultations': None, 'registrations': None, 'matches': None,
    'requests': ('title', 'description', 'requester_name', 'requester_phone', 'place',
                 'schedule', 'notes', 'skills_needed'),
    'groups': None, 'connections': ('partner_name', 'purpose', 'introduced_by', 'outcome'),
    'applications': ('note',), 'joint_projects': ('title', 'outcome'),
}
# Columns that hold codes, dates, counts or choices the report names.
NOT_VALUES = re.compile(r'^(rowid|id|rev|created_at|updated_at|deleted|.*_id|.*_ids|.*_on|.*_at|'
                        r'at|state|status|kind|channel|asker_kind|topics|fields|tags|age_band|'
                        r'school_district|legal_form|attendance|minutes|staff|sort_key|'
                        r'search_text|.*_mask|availability|slot|weekly_slots|span_.*|date_.*|'
                        r'insurance_.*|registration_number|number|valid_fiscal_year|'
                        r'members_.*|founded|public_fields|declarations|override|partner_kind|'
                        r'people_needed|amount_.*|deadline)$')
con = sqlite3.connect(db)
personal = set()
for table, columns in PERSONAL.items():
    names = [r[1] for r in con.execute("SELECT * FROM pragma_table_info('%s')" % table)]
    cols = [c for c in names if (columns is None and not NOT_VALUES.match(c))
            or (columns is not None and c in columns)]
    for row in con.execute('SELECT %s FROM %s' % (', '.join(cols), table)):
        values = dict(zip(cols, row))
        for v in values.values():
            if isinstance(v, str):
                personal.add(v)
        for a, b in (('family_name', 'given_name'), ('rep_family_name', 'rep_given_name'),
                     ('contact_family_name', 'contact_given_name')):
            if values.get(a) and values.get(b):
                personal.update((values[a] + values[b], values[a] + ' ' + values[b],
                                 values[a] + '\u3000' + values[b]))
personal = {v.strip() for v in personal if len(v.strip()) >= 4 and not v.strip().isdigit()}
# A request's place may be the centre itself, whose name heads the report.
personal -= {'市民活動サポートセンター', '大牟田市民活動サポートセンター'}
print(len(personal), 'personal values searched for')
assert '<script>alert("x")</script> & "会" \'q\'' in personal
texts = {}
for f in os.listdir(out):
    path = os.path.join(out, f)
    if f.endswith('.pdf'):
        texts[f] = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True,
                                  text=True, check=True).stdout
    else:
        with open(path, encoding='utf-8-sig') as fh:
            texts[f] = fh.read()
for f, t in texts.items():
    flat = re.sub(r'\s+', '', t)
    for v in personal:
        if v in t or (f.endswith('.pdf') and re.sub(r'\s+', '', v) in flat):
            fail('%s holds the personal value %r' % (f, v))

# 西暦 and CP932.
out = os.path.join(tmp, 'seireki')
r = run('--db', db, '--report', '2026', '--output', out, '--date-style', 'seireki',
        '--encoding', 'cp932', env=env)
if r.returncode != 0:
    fail('seireki/cp932: ' + r.stderr)
else:
    with open(os.path.join(out, 'groups-by-field.csv'), 'rb') as f:
        data = f.read()
    if data.startswith(b'\xef\xbb\xbf'):
        fail('a CP932 file with a BOM')
    if '2026年度' not in data.decode('cp932'):
        fail('CP932 header lacks 2026年度')
    text = subprocess.run(['pdftotext', os.path.join(out, 'report-2026.pdf'), '-'],
                          capture_output=True, text=True, check=True).stdout
    if '2026年度' not in text or '令和8年度' in text:
        fail('西暦 report says %s' % text[:200])

# Refusals.
for args, code in ((['--report', '2026'], 2), (['--report', 'きのう', '--output', tmp], 2),
                   (['--report', '2026', '--output', tmp, '--date-style', 'kanji'], 2),
                   (['--output', tmp], 2),
                   (['--report', '2026', '--publish-directory', tmp], 2)):
    r = run('--db', db, *args, env=env)
    if r.returncode != code or not r.stderr.strip():
        fail('%s: status %d, %r' % (args, r.returncode, r.stderr))
r = run('--db', os.path.join(tmp, 'missing.sqlite3'), '--report', '2026', '--output', tmp, env=env)
if r.returncode != 1:
    fail('a missing database: status %d' % r.returncode)
# Never onto the database itself.
r = run('--db', db, '--report', '2026', '--output', os.path.dirname(db), env=env)
if r.returncode != 0:
    fail('writing beside the database: ' + r.stderr)

if FAILURES:
    print(len(FAILURES), 'failures')
    sys.exit(1)
print('ok')
