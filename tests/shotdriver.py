# SPDX-License-Identifier: GPL-3.0-or-later
"""The start-up and the few acts the screenshot drivers share (on top of
tests/atspi.py).  shoot.sh starts the app with the demo data and runs a
driver as

    DRIVER PID OUTDIR WIDTHxHEIGHT TMPDIR TSUNAGU

A driver imports this with tests/ on its path (the one way used by the
AT-SPI tests too):

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    from shotdriver import find, key, press, shot, start, text, wait  # noqa: E402

    app = start()

start() reads those arguments and waits for the app on the bus (by its
process id, or by its name under TSU_WRAP, e.g. valgrind); a driver that
starts the app itself calls attach(app, out) instead.  Then find(pred),
wait(what, func), press(name), key(*keysyms), shot(name) and text(node)
act on that app.  A wait that times out prints the visible tree to stderr
and stops the driver (SystemExit): the screenshots taken so far stay.
Narrow sizes (under 600 px wide) name their files narrow-*.png."""

import os
import re
import sys
import time

import atspi

app = None
out = '.'
prefix = ''
pid = size = tmp = tsunagu = None


def attach(app_, out_, prefix_=''):
    global app, out, prefix
    app, out, prefix = app_, out_, prefix_
    return app


def groups_counted(n):
    # The groups page's count ("152団体"): the demo data is open.
    return n.getRoleName() == 'label' and re.fullmatch(r'[\d,]+団体', n.name or '')


def start(timeout=60, ready=groups_counted, settle=1):
    """Reads shoot.sh's arguments, waits for the app on the bus and then for
    a node for which ready is true (the app opens on its groups page while
    the database opens: a screenshot before that shows a spinner); returns
    the app."""
    global pid, size, tmp, tsunagu
    pid, out_, size, tmp, tsunagu = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    narrow = 'narrow-' if int(size.split('x')[0]) < 600 else ''
    name = 'tsunagu' if os.environ.get('TSU_WRAP') else None
    found = wait('the application', lambda: atspi.app_by_pid(pid, name), timeout=timeout)
    attach(found, out_, narrow)
    if ready is not None:
        wait('the app ready', lambda: find(ready), timeout=timeout)
    time.sleep(settle)
    return found


def _dump(describe):
    try:
        for n in atspi.walk(app):
            try:
                line = describe(n)
                if line:
                    print('#', *line, file=sys.stderr)
            except Exception:
                pass
    except Exception:
        pass


def wait(what, func, timeout=20, interval=0.3):
    """atspi.wait_for; on a timeout, the visible tree to stderr, then stop."""
    try:
        return atspi.wait_for(what, func, timeout, interval)
    except AssertionError:
        if app is not None:
            _dump(lambda n: (n.getRoleName(), repr(n.name)) if atspi.showing(n)
                  and n.getRoleName() not in ('label', 'filler', 'panel') else None)
        raise SystemExit('timed out: ' + what)


def find(pred, root=None):
    return atspi.find(root or app, pred)


def label_of(name):
    # A Japanese label up to its mnemonic: 編集(E), 編集(_E) and
    # 登録証を PDF で保存(P)… read 編集 and 登録証を PDF で保存.
    return (name or '').replace('_', '').split('(')[0]


def button(name):
    """Something with an action named name, or with a child named so."""
    want = label_of(name)

    def pred(n):
        if not atspi.actionable(n):
            return False
        names = [n.name] + [n.getChildAtIndex(i).name for i in range(n.childCount)]
        return any(x and label_of(x) == want for x in names)
    return pred


def press(name, pause=1, timeout=10):
    """Presses what is named name (mnemonics aside, see label_of) and
    offers an action; for a menu button, the toggle inside it."""
    def get():
        n = find(button(name)) or find(atspi.named(name))
        if n is not None and not atspi.actionable(n):
            n = next((c for c in atspi.walk(n) if atspi.actionable(c)), None)
        return n
    try:
        node = wait('button ' + name, get, timeout=timeout)
    except SystemExit:
        _dump(lambda n: (n.getRoleName(), repr(n.name), atspi.actionable(n))
              if n.name and atspi.showing(n) else None)
        raise
    node.queryAction().doAction(0)
    time.sleep(pause)
    return node


def key(*names, pause=0.4):
    """A key or a chord by keysym names: key('Control_L', 'f')."""
    atspi.key(*names, pause=pause)


def shot(name, delay=1.2):
    atspi.shot(os.path.join(out, prefix + name), delay)


def text(node):
    t = node.queryText()
    return t.getText(0, t.characterCount) or ''
