#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs one test in a display and a session bus of its own.

    isolated-session.py PROGRAM [ARGS...]

Tests that show the app (AT-SPI, the window) used to share the suite's one
Xvfb and bus, so they ran one at a time: the app's D-Bus name, the
accessibility bus and the display are per session.  Each gets its own here
(an Xvfb that picks a free display with -displayfd, a private runtime
directory, dbus-run-session), so meson can run them side by side.  The
exit status is the test's (77 = skipped passes through)."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if shutil.which("Xvfb") is None or shutil.which("dbus-run-session") is None:
        print("Xvfb or dbus-run-session is not installed: skipped", file=sys.stderr)
        return 77

    runtime = tempfile.mkdtemp(prefix="tsu-session-")
    os.chmod(runtime, 0o700)
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = f.readline().strip()
    if not display:
        xvfb.kill()
        print("Xvfb did not start", file=sys.stderr)
        return 1

    env = dict(os.environ)
    env["DISPLAY"] = ":" + display
    env["XDG_RUNTIME_DIR"] = runtime
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.pop("AT_SPI_BUS_ADDRESS", None)
    test = subprocess.Popen(["dbus-run-session", "--"] + sys.argv[1:], env=env,
                            start_new_session=True)

    def forward(signum, frame):
        # meson's timeout sends SIGTERM: pass it on, then tidy up below.
        try:
            os.killpg(test.pid, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = test.wait()
    # Whatever the session started and left behind (a bus, the app).
    try:
        os.killpg(test.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    xvfb.terminate()
    try:
        xvfb.wait(timeout=10)
    except subprocess.TimeoutExpired:
        xvfb.kill()
    shutil.rmtree(runtime, ignore_errors=True)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
