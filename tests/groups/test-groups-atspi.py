#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Through the accessibility tree of the real application under Xvfb: create
# a group, find it by typing part of its reading in hiragana, edit its phone,
# and see the change in the list and in its history.
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
    return {'Control_L': 37, 'f': 41, 'Return': 36}[keysym_name]


failures = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ)
    env['XDG_DATA_HOME'] = os.path.join(d, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(d, 'config')
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    db = os.path.join(d, 'groups.db')
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

        wait_for('empty register', lambda: find(app, named('0 groups')))
        press(app, 'New group')
        type_into(app, 'Name', 'つなぐテスト子ども食堂')
        type_into(app, 'Reading (フリガナ)', 'ツナグテストコドモショクドウ')
        type_into(app, 'Phone', '0944-00-1234')
        press(app, 'Save')
        wait_for('one group', lambda: find(app, named('1 group')))
        check(wait_for('new group in the list', lambda: find(app, list_label('つなぐテスト子ども食堂'))) is not None,
              'group created through the editor appears in the list')

        # A second group, so that the search has something to leave out.
        press(app, 'New group')
        type_into(app, 'Name', '三池合唱団')
        type_into(app, 'Reading (フリガナ)', 'みいけがっしょうだん')
        press(app, 'Save')
        wait_for('two groups', lambda: find(app, named('2 groups')))
        wait_for('second group in the list', lambda: find(app, list_label('三池合唱団')))

        # Away from the group, then back through the search, typed in hiragana.
        press(app, 'New group')
        search = type_into(app, 'Search groups', 'てすとこども')
        wait_for('search result count', lambda: find(app, named('1 group')))
        wait_for('the other group to leave the list', lambda: find(app, list_label('三池合唱団')) is None)
        check(find(app, list_label('つなぐテスト子ども食堂')) is not None,
              'hiragana search finds the group by part of its reading')

        # Ctrl+F puts the keyboard in the search field; Enter there opens
        # the first group found (keys go through XTest, as a person's would).
        control = keycode('Control_L')
        pyatspi.Registry.generateKeyboardEvent(control, None, pyatspi.KEY_PRESS)
        pyatspi.Registry.generateKeyboardEvent(keycode('f'), None, pyatspi.KEY_PRESSRELEASE)
        pyatspi.Registry.generateKeyboardEvent(control, None, pyatspi.KEY_RELEASE)
        time.sleep(0.5)
        pyatspi.Registry.generateKeyboardEvent(keycode('Return'), None, pyatspi.KEY_PRESSRELEASE)
        # A group opens in its read view; editing is one button away.
        wait_for('the group open', lambda: find(app, lambda n: n.name == 'つなぐテスト子ども食堂' and n.getRole() == pyatspi.ROLE_LABEL and not in_list(n)))
        press(app, 'Edit')
        phone = wait_for('the group open in the editor',
                         lambda: [e for e in find_all(app, editable('Phone')) if text_of(e) == '0944-00-1234'])
        check(len(phone) == 1, 'the group found is open in the editor')

        phone[0].queryEditableText().setTextContents('0944-00-9876')
        press(app, 'Save')
        check(wait_for('new phone in the list', lambda: find(app, list_label('0944-00-9876'))) is not None,
              'edited phone shows in the list')
        check(find(app, list_label('0944-00-1234')) is None, 'old phone gone from the list')
        change = wait_for('history entry',
                          lambda: find(app, lambda n: n.name == '0944-00-1234 → 0944-00-9876'))
        check(change is not None, 'history shows the phone change (old → new)')
    except AssertionError as e:
        print('not ok - %s' % e)
        failures += 1
        try:
            for n in walk(app):
                if n.name and n.getRoleName() in ('label', 'text', 'push button'):
                    print('#', n.getRoleName(), repr(n.name), in_list(n), repr(text_of(n)) if n.getRoleName() == 'text' else '')
        except Exception:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

sys.exit(1 if failures else 0)
