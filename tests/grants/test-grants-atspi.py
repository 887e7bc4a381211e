#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The scenario through the accessibility tree of the real
# application under Xvfb: add a programme, tell three groups, see the counts
# on the deadline list (and the programme's groups, state by state).
import os
import subprocess
import sys
import tempfile

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('1..0 # SKIP no display')
    sys.exit(77)

import pyatspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import atspi  # noqa: E402
from atspi import (actionable, app_env, app_of, breadth_first, check, dump, fail, find,  # noqa: E402
                   find_all, is_row, plain, press, status, stop, text_of, type_into, wait_for,
                   window, windows)

tsunagu = sys.argv[1]
# Waits, not timed assertions: long enough for a loaded shared machine.
atspi.TIMEOUT = 40
# A Tuesday: the deadline below falls on this week's Friday.
TODAY = '2026-11-24'


def run(*args, env):
    e = dict(env)
    e.pop('DISPLAY', None)
    p = subprocess.run([tsunagu, *args], capture_output=True, env=e, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


with tempfile.TemporaryDirectory() as d:
    env = app_env(d, TSUNAGU_TODAY=TODAY)
    db = os.path.join(d, 'grants.db')
    groups = os.path.join(d, 'groups.csv')
    # Three registered groups in 子どもの健全育成 (13), one still applying.
    with open(groups, 'w', encoding='utf-8', newline='') as f:
        f.write('団体名,団体名フリガナ,活動分野,登録日,有効年度,状態\r\n'
                '白川こども食堂,シラカワコドモショクドウ,13,2026-05-01,2026,登録\r\n'
                '三池学習支援の会,ミイケガクシュウシエンノカイ,13;4,2026-05-01,2026,登録\r\n'
                '有明読み聞かせ隊,アリアケヨミキカセタイ,13,2026-05-01,2026,登録\r\n'
                '申請中の子ども会,シンセイチュウノコドモカイ,13,,,申請中\r\n')
    rc, out, err = run('--db', db, '--import-groups', groups, env=env)
    check(rc == 0, 'groups imported: ' + err.strip().replace('\n', ' | ')[:200])

    proc = subprocess.Popen([tsunagu, '--db', db], env=env)
    app = None
    page = None
    try:
        app = app_of(proc)

        # The grants tab (the view switcher's page tab): upcoming deadlines
        # first, none yet.
        wait_for('the Grants tab', lambda: find(app, lambda n: n.name == 'Grants'
                                                and n.getRole() == pyatspi.ROLE_PAGE_TAB
                                                and actionable(n))).queryAction().doAction(0)
        # From here on, search the grants page only (the whole window is a
        # big tree: the groups page alone has hundreds of nodes).
        page = wait_for('the grants page', lambda: breadth_first(
            app, lambda n: n.name == 'Grant deadlines'))
        wait_for('the empty deadline list', lambda: find(page, lambda n: n.name == '0 programmes'))

        # Add a programme: name, this Friday's deadline and time.
        press(page, 'New programme')
        type_into(page, 'Programme', 'つなぐテスト子ども応援助成')
        type_into(page, 'Deadline', '2026-11-27')
        type_into(page, 'Deadline time (HH:MM)', '17:00')
        press(page, 'Save')
        row = wait_for('the programme on the deadline list',
                       lambda: find(page, lambda n: is_row(n) and 'つなぐテスト子ども応援助成' in n.name))
        check(row.name.endswith(' 0 0'), 'no group told or applying yet: ' + row.name)
        check('3 days left' in row.name, 'days left: ' + row.name)
        check(row.description == 'This week', 'listed under This week: %r' % row.description)

        # Tell groups: the three registered ones are suggested, not the
        # group still applying; all three are told at once.
        main_windows = windows(app)
        press(page, 'Tell Groups…')
        dialog = window(app, 'Tell Groups', exclude=main_windows, visible=False)
        names = ['白川こども食堂', '三池学習支援の会', '有明読み聞かせ隊']
        def suggested():
            found = find_all(dialog, lambda n: n.getRole() == pyatspi.ROLE_CHECK_BOX
                             and plain(n.name) in names + ['申請中の子ども会'])
            return found if len(found) >= 3 else None
        checks = wait_for('three suggestions', suggested)
        check(sorted(plain(c.name) for c in checks) == sorted(names),
              'the registered groups are suggested, not the one still applying')
        # GTK 4.8 gives check buttons no AT-SPI action: the dialog's
        # Choose All chooses every suggested group.
        press(dialog, 'Choose All')
        press(dialog, 'Tell 3 Groups')
        wait_for('the groups told', lambda: find(dialog, lambda n: n.name == '3 groups told'))
        notice = wait_for('the notice', lambda: find(dialog, lambda n: n.name == 'Notice'
                                                     and n.getRole() == pyatspi.ROLE_TEXT))
        text = text_of(notice)
        check('【つなぐテスト子ども応援助成】のご案内' in text and '17:00' in text,
              'the notice names the programme and its deadline')
        press(dialog, 'Close')

        # The counts on the deadline list, and the groups on the programme.
        row = wait_for('three told on the list', lambda: find(
            page, lambda n: is_row(n) and 'つなぐテスト子ども応援助成' in n.name
            and n.name.endswith(' 3 0')))
        check(row is not None, 'the deadline list counts 3 told, 0 applying')
        check(wait_for('Told, 3 groups', lambda: find(
            page, lambda n: n.name == '3 groups' and n.getRole() == pyatspi.ROLE_LABEL)) is not None,
            'the programme lists its 3 groups under Told')
    except AssertionError as e:
        fail(str(e))
        if app is not None:
            dump(windows(app)[1:] + [page], ('label', 'text', 'push button', 'check box', 'toggle button'),
                 visible=True)
    finally:
        stop(proc)

sys.exit(status())
