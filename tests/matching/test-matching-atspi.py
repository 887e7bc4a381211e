#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Through the accessibility tree of the real application under Xvfb: open a
# request from the queue, ask the top suggestion, record their agreement
# with the consent to give their contact details to the group, confirm,
# and see the request's 確定/必要 count change in the queue; then the same
# person for a second request at the same time: confirming warns of the
# double booking first.
import os
import sqlite3
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
from atspi import (app_env, app_of, check, dump, fail, find, in_dialogs, is_row, key, status,  # noqa: E402
                   stop, wait_for)

tsunagu = sys.argv[1]


def button(prefix):
    # A button whose name (or its label child's) starts with prefix.
    return atspi.button(prefix, roles=(pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON,
                                       pyatspi.ROLE_RADIO_BUTTON), prefix=True)


def press(root, prefix):
    # On the application: in its dialogs only (message dialogs are windows
    # of their own; a walk over them is short, unlike one over the window).
    print('# press', prefix, flush=True)
    where = in_dialogs if root.getRoleName() == 'application' else find
    return atspi.press(root, prefix, pred=button(prefix), where=where)


def alt(name):
    # Typed as a person would (XTest): for what GTK 4.8 gives no action.
    key('Alt_L', name, pause=0)


def check_on(box, mnemonic):
    # GTK 4.8 check buttons have no AT-SPI action: their mnemonic then.
    try:
        if box.queryAction().nActions > 0:
            box.queryAction().doAction(0)
            return
    except NotImplementedError:
        pass
    alt(mnemonic)


def go_to_matching(app):
    # The view switcher's tabs take no action through AT-SPI 2.46: Alt+2,
    # typed as a person would (XTest).
    wait_for('the window', lambda: find(app, lambda n: n.getRole() == pyatspi.ROLE_PAGE_TAB
                                        and n.name == 'Matching'))
    alt('2')


def queue_row(page, title):
    return find(app, lambda n: is_row(n) and title in (n.name or ''))


def open_request(page, title):
    row = wait_for('queue row ' + title, lambda: queue_row(page, title))
    item = row.parent
    item.parent.querySelection().selectChild(item.getIndexInParent())
    # The detail shows the request's title as its heading.
    return wait_for('request open', lambda: find(app, lambda n: n.getRole() == pyatspi.ROLE_LABEL
                                                 and n.name == title and queue_row(page, title) is not n))


def run(*args):
    env = dict(os.environ)
    env['TSUNAGU_TODAY'] = '2026-12-01'
    subprocess.run([tsunagu, *args], check=True, env=env, capture_output=True, timeout=60)


