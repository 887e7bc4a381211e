# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app through AT-SPI for shoot.sh: list, read view, edit view,
# the 登録証 as PDF, the grants page (deadlines, a programme), the funders page.
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
import shotdriver  # noqa: E402
from shotdriver import find, key, press, shot, start, text, wait  # noqa: E402

start(settle=2)

# The list, then a group found by a search typed in hiragana.
shot('list.png')
search = wait('search', lambda: find(lambda n: n.name == '団体を検索'))
search.queryEditableText().setTextContents('たんこう')
time.sleep(1.5)
key('Control_L', 'f')  # Ctrl+F
key('Return')          # Enter opens the first group found
shot('read.png')
press('編集')
shot('edit.png')
press('保存')

# The 登録証 as PDF, through the save dialog.
pdf = os.path.join(shotdriver.out, 'certificate.pdf')
if not shotdriver.prefix:
    press('その他の操作')
    press('登録証を PDF で保存')
    time.sleep(1.5)
    name = wait('file name', lambda: find(lambda n: n.getRoleName() == 'text' and 'pdf' in text(n)))
    name.queryEditableText().setTextContents(pdf)
    key('Return')
    time.sleep(2)

# The import preview is drawn by tests/app/test-record-page.c (TSU_SCREENSHOT_DIR):
# the file chooser takes no typed path without a window manager.

# Grants (助成金 tab): the deadlines, then a programme with tiers, then funders.
press('助成金')
time.sleep(1.5)
shot('grants.png')
search = wait('programme search', lambda: find(lambda n: n.name == '助成・公募を検索'))
search.queryEditableText().setTextContents('応援補助金')
time.sleep(1.5)
key('Control_L', 'f')  # Ctrl+F
key('Return')          # Enter opens the first programme found
shot('grants-programme.png')
press('助成団体')
time.sleep(1)
shot('funders.png')
