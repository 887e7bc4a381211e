#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The desk's files under hostile conditions (issue 9), through the real
# `tsunagu` command line: formulas in exports, exports aimed at the
# database, read-only files and folders, a full disk, two imports at once,
# file modes.
#
# Permissions mean nothing to root, so as root the permission cases run the
# command as the user nobody (setpriv); the full-disk case needs root (a
# small tmpfs in a private mount namespace, `unshare -m`) and is skipped
# with a reason otherwise. Exit 77 only if nothing could run.
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

tsunagu = os.path.abspath(sys.argv[1])
failures = 0
skipped = []
IS_ROOT = os.geteuid() == 0
NOBODY = 65534


def env_for(home):
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    env['HOME'] = home
    env['TSUNAGU_TODAY'] = '2026-12-01'
    env['XDG_DATA_HOME'] = os.path.join(home, '.local', 'share')
    return env


def run(*args, as_nobody=False, home=None):
    cmd = [tsunagu, *args]
    if as_nobody and IS_ROOT:
        cmd = ['setpriv', f'--reuid={NOBODY}', f'--regid={NOBODY}', '--clear-groups', '--', *cmd]
    p = subprocess.run(cmd, capture_output=True, env=env_for(home or tempfile.gettempdir()),
                       timeout=120)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def check(cond, what, detail=''):
    global failures
    if cond:
        print('ok -', what)
    else:
        failures += 1
        print('not ok -', what)
        if detail:
            print('  ' + detail.replace('\n', '\n  '))


def count(db):
    con = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    try:
        return con.execute('SELECT count(*) FROM groups').fetchone()[0]
    finally:
        con.close()


