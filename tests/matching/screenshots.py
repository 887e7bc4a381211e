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

import pyatspi

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


def walk(n, d=0):
    if n is None or d > 60:
        return
    yield n
    try:
        count = n.childCount
    except Exception:
        return
    for i in range(count):
        try:
            yield from walk(n.getChildAtIndex(i), d + 1)
        except Exception:
            pass


def find(root, pred):
    for n in walk(root):
        try:
            if pred(n) and n.getState().contains(pyatspi.STATE_VISIBLE):
                return n
        except Exception:
            pass
    return None


def wait(what, func, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        r = func()
        if r:
            return r
        time.sleep(0.5)
    shot('failed.png')
    raise SystemExit('timed out: ' + what)


def find_app():
    desk = pyatspi.Registry.getDesktop(0)
    for i in range(desk.childCount):
        a = desk.getChildAtIndex(i)
        try:
            if a.get_process_id() == proc.pid:
                return a
        except Exception:
            pass
    return None


def shot(name):
    time.sleep(1.5)
    subprocess.run(['import', '-window', 'root', os.path.join(out, name)], check=False)


def alt(code):
    pyatspi.Registry.generateKeyboardEvent(64, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESSRELEASE)
    pyatspi.Registry.generateKeyboardEvent(64, None, pyatspi.KEY_RELEASE)


def actionable(n):
    try:
        return n.queryAction().nActions > 0
    except NotImplementedError:
        return False


def press(root, name):
    # The view switcher's button, or the actionable widget inside it.
    n = wait(name, lambda: find(root, lambda n: n.name == name and (actionable(n) or any(
        actionable(c) for c in walk(n)))))
    if not actionable(n):
        n = next(c for c in walk(n) if actionable(c))
    n.queryAction().doAction(0)


def first_row(page):
    def pred(n):
        return (n.getRole() == pyatspi.ROLE_LABEL and n.parent.getRoleName() == 'list item'
                and n.parent.parent.getRoleName() == 'list' and (n.name or '').strip())
    return find(page, pred)


def open_row(row, index=0):
    item = row.parent
    item.parent.querySelection().selectChild(item.getIndexInParent() + index)


try:
    app = wait('app', find_app)
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
    proc.terminate()
    proc.wait(timeout=10)
