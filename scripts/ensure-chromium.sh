#!/usr/bin/env bash
# Make sure Debian's chromium is installed (the partner-console and authorize-page browser tests).
exec bash "$(dirname "$0")/ensure-debian-package.sh" chromium /usr/bin/chromium
