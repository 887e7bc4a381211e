# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app through AT-SPI for shoot.sh: the counter with a name
# being typed, an event with its registrations, the network.
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


def key(code, ctrl=False):
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESSRELEASE)
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(37, None, pyatspi.KEY_RELEASE)
    time.sleep(0.4)


def shot(name):
    time.sleep(1.2)
    subprocess.run(['import', '-window', 'root', os.path.join(out, prefix + name)], check=False)


def editable(name):
    def pred(n):
        if (n.name or '').replace('_', '').split('(')[0] != name:
            return False
        try:
            n.queryEditableText()
            return True
        except NotImplementedError:
            return False
    return pred


app = wait('the application', find_app, timeout=60)
wait('the groups', lambda: find(lambda n: (n.name or '').endswith('団体') and n.getRoleName() == 'label'), timeout=60)

# The counter: someone is at the desk, part of a name typed.
press('窓口')
time.sleep(2)
who = wait('相談者', lambda: find(editable('相談者')))
who.queryEditableText().setTextContents('こども')
time.sleep(2)
shot('counter.png')

# An event with its registrations.
press('講座・催し')
time.sleep(2)
wait('an event', lambda: find(lambda n: 'SNS広報講座' in (n.name or '') and n.getRoleName() == 'label'))
# Ctrl+F, then Enter opens the first event (the next one).
key(41, ctrl=True)
key(36)
time.sleep(2)
shot('events.png')

# The network.
press('ネットワーク')
time.sleep(4)
shot('network.png')
