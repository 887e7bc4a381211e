#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Through the accessibility tree of the real application under Xvfb: create
# a group, find it by typing part of its reading in hiragana, edit its phone,
# and see the change in the list and in its history.
import os
import subprocess
import sys
import tempfile

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('1..0 # SKIP no display')
    sys.exit(77)

import pyatspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from atspi import (app_env, app_of, check, dump, editable, fail, find, find_all, in_list,  # noqa: E402
                   key, named, press, row_with, status, stop, text_of, type_into, wait_for)

tsunagu = sys.argv[1]


with tempfile.TemporaryDirectory() as d:
    env = app_env(d)
    db = os.path.join(d, 'groups.db')
    proc = subprocess.Popen([tsunagu, '--db', db], env=env)
    app = None
    try:
        app = app_of(proc)

        wait_for('empty register', lambda: find(app, named('0 groups')))
        press(app, 'New group')
        type_into(app, 'Name', 'つなぐテスト子ども食堂')
        type_into(app, 'Reading (フリガナ)', 'ツナグテストコドモショクドウ')
        type_into(app, 'Phone', '0944-00-1234')
        press(app, 'Save')
        wait_for('one group', lambda: find(app, named('1 group')))
        check(wait_for('new group in the list', lambda: find(app, row_with('つなぐテスト子ども食堂'))) is not None,
              'group created through the editor appears in the list')

        # A second group, so that the search has something to leave out.
        press(app, 'New group')
        type_into(app, 'Name', '三池合唱団')
        type_into(app, 'Reading (フリガナ)', 'みいけがっしょうだん')
        press(app, 'Save')
        wait_for('two groups', lambda: find(app, named('2 groups')))
        wait_for('second group in the list', lambda: find(app, row_with('三池合唱団')))

        # Away from the group, then back through the search, typed in hiragana.
        press(app, 'New group')
        type_into(app, 'Search groups', 'てすとこども')
        wait_for('search result count', lambda: find(app, named('1 group')))
        wait_for('the other group to leave the list', lambda: find(app, row_with('三池合唱団')) is None)
        check(find(app, row_with('つなぐテスト子ども食堂')) is not None,
              'hiragana search finds the group by part of its reading')

        # Ctrl+F puts the keyboard in the search field; Enter there opens
        # the first group found (keys go through XTest, as a person's would).
        key('Control_L', 'f', pause=0.5)
        key('Return', pause=0)
        # A group opens in its read view; editing is one button away.
        wait_for('the group open', lambda: find(app, lambda n: n.name == 'つなぐテスト子ども食堂'
                                                and n.getRole() == pyatspi.ROLE_LABEL and not in_list(n)))
        press(app, 'Edit')
        phone = wait_for('the group open in the editor',
                         lambda: [e for e in find_all(app, editable('Phone')) if text_of(e) == '0944-00-1234'])
        check(len(phone) == 1, 'the group found is open in the editor')

        phone[0].queryEditableText().setTextContents('0944-00-9876')
        press(app, 'Save')
        check(wait_for('new phone in the list', lambda: find(app, row_with('0944-00-9876'))) is not None,
              'edited phone shows in the list')
        check(find(app, row_with('0944-00-1234')) is None, 'old phone gone from the list')
        change = wait_for('history entry',
                          lambda: find(app, lambda n: n.name == '0944-00-1234 → 0944-00-9876'))
        check(change is not None, 'history shows the phone change (old → new)')
    except AssertionError as e:
        fail(str(e))
        dump(app, ('label', 'text', 'push button'), describe=lambda n: (
            in_list(n), repr(text_of(n)) if n.getRoleName() == 'text' else ''))
    finally:
        stop(proc)

sys.exit(status())
