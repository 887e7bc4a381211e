#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fills empty translations of a .po file from a JSON object {msgid: msgstr}.

    msgmerge -q --no-fuzzy-matching --no-wrap po/ja.po new.pot -o po/ja.po
    po/fill-translations.py po/ja.po my-translations.json

Plural entries take the msgid (singular) as key; Japanese has one form.
Entries already translated are left alone. Prints the msgids still empty.
"""
import json
import re
import sys


def unquote(s):
    return json.loads(s)


def quote(s):
    return json.dumps(s, ensure_ascii=False)


def main(po_path, json_path):
    table = json.load(open(json_path, encoding='utf-8'))
    text = open(po_path, encoding='utf-8').read()
    blocks = text.split('\n\n')
    missing = []
    out = []
    for b in blocks:
        lines = b.split('\n')
        # join continuation lines of msgid/msgstr (files are written --no-wrap, but be safe)
        joined = []
        for line in lines:
            if line.startswith('"') and joined:
                joined[-1] = joined[-1][:-1] + unquote(line)[0:0] + line[1:]
            else:
                joined.append(line)
        msgid = None
        for line in joined:
            m = re.match(r'^msgid (".*")$', line)
            if m:
                msgid = unquote(m.group(1))
        if msgid is None or msgid == '' or any(l.startswith('#~') for l in joined):
            out.append('\n'.join(joined))
            continue
        new = []
        for line in joined:
            m = re.match(r'^(msgstr(?:\[\d+\])?) ""$', line)
            if m and msgid in table:
                line = '%s %s' % (m.group(1), quote(table[msgid]))
            elif m:
                missing.append(msgid)
            new.append(line)
        out.append('\n'.join(new))
    open(po_path, 'w', encoding='utf-8').write('\n\n'.join(out))
    for m in sorted(set(missing)):
        print('untranslated: ' + m)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
