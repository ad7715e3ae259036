#!/usr/bin/env bash
# Make sure Debian's redis-server is installed (tests/limits: shared rate limits and tokens).
# Idempotent and quiet: does nothing when /usr/bin/redis-server exists; otherwise installs the
# `redis-server` package with apt-get, running `apt-get update` only when the package is unknown.
set -euo pipefail

if [[ -x /usr/bin/redis-server ]]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-redis: apt-get not found; install Debian's redis-server package by hand" >&2
    exit 1
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure-redis: need root (or sudo) to install redis-server" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
run() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "ensure-redis: failed: $*" >&2
        cat "$LOG" >&2
        exit 1
    fi
}
echo "ensure-redis: installing Debian's redis-server package" >&2
# A stale or empty package list fails the install (unknown package, 404): refresh it once, retry.
if ! $SUDO apt-get install -y -qq --no-install-recommends redis-server >>"$LOG" 2>&1; then
    run $SUDO apt-get update -qq
    run $SUDO apt-get install -y -qq --no-install-recommends redis-server
fi
test -x /usr/bin/redis-server
