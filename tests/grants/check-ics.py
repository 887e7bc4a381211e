#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real `tsunagu` importing programmes and writing their deadlines as
# iCalendar, read back by a real iCalendar parser (python3-icalendar), as
# GNOME Calendar, Thunderbird and Outlook will read it.
import os
import subprocess
import sys
import tempfile

try:
    import icalendar
except ImportError:
    print('python3-icalendar is not installed')
    sys.exit(77)

tsunagu = sys.argv[1]
failures = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


def run(*args):
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env['TSUNAGU_TODAY'] = '2026-03-24'
    p = subprocess.run([tsunagu, *args], capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, 'a.db')
    csv = os.path.join(d, 'p.csv')
    ics = os.path.join(d, 'deadlines.ics')
    with open(csv, 'w', encoding='utf-8', newline='') as f:
        f.write('助成名,助成団体,種別,分野,上限額,募集開始,締切日,締切時刻,締切区分,対象年度,URL\r\n'
                '地域づくり助成（長い名前のときは七十五オクテットを超えるので折り返されます）,有明ふるさと振興財団,'
                '助成金,まちづくり,500000,2026-04-01,2026-05-31,17:00,必着,2026,https://example.jp/a\r\n'
                '市民活動団体応援補助金,大牟田市,補助金,19,300000,,2026-06-30,,消印有効,2026,\r\n'
                '随時の相談,大牟田市,その他,,,,,,随時,2026,\r\n'
                '終わった助成,大牟田市,助成金,,,,2026-03-01,,必着,2025,\r\n')
    rc, out, err = run('--db', db, '--import-programmes', csv)
    check(rc == 0, 'programmes imported: ' + out + err)
    rc, out, err = run('--db', db, '--export-deadlines', ics)
    check(rc == 0, 'deadlines exported: ' + err)
    raw = open(ics, 'rb').read()
    check(all(len(l) <= 75 for l in raw.split(b'\r\n')), 'no line over 75 octets')
    check(b'\n' not in raw.replace(b'\r\n', b''), 'CRLF line ends only')
    cal = icalendar.Calendar.from_ical(raw)
    events = [c for c in cal.walk() if c.name == 'VEVENT']
    check(len(events) == 2, 'one event per dated deadline from today on: %d' % len(events))
    by_name = {str(e['SUMMARY']): e for e in events}
    long_name = '地域づくり助成（長い名前のときは七十五オクテットを超えるので折り返されます）'
    check(long_name in by_name, 'the folded summary reads back whole')
    timed = by_name.get(long_name)
    if timed is not None:
        start = timed['DTSTART'].dt
        check(start.hour == 17 and str(start.tzinfo) in ('Asia/Tokyo', 'JST'),
              'timed in Asia/Tokyo: %r' % start)
        check('有明ふるさと振興財団' in str(timed['DESCRIPTION']), 'description names the funder')
        check(str(timed.get('URL')) == 'https://example.jp/a', 'URL')
    allday = by_name.get('市民活動団体応援補助金')
    if allday is not None:
        check(str(allday['DTSTART'].dt) == '2026-06-30', 'all-day on its date')
    uid1 = sorted(str(e['UID']) for e in events)
    rc, out, err = run('--db', db, '--export-deadlines', ics, '--from', '2026-06-01')
    cal2 = icalendar.Calendar.from_ical(open(ics, 'rb').read())
    uid2 = sorted(str(e['UID']) for e in cal2.walk() if e.name == 'VEVENT')
    check(len(uid2) == 1 and uid2[0] in uid1, '--from leaves earlier deadlines out; UIDs stable')

sys.exit(1 if failures else 0)
