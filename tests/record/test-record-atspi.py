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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import atspi  # noqa: E402
from atspi import (app_env, app_of, button, check, dump, editable, fail, find, is_row, key,  # noqa: E402
                   press, row_with, showing, status, stop, text_of, wait_for)

tsunagu = sys.argv[1]


with tempfile.TemporaryDirectory() as d:
    env = app_env(d)
    proc = subprocess.Popen([tsunagu, '--db', os.path.join(d, 'funders.db')], env=env)
    app = None
    try:
        app = app_of(proc)
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
        key('a', pause=0.5)
        check(text_of(name) == 'a', 'a new record starts with the keyboard in its first field')
        name.queryEditableText().setTextContents('筑後みどり基金')
        reading = find(page, editable('Reading (フリガナ)'))
        reading.queryEditableText().setTextContents('ちくごみどりききん')

        # Esc in a field (the keyboard is in the name) keeps every edit
        # and stays in the form.
        key('Escape', pause=0.5)
        key('Escape', pause=0.5)
        check(text_of(name) == '筑後みどり基金' and text_of(reading) == 'ちくごみどりききん',
              'Esc in a field keeps what was typed')
        # A button set invisible has no VISIBLE state (find leaves it out).
        check(find(page, button('Save')) is not None, 'Esc leaves the form in editing')

        # Ctrl+S from the field saves (the tooltip's promise).
        key('Control_L', 's', pause=0.5)
        wait_for('one funder', lambda: find(page, lambda n: n.name == '1 funder'))
        check(wait_for('the funder in the list', lambda: find(page, row_with('筑後みどり基金'))) is not None,
              'a funder created through the form is in the list')
        check(wait_for('reading in the list', lambda: find(page, row_with('チクゴミドリキキン'))) is not None,
              'its reading was written in katakana')

        # The read view first; editing on demand; the change everywhere.
        check(find(page, button('Edit')) is not None and find(page, button('Save')) is None,
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
        fail(str(e))
        dump(app, ('label', 'text', 'push button', 'page tab', 'radio button'),
             describe=lambda n: (n.parent.getRoleName(), showing(n)))
    finally:
        stop(proc)

print(f'{atspi.failures} failed')
sys.exit(status())
