#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of the matching page in Japanese with the demo data:
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
#     /usr/bin/python3 tests/matching/screenshots.py BUILDDIR OUTDIR
# Writes queue.png (the queue with a request open: suggestions, near
# misses, matches) and volunteers.png (a volunteer's record).
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import pyatspi  # noqa: E402
import shotdriver  # noqa: E402
from atspi import actionable, app_by_pid, find, is_row, stop, walk  # noqa: E402

build, out = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
os.makedirs(out, exist_ok=True)
tmp = tempfile.mkdtemp()
env = dict(os.environ)
env.update(XDG_DATA_HOME=tmp + '/data', XDG_CONFIG_HOME=tmp + '/config', GSETTINGS_BACKEND='keyfile',
           GSETTINGS_SCHEMA_DIR=build + '/data', TSUNAGU_LOCALEDIR=build + '/po', GSK_RENDERER='cairo',
           LANG='ja_JP.UTF-8', LANGUAGE='ja', LC_ALL='ja_JP.UTF-8')
os.makedirs(tmp + '/config/gtk-4.0')
os.makedirs(tmp + '/config/glib-2.0/settings')
with open(tmp + '/config/glib-2.0/settings/keyfile', 'w') as f:
    f.write("[io/github/tsunagu/Tsunagu]\nwindow-width=1280\nwindow-height=800\nstaff-name='窓口 花子'\n")
with open(tmp + '/config/gtk-4.0/settings.ini', 'w') as f:
    f.write('[Settings]\ngtk-enable-animations=false\ngtk-cursor-blink=false\n')
proc = subprocess.Popen([build + '/src/app/tsunagu', '--demo'], env=env)
shotdriver.attach(None, out)  # failed.png goes there too


def wait(what, func, timeout=60):
    try:
        return shotdriver.wait(what, func, timeout, interval=0.5)
    except SystemExit:
        shot('failed.png')
        raise


def shot(name):
    shotdriver.shot(name, delay=1.5)


def press(root, name):
    # The view switcher's button, or the actionable widget inside it.
    n = wait(name, lambda: find(root, lambda n: n.name == name and (actionable(n) or any(
        actionable(c) for c in walk(n)))))
    if not actionable(n):
        n = next(c for c in walk(n) if actionable(c))
    n.queryAction().doAction(0)


def first_row(page):
    return find(page, lambda n: is_row(n) and (n.name or '').strip())


def open_row(row, index=0):
    item = row.parent
    item.parent.querySelection().selectChild(item.getIndexInParent() + index)


try:
    app = shotdriver.attach(wait('app', lambda: app_by_pid(proc.pid)), out)
    wait('window', lambda: find(app, lambda n: n.getRole() == pyatspi.ROLE_PAGE_TAB))
    time.sleep(2)
    press(app, 'マッチング')
    page = wait('requests page', lambda: find(app, lambda n: n.getRoleName() == 'panel'
                                              and n.name == '活動依頼'))
    row = wait('queue rows', lambda: first_row(page))
    open_row(row, 1)
    wait('suggestions', lambda: find(page, lambda n: n.name == '候補'))
    time.sleep(3)
    shot('queue.png')
    # A person confirmed for that request: their record shows the match.
    labels = [n.name or '' for n in walk(page) if n.getRole() == pyatspi.ROLE_LABEL]
    number = next((m.group(1) for a, b in zip(labels, labels[1:])
                   for m in [re.search(r'（(\d{4}-\d{3})）$', a)] if m and b.startswith('確定')), None)
    press(app, 'ボランティア')
    vpage = wait('volunteers page', lambda: find(app, lambda n: n.getRoleName() == 'panel'
                                                 and n.name == 'ボランティア'))
    if number:
        entry = wait('search', lambda: find(vpage, lambda n: n.name == 'ボランティアの検索'))
        entry.queryEditableText().setTextContents(number)
        time.sleep(2)
    row = wait('volunteer rows', lambda: first_row(vpage))
    open_row(row, 0)
    time.sleep(3)
    shot('volunteers.png')
finally:
    stop(proc)
