#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real `tsunagu` binary without a display: volunteers and requests from
# CSV files with the headers, the export's header line, and
# --suggest's output (tab-separated lines, "# near misses", non-zero exit
# for an unknown request).
import os
import sqlite3
import subprocess
import sys
import tempfile

tsunagu = sys.argv[1]
failures = 0

VOLUNTEER_HEADER = ('登録番号,姓,名,セイ,メイ,生年月日,電話番号,メールアドレス,郵便番号,住所,校区,'
                    '活動分野,活動可能時間,資格・特技,保険年度,紹介同意日,状態')
REQUEST_HEADER = '依頼番号,団体登録番号,内容,校区,日付,時間帯,必要人数,必要な資格,活動分野,募集締切'


def run(*args):
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    env['TSUNAGU_TODAY'] = '2026-12-01'
    p = subprocess.run([tsunagu, *args], capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, 'm.db')
    vols = os.path.join(d, 'volunteers.csv')
    reqs = os.path.join(d, 'requests.csv')
    out = os.path.join(d, 'out.csv')
    # 2026-12-05 is a Saturday; 2026年度 insurance.
    with open(vols, 'w', encoding='utf-8', newline='') as f:
        f.write(VOLUNTEER_HEADER + '\r\n'
                '2026-001,青木,花子,あおき,はなこ,1980-05-05,090-0000-0001,aoki@example.jp,836-0001,'
                '大牟田市有明町1-1,天領,13;3,土午前 水午後,調理師;手話,2026,2026-04-01,活動中\r\n'
                '2026-002,井上,誠,イノウエ,マコト,1975-01-01,090-0000-0002,,,,中友,13,土午前,,2026,,活動中\r\n'
                '2026-003,大野,翔,オオノ,ショウ,1990-01-01,090-0000-0003,,,,中友,13,土午前,,2025,,活動中\r\n'
                '2026-004,加藤,結衣,カトウ,ユイ,1990-01-01,,,,,中友,13,日午前,,2026,,休止\r\n')
    rc, o, e = run('--db', db, '--import-volunteers', vols)
    check(rc == 0, 'volunteers import (exit 0): ' + e.strip())

    # The request comes from a registered group, named by its number.
    con = sqlite3.connect(db)
    con.close()
    with open(os.path.join(d, 'groups.csv'), 'w', encoding='utf-8', newline='') as f:
        f.write('登録番号,団体名,フリガナ,状態\r\n2024-007,天領子ども食堂,テンリョウコドモショクドウ,登録\r\n')
    rc, o, e = run('--db', db, '--import-groups', os.path.join(d, 'groups.csv'))
    check(rc == 0, 'group import: ' + e.strip())
    with open(reqs, 'w', encoding='utf-8', newline='') as f:
        f.write(REQUEST_HEADER + '\r\n'
                'R2026-001,2024-007,子ども食堂の配膳,天領,令和8年12月5日,午前,2,調理師,13,2026-12-03\r\n'
                'R2026-002,,読み聞かせ,中友,2026-12-06,午後,1,,2,\r\n')
    rc, o, e = run('--db', db, '--import-requests', reqs)
    check(rc == 0, 'requests import with a 和暦 date (exit 0): ' + e.strip())
    con = sqlite3.connect(db)
    row = con.execute("SELECT date_from, slot, people_needed, group_id IS NOT NULL FROM requests"
                      " WHERE number = 'R2026-001'").fetchone()
    con.close()
    check(row == ('2026-12-05', 'am', 2, 1), 'request read: date, slot, people and group %r' % (row,))

    rc, o, e = run('--db', db, '--export-volunteers', out)
    with open(out, encoding='utf-8-sig', newline='') as f:
        lines = f.read().split('\r\n')
    check(rc == 0 and lines[0] == VOLUNTEER_HEADER, 'export header is the issue\'s: ' + lines[0])
    aoki = [line for line in lines if line.startswith('2026-001,')]
    check(len(aoki) == 1 and ',"13;3",' not in aoki[0] and ',13;3,' in aoki[0]
          and ',水午後 土午前,' in aoki[0] and aoki[0].endswith(',活動中'),
          'fields as codes with ;, slots in week order (水午後 土午前), status in words: %r' % aoki)

    rc, o, e = run('--db', db, '--suggest', 'R2026-001')
    lines = o.splitlines()
    check(rc == 0, '--suggest exits 0')
    check('# near misses' in lines, 'a "# near misses" line')
    best = lines[0].split('\t') if lines else []
    check(len(best) == 3 and best[0] == '2026-001' and best[1].isdigit(),
          'best first: number, score, reasons, tab-separated: %r' % best)
    check('調理師' in (best[2] if len(best) > 2 else ''), 'reasons name the skill held')
    near = lines[lines.index('# near misses') + 1:] if '# near misses' in lines else []
    ono = [n.split('\t') for n in near if n.startswith('2026-003\t')]
    check(len(ono) == 1 and len(ono[0]) == 2 and 'insured' in ono[0][1],
          'near miss: number and what excludes them: %r' % ono)
    kato = [n for n in near if n.startswith('2026-004\t')]
    check(len(kato) == 1 and 'Paused' in kato[0] and 'available' in kato[0],
          'two causes on one line: %r' % kato)

    rc, o, e = run('--db', db, '--suggest', 'R2026-001', '--limit', '1')
    check(rc == 0 and o.splitlines()[1] == '# near misses', '--limit 1 gives one suggestion')

    rc, o, e = run('--db', db, '--suggest', 'R9999-999')
    check(rc != 0 and 'R9999-999' in e and o == '', 'unknown request: non-zero exit and a message')
    rc, o, e = run('--db', db, '--limit', '3')
    check(rc != 0, '--limit alone is refused')

sys.exit(1 if failures else 0)
