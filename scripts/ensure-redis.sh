#!/usr/bin/env bash
# Make sure Debian's redis-server is installed (tests/limits: shared rate limits and tokens).
exec bash "$(dirname "$0")/ensure-debian-package.sh" redis-server /usr/bin/redis-server
