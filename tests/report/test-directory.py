#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# tsunagu --publish-directory on the demo centre and hostile groups: every
# output file is searched for every value that is not public (worked out
# here from the database, not from Tsunagu's code); the pages parse as
# HTML5 without errors; every link resolves; the 五十音 index follows the
# readings with the right 行 headings; markup in names stays text.
import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse

import html5lib

tsunagu, make_centre = sys.argv[1], sys.argv[2]
TODAY = datetime.date(2026, 12, 1)
FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print('FAIL:', msg)


# Fields anyone may read, fields behind a switch in public_fields, and the
# rest (kept inside the centre), as the registration form has them.
ALWAYS = {'name', 'name_kana', 'legal_form', 'corporate_number', 'founded', 'members_total',
          'fields', 'purpose', 'activities', 'meeting_place', 'meeting_schedule', 'recruiting',
          'dues', 'website', 'sns', 'registration_number', 'registered_on'}
SWITCHED = {'rep_family_name': 'representative', 'rep_given_name': 'representative',
            'rep_family_kana': 'representative', 'rep_given_kana': 'representative',
            'contact_family_name': 'contact_name', 'contact_given_name': 'contact_name',
            'contact_family_kana': 'contact_name', 'contact_given_kana': 'contact_name',
            'postal_code': 'postal_code', 'address': 'address', 'phone': 'phone',
            'email': 'email', 'contact_postal_code': 'contact_postal_code',
            'contact_address': 'contact_address', 'contact_phone': 'contact_phone',
            'contact_email': 'contact_email'}
PAIRS = [('rep_family_name', 'rep_given_name'), ('contact_family_name', 'contact_given_name'),
         ('rep_family_kana', 'rep_given_kana'), ('contact_family_kana', 'contact_given_kana')]


def fiscal_year(d):
    return d.year if d.month >= 4 else d.year - 1


def published(g):
    """登録 or 更新待ち today (DOMAIN.md), from the dates."""
    if g['deleted']:
        return False
    if g['withdrawn_on'] and g['withdrawn_on'] <= TODAY.isoformat():
        return False
    if not g['registered_on'] or g['registered_on'] > TODAY.isoformat():
        return False
    valid = g['valid_fiscal_year']
    if valid is None:
        valid = fiscal_year(datetime.date.fromisoformat(g['registered_on']))
    return valid >= fiscal_year(TODAY)


def is_public(g, field):
    if field in ALWAYS:
        return True
    if field in SWITCHED:
        return SWITCHED[field] in json.loads(g['public_fields'] or '[]')
    return False


