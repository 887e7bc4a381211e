#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the flatpak manifest: the GNOME runtime, minimal permissions, and
that the last module builds this repository with meson. flatpak-builder
cannot fetch the runtime here, so this is what we can check offline."""
import json
import os
import sys

EXPECTED_FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
}
CURRENT_RUNTIMES = {'47', '48', '49'}

errors = []


def check(condition, message):
    if not condition:
        errors.append(message)
        print('FAIL: ' + message)


def main():
    srcdir = sys.argv[1] if len(sys.argv) > 1 else os.environ['TSU_SOURCE_ROOT']
    path = os.path.join(srcdir, 'flatpak', 'io.github.tsunagu.Tsunagu.json')
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f'FAIL: cannot read {path}: {e}')
        return 1

    app_id = manifest.get('id', manifest.get('app-id'))
    check(app_id == 'io.github.tsunagu.Tsunagu', f'app id is {app_id!r}')
    check(manifest.get('command') == 'tsunagu', f"command is {manifest.get('command')!r}")
    check(manifest.get('runtime') == 'org.gnome.Platform',
          f"runtime is {manifest.get('runtime')!r}")
    check(manifest.get('sdk') == 'org.gnome.Sdk', f"sdk is {manifest.get('sdk')!r}")
    check(str(manifest.get('runtime-version')) in CURRENT_RUNTIMES,
          f"runtime-version {manifest.get('runtime-version')!r} is not one of "
          f"{sorted(CURRENT_RUNTIMES)}")

    finish_args = manifest.get('finish-args', [])
    check(len(finish_args) == len(set(finish_args)), 'finish-args has duplicates')
    check(set(finish_args) == EXPECTED_FINISH_ARGS,
          f'finish-args differ: extra {sorted(set(finish_args) - EXPECTED_FINISH_ARGS)}, '
          f'missing {sorted(EXPECTED_FINISH_ARGS - set(finish_args))}')

    modules = manifest.get('modules', [])
    check(len(modules) > 0 and isinstance(modules[-1], dict), 'no app module')
    if modules and isinstance(modules[-1], dict):
        app = modules[-1]
        check(app.get('name') == 'tsunagu', f"last module is {app.get('name')!r}")
        check(app.get('buildsystem') == 'meson',
              f"app module buildsystem is {app.get('buildsystem')!r}")
        sources = app.get('sources', [])
        check(any(s.get('type') == 'dir' and
                  os.path.realpath(os.path.join(os.path.dirname(path), s.get('path', ''))) ==
                  os.path.realpath(srcdir)
                  for s in sources if isinstance(s, dict)),
              'app module does not build from this repository (a dir source of "..")')
        check(os.path.exists(os.path.join(srcdir, 'meson.build')),
              'the repository has no meson.build')

    if errors:
        return 1
    print(f'{path}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
