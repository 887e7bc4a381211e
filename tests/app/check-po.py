#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/<lang>.po is incomplete or POTFILES.in misses a file.

1. msgfmt --check --statistics: no untranslated or fuzzy messages, valid formats.
2. A fresh POT from POTFILES.in (xgettext, GLib keywords), compared with
   msgcmp: every string in the code has a translation.
3. Every file under src/ and data/ with translatable strings is listed in
   POTFILES.in, and every listed file exists.
4. POTFILES.in is what po/update-potfiles.py makes of the folders' POTFILES
   fragments (each feature folder lists its own files).
5. Japanese brackets are of one kind: full-width （） in text, half-width
   only around a mnemonic ("保存(_S)", GNOME's Japanese convention) and in
   names quoted from other programs (Excel's 「CSV (コンマ区切り)」).
"""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

KEYWORDS = ['_', 'N_', 'C_:1c,2', 'NC_:1c,2', 'g_dngettext:2,3']
MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC)?_\(|translatable="yes"')
ALWAYS_TRANSLATED = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in')
SCANNED = ('.c', '.h', '.ui', '.in')

failures = []


def fail(message):
    failures.append(message)
    print('FAIL: ' + message)


def read_potfiles(srcdir):
    listed = []
    with open(os.path.join(srcdir, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def check_catalogue(srcdir, po):
    result = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                            capture_output=True, text=True)
    stats = (result.stdout + result.stderr).strip()
    print(f'{os.path.basename(po)}: {stats}')
    if result.returncode != 0:
        fail(f'msgfmt --check failed for {po}')
    if 'untranslated' in stats or 'fuzzy' in stats:
        fail(f'{po} has untranslated or fuzzy messages: {stats}')


def check_against_code(srcdir, po, listed, workdir):
    pot = os.path.join(workdir, 'fresh.pot')
    files = [f for f in listed if os.path.exists(os.path.join(srcdir, f))]
    cmd = ['xgettext', '--from-code=UTF-8', '--add-comments', '-o', pot,
           '-D', srcdir, '--package-name=tsunagu']
    cmd += ['--keyword=' + k for k in KEYWORDS]
    cmd += ['--flag=g_strdup_printf:1:c-format', '--flag=g_set_error:4:c-format']
    result = subprocess.run(cmd + files, capture_output=True, text=True)
    if result.returncode != 0:
        fail('xgettext failed: ' + result.stderr.strip())
        return
    if not os.path.exists(pot):
        return  # no strings at all
    # msgcmp fails for every msgid of the code without a (non-fuzzy) translation.
    result = subprocess.run(['msgcmp', po, pot], capture_output=True, text=True)
    if result.returncode != 0:
        with open(pot, encoding='utf-8') as f:
            lines = f.read().split('\n')
        missing = []
        for m in re.finditer(r'fresh\.pot:(\d+):', result.stderr):
            n = int(m.group(1)) - 1
            while n > 0 and not lines[n].startswith('msgid'):
                n -= 1
            refs = [l for l in lines[max(0, n - 6):n] if l.startswith('#:')]
            missing.append(f'  {lines[n]}  {refs[-1] if refs else ""}')
        fail(f'strings in the code without a translation in {po}:\n' +
             ('\n'.join(missing) or result.stderr.strip()))


def check_potfiles(srcdir, listed):
    for f in listed:
        if not os.path.exists(os.path.join(srcdir, f)):
            fail(f'po/POTFILES.in lists {f}, which does not exist')
    listed_set = set(listed)
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcdir, top)):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, srcdir)
                if name.endswith(ALWAYS_TRANSLATED):
                    needed = True
                elif name.endswith(SCANNED):
                    with open(path, encoding='utf-8', errors='replace') as f:
                        needed = MARKERS.search(f.read()) is not None
                else:
                    needed = False
                if needed and rel not in listed_set:
                    fail(f'{rel} has translatable strings but is not in po/POTFILES.in '
                         '(add it to its folder\'s POTFILES)')


def check_fragments(srcdir):
    spec = importlib.util.spec_from_file_location(
        'update_potfiles', os.path.join(srcdir, 'po', 'update-potfiles.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with open(os.path.join(srcdir, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        if f.read() != module.render(srcdir):
            fail('po/POTFILES.in is stale: a folder\'s POTFILES changed; run po/update-potfiles.py')


HALF_WIDTH_ALLOWED = re.compile(r'\(_[A-Za-z0-9]\)|CSV \(コンマ区切り\)')


def check_brackets(po):
    if not po.endswith('ja.po'):
        return
    text = ''
    in_msgstr = False
    with open(po, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if line.startswith('msgstr'):
                in_msgstr = True
            elif not line.startswith('"'):
                in_msgstr = False
            if not in_msgstr:
                continue
            value = line[line.index('"'):]
            rest = HALF_WIDTH_ALLOWED.sub('', value)
            if '(' in rest or ')' in rest:
                fail(f'{po}:{number}: half-width brackets in Japanese text (write （…）): '
                     f'{value.strip()}')


def main():
    srcdir = sys.argv[1] if len(sys.argv) > 1 else os.environ['TSU_SOURCE_ROOT']
    check_fragments(srcdir)
    with open(os.path.join(srcdir, 'po', 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f if not line.startswith('#') for w in line.split()]
    listed = read_potfiles(srcdir)
    check_potfiles(srcdir, listed)
    with tempfile.TemporaryDirectory() as workdir:
        for lang in languages:
            po = os.path.join(srcdir, 'po', lang + '.po')
            check_catalogue(srcdir, po)
            check_brackets(po)
            check_against_code(srcdir, po, listed, workdir)
    if failures:
        print(f'{len(failures)} problem(s)')
        return 1
    print('po complete')
    return 0


if __name__ == '__main__':
    sys.exit(main())
