#!/bin/sh
# Install what forklab needs to build and test, if it is missing: Debian's
# packages only. Safe to run again; does nothing when all is there.
#   tools/deps.sh          build and test dependencies
#   tools/deps.sh --bench  also the benchmark tools (hyperfine, bubblewrap)
#   FORKLAB_HTML_TEST=1    also chromium, for make check-html (heavy)
set -eu
need="gcc make libc6-dev pkg-config check libseccomp-dev libjansson-dev libxml2-utils python3 python3-jsonschema perl"
[ "${1:-}" = "--bench" ] && need="$need hyperfine bubblewrap"
[ "${FORKLAB_HTML_TEST:-}" = 1 ] && need="$need chromium"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "forklab: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "forklab: need root (or sudo) to install:$missing" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