def digest(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def mode(path):
    return os.stat(path).st_mode & 0o7777


def private_dir(parent):
    """A folder the command may write in, also when it runs as nobody."""
    d = tempfile.mkdtemp(dir=parent)
    if IS_ROOT:
        os.chown(d, NOBODY, NOBODY)
    return d


def write(path, text):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(text)
    os.chmod(path, 0o644)


GOOD = ('団体名,団体名フリガナ,法人格,代表者,住所\r\n'
        '白川読み聞かせの会,シラカワヨミキカセノカイ,任意団体,古賀 花子,大牟田市白川町1\r\n'
        '有明海クリーン応援団,アリアケカイクリーンオウエンダン,NPO法人,,\r\n')
MORE = ('団体名,団体名フリガナ\r\n'
        '三池の会,ミイケノカイ\r\n')
# What a hostile or careless hand typed (OWASP CSV injection).
# (Registered groups: a public export holds only those.)
FORMULAS = ('団体名,団体名フリガナ,法人格,代表者,住所,登録番号,登録日,有効年度\r\n'
            '"=HYPERLINK(""http://example.jp/?""&A1,""詳細"")",イチ,任意団体,'
            '"+cmd|\' /C calc\'!A0",@SUM(1),2026-001,2026-04-01,2026\r\n'
            '-2+3の会,フツウノカイ,任意団体,,-,2026-002,2026-04-01,2026\r\n')


def check_values(b):
    con = sqlite3.connect(b)
    names = sorted(r[0] for r in con.execute('SELECT name FROM groups'))
    reps = sorted(r[0] or '' for r in con.execute('SELECT rep_family_name FROM groups'))
    con.close()
    check(names == sorted(['=HYPERLINK("http://example.jp/?"&A1,"詳細")', '-2+3の会']),
          'formulas: names come back exactly', repr(names))
    # (代表者 is split at the space into family and given name.)
    check("+cmd|'" in reps, 'formulas: representative comes back exactly', repr(reps))


def test_formulas(top):
    d = private_dir(top)
    a, b = os.path.join(d, 'a.db'), os.path.join(d, 'b.db')
    src = os.path.join(d, 'formulas.csv')
    write(src, FORMULAS)
    rc, _, err = run('--db', a, '--import-groups', src)
    check(rc == 0, 'formulas: the hand-made file imports', err)
    for public in (False, True):
        extra = ['--public'] if public else []
        tag = 'public export' if public else 'export'
        out1 = os.path.join(d, f'out1{"-public" if public else ""}.csv')
        out2 = os.path.join(d, f'out2{"-public" if public else ""}.csv')
        rc, _, err = run('--db', a, '--export-groups', out1, *extra)
        check(rc == 0, f'formulas: {tag} exits 0', err)
        text = open(out1, encoding='utf-8-sig', newline='').read()
        for cell in ('"\'=HYPERLINK(', "'-2+3"):
            check(cell in text, f'formulas: {tag} guards {cell!r}', text)
        if not public:
            for cell in ("'+cmd|", "'@SUM(1)", ",'-,"):
                check(cell in text, f'formulas: {tag} guards {cell!r}', text)
        for line in text.split('\r\n')[1:]:
            for cell in line.split(','):
                check(not cell.lstrip('"').startswith(('=', '+', '-', '@', '\t', '\r')),
                      f'formulas: no {tag} cell starts a formula ({cell[:12]!r})')
        # The round trip: import the export elsewhere, export again, same bytes.
        if os.path.exists(b):
            for suffix in ('', '-wal', '-shm'):
                if os.path.exists(b + suffix):
                    os.unlink(b + suffix)
        rc, _, err = run('--db', b, '--import-groups', out1)
        check(rc == 0, f'formulas: the {tag} imports back', err)
        rc, _, err = run('--db', b, '--export-groups', out2, *extra)
        check(rc == 0 and digest(out1) == digest(out2),
              f'formulas: {tag} → import → {tag} gives the same bytes', err)
        if not public:
            check_values(b)


def test_export_onto_database(top):
    d = private_dir(top)
    db = os.path.join(d, 'desk.db')
    src = os.path.join(d, 'good.csv')
    write(src, GOOD)
    rc, _, err = run('--db', db, '--import-groups', src)
    check(rc == 0, 'export onto db: setup import', err)
    before = digest(db)
    os.symlink(db, os.path.join(d, 'link.csv'))
    os.symlink(db + '-wal', os.path.join(d, 'wal-link.csv'))   # points where SQLite writes
    os.link(db, os.path.join(d, 'hard.csv'))
    os.mkdir(os.path.join(d, 'sub'))
    targets = [db, db + '-wal', db + '-shm', db + '-journal', os.path.join(d, 'link.csv'),
               os.path.join(d, 'wal-link.csv'), os.path.join(d, 'hard.csv'),
               os.path.join(d, 'sub', '..', 'desk.db')]
    for t in targets:
        rc, _, err = run('--db', db, '--export-groups', t)
        check(rc != 0 and 'database itself' in err, f'export onto db: {os.path.relpath(t, d)} refused',
              f'rc={rc} {err}')
        check(digest(db) == before and count(db) == 2,
              f'export onto db: {os.path.relpath(t, d)}: the database is unchanged')
    for companion in ('-wal', '-shm', '-journal'):
        path = db + companion
        check(not os.path.exists(path) or os.path.getsize(path) == 0 or companion == '-shm',
              f'export onto db: nothing written as {companion}')
    # Through a symlink to an ordinary file: written there, the link kept.
    real = os.path.join(d, 'real.csv')
    write(real, 'old')
    os.chmod(real, 0o640)
    if IS_ROOT:
        os.chown(real, NOBODY, NOBODY)
    os.symlink(real, os.path.join(d, 'to-real.csv'))
    rc, _, err = run('--db', db, '--export-groups', os.path.join(d, 'to-real.csv'))
    check(rc == 0 and os.path.islink(os.path.join(d, 'to-real.csv'))
          and '白川' in open(real, encoding='utf-8-sig').read(),
          'export through a link to another file writes that file, the link stays', err)
    check(mode(real) == 0o640, 'an existing export file keeps the mode its owner gave it',
          oct(mode(real)))
    if IS_ROOT:
        check(os.stat(real).st_uid == NOBODY, 'an existing export file keeps its owner')


def test_modes(top):
    d = private_dir(top)
    db = os.path.join(d, 'empty.db')
    open(db, 'w').close()
    os.chmod(db, 0o644)
    src = os.path.join(d, 'good.csv')
    write(src, GOOD)
    os.umask(0o022)
    rc, _, err = run('--db', db, '--import-groups', src)
    check(rc == 0, 'modes: import into a pre-existing empty file', err)
    check(mode(db) == 0o600, 'modes: the database becomes 0600', oct(mode(db)))
    out = os.path.join(d, 'export.csv')
    rc, _, err = run('--db', db, '--export-groups', out)
    check(rc == 0 and mode(out) == 0o600, 'modes: a new export is 0600', f'{oct(mode(out))} {err}')
    leftovers = [n for n in os.listdir(d) if n.startswith('.')]
    check(leftovers == [], 'modes: no temporary file left behind', repr(leftovers))
    # A database left 0644 by an older version, with its WAL files.
    os.chmod(db, 0o644)
    con = sqlite3.connect(db)
    con.execute('SELECT count(*) FROM groups').fetchone()
    for suffix in ('-wal', '-shm'):
        if os.path.exists(db + suffix):
            os.chmod(db + suffix, 0o644)
    more = os.path.join(d, 'more.csv')
    write(more, MORE)
    rc, _, err = run('--db', db, '--import-groups', more)
    check(rc == 0, 'modes: import with another connection open', err)
    bad = {s: oct(mode(db + s)) for s in ('', '-wal', '-shm')
           if os.path.exists(db + s) and mode(db + s) != 0o600}
    check(bad == {}, 'modes: database, -wal and -shm are 0600 after opening for writing', repr(bad))
    con.close()


def test_nul_line(top):
    d = private_dir(top)
    src = os.path.join(d, 'nul.csv')
    with open(src, 'wb') as f:
        f.write('団体名,団体名フリガナ\r\n大牟田の会,オオムタノカイ\r\n三池\0の会,ミイケノカイ\r\n'
                .encode('utf-8'))
    rc, _, err = run('--db', os.path.join(d, 'x.db'), '--import-groups', src)
    check(rc != 0 and 'Line 3' in err and 'NUL byte' in err,
          'a NUL byte on line 3 is reported on line 3 as a NUL byte', err)


def test_read_only(top):
    """Read-only file and folder: what is wrong and how to fix it, not 'damaged'."""
    d = private_dir(top)
    home = private_dir(top)
    db = os.path.join(d, 'desk.db')
    src = os.path.join(d, 'good.csv')
    more = os.path.join(d, 'more.csv')
    write(src, GOOD)
    write(more, MORE)
    rc, _, err = run('--db', db, '--import-groups', src, as_nobody=True, home=home)
    check(rc == 0, 'read-only: setup import (as an ordinary user)', err)

    # The file 0400: refused with the fix, and nothing left broken.
    os.chmod(db, 0o400)
    rc, _, err = run('--db', db, '--import-groups', more, as_nobody=True, home=home)
    check(rc != 0 and 'read-only' in err and 'damaged' in err and 'not damaged' in err
          and 'backup' not in err, 'read-only file: says read-only, not damaged', err)
    check(not [s for s in ('-wal', '-shm') if os.path.exists(db + s) and mode(db + s) & 0o200 == 0],
          'read-only file: no read-only -wal/-shm left behind')
    os.chmod(db, 0o600)
    rc, _, err = run('--db', db, '--import-groups', more, as_nobody=True, home=home)
    check(rc == 0 and count(db) == 3, 'read-only file: after chmod 600 imports work again', err)

    # A read-only -shm left by an older version or another program (SQLite
    # makes it with the database's mode when it opens a 0400 file).
    os.chmod(db, 0o400)
    helper = ('import sqlite3, sys, os\n'
              'c = sqlite3.connect(sys.argv[1])\n'
              'c.execute("SELECT count(*) FROM groups").fetchone()\n'
              'c.execute("PRAGMA journal_mode = WAL").fetchone()\n'
              'try:\n'
              '    c.execute("DELETE FROM meta WHERE 0")\n'
              'except sqlite3.OperationalError:\n'
              '    pass\n'
              'os._exit(0)\n')
    for suffix in ('-wal', '-shm'):   # as after a clean close elsewhere
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    py = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable
    cmd = [py, '-c', helper, db]
    if IS_ROOT:
        cmd = ['setpriv', f'--reuid={NOBODY}', f'--regid={NOBODY}', '--clear-groups', '--', *cmd]
    subprocess.run(cmd, check=True)
    stale = os.path.exists(db + '-shm') and mode(db + '-shm') == 0o400
    check(stale, 'read-only file: an outside reader leaves a 0400 -shm (the trap being tested)')
    os.chmod(db, 0o600)
    rc, _, err = run('--db', db, '--import-groups', src, as_nobody=True, home=home)
    check(rc == 0, 'read-only -shm from earlier: repaired, import works', err)

    # The folder read-only: cannot write the -wal/-shm there.
    os.chmod(d, 0o500)
    try:
        rc, _, err = run('--db', db, '--import-groups', more, as_nobody=True, home=home)
        check(rc != 0 and 'folder' in err and 'not damaged' in err and 'backup' not in err,
              'read-only folder: says the folder cannot be written, not damaged', err)
        out = os.path.join(home, 'x.csv')
        rc, _, err = run('--db', db, '--export-groups', out, as_nobody=True, home=home)
        check(rc != 0 and 'backup' not in err, 'read-only folder: export says why', err)
    finally:
        os.chmod(d, 0o700)
    rc, _, err = run('--db', db, '--import-groups', more, as_nobody=True, home=home)
    check(rc == 0, 'read-only folder: writable again, the database works', err)

    # An export into a folder one may not write: the reason and the fix.
    ro = private_dir(top)
    os.chmod(ro, 0o555)
    rc, _, err = run('--db', db, '--export-groups', os.path.join(ro, 'x.csv'),
                     as_nobody=True, home=home)
    check(rc != 0 and 'not allowed to write' in err, 'export into a read-only folder says why', err)


def test_two_imports(top):
    d = private_dir(top)
    db = os.path.join(d, 'desk.db')
    src = os.path.join(d, 'good.csv')
    more = os.path.join(d, 'more.csv')
    write(src, GOOD)
    write(more, MORE)
    rc, _, err = run('--db', db, '--import-groups', src)
    check(rc == 0, 'two imports: setup', err)
    # Another writer holds the file (as a long import or a sync page does).
    other = sqlite3.connect(db, isolation_level=None, timeout=30)
    other.execute('BEGIN IMMEDIATE')
    other.execute("UPDATE meta SET value = value WHERE key = 'device_id'")
    p = subprocess.Popen([tsunagu, '--db', db, '--import-groups', more],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(d))
    # The waiting line comes once it has waited about a second.
    line = p.stderr.readline().decode('utf-8', 'replace')
    check('another import or a sync' in line and 'waiting' in line,
          'two imports: the second says it waits for the other', line)
    time.sleep(6)   # past the old 5 s busy timeout: it must still be waiting
    check(p.poll() is None, 'two imports: the second still waits after the old 5 s limit')
    other.execute('COMMIT')
    other.close()
    out, err = p.communicate(timeout=60)
    err = line + err.decode('utf-8', 'replace')
    check(p.returncode == 0 and count(db) == 3, 'two imports: the second finishes after the first',
          err)
    check('database is locked' not in err, 'two imports: no bare "database is locked"', err)


def test_full_disk(top):
    """In a private mount namespace: a 1 MiB tmpfs, filled."""
    d = private_dir(top)
    db = os.path.join(d, 'desk.db')
    src = os.path.join(d, 'good.csv')
    more = os.path.join(d, 'more.csv')
    write(src, GOOD)
    write(more, MORE)
    rc, _, err = run('--db', db, '--import-groups', src)
    check(rc == 0, 'full disk: setup', err)
    p = subprocess.run(['unshare', '-m', '--propagation', 'private', sys.executable, __file__,
                        tsunagu, '--full-disk-inner', d],
                       capture_output=True, timeout=180)
    sys.stdout.write(p.stdout.decode('utf-8', 'replace'))
    sys.stdout.write(p.stderr.decode('utf-8', 'replace'))
    check(p.returncode == 0, 'full disk: all cases')


def full_disk_inner(d):
    mnt = os.path.join(d, 'small')
    os.mkdir(mnt)
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mnt], check=True)
    try:
        db = os.path.join(mnt, 'desk.db')
        shutil.copy(os.path.join(d, 'desk.db'), db)
        fill = os.path.join(mnt, 'fill')
        fd = os.open(fill, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b'\0' * 4096)
        except OSError:
            pass
        os.close(fd)
        before = digest(db)
        rc, _, err = run('--db', db, '--import-groups', os.path.join(d, 'more.csv'), home=d)
        check(rc != 0 and 'full' in err and 'not damaged' in err and 'backup' not in err,
              'full disk: import says the disk is full, not damaged', err)
        out = os.path.join(mnt, 'export.csv')
        rc, _, err = run('--db', db, '--export-groups', out, home=d)
        check(rc != 0 and 'full' in err and 'backup' not in err,
              'full disk: export says the disk is full', err)
        check(not os.path.exists(out) and not [n for n in os.listdir(mnt) if n.startswith('.')],
              'full disk: no half export and no temporary file left', repr(os.listdir(mnt)))
        check(digest(db) == before, 'full disk: the database is unchanged')
        os.unlink(fill)
        rc, _, err = run('--db', db, '--import-groups', os.path.join(d, 'more.csv'), home=d)
        check(rc == 0 and count(db) == 3, 'full disk: space freed, the same database works', err)
    finally:
        subprocess.run(['umount', '-l', mnt])
    return failures


