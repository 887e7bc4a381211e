#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The record page through the accessibility tree of the real application
# under Xvfb, on the funders page (助成金 tab): a funder created through the
# form; Esc in a field keeps what was typed (IME users press it all the
# time); Ctrl+S saves from the field; the read view, then editing on
# demand, then saving, shows the change in the read view, the list and the
# history.
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


def visible(node):
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def wait_for(what, func, timeout=TIMEOUT):
    end = time.time() + timeout
    while time.time() < end:
        result = func()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError('timed out waiting for ' + what)


def find(root, pred):
    for node in walk(root):
        try:
            if pred(node) and visible(node):
                return node
        except Exception:
            continue
    return None


def is_row(n):
    # A row of the record list: one widget straight inside its list item.
    try:
        return (n.getRole() == pyatspi.ROLE_LABEL and n.parent.getRoleName() == 'list item'
                and n.parent.parent.getRoleName() == 'list')
    except Exception:
        return False


def row_with(text):
    return lambda n: is_row(n) and text in (n.name or '').split(' ')


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
        if node.getRole() not in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON,
                                  pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_PAGE_TAB):
            return False
        if node.name == name:
            return True
        return any(node.getChildAtIndex(i).name == name for i in range(node.childCount))
    return pred


def shown_button(root, name):
    # Hidden buttons keep VISIBLE in GTK 4.8 only when their page is hidden;
    # a button set invisible has no VISIBLE state.
    return find(root, is_button(name))


def press(root, name):
    wait_for('button ' + name, lambda: shown_button(root, name)).queryAction().doAction(0)


def text_of(node):
    t = node.queryText()
    return t.getText(0, t.characterCount)


def keycode(keysym_name):
    try:
        out = subprocess.run(['xmodmap', '-pke'], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) > 3 and parts[3] == keysym_name:
                return int(parts[1])
    except OSError:
        pass
    return {'Control_L': 37, 's': 39, 'Escape': 9, 'a': 38}[keysym_name]


def key(name, ctrl=False):
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(keycode('Control_L'), None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keycode(name), None, pyatspi.KEY_PRESSRELEASE)
    if ctrl:
        pyatspi.Registry.generateKeyboardEvent(keycode('Control_L'), None, pyatspi.KEY_RELEASE)
    time.sleep(0.5)


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
    proc = subprocess.Popen([tsunagu, '--db', os.path.join(d, 'funders.db')], env=env)
    app = None
    try:
        def find_app():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                a = desktop.getChildAtIndex(i)
                try:
                    if a is not None and a.get_process_id() == proc.pid:
                        return a
                except Exception:
                    continue
            return None
        app = wait_for('the application on the accessibility bus', find_app)
        wait_for('the groups page', lambda: find(app, lambda n: n.name == '0 groups'))

        # The 助成金 tab holds the funders page, behind the programmes (its
        # stack switcher's Funders button).
        press(app, 'Grants')
        press(app, 'Funders')
        page = wait_for('the funders page', lambda: find(app, lambda n: n.name == 'Funders' and n.childCount > 0
                                                         and n.getRole() == pyatspi.ROLE_PANEL))
        wait_for('no funders yet', lambda: find(page, lambda n: n.name == '0 funders'))
        press(page, 'New funder')
        name = wait_for('name field', lambda: find(page, editable('Name')))
        time.sleep(0.5)
        key('a')
        check(text_of(name) == 'a', 'a new record starts with the keyboard in its first field')
        name.queryEditableText().setTextContents('筑後みどり基金')
        reading = find(page, editable('Reading (フリガナ)'))
        reading.queryEditableText().setTextContents('ちくごみどりききん')

        # Esc in a field (the keyboard is in the name) keeps every edit
        # and stays in the form.
        key('Escape')
        key('Escape')
        check(text_of(name) == '筑後みどり基金' and text_of(reading) == 'ちくごみどりききん',
              'Esc in a field keeps what was typed')
        check(shown_button(page, 'Save') is not None, 'Esc leaves the form in editing')

        # Ctrl+S from the field saves (the tooltip's promise).
        key('s', ctrl=True)
        wait_for('one funder', lambda: find(page, lambda n: n.name == '1 funder'))
        check(wait_for('the funder in the list', lambda: find(page, row_with('筑後みどり基金'))) is not None,
              'a funder created through the form is in the list')
        check(wait_for('reading in the list', lambda: find(page, row_with('チクゴミドリキキン'))) is not None,
              'its reading was written in katakana')

        # The read view first; editing on demand; the change everywhere.
        check(shown_button(page, 'Edit') is not None and shown_button(page, 'Save') is None,
              'after saving, the record shows in its read view')
        press(page, 'Edit')
        contact = wait_for('contact field', lambda: find(page, editable('Department or desk')))
        contact.queryEditableText().setTextContents('助成係')
        phone = find(page, editable('Phone'))
        phone.queryEditableText().setTextContents('0944-41-2222')
        press(page, 'Save')
        wait_for('phone in the list', lambda: find(page, row_with('0944-41-2222')))
        check(find(page, lambda n: n.name == '助成係' and not is_row(n)) is not None,
              'the read view shows the edited value')
        change = wait_for('history entry', lambda: find(page, lambda n: n.name == '(empty) → 助成係'))
        check(change is not None, 'the history shows the change as read (empty → value)')
    except AssertionError as e:
        print('not ok - %s' % e)
        failures += 1
        try:
            for n in walk(app):
                if n.name and (n.getRoleName() in ('label', 'text', 'push button') or 'Grants' in n.name):
                    print('#', n.getRoleName(), repr(n.name), n.parent.getRoleName(), visible(n))
        except Exception:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

print(f'{failures} failed')
sys.exit(1 if failures else 0)
