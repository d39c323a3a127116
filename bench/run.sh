#!/usr/bin/env bash
# Benchmarks studio-token against cat and curl and writes docs/benchmarks.md.
#
#   bash bench/run.sh
#
# Builds the NativeAOT binary, the framework-dependent build and the OpenIddict test server (Release), starts the
# test server on a free loopback port, runs the harness in bench/StudioToken.Bench, stops the server and writes the
# report. The harness also puts a TLS terminator of its own in front of the test server, to show a refresher's memory
# over https. Everything stays on 127.0.0.1. Takes about 4-5 minutes on 2 cores (half of it the AOT publish).
# Notes on what dominates each number live in bench/notes.md and are appended to the report.
#
# Knobs (environment): BENCH_GET_PAIRS (200), BENCH_FETCH_PAIRS (60), BENCH_JIT_GET_PAIRS (60),
# BENCH_JIT_FETCH_PAIRS (30; the framework-dependent rows are context, and each of its runs takes 0.1-1 s), BENCH_WARMUP (5 pairs), BENCH_SETTLE_SECONDS (5), BENCH_IDLE_SECONDS (60),
# BENCH_OUTPUT (docs/benchmarks.md), BENCH_SKIP_BUILD=1 to reuse the last builds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS
results=bench/results # gitignored: builds, raw samples, logs
output=${BENCH_OUTPUT:-docs/benchmarks.md}
aot_dir=$results/aot
jit_dir=$results/jit
work=$results/work
server_dll=tests/StudioToken.TestServer/bin/Release/net10.0/StudioToken.TestServer.dll
harness_dll=bench/StudioToken.Bench/bin/Release/net10.0/StudioToken.Bench.dll

log() { printf '[run.sh %3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }

# --- what the benchmark needs --------------------------------------------------------------------------------------
missing=()
command -v curl >/dev/null || missing+=(curl)
# NativeAOT links with clang (the ILCompiler finds clang or a versioned clang-N) and zlib's development files.
# (grep reads all of compgen's output: with pipefail, grep -q would make the pipeline fail on SIGPIPE.)
{ command -v clang || compgen -c clang- | grep -E '^clang-[0-9]+$'; } >/dev/null || missing+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- builds (Release) ----------------------------------------------------------------------------------------------
mkdir -p "$results"
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building the framework-dependent CLI -> $jit_dir"
  dotnet build src/StudioToken.Cli -c Release -o "$jit_dir" -nologo -v q >"$results/build-jit.log" \
    || { cat "$results/build-jit.log" >&2; exit 1; }
  log "publishing the NativeAOT CLI -> $aot_dir (1-3 min)"
  dotnet publish src/StudioToken.Cli -c Release -r linux-x64 -o "$aot_dir" -nologo -v q >"$results/build-aot.log" \
    || { cat "$results/build-aot.log" >&2; exit 1; }
  log "building the OpenIddict test server and the harness"
  dotnet build tests/StudioToken.TestServer -c Release -nologo -v q >"$results/build-server.log" \
    || { cat "$results/build-server.log" >&2; exit 1; }
  dotnet build bench/StudioToken.Bench -c Release -nologo -v q >"$results/build-harness.log" \
    || { cat "$results/build-harness.log" >&2; exit 1; }
fi
for f in "$aot_dir/studio-token" "$jit_dir/studio-token.dll" "$server_dll" "$harness_dll"; do
  [[ -f $f ]] || { echo "missing $f (run without BENCH_SKIP_BUILD)" >&2; exit 1; }
done

# --- the test server, on a port the kernel picks (--port 0), stopped on any exit -----------------------------------
rm -rf "$work"
mkdir -p "$work"
server_out=$results/server.out
source "$(dirname "${BASH_SOURCE[0]}")/test-server.sh"
cleanup() {
  stop_server
  # Deleting the token directories also stops any refresher the harness could not stop (it checks every 5 s),
  # and removes the curl config that holds the test client's secret.
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting the test server (token lifetime 3600 s)"
start_test_server "$server_dll" "$server_out" "$results/server.err"
[[ $token_url == http://127.0.0.1:*/api/v2/oauth/token ]] || { echo "test server did not report a loopback URL: '$token_url'" >&2; exit 1; }
log "test server at $token_url"

# --- measure -------------------------------------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
args=(
  --aot "$aot_dir/studio-token" --jit-dll "$jit_dir/studio-token.dll" --dotnet "$(command -v dotnet)"
  --token-url "$token_url" --work "$work"
  --markdown "$results/tables.md" --samples "$results/samples.csv"
)
[[ -n ${BENCH_GET_PAIRS:-} ]] && args+=(--get-pairs "$BENCH_GET_PAIRS")
[[ -n ${BENCH_FETCH_PAIRS:-} ]] && args+=(--fetch-pairs "$BENCH_FETCH_PAIRS")
[[ -n ${BENCH_JIT_GET_PAIRS:-} ]] && args+=(--jit-get-pairs "$BENCH_JIT_GET_PAIRS")
[[ -n ${BENCH_JIT_FETCH_PAIRS:-} ]] && args+=(--jit-fetch-pairs "$BENCH_JIT_FETCH_PAIRS")
[[ -n ${BENCH_WARMUP:-} ]] && args+=(--warmup "$BENCH_WARMUP")
[[ -n ${BENCH_SETTLE_SECONDS:-} ]] && args+=(--settle-seconds "$BENCH_SETTLE_SECONDS")
[[ -n ${BENCH_IDLE_SECONDS:-} ]] && args+=(--idle-seconds "$BENCH_IDLE_SECONDS")
log "measuring"
dotnet "$harness_dll" "${args[@]}" >/dev/null
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_server

# --- the report ----------------------------------------------------------------------------------------------------
commit=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain --untracked-files=no) ]] || commit="$commit (with uncommitted changes in the working tree)"
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
aot_size=$(du -m "$aot_dir/studio-token" | cut -f1)
mkdir -p "$(dirname "$output")"
# bench/azure-task.sh owns its own section of the same file: keep it as it is.
azure_section=""
if [ -f "$output" ]; then
  azure_section=$(awk '/^## Azure Pipelines task: package size and start-up/ { keep = 1 } keep && /^## / && !/^## Azure Pipelines task/ { keep = 0 } keep' "$output")
fi
{
  cat <<EOF
# Benchmarks

Generated by \`bench/run.sh\`; do not edit by hand. Reproduce with:

\`\`\`
bash bench/run.sh
\`\`\`

| | |
|---|---|
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| machine | $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r) |
| load average (1, 5, 15 min) | before $load_before, after $load_after (the machine was shared with other builds) |
| commit | $commit |
| toolchain | .NET SDK $(dotnet --version), $(curl --version | head -n1 | cut -d' ' -f1-2), coreutils cat |
| AOT binary | \`dotnet publish src/StudioToken.Cli -c Release -r linux-x64\`, ${aot_size} MB |
| framework-dependent | \`dotnet build src/StudioToken.Cli -c Release\`, run as \`dotnet studio-token.dll\` |
| token endpoint | OpenIddict test server (\`tests/StudioToken.TestServer\`, Release) on 127.0.0.1, client \`post-client\` (client_secret_post), scope \`studio:script\` |

EOF
  cat "$results/tables.md"
  cat bench/notes.md
  if [ -n "$azure_section" ]; then printf '\n%s\n' "$azure_section"; fi
} >"$output"
log "wrote $output (raw samples in $results/samples.csv)"
log "done in $((SECONDS - started)) s"
