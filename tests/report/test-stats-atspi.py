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
import time

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('1..0 # SKIP no display')
    sys.exit(77)

import pyatspi  # noqa: E402

program, make_centre = sys.argv[1], sys.argv[2]
TIMEOUT = 30


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


def wait_for(what, func, timeout=TIMEOUT):
    end = time.time() + timeout
    while time.time() < end:
        result = func()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError('timed out waiting for ' + what)


def find_all(root, pred):
    out = []
    for node in walk(root):
        try:
            if pred(node):
                out.append(node)
        except Exception:
            continue
    return out


def find(root, pred):
    found = find_all(root, pred)
    return found[0] if found else None


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return node.name


def named(name):
    return lambda n: n.name == name


def is_button(name):
    def pred(node):
        # the view switcher's buttons are radio buttons or page tabs
        if node.getRole() not in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON,
                                  pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_PAGE_TAB):
            return False
        if not node.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        if node.name == name:
            return True
        return any(node.getChildAtIndex(i).name == name for i in range(node.childCount))
    return pred


def press(root, name):
    button = wait_for('button ' + name, lambda: find(root, is_button(name)))
    button.queryAction().doAction(0)


failures = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ)
    env['HOME'] = d
    env['XDG_DATA_HOME'] = os.path.join(d, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(d, 'config')
    env['TSUNAGU_TODAY'] = '2026-12-01'
    env['GTK_USE_PORTAL'] = '0'
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
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
        def chooser():
            for i in range(app.childCount):
                c = app.getChildAtIndex(i)
                if c is not None and c.name == 'Report to Folder':
                    return c
            return None
        desktop_dialog = wait_for('the folder chooser', chooser)
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
        def directory_chooser():
            for i in range(app.childCount):
                c = app.getChildAtIndex(i)
                if c is not None and c.name == 'Publish Directory to Folder':
                    return c
            return None
        desktop_dialog = wait_for('the directory chooser', directory_chooser)
        press(desktop_dialog, 'Write Here')
        wait_for('the directory written', lambda: os.path.exists(os.path.join(out, 'guidebook.pdf'))
                 and find(bar, lambda n: n.getRole() == pyatspi.ROLE_LABEL
                          and 'written to' in (n.name or '')))
        check(os.path.exists(os.path.join(out, 'index.html')), 'the directory\'s index is there')
        check(os.path.isdir(os.path.join(out, 'groups')), 'one page per group')
    except AssertionError as e:
        print('not ok - %s' % e)
        failures += 1
        try:
            for n in walk(app):
                if n.name and n.getRoleName() in ('label', 'push button', 'dialog'):
                    print('#', n.getRoleName(), repr(n.name), repr(text_of(n)))
        except Exception:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

sys.exit(1 if failures else 0)
