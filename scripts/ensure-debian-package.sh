#!/usr/bin/env bash
# Make sure a Debian package is installed: ensure-debian-package.sh PACKAGE BINARY.
# Idempotent and quiet: does nothing when BINARY exists; otherwise installs PACKAGE with
# apt-get, running `apt-get update` only when the package is unknown. Used by
# ensure-chromium.sh and ensure-redis.sh (`make test`).
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: ensure-debian-package.sh PACKAGE BINARY" >&2
    exit 2
fi
PACKAGE="$1"
BINARY="$2"

if [[ -x "$BINARY" ]]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-$PACKAGE: apt-get not found; install Debian's $PACKAGE package by hand" >&2
    exit 1
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure-$PACKAGE: need root (or sudo) to install $PACKAGE" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
run() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "ensure-$PACKAGE: failed: $*" >&2
        cat "$LOG" >&2
        exit 1
    fi
}
echo "ensure-$PACKAGE: installing Debian's $PACKAGE package" >&2
# A stale or empty package list fails the install (unknown package, 404): refresh it once, retry.
if ! $SUDO apt-get install -y -qq --no-install-recommends "$PACKAGE" >>"$LOG" 2>&1; then
    run $SUDO apt-get update -qq
    run $SUDO apt-get install -y -qq --no-install-recommends "$PACKAGE"
fi
test -x "$BINARY"
