#!/usr/bin/env bash
# Runs every test project and prints one closing line: "N passed, N failed".
# Interop tests need the real Python Pyro4 4.82; it is installed here when missing (as root) rather than skipped.
set -uo pipefail
cd "$(dirname "$0")"

# Every Debian package a test reads, and nothing else: the real Python Pyro4 4.82 peer (interop tests never skip),
# Pyro's own example programs (the tutorial, callback and handshake interop tests run them unchanged), and headless
# Chromium with its driver (the gateway's browser test). Installed here when missing and we are root; otherwise the
# one command to run is printed. Nothing may depend on what someone once installed by hand.
# redis-server: the shared name server registry's tests start their own on free ports (never the Debian service).
system_packages="python3-pyro4 python3-serpent python3-msgpack pyro4-examples chromium chromium-driver redis-server"
missing=""
for package in $system_packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $package"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "Installing the Debian packages the tests need:$missing"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null \
            || { echo "error: apt-get install$missing failed" >&2; echo "0 passed, 1 failed"; exit 2; }
    else
        echo "error: the tests need: sudo apt-get install -y$missing" >&2
        exit 2
    fi
fi
# A test that reads a system path no package above provides would pass only where it was installed by hand.
tools/check-system-paths.sh $system_packages || { echo "0 passed, 1 failed"; exit 1; }

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build TypedPyro.sln -c Release --nologo -v quiet -warnaserror || { echo "0 passed, 1 failed"; exit 1; }
status=0
for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
done

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
    f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# One dry, in-process iteration of every benchmark: proves they run (timings are meaningless here).
if ! dotnet run -c Release --no-build --project benchmarks/TypedPyro.Benchmarks -- --smoke > "$results/benchmark-smoke.log" 2>&1; then
    echo "benchmark smoke run failed; see $results/benchmark-smoke.log"
    failed=$((failed + 1))
    status=1
fi
# Two short passes of the peer harness against Python Pyro4: prove every workload runs end to end, and that
# repeated runs fold into medians.
if ! dotnet run -c Release --no-build --project benchmarks/TypedPyro.Peers -- --smoke --repeat 2 > "$results/peers-smoke.log" 2>&1; then
    echo "peer harness smoke run failed; see $results/peers-smoke.log"
    failed=$((failed + 1))
    status=1
fi
# The bulk-receive probe (raw sockets; each strategy checks that its server saw every call).
if ! dotnet run -c Release --no-build --project benchmarks/TypedPyro.Peers -- --bulk-receive --smoke > "$results/bulk-receive-smoke.log" 2>&1; then
    echo "bulk-receive probe smoke run failed; see $results/bulk-receive-smoke.log"
    failed=$((failed + 1))
    status=1
fi
# The harness ends with its verdict on benchmarks/targets.json; a missed target does not fail CI (smoke figures
# mean nothing), a missing or malformed verdict does.
if ! grep -Eq '^targets: [0-9]+ met, [0-9]+ missed$' "$results/peers-smoke.log" || ! grep -Eq '^target (met|missed|shown): ' "$results/peers-smoke.log"; then
    echo "peer harness printed no verdict on the targets; see $results/peers-smoke.log"
    failed=$((failed + 1))
    status=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
