#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The counter's promise, through the accessibility tree of the real
# application under Xvfb: once the group is found (part of its reading typed
# into "Who"), a consultation is logged in under ten key presses (counted
# here, sent through XTest as a person's would be), shows in today's log and
# on the group's own page.
import os
import subprocess
import sys
import tempfile
import time

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('1..0 # SKIP no display')
    sys.exit(77)

import pyatspi  # noqa: E402

tsunagu = sys.argv[1]
TIMEOUT = 20


def walk(node, depth=0, limit=60):
    if node is None or depth > limit:
        return
    yield node
    try:
        n = node.childCount
    except Exception:
        return
    for i in range(n):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1, limit)


def showing(node):
    # GTK 4.8 sets no SHOWING state; hidden stack pages stay in the tree as
    # "visible", so the checks below look at where a node is, not at states.
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def in_list(node):
    p = node.parent
    while p is not None:
        try:
            if p.getRoleName() in ('table', 'tree table', 'tree', 'list'):
                return True
            p = p.parent
        except Exception:
            return False
    return False


def is_row(n):
    # A row of the record list is one widget, straight inside its list item,
    # whose accessible name holds its cells' text.
    try:
        return (n.getRole() == pyatspi.ROLE_LABEL and n.parent.getRoleName() == 'list item'
                and n.parent.parent.getRoleName() == 'list')
    except Exception:
        return False


def list_label(text):
    return lambda n: text in (n.name or '').split(' ') and is_row(n)


def wait_for(what, func, timeout=TIMEOUT):
    end = time.time() + timeout
    while time.time() < end:
        result = func()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError('timed out waiting for ' + what)


def find(root, pred, visible=True):
    for node in walk(root):
        try:
            if pred(node) and (not visible or showing(node)):
                return node
        except Exception:
            continue
    return None


def find_all(root, pred):
    out = []
    for node in walk(root):
        try:
            if pred(node) and showing(node):
                out.append(node)
        except Exception:
            continue
    return out


def named(name, role=None):
    def pred(node):
        return node.name == name and (role is None or node.getRole() == role)
    return pred


def editable(name):
    def pred(node):
        if node.name != name:
            return False
        try:
            node.queryEditableText()
            return True
        except NotImplementedError:
            return False
    return pred


def is_button(name):
    def pred(node):
        if node.getRole() != pyatspi.ROLE_PUSH_BUTTON:
            return False
        if node.name == name:
            return True
        # A mnemonic button is named "_Save Save" by GTK 4.8: go by its label.
        return any(node.getChildAtIndex(i).name == name for i in range(node.childCount))
    return pred


def press(app, name):
    button = wait_for('button ' + name, lambda: find(app, is_button(name)))
    button.queryAction().doAction(0)


def type_into(app, name, text, index=0):
    def get():
        found = find_all(app, editable(name))
        return found[index] if len(found) > index else None
    entry = wait_for('text ' + name, get)
    entry.queryEditableText().setTextContents(text)
    return entry


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return node.name


def labels(app):
    return [n.name for n in find_all(app, lambda n: n.getRole() == pyatspi.ROLE_LABEL)]


def keycode(keysym_name):
    """The X keycode of a keysym in the server's keymap (Xvfb's default)."""
    try:
        out = subprocess.run(['xmodmap', '-pke'], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) > 3 and parts[3] == keysym_name:
                return int(parts[1])
    except OSError:
        pass
    return {'Control_L': 37, 'f': 41, 'Return': 36, 'space': 65}[keysym_name]


failures = 0
presses = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


def key(name, counted=True):
    global presses
    if counted:
        presses += 1
    pyatspi.Registry.generateKeyboardEvent(keycode(name), None, pyatspi.KEY_PRESSRELEASE)
    time.sleep(0.3)


def chord(mod, name):
    global presses
    presses += 2
    pyatspi.Registry.generateKeyboardEvent(keycode(mod), None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keycode(name), None, pyatspi.KEY_PRESSRELEASE)
    pyatspi.Registry.generateKeyboardEvent(keycode(mod), None, pyatspi.KEY_RELEASE)
    time.sleep(0.3)