with tempfile.TemporaryDirectory() as d:
    db = os.path.join(d, 'matching.db')

    def write(name, text):
        path = os.path.join(d, name)
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(text)
        return path

    # 2026-12-05 is a Saturday. 青木 fits best (same 校区, the skill needed).
    run('--db', db, '--import-groups', write('g.csv', '登録番号,団体名,フリガナ,状態\r\n'
                                                       '2024-007,天領子ども食堂,テンリョウコドモショクドウ,登録\r\n'))
    run('--db', db, '--import-volunteers', write('v.csv', (
        '登録番号,姓,名,セイ,メイ,生年月日,電話番号,校区,活動分野,活動可能時間,資格・特技,保険年度,状態\r\n'
        '2026-001,青木,花子,アオキ,ハナコ,1980-05-05,090-0000-0001,天領,13,土午前,調理師,2026,活動中\r\n'
        '2026-002,井上,誠,イノウエ,マコト,1975-01-01,090-0000-0002,中友,13,土午前,,2026,活動中\r\n')))
    run('--db', db, '--import-requests', write('r.csv', (
        '依頼番号,団体登録番号,内容,校区,日付,時間帯,必要人数,必要な資格,活動分野,募集締切\r\n'
        'R2026-001,2024-007,子ども食堂の配膳,天領,2026-12-05,午前,2,調理師,13,2026-12-03\r\n'
        'R2026-002,2024-007,餅つき大会の手伝い,天領,2026-12-05,午前,1,調理師,13,2026-12-04\r\n')))

    env = app_env(d, TSUNAGU_TODAY='2026-12-01')
    proc = subprocess.Popen([tsunagu, '--db', db], env=env)
    app = None
    try:
        app = app_of(proc)
        go_to_matching(app)
        # Everything below happens on the requests page or in a dialog: the
        # searches stay there (the whole window is some 2,000 nodes, slow to walk).
        page = wait_for('the requests page', lambda: find(app, lambda n: n.getRoleName() == 'panel'
                                                            and n.name == 'Requests'))
        wait_for('the queue', lambda: find(page, lambda n: n.name == '2 requests'))
        check(queue_row(page, '0/2') is not None, 'the queue shows 確定/必要 as 0/2')

        # First the second request: ask 青木 there too (not confirmed yet).
        open_request(page, '餅つき大会の手伝い')
        press(page, 'Ask 青木')
        wait_for('asked for the second request', lambda: find(page, button('Contacted')))

        # The first request: the top suggestion, asked, reached, agreed.
        open_request(page, '子ども食堂の配膳')
        top = wait_for('suggestions', lambda: find(page, button('Ask ')))
        check('青木' in top.name, 'the top suggestion is the best fit: ' + top.name)
        top.queryAction().doAction(0)
        press(page, 'Contacted')
        press(page, 'Agreed')
        dialog = wait_for('the agreement dialog', lambda: in_dialogs(app, lambda n: n.name == 'Record the Agreement'))
        consent = wait_for('the consent check', lambda: in_dialogs(app, lambda n: n.getRole() == pyatspi.ROLE_CHECK_BOX))
        check_on(consent, 'g')
        wait_for('consent checked', lambda: consent.getState().contains(pyatspi.STATE_CHECKED))
        press(app, 'Record')
        wait_for('the dialog gone', lambda: in_dialogs(app, lambda n: n.name == 'Record the Agreement') is None)
        press(page, 'Confirm')
        check(wait_for('the count in the queue', lambda: queue_row(page, '1/2')) is not None,
              'confirming changes the request\'s count in the queue to 1/2')
        con = sqlite3.connect(db)
        consent_on, state = con.execute(
            "SELECT v.contact_consent_on, m.state FROM volunteers v JOIN matches m ON m.volunteer_id = v.id"
            " JOIN requests r ON r.id = m.request_id WHERE r.number = 'R2026-001'").fetchone()
        con.close()
        check(consent_on == '2026-12-01', 'the consent is recorded with the agreement: %r' % consent_on)
        check(state == 'confirmed', 'the match is confirmed: %r' % state)

        # The same person at the same time elsewhere: a warning, not a booking.
        open_request(page, '餅つき大会の手伝い')
        press(page, 'Contacted')
        press(page, 'Agreed')
        wait_for('the agreement dialog', lambda: in_dialogs(app, lambda n: n.name == 'Record the Agreement'))
        press(app, 'Record')
        wait_for('the dialog gone', lambda: in_dialogs(app, lambda n: n.name == 'Record the Agreement') is None)
        press(page, 'Confirm')
        warning = wait_for('the double-booking warning', lambda: in_dialogs(app, lambda n: n.name == 'Double Booking'))
        check(warning is not None, 'confirming a double booking warns first')
        press(app, 'Cancel')
        time.sleep(0.5)
        con = sqlite3.connect(db)
        state = con.execute("SELECT m.state FROM matches m JOIN requests r ON r.id = m.request_id"
                            " WHERE r.number = 'R2026-002'").fetchone()[0]
        con.close()
        check(state == 'consented', 'cancelled at the warning: still agreed, not confirmed (%s)' % state)
        check(queue_row(page, '0/1') is not None, 'the second request still needs its person')
    except AssertionError as e:
        fail(str(e))
        dump(app, ('label', 'push button', 'check box', 'dialog'), visible=True)
    finally:
        stop(proc)

sys.exit(status())
