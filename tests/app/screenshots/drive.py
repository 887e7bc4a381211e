# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app through AT-SPI for shoot.sh: list, read view, edit view,
# the 登録証 as PDF, the grants page (deadlines, a programme), the funders page.
import glob
import os
import subprocess
import sys
import time

import pyatspi

pid, out, size, tmp, tsunagu = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
prefix = 'narrow-' if int(size.split('x')[0]) < 600 else ''


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


def find_app():
    desk = pyatspi.Registry.getDesktop(0)
    for i in range(desk.childCount):
        a = desk.getChildAtIndex(i)
        try:
            if a.get_process_id() == pid or (os.environ.get('TSU_WRAP') and a.name == 'tsunagu'):
                return a
        except Exception:
            pass
    return None


def wait(what, func, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        r = func()
        if r:
            return r
        time.sleep(0.3)
    for n in walk(app):
        try:
            if visible(n) and n.getRoleName() not in ('label', 'filler', 'panel'):
                print('#', n.getRoleName(), repr(n.name), file=sys.stderr)
        except Exception:
            pass
    raise SystemExit('timed out: ' + what)


def visible(n):
    try:
        return n.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def find(pred, root=None):
    for n in walk(root or app):
        try:
            if pred(n) and visible(n):
                return n
        except Exception:
            pass
    return None


def button(name):
    def pred(n):
        try:
            if n.queryAction().nActions == 0:
                return False
        except NotImplementedError:
            return False
        names = [n.name] + [n.getChildAtIndex(i).name for i in range(n.childCount)]
        # Mnemonic labels read 編集(E) or 編集(_E).
        return any(x and x.replace('_', '').split('(')[0] == name.replace('_', '').split('(')[0]
                   for x in names)
    return pred


def actionable(n):
    try:
        return n.queryAction().nActions > 0
    except NotImplementedError:
        return False


def press(name):
    def get():
        n = find(button(name)) or find(lambda n: n.name == name)
        if n is not None and not actionable(n):
            # A menu button: its toggle inside does the work.
            n = next((c for c in walk(n) if actionable(c)), None)
        return n
    try:
        wait('button ' + name, get, timeout=10).queryAction().doAction(0)
    except SystemExit:
        print('# dump', app, file=sys.stderr)
        try:
            print('# children', app.childCount, [app.getChildAtIndex(i) for i in range(app.childCount)], file=sys.stderr)
        except Exception as e:
            print('# err', e, file=sys.stderr)
        for n in walk(app):
            try:
                if n.name and visible(n):
                    print('#', n.getRoleName(), repr(n.name), actionable(n), file=sys.stderr)
            except Exception:
                pass
        raise
    time.sleep(1)


def text(n):
    t = n.queryText()
    return t.getText(0, t.characterCount) or ''


def shot(name):
    time.sleep(1.2)
    subprocess.run(['import', '-window', 'root', os.path.join(out, prefix + name)], check=False)


def key(code, ctrl=False):
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESSRELEASE)
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_RELEASE)
    time.sleep(0.4)


app = wait('app', find_app)
time.sleep(1)
time.sleep(1)

# The list, then a group found by a search typed in hiragana.
shot('list.png')
search = wait('search', lambda: find(lambda n: n.name == '団体を検索'))
search.queryEditableText().setTextContents('たんこう')
time.sleep(1.5)
key(41, ctrl=True)   # Ctrl+F
key(36)              # Enter opens the first group found
shot('read.png')
press('編集')
shot('edit.png')
key(27) if False else press('保存')

# The 登録証 as PDF, through the save dialog.
pdf = os.path.join(out, 'certificate.pdf')
if not prefix:
    press('その他の操作')
    press('登録証を PDF で保存')
    time.sleep(1.5)
    name = wait('file name', lambda: find(lambda n: n.getRoleName() == 'text' and 'pdf' in text(n)))
    name.queryEditableText().setTextContents(pdf)
    key(36)
    time.sleep(2)

# The import preview is drawn by tests/app/test-record-page.c (TSU_SCREENSHOT_DIR):
# the file chooser takes no typed path without a window manager.

# Grants (助成金 tab): the deadlines, then a programme with tiers, then funders.
press('助成金')
time.sleep(1.5)
shot('grants.png')
search = wait('programme search', lambda: find(lambda n: n.name == '助成・公募を検索'))
search.queryEditableText().setTextContents('応援補助金')
time.sleep(1.5)
key(41, ctrl=True)   # Ctrl+F
key(36)              # Enter opens the first programme found
shot('grants-programme.png')
press('助成団体')
time.sleep(1)
shot('funders.png')
