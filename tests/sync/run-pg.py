#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a command with a PostgreSQL of its own: starts a cluster in a
temporary directory (initdb, pg_ctl, a free port of 127.0.0.1), exports
TSU_PG_ADMIN (a connection string to its postgres database) and
TSU_BACKEND=postgresql, runs the command and stops the cluster.
Exits 77 (skipped) with the reason when PostgreSQL is not installed.

    run-pg.py COMMAND [ARGS...]"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsusync  # noqa: E402

if len(sys.argv) < 2:
    raise SystemExit("usage: run-pg.py COMMAND [ARGS...]")
cluster = tsusync.pg_cluster()
env = dict(os.environ, TSU_PG_ADMIN=cluster.conninfo("postgres"), TSU_BACKEND="postgresql")
rc = subprocess.call(sys.argv[1:], env=env)
sys.exit(rc)
