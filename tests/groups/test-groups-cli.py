#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real `tsunagu` binary importing and exporting groups without a display.
import os
import sqlite3
import subprocess
import sys
import tempfile

tsunagu = sys.argv[1]
failures = 0


def run(*args):
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    p = subprocess.run([tsunagu, *args], capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def check(cond, what):
    global failures
    if cond:
        print('ok -', what)
    else:
        failures += 1
        print('not ok -', what)


def count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute('SELECT count(*) FROM groups').fetchone()[0]
    finally:
        con.close()


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, 'a.db')
    good = os.path.join(d, 'good.csv')
    bad = os.path.join(d, 'bad.csv')
    with open(good, 'w', encoding='utf-8', newline='') as f:
        f.write('団体名,ふりがな,代表者,電話番号,活動分野,構成員数,登録日,状態,メモ\r\n'
                '白川読み聞かせの会,しらかわよみきかせのかい,古賀 花子,0944-00-1111,2,8,2026-04-10,登録,x\r\n'
                '有明海クリーン応援団,ありあけかいくりーんおうえんだん,,0944-00-2222,環境の保全,12,2025-05-01,失効,\r\n'
                '髙橋さんの手話の会,たかはしさんのしゅわのかい,山﨑 誠,,1;13,6,,申請中,\r\n')
    with open(bad, 'w', encoding='utf-8', newline='') as f:
        f.write('団体名,フリガナ,電話番号\r\n'
                '良い会,ヨイカイ,0944-00-3333\r\n'
                '悪い会,ワルイカイ,123\r\n'
                ',ナナシ,\r\n')

    rc, out, err = run('--db', db, '--import-groups', good)
    check(rc == 0, 'good file imports (exit 0)')
    check('メモ' in err, 'unknown column reported as a warning')
    check(count(db) == 3, 'three groups written')

    rc, out, err = run('--db', db, '--import-groups', bad)
    check(rc != 0, 'file with errors exits non-zero')
    check('bad.csv:3:' in err and 'bad.csv:4:' in err, 'errors carry line numbers: ' + err.strip())
    check(count(db) == 3, 'nothing written from a file with errors')

    notcsv = os.path.join(d, 'broken.csv')
    with open(notcsv, 'wb') as f:
        f.write('団体名,フリガナ\r\n"閉じない,ア\r\n'.encode('utf-8'))
    rc, out, err = run('--db', db, '--import-groups', notcsv)
    check(rc != 0 and 'broken.csv' in err, 'broken quoting exits non-zero')
    check(count(db) == 3, 'nothing written from a broken file')

    out_csv = os.path.join(d, 'out.csv')
    rc, out, err = run('--db', db, '--export-groups', out_csv)
    check(rc == 0, 'export exits 0')
    data = open(out_csv, 'rb').read()
    check(data.startswith(b'\xef\xbb\xbf'), 'UTF-8 export starts with a BOM')
    text = data.decode('utf-8-sig')
    lines = text.split('\r\n')
    check(lines[0].startswith('登録番号,団体名,団体名フリガナ,法人格,法人番号,代表者,代表者フリガナ,'
                              '郵便番号,住所,電話番号,メールアドレス,活動分野,構成員数,登録日,状態'),
          'export header')
    names = [l.split(',')[1] for l in lines[1:] if l]
    check(names == ['有明海クリーン応援団', '白川読み聞かせの会', '髙橋さんの手話の会'],
          'export in 五十音順: %s' % names)

    sj = os.path.join(d, 'sj.csv')
    rc, out, err = run('--db', db, '--export-groups', sj, '--encoding', 'cp932')
    check(rc == 0, 'CP932 export exits 0')
    check(open(sj, 'rb').read().decode('cp932').split('\r\n')[1:4] == lines[1:4],
          'CP932 export holds the same text (髙, 﨑 included)')

    pub = os.path.join(d, 'pub.csv')
    rc, out, err = run('--db', db, '--export-groups', pub, '--public')
    ptext = open(pub, 'rb').read().decode('utf-8-sig')
    check(rc == 0 and '0944-00-1111' not in ptext and '古賀' not in ptext and '白川読み聞かせの会' in ptext,
          'public export leaves out 非公開 fields')

    # Round trip: export → import into a new file → the same export.
    db2 = os.path.join(d, 'b.db')
    rc, out, err = run('--db', db2, '--import-groups', out_csv)
    check(rc == 0, 'exported file imports')
    out2 = os.path.join(d, 'out2.csv')
    rc, out, err = run('--db', db2, '--export-groups', out2)
    check(open(out2, 'rb').read() == data, 'export → import → export is identical')

    rc, out, err = run('--db', db, '--export-groups', out_csv, '--encoding', 'ebcdic')
    check(rc != 0 and 'ebcdic' in err, 'unknown encoding exits non-zero')
    rc, out, err = run('--db', os.path.join(d, 'none.db'), '--export-groups', out_csv)
    check(rc != 0, 'missing database exits non-zero')

sys.exit(1 if failures else 0)
