# SPDX-License-Identifier: GPL-3.0-or-later
# Drives the app through AT-SPI for shoot.sh: the counter with a name
# being typed, an event with its registrations, the network.
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
from atspi import editable  # noqa: E402
from shotdriver import find, key, press, shot, start, wait  # noqa: E402

start(settle=0)

# The counter: someone is at the desk, part of a name typed.
press('窓口')
time.sleep(2)
who = wait('相談者', lambda: find(editable('相談者')))
who.queryEditableText().setTextContents('こども')
time.sleep(2)
shot('counter.png')

# An event with its registrations.
press('講座・催し')
time.sleep(2)
wait('an event', lambda: find(lambda n: 'SNS広報講座' in (n.name or '') and n.getRoleName() == 'label'))
# Ctrl+F, then Enter opens the first event (the next one).
key('Control_L', 'f')
key('Return')
time.sleep(2)
shot('events.png')

# The network.
press('ネットワーク')
time.sleep(4)
shot('network.png')
