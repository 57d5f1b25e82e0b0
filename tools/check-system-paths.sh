#!/usr/bin/env bash
# Fails, naming the path, when a test or benchmark refers to an absolute path outside the repository that no
# package in the given list provides. A path that exists only because someone installed its package by hand would
# make CI green on that one machine and red on every fresh one; this check makes that visible everywhere.
#
#   tools/check-system-paths.sh PACKAGE...     (the Debian packages test.sh installs)
#
# Paths are the string literals under tests/ and benchmarks/ that start with a system folder. Each must be owned,
# per dpkg, by one of PACKAGE..., by a package they depend on (apt installs it with them), or by a package Debian
# marks essential or required (base-files, say), which every Debian machine has.
set -uo pipefail
cd "$(dirname "$0")/.."

# The packages named, and what they pull in: apt installs those together, so test.sh installs them too.
allowed=" $* $(apt-cache depends --recurse --installed --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "$@" 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u | tr '\n' ' ') "
paths=$(git grep -ohE "[\"'](/usr|/etc|/opt|/var|/lib|/bin|/sbin)/[^\"' \\]*" -- tests benchmarks 2>/dev/null \
    | cut -c2- | sed 's:/*$::' | sort -u)

bad=0
for path in $paths; do
    owners=$(dpkg-query -S "$path" 2>/dev/null | sed 's/: .*//' | tr ', ' '\n\n' | sed 's/:.*//' | grep -v '^$' | sort -u)
    if [ -z "$owners" ]; then
        echo "error: tests refer to $path, which no installed Debian package provides (add its package to test.sh)" >&2
        bad=1
        continue
    fi
    ok=0
    for owner in $owners; do
        case "$allowed" in *" $owner "*) ok=1 ;; esac
        if [ "$ok" = 0 ]; then
            priority=$(dpkg-query -W -f='${Essential} ${Priority}' "$owner" 2>/dev/null)
            case "$priority" in yes*|*required) ok=1 ;; esac
        fi
        [ "$ok" = 1 ] && break
    done
    if [ "$ok" = 0 ]; then
        echo "error: tests refer to $path, provided by '$(echo $owners)', which test.sh does not install" >&2
        bad=1
    fi
done
exit $bad
