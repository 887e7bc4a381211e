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

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('1..0 # SKIP no display')
    sys.exit(77)

import pyatspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from atspi import (app_env, app_of, check, dump, fail, find, in_list, key, named,  # noqa: E402
                   status, stop, switch_to, text_of, type_into, wait_for)

tsunagu = sys.argv[1]
presses = 0


def counted(*names):
    # Every key a person would press counts (a chord: each of its keys).
    global presses
    presses += len(names)
    key(*names)


GROUP = '白川読み聞かせの会'

with tempfile.TemporaryDirectory() as d:
    env = app_env(d)
    db = os.path.join(d, 'counter.db')
    # The group is on file before the desk opens (imported as a centre would).
    csv = os.path.join(d, 'groups.csv')
    with open(csv, 'w', encoding='utf-8') as f:
        f.write('団体名,フリガナ,登録番号\n%s,シラカワヨミキカセノカイ,2026-001\n三池合唱団,ミイケガッショウダン,2026-002\n' % GROUP)
    subprocess.run([tsunagu, '--db', db, '--import', 'groups', csv], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    proc = subprocess.Popen([tsunagu, '--db', db], env=env)
    app = None
    try:
        app = app_of(proc)
        wait_for('the register', lambda: find(app, named('2 groups')))

        switch_to(app, 'Counter')
        who = type_into(app, 'Who', 'しらかわ')
        # Found: the match shows under the field as it is typed.
        wait_for('the group among the matches', lambda: find(app, named(GROUP, pyatspi.ROLE_LABEL)))
        # The keyboard is already in "Who" (the page puts it there).
        # From here every key counts: Enter takes the match, Space ticks the
        # first topic (設立), Ctrl+Enter logs.
        counted('Return')
        counted('space')
        counted('Control_L', 'Return')
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
        key('Control_L', 'f', pause=0.5)
        key('Return', pause=0)
        wait_for('the group open', lambda: find(app, lambda n: n.name == GROUP and n.getRole() == pyatspi.ROLE_LABEL
                                                and not in_list(n)))
        check(wait_for('the count on the group\'s page', lambda: find(app, named('1 consultation'))) is not None,
              'the group\'s page counts its consultation')
        check(find(app, named('設立', pyatspi.ROLE_LABEL)) is not None,
              'the group\'s page shows the consultation\'s topic')
    except AssertionError as e:
        fail(str(e))
        print('# application exit status:', proc.poll())
        dump(app, ('label', 'text', 'push button', 'toggle button'), visible=True,
             describe=lambda n: (repr(text_of(n)) if n.getRoleName() == 'text' else '',))
    finally:
        stop(proc)

sys.exit(status())
