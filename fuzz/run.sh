#!/usr/bin/env bash
# Runs one coverage-guided fuzz target under AFL++ for SECONDS seconds and prints what it did:
#   bash fuzz/run.sh TARGET SECONDS        (targets: message serpent json marshal msgpack uri gateway daemon)
# Installs AFL++ from Debian (afl++, when root) and the SharpFuzz.CommandLine tool if missing, builds the driver,
# instruments the runtime's assemblies, and fuzzes starting from the committed seeds in fuzz/corpus/TARGET/.
# Findings (crashes/, hangs/, queue/) are left in fuzz/.out/findings/TARGET/default/. Not part of test.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
targets="message serpent json marshal msgpack uri gateway daemon"
target="${1:-}"
seconds="${2:-}"
if [[ -z "$target" || -z "$seconds" || ! " $targets " =~ " $target " || ! "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: bash fuzz/run.sh TARGET SECONDS   (targets: $targets)" >&2
    exit 2
fi

# Per-input time limit (a slower input is a hang), and the memory bound: the GC's hard heap limit, inside AFL's
# address-space limit (-m; .NET reserves far more address space than it uses, hence the margin).
timeout_ms=1000
heap_limit_mb=512
afl_memory_mb=${FUZZ_AFL_MEMORY_MB:-20000}

if ! command -v afl-fuzz > /dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        apt-get install -y afl++ > /dev/null 2>&1 || { apt-get update > /dev/null && apt-get install -y afl++ > /dev/null; }
    else
        echo "AFL++ is missing; install it with: sudo apt-get install -y afl++" >&2
        exit 1
    fi
fi

tools="$here/.tools"
if [[ ! -x "$tools/sharpfuzz" ]]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" > /dev/null
fi

out="$here/.out"
build="$out/build"
run="$out/run/$target"
dotnet build "$here/TypedPyro.Fuzz/TypedPyro.Fuzz.csproj" -c Release -o "$build" -nologo -v quiet > "$out.build.log" 2>&1 \
    || { cat "$out.build.log" >&2; exit 1; }
# A fresh copy each run: an assembly is instrumented once.
rm -rf "$run"
mkdir -p "$run"
cp -r "$build"/. "$run"/
instrumented=(TypedPyro.dll)
[[ "$target" == gateway ]] && instrumented+=(TypedPyro.Gateway.dll)
for dll in "${instrumented[@]}"; do "$tools/sharpfuzz" "$run/$dll" > /dev/null; done

findings="$out/findings/$target"
rm -rf "$findings" "$findings.crashes.txt"
mkdir -p "$findings"

# A container has no CPU frequency governor, no crash-reporting core_pattern and no free cores to pin.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_SKIP_BIN_CHECK=1
export AFL_NO_UI=1 AFL_FORKSRV_INIT_TMOUT=120000 AFL_SHUFFLE_QUEUE=0
export DOTNET_GCHeapHardLimit=$(printf '0x%x' $((heap_limit_mb * 1024 * 1024))) DOTNET_TieredPGO=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 FUZZ_CRASH_LOG="$out/findings/$target.crashes.txt"

# "+": a seed slower than the limit (the first runs JIT-compile everything) is skipped rather than fatal.
afl-fuzz -i "$here/corpus/$target" -o "$findings" -t "${timeout_ms}+" -m "$afl_memory_mb" -V "$seconds" \
    -- dotnet "$run/TypedPyro.Fuzz.dll" "$target" > "$findings.log" 2>&1 || { tail -40 "$findings.log" >&2; exit 1; }

stats="$findings/default/fuzzer_stats"
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "target $target  date $(date -u +%Y-%m-%dT%H:%MZ)  seconds $(value run_time)"
echo "executions $(value execs_done)  per second $(value execs_per_sec)"
echo "edges $(value edges_found) of $(value total_edges) ($(value bitmap_cvg))  corpus $(value corpus_count)"
[[ -s "$findings.crashes.txt" ]] && echo "exceptions of the crashes: $findings.crashes.txt"
echo "crashes $crashes  hangs $hangs  stability $(value stability)  peak rss $(value peak_rss_mb) MB"
[[ $crashes -eq 0 && $hangs -eq 0 ]]
