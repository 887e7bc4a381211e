# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests and the screenshot drivers share: plain functions
over pyatspi, no test framework.

A test (tests/<page>/test-*-atspi.py) imports it with its folder's parent
on the path, the one way used everywhere:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    import atspi  # noqa: E402

(the screenshot drivers two folders down use '..', '..').  Then:

  Finding        walk(root), find(root, pred), find_all(root, pred),
                 showing(node), in_list(node), is_row(node), row_with(text),
                 named(name, role), editable(name), button(name),
                 text_of(node), plain(name), windows(app), window(app, title),
                 in_dialogs(app, pred), breadth_first(root, pred)
  Waiting        wait_for(what, func, timeout=None): polls func until it
                 returns something true; a timeout raises AssertionError
                 ('timed out waiting for WHAT'), which the test reports.
                 The default timeout is the module's TIMEOUT (20 s), which
                 a test may set once: atspi.TIMEOUT = 40.
  Acting         press(root, name), type_into(root, name, text),
                 switch_to(app, tab), key(*keysyms), keycode(keysym)
  The app        app_env(dir, **extra), app_of(proc), stop(proc),
                 dump(roots, roles), shot(path)
  Checks         check(cond, what), fail(what), status(): TAP-ish
                 'ok - ' / 'not ok - ' lines and the exit status.
  Translations   load_catalogue(po) and translator(table) for T('...'):
                 the test reads what staff read in the Japanese window.

GTK 4.8 notes that shape these (they hold for every page):
  - no SHOWING state: VISIBLE is what there is, and hidden stack pages
    keep it, so checks look at where a node is (in_list, a page root), not
    only at states;
  - a button with a mnemonic is named "_Save Save" (or 保存(_S) 保存(_S)):
    plain() takes the mnemonic and the doubled name away;
  - an AdwEntryRow's text is named by its title twice ("Purpose Purpose");
  - check buttons have no action; view switcher tabs may have none.
