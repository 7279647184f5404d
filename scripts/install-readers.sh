#!/bin/sh
# install-readers.sh installs the independent readers that dw-upload's
# and lib/web/hfhub's tests run (scripts/readers, from npm, at the versions of
# package-lock.json): hyparquet and DuckDB read the Parquet back, the
# official @huggingface/hub client checks the Hub stand-in. Without node and npm it says so
# and succeeds: those tests then skip.
set -eu
cd "$(dirname "$0")/readers"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "install-readers: no node/npm: the Parquet reader tests will skip" >&2
	exit 0
fi
# up to date when npm's record of the install is newer than the lock
if [ node_modules/.package-lock.json -nt package-lock.json ]; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
