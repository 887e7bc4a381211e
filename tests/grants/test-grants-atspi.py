#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The scenario through the accessibility tree of the real
# application under Xvfb: add a programme, tell three groups, see the counts
# on the deadline list (and the programme's groups, state by state).
import collections
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
# Waits, not timed assertions: long enough for a loaded shared machine.
TIMEOUT = 40
# A Tuesday: the deadline below falls on this week's Friday.
TODAY = '2026-11-24'


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
    # GTK 4.8 sets no SHOWING state: VISIBLE is what there is.
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def is_row(n):
    # A row of the record list: one widget straight inside its list item,
    # named by its cells' text.
    try:
        return (n.getRole() == pyatspi.ROLE_LABEL and n.parent.getRoleName() == 'list item'
                and n.parent.parent.getRoleName() == 'list')
    except Exception:
        return False


def wait_for(what, func, timeout=TIMEOUT):
    end = time.time() + timeout
    while time.time() < end:
        result = func()
        if result:
            return result
        time.sleep(0.25)
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


def actionable(node):
    try:
        return node.queryAction().nActions > 0
    except NotImplementedError:
        return False


def is_button(name):
    def pred(node):
        if not actionable(node) or node.getRole() not in (pyatspi.ROLE_PUSH_BUTTON,
                                                           pyatspi.ROLE_TOGGLE_BUTTON):
            return False
        if node.name == name:
            return True
        # A mnemonic button is named "_Save Save" by GTK 4.8: go by its label.
        return any(node.getChildAtIndex(i).name == name for i in range(node.childCount))
    return pred


def press(root, name):
    wait_for('button ' + name, lambda: find(root, is_button(name))).queryAction().doAction(0)


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


def type_into(root, name, text):
    entry = wait_for('text ' + name, lambda: find(root, editable(name)))
    entry.queryEditableText().setTextContents(text)
    return entry


def text_of(node):
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return node.name


def plain(name):
    # GTK 4.8 names a widget with a label "X X" (its label property and its
    # label child): one of them.
    half = (name or '')[:len(name or '') // 2]
    return half if name and name == half + ' ' + half else name


def breadth_first(root, pred):
    queue = collections.deque([root])
    while queue:
        node = queue.popleft()
        try:
            if pred(node):
                return node
            for i in range(node.childCount):
                queue.append(node.getChildAtIndex(i))
        except Exception:
            continue
    return None


def windows(app):
    out = []
    for i in range(app.childCount):
        try:
            out.append(app.getChildAtIndex(i))
        except Exception:
            continue
    return out


failures = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failures += 1


def run(*args, env):
    e = dict(env)
    e.pop('DISPLAY', None)
    p = subprocess.run([tsunagu, *args], capture_output=True, env=e, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ)
    env['XDG_DATA_HOME'] = os.path.join(d, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(d, 'config')
    env['TSUNAGU_TODAY'] = TODAY
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
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
        dialog = wait_for('the tell dialog', lambda: [w for w in windows(app)
                                                      if w not in main_windows
                                                      and w.name == 'Tell Groups'])[0]
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
        print('not ok - %s' % e)
        failures += 1
        try:
            for n in [m for w in windows(app)[1:] for m in walk(w)] + list(walk(page)):
                if n.name and showing(n) and n.getRoleName() in ('label', 'text', 'push button',
                                                                   'check box', 'toggle button'):
                    print('#', n.getRoleName(), repr(n.name))
        except Exception:
            pass
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

sys.exit(1 if failures else 0)