if len(sys.argv) > 3 and sys.argv[2] == '--full-disk-inner':
    sys.exit(1 if full_disk_inner(sys.argv[3]) else 0)

with tempfile.TemporaryDirectory() as top:
    os.chmod(top, 0o755)
    if IS_ROOT:
        # nobody may not reach the build tree (a checkout under /root):
        # a copy of the program (its own code is linked in) where it can.
        bindir = os.path.join(top, 'bin')
        os.mkdir(bindir)
        os.chmod(bindir, 0o755)
        shutil.copy(tsunagu, os.path.join(bindir, 'tsunagu'))
        tsunagu = os.path.join(bindir, 'tsunagu')
    test_formulas(top)
    test_export_onto_database(top)
    test_modes(top)
    test_nul_line(top)
    if IS_ROOT and shutil.which('setpriv') is None:
        skipped.append('read-only cases: running as root and setpriv is missing')
    else:
        test_read_only(top)
    test_two_imports(top)
    if not IS_ROOT:
        skipped.append('full disk: needs root for a private tmpfs (unshare -m)')
    elif subprocess.run(['unshare', '-m', 'true'], capture_output=True).returncode != 0:
        skipped.append('full disk: unshare -m is not allowed here')
    else:
        test_full_disk(top)

for s in skipped:
    print('# skipped:', s)
print(f'# {failures} failure(s)')
sys.exit(1 if failures else 0)
