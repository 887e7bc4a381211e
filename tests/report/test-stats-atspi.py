#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Through the accessibility tree under Xvfb: open Statistics, see the
# figures of 令和8年度, switch to the year before and see them change to the
# figures the first view showed for that year, then "Report to Folder…" into
# a folder and find the PDF and one CSV per table there; then publish the
# directory there and find its index and booklet.
#
#   test-stats-atspi.py TSUNAGU MAKE_CENTRE
#
# The app opens on its groups page; the test presses the view switcher's
# "Statistics" button.
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
from atspi import (app_env, app_of, check, dump, fail, named, press, status, stop,  # noqa: E402
                   text_of, wait_for, window)

program, make_centre = sys.argv[1], sys.argv[2]
atspi.TIMEOUT = 30


# Figures are looked for in the whole tree, shown or not: a year's figures
# gone must be gone from the tree, not only hidden.
def find_all(root, pred):
    return atspi.find_all(root, pred, visible=False)


def find(root, pred):
    return atspi.find(root, pred, visible=False)


with tempfile.TemporaryDirectory() as d:
    env = app_env(d, HOME=d, TSUNAGU_TODAY='2026-12-01', GTK_USE_PORTAL='0')
    db = os.path.join(d, 'centre.sqlite3')
    subprocess.run([make_centre, db], check=True, env=env)
    out = os.path.join(d, 'reports')
    os.mkdir(out)
    # The chooser opens where the last report went, else in Documents.
    os.makedirs(os.path.join(d, 'config'), exist_ok=True)
    with open(os.path.join(d, 'config', 'user-dirs.dirs'), 'w') as f:
        f.write('XDG_DOCUMENTS_DIR="%s"\n' % out)
    args = [program, '--db', db]
    proc = subprocess.Popen(args, env=env)
    app = None
    try:
        app = app_of(proc)
        press(app, 'Statistics')
        # Polls look inside the page only, not through the groups list.
        page = wait_for('the Statistics page', lambda: find(
            app, lambda n: n.name == 'Statistics'
            and n.getRole() in (pyatspi.ROLE_PANEL, pyatspi.ROLE_GROUPING)
            and n.childCount > 0))
        # The bar above the figures: buttons and the status, a few nodes.
        bar = wait_for('the year label', lambda: find(page, named('Year shown'))).parent

        # The app's dates follow its preference (both 西暦 and 和暦 by
        # default: "2026年度（令和8年度）"): go by the 和暦 part.
        def cell(figure, year):
            prefix = figure + ' ('
            return lambda n: (n.name or '').startswith(prefix) and year in n.name

        def value(label):
            figure, year = label[:-1].split(' (')
            node = find(page, cell(figure, year))
            return text_of(node) if node else None

        now = wait_for('figures of 令和8年度', lambda: value('Registered groups (令和8年度)'))
        before = value('Registered groups (令和7年度)')
        print('# registered groups: 令和8年度 %s, 令和7年度 %s' % (now, before))
        check(now is not None and now.isdigit() and int(now) > 100, 'this year\'s figure shown')
        check(before is not None and before.isdigit(), 'last year\'s figure beside it')

        press(bar, 'Previous year')
        wait_for('the year label', lambda: find(bar, lambda n: '令和7年度' in text_of(n)
                                                and n.name == 'Year shown'))
        wait_for('figures of 令和6年度 beside', lambda: value('Registered groups (令和6年度)'))
        check(value('Registered groups (令和8年度)') is None, '令和8年度 figures gone')
        shown = [text_of(n) for n in find_all(page, cell('Registered groups', '令和7年度'))]
        check(shown == [before], '令和7年度 now shown first, with the figure it had beside 令和8年度'
              ' (%s)' % shown)
        check(shown[0] != now, 'the figures changed with the year')

        press(bar, 'Report to Folder…')
        # GTK 4.8 gives the chooser window the role "filler": go by its title.
        desktop_dialog = window(app, 'Report to Folder', visible=False)
        press(desktop_dialog, 'Write Here')
        def written():
            node = find(bar, lambda n: n.getRole() == pyatspi.ROLE_LABEL
                        and 'written to' in (n.name or ''))
            return node.name if node else None
        print('#', wait_for('the report written', written))
        files = sorted(os.listdir(out))
        check('report-2025.pdf' in files, 'the PDF of 令和7年度 is in the folder')
        check(len([f for f in files if f.endswith('.csv')]) >= 25, 'one CSV per table (%d files)'
              % len(files))

        # The public directory from the same page, into the same folder.
        press(bar, 'Publish Directory…')
        desktop_dialog = window(app, 'Publish Directory to Folder', visible=False)
        press(desktop_dialog, 'Write Here')
        wait_for('the directory written', lambda: os.path.exists(os.path.join(out, 'guidebook.pdf'))
                 and find(bar, lambda n: n.getRole() == pyatspi.ROLE_LABEL
                          and 'written to' in (n.name or '')))
        check(os.path.exists(os.path.join(out, 'index.html')), 'the directory\'s index is there')
        check(os.path.isdir(os.path.join(out, 'groups')), 'one page per group')
    except AssertionError as e:
        fail(str(e))
        dump(app, ('label', 'push button', 'dialog'), describe=lambda n: (repr(text_of(n)),))
    finally:
        stop(proc)

sys.exit(status())