def switch_to(app, title):
    # A tab of the window's view switcher.
    tab = wait_for('the tab ' + title, lambda: find(app, lambda n: n.name == title and n.getRole() == pyatspi.ROLE_PAGE_TAB))
    try:
        tab.queryAction().doAction(0)
    except NotImplementedError:
        parent = tab.parent
        parent.querySelection().selectChild(tab.getIndexInParent())
    time.sleep(0.5)


GROUP = '白川読み聞かせの会'

with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ)
    env['XDG_DATA_HOME'] = os.path.join(d, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(d, 'config')
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    db = os.path.join(d, 'counter.db')
    # The group is on file before the desk opens (imported as a centre would).
    csv = os.path.join(d, 'groups.csv')
    with open(csv, 'w', encoding='utf-8') as f:
        f.write('団体名,フリガナ,登録番号\n%s,シラカワヨミキカセノカイ,2026-001\n三池合唱団,ミイケガッショウダン,2026-002\n' % GROUP)
    subprocess.run([tsunagu, '--db', db, '--import', 'groups', csv], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    proc = subprocess.Popen([tsunagu, '--db', db], env=env)
    try:
        def find_app():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                app = desktop.getChildAtIndex(i)
                try:
                    if app is not None and app.get_process_id() == proc.pid:
                        return app
                except Exception:
                    continue
            return None
        app = wait_for('the application on the accessibility bus', find_app)
        wait_for('the register', lambda: find(app, named('2 groups')))

        switch_to(app, 'Counter')
        who = type_into(app, 'Who', 'しらかわ')
        # Found: the match shows under the field as it is typed.
        wait_for('the group among the matches',
                 lambda: find(app, lambda n: n.name == GROUP and n.getRole() == pyatspi.ROLE_LABEL))
        # The keyboard is already in "Who" (the page puts it there).
        # From here every key counts: Enter takes the match, Space ticks the
        # first topic (設立), Ctrl+Enter logs.
        key('Return')
        key('space')
        chord('Control_L', 'Return')
        check(presses < 10, 'logged in %d key presses after the group was found' % presses)
        row = wait_for('the consultation in today\'s log',
                       lambda: find(app, lambda n: GROUP in (n.name or '') and '　' in (n.name or '')
                                    and n.getRole() == pyatspi.ROLE_LABEL))
        check(row is not None, 'the consultation shows in today\'s log')
        check(text_of(who) == '', 'the form is cleared for the next person')

        # The group's own page shows it.
        switch_to(app, 'Groups')
        type_into(app, 'Search groups', 'しらかわ')
        wait_for('search result count', lambda: find(app, named('1 group')))
        control = keycode('Control_L')
        pyatspi.Registry.generateKeyboardEvent(control, None, pyatspi.KEY_PRESS)
        pyatspi.Registry.generateKeyboardEvent(keycode('f'), None, pyatspi.KEY_PRESSRELEASE)
        pyatspi.Registry.generateKeyboardEvent(control, None, pyatspi.KEY_RELEASE)
        time.sleep(0.5)
        pyatspi.Registry.generateKeyboardEvent(keycode('Return'), None, pyatspi.KEY_PRESSRELEASE)
        wait_for('the group open', lambda: find(app, lambda n: n.name == GROUP and n.getRole() == pyatspi.ROLE_LABEL and not in_list(n)))
        check(wait_for('the count on the group\'s page', lambda: find(app, named('1 consultation'))) is not None,
              'the group\'s page counts its consultation')
        check(find(app, lambda n: (n.name or '') == '設立' and n.getRole() == pyatspi.ROLE_LABEL) is not None,
              'the group\'s page shows the consultation\'s topic')
    except AssertionError as e:
        print('not ok - %s' % e)
        failures += 1
        print('# application exit status:', proc.poll())
        for n in walk(app):
            try:
                if n.name and n.getRoleName() in ('label', 'text', 'push button', 'toggle button') and showing(n):
                    print('#', n.getRoleName(), repr(n.name), repr(text_of(n)) if n.getRoleName() == 'text' else '')
            except Exception:
                continue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

sys.exit(1 if failures else 0)
