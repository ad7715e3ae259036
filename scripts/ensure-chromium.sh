#!/usr/bin/env bash
# Make sure Debian's chromium is installed (for the partner-console browser test).
# Idempotent and quiet: does nothing when /usr/bin/chromium exists; otherwise installs the
# `chromium` package with apt-get, running `apt-get update` only when the package is unknown.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: apt-get not found; install Debian's chromium package by hand" >&2
    exit 1
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure-chromium: need root (or sudo) to install chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
run() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "ensure-chromium: failed: $*" >&2
        cat "$LOG" >&2
        exit 1
    fi
}
echo "ensure-chromium: installing Debian's chromium package" >&2
# A stale or empty package list fails the install (unknown package, 404): refresh it once, retry.
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >>"$LOG" 2>&1; then
    run $SUDO apt-get update -qq
    run $SUDO apt-get install -y -qq --no-install-recommends chromium
fi
test -x /usr/bin/chromium