"""

import collections
import os
import re
import subprocess
import sys
import time

import pyatspi

# Waits, not timed assertions: long enough for a loaded shared machine.
TIMEOUT = 20

# Roles a person presses: buttons, and the view switcher's tabs (radio
# buttons or page tabs, depending on the width).
BUTTON_ROLES = (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON,
                pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_PAGE_TAB)


# Finding ----------------------------------------------------------------

def walk(node, depth=0, limit=80):
    """Every node below node (itself first), depth first; nodes that go away
    while walked are left out."""
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


def sensitive(node):
    try:
        return node.getState().contains(pyatspi.STATE_SENSITIVE)
    except Exception:
        return False


def actionable(node):
    try:
        return node.queryAction().nActions > 0
    except Exception:
        return False


def find(root, pred, visible=True, limit=80):
    """The first node (depth first) for which pred is true, and that is
    VISIBLE unless visible=False; a pred that raises counts as false."""
    for node in walk(root, limit=limit):
        try:
            if pred(node) and (not visible or showing(node)):
                return node
        except Exception:
            continue
    return None


def find_all(root, pred, visible=True, limit=80):
    out = []
    for node in walk(root, limit=limit):
        try:
            if pred(node) and (not visible or showing(node)):
                out.append(node)
        except Exception:
            continue
    return out


def breadth_first(root, pred):
    """The shallowest node for which pred is true (no visibility check): for
    a page's root, which a depth-first walk would reach after the page
    before it."""
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


def in_list(node):
    """Whether node is inside a list or table (a row, not a form's field)."""
    p = node.parent
    while p is not None:
        try:
            if p.getRoleName() in ('table', 'tree table', 'tree', 'list'):
                return True
            p = p.parent
        except Exception:
            return False
    return False


def is_row(n):
    # A row of a record list is one widget, straight inside its list item,
    # whose accessible name holds its cells' text.
    try:
        return (n.getRole() == pyatspi.ROLE_LABEL and n.parent.getRoleName() == 'list item'
                and n.parent.parent.getRoleName() == 'list')
    except Exception:
        return False


def row_with(text):
    """A list row with text as one of its cells."""
    return lambda n: is_row(n) and text in (n.name or '').split(' ')


def named(name, role=None):
    return lambda n: n.name == name and (role is None or n.getRole() == role)


def plain(name):
    """A name as a person reads it: mnemonics gone (保存(_S) → 保存, _Save →
    Save), and GTK 4.8's doubled name ("Save Save": its label property and
    its label child) once."""
    s = re.sub(r'\(_?[A-Za-z]\)', '', name or '').replace('_', '')
    half = s[:len(s) // 2]
    return half if s and s == half + ' ' + half else s


def text_of(node):
    """The text of a text node, else its name."""
    try:
        t = node.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return node.name


def editable(name):
    """A text field named name (as plain() reads it)."""
    want = plain(name)

    def pred(node):
        if plain(node.name) != want:
            return False
        try:
            node.queryEditableText()
            return True
        except NotImplementedError:
            return False
    return pred


def button(name, roles=BUTTON_ROLES, prefix=False):
    """Something to press named name (as plain() reads it), by its own name
    or its label child's; prefix=True: a name starting with name.  It must
    offer an action.  roles=None: any role (a menu item, a row)."""
    want = plain(name)

    def fits(x, own):
        if prefix:
            return x.startswith(want)
        # "保存 保存(_S)" and the like: the name ends with the label.
        return x == want or (own and x.endswith(' ' + want))

    def pred(node):
        # Cheapest first: each question is a round trip to the app.
        if roles is not None and node.getRole() not in roles:
            return False
        if not (fits(plain(node.name), True)
                or any(fits(plain(node.getChildAtIndex(i).name), False)
                       for i in range(node.childCount))):
            return False
        return actionable(node)
    return pred


def windows(app):
    """The app's top-level windows and dialogs."""
    out = []
    for i in range(app.childCount):
        try:
            w = app.getChildAtIndex(i)
        except Exception:
            continue
        if w is not None:
            out.append(w)
    return out


def window(app, title, exclude=(), visible=True, timeout=None):
    """Waits for the newest top-level window named title (dialogs are
    windows of their own), leaving out those in exclude."""
    def get():
        for w in reversed(windows(app)):
            if w.name == title and w not in exclude and (not visible or showing(w)):
                return w
        return None
    return wait_for('the “%s” window' % title, get, timeout)


def in_dialogs(app, pred):
    """The first node for which pred is true in a window other than the
    main one: a walk over dialogs is short, unlike one over the main
    window."""
    for w in windows(app):
        try:
            if w.getRoleName() == 'frame':
                continue
        except Exception:
            continue  # a dialog going away
        found = find(w, pred)
        if found:
            return found
    return None


# Waiting ----------------------------------------------------------------

def wait_for(what, func, timeout=None, interval=0.25):
    """Polls func until it returns something true, and returns that.  A node
    going away under func (an exception) counts as not yet; the last one is
    named if the wait times out."""
    end = time.time() + (TIMEOUT if timeout is None else timeout)
    error = None
    while True:
        try:
            result = func()
        except Exception as e:
            result, error = None, e
        if result:
            return result
        if time.time() >= end:
            break
        time.sleep(interval)
    raise AssertionError('timed out waiting for ' + what
                         + (' (last error: %r)' % error if error is not None else ''))


# Acting -----------------------------------------------------------------

def press(root, name, pred=None, where=find, insensitive='wait', timeout=None, pause=0):
    """Waits for the button name below root (button(name), or pred) and
    presses it; returns it.  where(root, pred) finds it (in_dialogs for
    the app's dialogs only).  A button found insensitive is waited for
    (insensitive='wait': a press would do nothing, and the test would
    time out later further away) or pressed as it is ('press')."""
    pred = pred or button(name)
    state = {}

    def get():
        b = where(root, pred)
        if b is not None and insensitive == 'wait' and not sensitive(b):
            state['insensitive'] = True
            return None
        return b
    try:
        b = wait_for('button ' + name, get, timeout)
    except AssertionError as e:
        if state.get('insensitive'):
            raise AssertionError('%s (found, but insensitive)' % e) from None
        raise
    b.queryAction().doAction(0)
    if pause:
        time.sleep(pause)
    return b


def type_into(root, name, text, index=0, timeout=None):
    """Sets the text of the field named name (the index-th of that name)."""
    def get():
        if index == 0:
            return find(root, editable(name))
        found = find_all(root, editable(name))
        return found[index] if len(found) > index else None
    entry = wait_for('text ' + name, get, timeout)
    entry.queryEditableText().setTextContents(text)
    return entry


def switch_to(app, title, pause=0.5):
    """A tab of the window's view switcher: its action, else selecting it
    in its parent."""
    tab = wait_for('the tab ' + title, lambda: find(app, named(title, pyatspi.ROLE_PAGE_TAB)))
    try:
        tab.queryAction().doAction(0)
    except NotImplementedError:
        tab.parent.querySelection().selectChild(tab.getIndexInParent())
    time.sleep(pause)


# Xvfb's default keymap: what the tests type when xmodmap is not there.
KEYCODES = {'Control_L': 37, 'Alt_L': 64, 'Return': 36, 'Escape': 9, 'space': 65,
            'a': 38, 'f': 41, 'g': 42, 's': 39, '2': 11}
_keymap = None


def keycode(keysym_name):
    """The X keycode of a keysym in the server's keymap."""
    global _keymap
    if _keymap is None:
        _keymap = {}
        try:
            out = subprocess.run(['xmodmap', '-pke'], capture_output=True, text=True).stdout
            for line in out.splitlines():
                parts = line.split()
                if len(parts) > 3:
                    _keymap.setdefault(parts[3], int(parts[1]))
        except OSError:
            pass
    return _keymap.get(keysym_name) or KEYCODES[keysym_name]


def key(*names, pause=0.3):
    """Types a key, or a chord (modifiers first: key('Control_L', 'f')),
    through XTest as a person would."""
    codes = [keycode(n) for n in names]
    for c in codes[:-1]:
        pyatspi.Registry.generateKeyboardEvent(c, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(codes[-1], None, pyatspi.KEY_PRESSRELEASE)
    for c in reversed(codes[:-1]):
        pyatspi.Registry.generateKeyboardEvent(c, None, pyatspi.KEY_RELEASE)
    if pause:
        time.sleep(pause)


# The app ----------------------------------------------------------------

def app_env(d, **extra):
    """The environment of an app under test: data and settings in d,
    accessibility on (the suite's environment turns it off)."""
    env = dict(os.environ)
    env['XDG_DATA_HOME'] = os.path.join(d, 'data')
    env['XDG_CONFIG_HOME'] = os.path.join(d, 'config')
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    env.update(extra)
    return env


def app_by_pid(pid, name=None):
    """The application with that process id on the accessibility bus (or,
    when name is given, the one of that name: a wrapper such as valgrind
    runs the app under another pid); None if not there yet."""
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        try:
            a = desktop.getChildAtIndex(i)
            if a is not None and (a.get_process_id() == pid or (name and a.name == name)):
                return a
        except Exception:
            continue
    return None


def app_of(proc, timeout=None, name=None):
    """Waits for the app started as proc (a Popen or a pid) on the bus."""
    pid = getattr(proc, 'pid', proc)
    return wait_for('the application on the accessibility bus',
                    lambda: app_by_pid(pid, name), timeout)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def dump(roots, roles=None, visible=False, describe=None, file=None):
    """Prints the named nodes below roots (one root or several) as '#'
    comments, for a failure's log: those of roles (role names) if given,
    only the VISIBLE ones if visible; describe(node) adds to each line."""
    if not isinstance(roots, (list, tuple)):
        roots = [roots]
    for root in roots:
        try:
            for n in walk(root):
                try:
                    if not n.name or (roles and n.getRoleName() not in roles):
                        continue
                    if visible and not showing(n):
                        continue
                    more = describe(n) if describe else ()
                    print('#', n.getRoleName(), repr(n.name), *more, file=file or sys.stdout)
                except Exception:
                    continue
        except Exception:
            pass
    sys.stdout.flush()


def shot(path, delay=0.8):
    """A screenshot of the whole display (ImageMagick's import)."""
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    time.sleep(delay)
    subprocess.run(['import', '-window', 'root', path], check=False)


# Checks -----------------------------------------------------------------

failures = 0


def check(cond, what):
    global failures
    print(('ok - ' if cond else 'not ok - ') + what, flush=True)
    if not cond:
        failures += 1
    return cond


def fail(what):
    check(False, what)


def status():
    """The exit status: 1 if a check failed."""
    return 1 if failures else 0


# Translations -----------------------------------------------------------

def load_catalogue(po):
    """msgid → translation, from a .po file (entries with a msgctxt left
    out: a word in another sense is not the plain msgid)."""
    table, msgid, msgstr, key_, ctxt = {}, None, None, None, False
    with open(po, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('msgctxt '):
                ctxt = True
            elif line.startswith('msgid '):
                msgid, key_ = eval(line[6:]), 'id'
            elif line.startswith('msgstr ') or line.startswith('msgstr[0] '):
                msgstr, key_ = eval(line.split(' ', 1)[1]), 'str'
            elif line.startswith('"'):
                if key_ == 'id':
                    msgid += eval(line)
                elif key_ == 'str':
                    msgstr += eval(line)
            elif not line.strip():
                if msgid and not ctxt:
                    table[msgid] = msgstr
                msgid = msgstr = key_ = None
                ctxt = False
    if msgid and not ctxt:
        table[msgid] = msgstr
    return table


def translator(table):
    """T(s): s as the window shows it, or s when not translated."""
    return lambda s: table.get(s) or s
