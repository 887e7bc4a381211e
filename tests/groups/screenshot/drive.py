# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app for the screenshot: types a reading in hiragana in the
# search field, then Ctrl+F and Enter open the first group found.
import pyatspi, time, sys
pid=int(sys.argv[1])
def walk(n,d=0):
    if d>60: return
    yield n
    for i in range(n.childCount):
        try: yield from walk(n.getChildAtIndex(i),d+1)
        except Exception: pass
app=None
for _ in range(100):
    desk=pyatspi.Registry.getDesktop(0)
    for i in range(desk.childCount):
        a=desk.getChildAtIndex(i)
        try:
            if a.get_process_id()==pid: app=a
        except Exception: pass
    if app: break
    time.sleep(0.3)
time.sleep(2)
for n in walk(app):
    try:
        if n.name=='団体を検索':
            n.queryEditableText().setTextContents('たんこう')
            break
    except Exception: pass
time.sleep(1.5)
ctrl, f, ret = 37, 41, 36
pyatspi.Registry.generateKeyboardEvent(ctrl, None, pyatspi.KEY_PRESS)
pyatspi.Registry.generateKeyboardEvent(f, None, pyatspi.KEY_PRESSRELEASE)
pyatspi.Registry.generateKeyboardEvent(ctrl, None, pyatspi.KEY_RELEASE)
time.sleep(0.5)
pyatspi.Registry.generateKeyboardEvent(ret, None, pyatspi.KEY_PRESSRELEASE)
time.sleep(2)
