# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app for the screenshot: types a reading in hiragana in the
# search field, then Ctrl+F and Enter open the first group found.
#   drive.py PID
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from atspi import app_of, find, key, named, wait_for  # noqa: E402
from shotdriver import groups_counted  # noqa: E402

app = app_of(int(sys.argv[1]), timeout=30)
wait_for('the demo data open', lambda: find(app, groups_counted), timeout=60)
time.sleep(2)
search = wait_for('the search field', lambda: find(app, named('団体を検索')))
search.queryEditableText().setTextContents('たんこう')
time.sleep(1.5)
key('Control_L', 'f', pause=0.5)
key('Return', pause=2)
