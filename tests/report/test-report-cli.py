#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tsunagu --db FILE --report 年度 --output DIR: the 年度 written every way
# it is written, a PDF with its contents and page numbers in the date style
# asked for, one CSV per table (UTF-8 with BOM, or CP932), files private;
# wrong input refused with a message and a status.
import os
import re
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