def main():
    tmp = tempfile.mkdtemp(prefix='tsu-dir-')
    db = os.path.join(tmp, 'centre.sqlite3')
    out = os.path.join(tmp, 'site')
    env = dict(os.environ, TSUNAGU_TODAY=TODAY.isoformat())
    subprocess.run([make_centre, db], check=True, env=env)
    r = subprocess.run([tsunagu, '--db', db, '--publish-directory', out], env=env,
                       capture_output=True, text=True)
    print(r.stdout, r.stderr)
    if r.returncode != 0:
        fail('publish failed')
        return

    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    groups = [dict(row) for row in con.execute('SELECT * FROM groups ORDER BY sort_key, rowid')]
    shown = [g for g in groups if published(g)]
    print(len(groups), 'groups,', len(shown), 'published')
    assert 100 < len(shown) < len(groups)

    # Every value that may be shown, and every one that may not.
    public_values, secret = set(), set()
    for g in groups:
        for f, v in g.items():
            if v is None or f in ('id', 'rev', 'created_at', 'updated_at', 'deleted',
                                  'sort_key', 'search_text', 'rowid'):
                continue
            if published(g) and is_public(g, f):
                public_values.add(str(v))
            else:
                secret.add(str(v))
        for a, b in PAIRS:
            if g[a] and g[b]:
                for joined in (g[a] + ' ' + g[b], g[a] + '\u3000' + g[b], g[a] + g[b]):
                    (public_values if published(g) and is_public(g, a) else secret).add(joined)
    # Values too short to mean anything (counts, flags) or equal to a shown one.
    secret = {s for s in secret if len(s) >= 4 and not s.isdigit() and s not in public_values
              and not any(s in p for p in public_values)}
    for probe in ('hostile-secret@example.jp', '090-0000-9992', 'INTERNAL-NOTE', '失効した団体ＸＹＺ',
                  '申請中のひみつ会', '大牟田市非公開町1-2-3', '秘密 代表者'):
        assert any(probe in s for s in secret), probe
    print(len(secret), 'values that must not appear')

    files = []
    for root, _, names in os.walk(out):
        for n in names:
            files.append(os.path.join(root, n))
    texts = {}
    for path in files:
        if path.endswith('.pdf'):
            texts[path] = subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'],
                                         capture_output=True, text=True, check=True).stdout
        else:
            with open(path, encoding='utf-8') as f:
                texts[path] = f.read()
    for path, text in texts.items():
        flat = re.sub(r'\s+', '', text) if path.endswith('.pdf') else text
        for s in secret:
            if s in text or (path.endswith('.pdf') and re.sub(r'\s+', '', s) in flat):
                fail('%s holds the non-public value %r' % (os.path.relpath(path, out), s))
    if 'INTERNAL' in ''.join(texts.values()):
        fail('a note reached the output')

    # HTML5 without parse errors; links and anchors resolve.
    ids = {}
    pages = [p for p in files if p.endswith('.html')]
    for path in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            doc = parser.parse(texts[path])
        except Exception as e:
            fail('%s: %s' % (os.path.relpath(path, out), e))
            continue
        if doc.get('lang') != 'ja' and doc.find('.').get('lang') != 'ja':
            html_el = doc if doc.tag == 'html' else doc.find('html')
            if html_el is None or html_el.get('lang') not in ('ja', 'en'):
                fail('%s: no lang' % path)
        ids[path] = {el.get('id') for el in doc.iter() if el.get('id')}
        if doc.find('.//h1') is None:
            fail('%s: no h1' % path)
        for el in doc.iter():
            for attr in ('href', 'src'):
                target = el.get(attr)
                if target is None:
                    continue
                if target.startswith(('http://', 'https://')):
                    continue
                if target.lower().startswith('javascript:'):
                    fail('%s: a javascript: link' % path)
                    continue
                url = urllib.parse.urlsplit(target)
                dest = os.path.normpath(os.path.join(os.path.dirname(path),
                                                     urllib.parse.unquote(url.path))) \
                    if url.path else path
                if not os.path.exists(dest):
                    fail('%s: broken link %s' % (os.path.relpath(path, out), target))
                elif url.fragment:
                    if dest not in ids:
                        d2 = html5lib.parse(open(dest, encoding='utf-8').read(),
                                            namespaceHTMLElements=False)
                        ids[dest] = {e.get('id') for e in d2.iter() if e.get('id')}
                    if url.fragment not in ids[dest]:
                        fail('%s: no anchor %s' % (path, target))

    # Markup in a name stays text, and a script link never becomes a link.
    index = texts[os.path.join(out, 'index.html')]
    for path in pages:
        for el in html5lib.parse(texts[path], namespaceHTMLElements=False).iter():
            if el.tag == 'img' or (el.tag == 'script' and el.get('src') not in
                                   ('search-index.js', 'search.js')) \
                    or any(a.startswith('on') for a in el.keys()):
                fail('%s: markup from a group became an element: %s' % (path, el.tag))
    if '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;会&quot; &#39;q&#39;' \
            not in index:
        fail('the hostile name is not escaped as expected')
    link_page = [p for p in pages if 'リンクの会' in texts[p] and '/groups/' in p][0]
    if 'href="https://example.jp/a?b=1&amp;c=2"' not in texts[link_page]:
        fail('the website link is not written escaped')
    if '公開 代表' not in texts[link_page]:
        fail('a public representative is missing')
    js = texts[os.path.join(out, 'search-index.js')]
    if '<' in js:
        fail('markup characters in the search index')
    entries = json.loads(js[js.index('=') + 1:].strip().rstrip(';'))
    if len(entries) != len(shown) or not any(e['n'].startswith('<script>') for e in entries):
        fail('search index: %d entries for %d groups' % (len(entries), len(shown)))

    # 五十音: the order of the index is the sort key's, and each name sits
    # under the 行 of its reading's first kana.
    rows = 'あかさたなはまやらわ'
    firsts = ['アイウエオ', 'カキクケコ', 'サシスセソ', 'タチツテト', 'ナニヌネノ',
              'ハヒフヘホ', 'マミムメモ', 'ヤユヨ', 'ラリルレロ', 'ワヰヱヲン']
    small = dict(zip('ァィゥェォッャュョヮヵヶ', 'アイウエオツヤユヨワカケ'))

    def row_of(kana):
        if not kana:
            return 'その他'
        c = unicodedata.normalize('NFD', kana[0])[0]
        c = small.get(c, c)
        if c == 'ヴ':
            c = 'ウ'
        for i, letters in enumerate(firsts):
            if c in letters:
                return rows[i] + '行'
        return 'その他'

    doc = html5lib.parse(index, namespaceHTMLElements=False)
    order, heading = [], None
    for el in doc.iter():
        if el.tag == 'h2':
            heading = ''.join(el.itertext())
        elif el.tag == 'li' and heading and el.find('a') is not None and \
                el.find('a').get('href', '').startswith('groups/'):
            name = ''.join(el.find('a').itertext())
            order.append(name)
            g = next(g for g in shown if g['name'] == name)
            if row_of(g['name_kana']) != heading:
                fail('%s under %s, its reading %s' % (name, heading, g['name_kana']))
    if order != [g['name'] for g in shown]:
        fail('the index is not in sort-key order')
    if [h for h in re.findall(r'<h2 id="row-[a-z]+">(.*?)</h2>', index)] != \
            sorted(set(row_of(g['name_kana']) for g in shown),
                   key=lambda h: (rows + 'そ').index(h[0])):
        fail('行 headings are not the rows of the readings, in order')

    # By field: every published group under each of its fields.
    fields_html = texts[os.path.join(out, 'fields.html')]
    for g in shown[:30]:
        for code in json.loads(g['fields'] or '[]'):
            section = fields_html.split('id="field-%d"' % code)[1].split('</section>')[0]
            esc = g['name'].replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;') \
                .replace('"', '&quot;').replace("'", '&#39;')
            if esc not in section:
                fail('%s missing under field %d' % (g['name'], code))

    # The booklet holds the published groups.
    booklet = re.sub(r'\s+', '', texts[os.path.join(out, 'guidebook.pdf')])
    for g in shown[::25]:
        if re.sub(r'\s+', '', g['name']) not in booklet:
            fail('booklet misses %s' % g['name'])
    mode = os.stat(os.path.join(out, 'index.html')).st_mode & 0o777
    print('index.html mode %o' % mode)


main()
if FAILURES:
    print(len(FAILURES), 'failures')
    sys.exit(1)
print('ok')
