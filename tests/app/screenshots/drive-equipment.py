# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app through AT-SPI for shoot.sh (TSU_DRIVE=drive-equipment.py):
# the Equipment page with the demo data: today's desk, a room with its
# week, an item lent out, the booking dialog.
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from shotdriver import find, key, shot, start, wait  # noqa: E402

start(settle=2)


def tab(name):
    wait('tab ' + name, lambda: find(lambda n: n.name == name and n.getRoleName() == 'page tab')).queryAction().doAction(0)
    time.sleep(1)


def open_first(search_label, text_, title):
    entry = wait('search', lambda: find(lambda n: n.name == search_label))
    entry.queryEditableText().setTextContents(text_)
    for attempt in range(3):
        time.sleep(1.5)
        key('Control_L', 'f')  # Ctrl+F
        key('Return')          # Enter opens the first found
        end = time.time() + 5
        while time.time() < end:
            if find(lambda n: n.name == title and n.getRoleName() == 'label'
                    and n.parent.getRoleName() != 'list item'):
                return
            time.sleep(0.3)


tab('備品')
shot('equipment-desk.png')
tab('備品・活動場所')
shot('equipment-list.png')
open_first('備品・部屋を検索', 'かいぎしつえー', '会議室A')
shot('equipment-room.png')
open_first('備品・部屋を検索', 'ぷろじぇくたー', 'プロジェクター 1')
shot('equipment-item.png')
wait('book button', lambda: find(lambda n: n.getRoleName() == 'push button' and (n.name or '').startswith('予約(_B)'))).queryAction().doAction(0)
time.sleep(2)
shot('equipment-book.png')
key('Escape')  # Esc closes the dialog
