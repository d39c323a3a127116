#!/usr/bin/env bash
# Measures what the Azure Pipelines task would ship and how fast each build starts, and writes the section
# "## Azure Pipelines task: package size and start-up" of docs/benchmarks.md (replacing it if it is there; the
# rest of the file is left as it is).
#
#   bash bench/azure-task.sh
#
# Publishes studio-token (Release) four ways for linux-x64, the machine it runs on: (a) NativeAOT, what the task
# ships for linux-x64 agents; (b) the portable framework-dependent build, what it ships for every other agent, run
# as `dotnet studio-token.dll`; (c) self-contained; (d) self-contained, trimmed, single file. Then (size only) the
# self-contained build for the RIDs in BENCH_AZ_SIZE_RIDS, which cannot run here. It measures the bytes of what
# would ship (no .pdb/.dbg) and the same zipped (zip -9; a .vsix is a zip), fetches one token from the OpenIddict
# test server on 127.0.0.1, and times `--version` and `get --token-dir DIR` of the four runnable builds,
# interleaved (every round runs each build once, in a rotating order) so that changes in the machine's load hit
# all of them alike.
#
# It builds a snapshot of the committed sources (`git archive HEAD` into bench/results/azure-task/src), so edits in
# progress in the working tree can neither break nor blur the numbers; BENCH_AZ_SOURCE=worktree snapshots the
# working tree (tracked and untracked, not ignored, files) instead. Every build goes through --artifacts-path into
# bench/results/azure-task (gitignored), so src/*/bin and src/*/obj are never touched. The builds share one
# compiler server of their own (a private pipe name), stopped at the end.
#
# Takes about 4 minutes on 2 idle cores, nearly all of it the seven publishes; 10-12 when other builds load them.
#
# Knobs (environment): BENCH_AZ_RUNS (30 rounds), BENCH_AZ_WARMUP (3 rounds, discarded),
# BENCH_AZ_SIZE_RIDS ("win-x64 osx-arm64"; empty for none), BENCH_AZ_SOURCE (head or worktree),
# BENCH_OUTPUT (docs/benchmarks.md), BENCH_AZ_SKIP_BUILD=1 to reuse the last builds.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
started=$SECONDS
results=$root/bench/results/azure-task
output=${BENCH_OUTPUT:-docs/benchmarks.md}
runs=${BENCH_AZ_RUNS:-30}
warmup=${BENCH_AZ_WARMUP:-3}
size_rids=${BENCH_AZ_SIZE_RIDS-win-x64 osx-arm64}
source_kind=${BENCH_AZ_SOURCE:-head}
snapshot=$results/src
work=$results/work
builds_tsv=$results/builds.tsv
# The compiler server the builds share: its own pipe name, so that it is ours to stop (by its pid) at the end.
compiler_pipe=studio-token-azure-bench-$$

log() { printf '[azure-task.sh %3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }

# --- what the benchmark needs --------------------------------------------------------------------------------------
missing=()
# NativeAOT links with clang (or a versioned clang-N) and zlib's development files, as in bench/run.sh.
{ command -v clang || compgen -c clang- | grep -E '^clang-[0-9]+$'; } >/dev/null || missing+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
command -v python3 >/dev/null || missing+=(python3)
# zip is optional: without it the sizes are taken with python3's zipfile (deflate, level 9).
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- stopping what we started, on any exit -------------------------------------------------------------------------
source "$(dirname "${BASH_SOURCE[0]}")/test-server.sh"
stop_compiler_server() { # the VBCSCompiler started with our pipe name, if any (grep -z: one argument a line)
  local match pid
  for match in $(grep -lzx -- "-pipename:$compiler_pipe" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${match#/proc/}
    kill -TERM "${pid%/cmdline}" 2>/dev/null || true
  done
}
cleanup() {
  stop_server
  stop_compiler_server
  rm -rf "$work" # the token directory holds a (test) token
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the sources: a snapshot ---------------------------------------------------------------------------------------
paths=(src tests/StudioToken.TestServer Directory.Build.props Directory.Packages.props global.json .editorconfig)
commit=$(git rev-parse --short HEAD)
mkdir -p "$results/logs"
if [[ ${BENCH_AZ_SKIP_BUILD:-0} != 1 ]]; then
  rm -rf "$snapshot"
  mkdir -p "$snapshot"
  case $source_kind in
    head)
      git archive --format=tar HEAD -- "${paths[@]}" | tar -x -C "$snapshot"
      source_line="commit $commit (\`git archive HEAD\`; changes not yet committed are not measured)"
      [[ -z $(git status --porcelain --untracked-files=no -- "${paths[@]}") ]] \
        || source_line="$source_line; the working tree had such changes in the measured paths"
      ;;
    worktree)
      git ls-files -z -c -o --exclude-standard -- "${paths[@]}" | tar --null --ignore-failed-read -T - -c | tar -x -C "$snapshot"
      source_line="the working tree on commit $commit"
      [[ -z $(git status --porcelain -- "${paths[@]}") ]] || source_line="$source_line, with uncommitted changes"
      ;;
    *) echo "BENCH_AZ_SOURCE must be head or worktree, not '$source_kind'" >&2; exit 2 ;;
  esac
  printf '%s\n' "$source_line" >"$results/source.txt"
fi

# --- builds (Release) ----------------------------------------------------------------------------------------------
# publish NAME LABEL ARGS...: `dotnet publish src/StudioToken.Cli -c Release ARGS...` in the snapshot, into
# $results/publish/NAME, with its intermediate files in $results/build/NAME (kept only if it fails). A failed publish
# is recorded, not fatal (except for the two builds the task ships). One line per build in $builds_tsv: name, label,
# status, seconds, distinct warnings, command, first error.
build_options=(-nologo -nodeReuse:false -p:UseSharedCompilation=true "-p:SharedCompilationId=$compiler_pipe")
publish() {
  local name=$1 label=$2
  shift 2
  local out=$results/publish/$name art=$results/build/$name logf=$results/logs/publish-$name.log t0=$SECONDS
  local cmd=(dotnet publish src/StudioToken.Cli -c Release "$@")
  rm -rf "$out" "$art"
  log "publishing $name: ${cmd[*]}"
  local status=ok
  (cd "$snapshot" && "${cmd[@]}" --artifacts-path "$art" -o "$out" "${build_options[@]}") >"$logf" 2>&1 || status=failed
  # MSBuild repeats each warning and error in its summary: count distinct lines.
  local warnings first_error
  warnings=$({ grep -E ': warning [A-Z]+[0-9]+' "$logf" || true; } | sort -u | wc -l)
  first_error=$({ grep -m1 -E ': error |error [A-Z]+[0-9]+:' "$logf" || true; } \
    | sed -E "s/ \[[^]]*\]\$//; s/^ +//; s#$snapshot/##g" | tr '\t' ' ')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$label" "$status" "$((SECONDS - t0))" "$warnings" "${cmd[*]}" \
    "$first_error" >>"$builds_tsv"
  log "  $name: $status in $((SECONDS - t0)) s, $warnings warning(s)${first_error:+; $first_error}"
  if [[ $status == ok ]]; then rm -rf "$art"; fi # intermediate files: hundreds of MB per build
}

if [[ ${BENCH_AZ_SKIP_BUILD:-0} != 1 ]]; then
  rm -f "$builds_tsv"
  publish aot "NativeAOT linux-x64 (shipped for linux-x64)" -r linux-x64
  publish portable "portable framework-dependent (shipped for every other agent)" \
    -p:PublishAot=false -p:UseAppHost=false -p:RollForward=LatestMajor -p:SatelliteResourceLanguages=en
  publish sc "self-contained linux-x64" -r linux-x64 --self-contained -p:PublishAot=false -p:SatelliteResourceLanguages=en
  publish sc-trimmed "self-contained linux-x64, trimmed, single file" -r linux-x64 --self-contained \
    -p:PublishAot=false -p:SatelliteResourceLanguages=en -p:PublishTrimmed=true -p:PublishSingleFile=true
  for rid in $size_rids; do
    publish "sc-$rid" "self-contained $rid (size only)" -r "$rid" --self-contained -p:PublishAot=false \
      -p:SatelliteResourceLanguages=en
  done
  log "building the OpenIddict test server (Release) from the same snapshot"
  (cd "$snapshot" && dotnet build tests/StudioToken.TestServer -c Release --artifacts-path "$results/build/testserver" \
    "${build_options[@]}") >"$results/logs/build-testserver.log" 2>&1 \
    || { tail -n 20 "$results/logs/build-testserver.log" >&2; exit 1; }
  stop_compiler_server
fi
[[ -f $builds_tsv ]] || { echo "no $builds_tsv: run without BENCH_AZ_SKIP_BUILD" >&2; exit 1; }
for f in "$results/publish/aot/studio-token" "$results/publish/portable/studio-token.dll"; do
  [[ -f $f ]] || { echo "missing $f: the task's own builds must publish (see $results/logs)" >&2; exit 1; }
done
server_dll=$results/build/testserver/bin/StudioToken.TestServer/release/StudioToken.TestServer.dll
[[ -f $server_dll ]] || { echo "missing $server_dll (run without BENCH_AZ_SKIP_BUILD)" >&2; exit 1; }

# --- one real token, from the test server on a port the kernel picks ----------------------------------------------
rm -rf "$work"
mkdir -p "$work"
log "starting the test server (token lifetime 3600 s)"
start_test_server "$server_dll" "$work/server.out" "$results/logs/server.err"
[[ $token_url == http://127.0.0.1:*/* ]] || { echo "test server did not report a loopback URL: '$token_url'" >&2; exit 1; }
log "test server at $token_url; fetching one token with the NativeAOT build"
( # only the settings below: none of the caller's STUDIO_* variables, no CI markers, no proxy for loopback
  for name in $(compgen -e); do [[ $name == STUDIO_* ]] && unset "$name"; done
  unset GITHUB_ACTIONS TF_BUILD
  export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 STUDIO_TOKEN_URL=$token_url STUDIO_CLIENT_ID=basic-client \
    STUDIO_CLIENT_SECRET='basic-secret-Ω1 +%'
  "$results/publish/aot/studio-token" fetch --token-dir "$work/tokens" </dev/null
)
[[ -s $work/tokens/token ]] || { echo "fetch wrote no $work/tokens/token" >&2; exit 1; }
stop_server # `get` only reads the token directory

# --- measure and write the section ---------------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "measuring: $warmup warm-up rounds, then $runs rounds of --version and get for each build"
python3 - "$results" "$work" "$output" "$runs" "$warmup" "$load_before" "$(command -v dotnet)" <<'PY'
import csv, datetime, json, os, shutil, subprocess, sys, textwrap, time, zipfile

results, work, output, runs, warmup, load_before, dotnet = sys.argv[1:]
runs, warmup = int(runs), int(warmup)
HEADING = "## Azure Pipelines task: package size and start-up"

builds = {}
with open(os.path.join(results, "builds.tsv"), encoding="utf-8") as f:
    for line in f:
        name, label, status, seconds, warnings, command, error = line.rstrip("\n").split("\t")
        builds[name] = dict(name=name, label=label, status=status, seconds=int(seconds), warnings=int(warnings),
                            command=command, error=error)

# --- what would ship: the publish directory without .pdb/.dbg (as azure-task/build-vsix.sh stages it) ------------
ship_root = os.path.join(results, "ship")
shutil.rmtree(ship_root, ignore_errors=True)

def stage(name):
    src, dst = os.path.join(results, "publish", name), os.path.join(ship_root, name)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.pdb", "*.dbg"))
    return dst

def zipped_bytes(directory, name):
    archive = os.path.join(ship_root, name + ".zip")
    if shutil.which("zip"):
        subprocess.run(["zip", "-9", "-X", "-q", "-r", os.path.abspath(archive), "."], cwd=directory, check=True)
    else:
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for root, _, files in os.walk(directory):
                for file in sorted(files):
                    path = os.path.join(root, file)
                    z.write(path, os.path.relpath(path, directory))
    return os.path.getsize(archive)

def runtime_pack(name):
    """The runtime pack a self-contained build took its runtime from, from its deps.json (not in a single file)."""
    deps = os.path.join(results, "publish", name, "studio-token.deps.json")
    if not os.path.exists(deps):
        return None
    with open(deps, encoding="utf-8") as f:
        libraries = json.load(f).get("libraries", {})
    packs = [key.split(".", 1)[1] for key in libraries if key.startswith("runtimepack.")]
    return packs[0] if packs else None

for b in builds.values():
    if b["status"] != "ok":
        continue
    directory = stage(b["name"])
    files = [os.path.join(root, f) for root, _, fs in os.walk(directory) for f in fs]
    b["files"] = len(files)
    b["bytes"] = sum(os.path.getsize(f) for f in files)
    b["zipped"] = zipped_bytes(directory, b["name"])
    b["dir"] = directory
    b["pack"] = runtime_pack(b["name"])
zip_tool = "zip -9" if shutil.which("zip") else "python3 zipfile, deflate level 9"

# --- start-up, interleaved -----------------------------------------------------------------------------------------
def argv(name):
    d = os.path.abspath(builds[name]["dir"])
    return [dotnet, os.path.join(d, "studio-token.dll")] if name == "portable" else [os.path.join(d, "studio-token")]

runnable = [n for n in ("aot", "portable", "sc", "sc-trimmed") if builds.get(n, {}).get("status") == "ok"]
for n in runnable:
    if n != "portable":
        os.chmod(argv(n)[0], 0o755)
token_dir = os.path.abspath(os.path.join(work, "tokens"))
with open(os.path.join(token_dir, "token"), encoding="utf-8") as f:
    token = f.read().strip()
commands = {"version": ["--version"], "get": ["get", "--token-dir", token_dir]}

# The same environment for every run: no STUDIO_* settings, no CI markers (they make get print masking
# commands), no proxies; as bench/StudioToken.Bench does.
env = {k: v for k, v in os.environ.items()
       if not k.startswith("STUDIO_") and k not in ("GITHUB_ACTIONS", "TF_BUILD", "http_proxy", "https_proxy",
                                                      "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")}
env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
out_fd = os.open(os.path.join(work, "stdout"), os.O_RDWR | os.O_CREAT, 0o600)
err_fd = os.open(os.path.join(work, "stderr"), os.O_RDWR | os.O_CREAT, 0o600)
null_fd = os.open(os.devnull, os.O_RDONLY)

def run_once(args):
    """Wall time from just before the process is spawned to just after it is reaped, plus its own rusage."""
    for fd in (out_fd, err_fd):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
    actions = [(os.POSIX_SPAWN_DUP2, null_fd, 0), (os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, err_fd, 2)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(args[0], args, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    os.lseek(out_fd, 0, os.SEEK_SET)
    stdout = os.read(out_fd, 1 << 20).decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        os.lseek(err_fd, 0, os.SEEK_SET)
        raise SystemExit(f"{' '.join(args)} exited with {code}: {os.read(err_fd, 1 << 16).decode('utf-8', 'replace')}")
    return (t1 - t0) / 1e6, (usage.ru_utime + usage.ru_stime) * 1e3, usage.ru_maxrss / 1024, stdout

version = None
samples = []  # (round, command, build, wall ms, cpu ms, maxrss MiB)
for rnd in range(warmup + runs):
    for cname, cargs in commands.items():
        k = rnd % len(runnable)
        for name in runnable[k:] + runnable[:k]:  # A B C D, B C D A, ...: every build in every position
            wall, cpu, rss, stdout = run_once(argv(name) + cargs)
            if cname == "get" and stdout.strip() != token:
                raise SystemExit(f"{name}: get did not print the token file")
            if cname == "version":
                version = version or stdout.strip()
                if not stdout.strip() or stdout.strip() != version:
                    raise SystemExit(f"{name}: --version printed {stdout.strip()!r}, not {version!r}")
            if rnd >= warmup:
                samples.append((rnd - warmup, cname, name, wall, cpu, rss))
load_after = open("/proc/loadavg").read().split()[:3]
with open(os.path.join(results, "samples.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["round", "command", "build", "wall_ms", "cpu_ms", "maxrss_mib"])
    w.writerows(samples)

def pct(values, fraction):  # linear interpolation between closest ranks, as bench/StudioToken.Bench does
    s = sorted(values)
    pos = (len(s) - 1) * fraction
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)

def series(cname, name, column):
    return [s[column] for s in samples if s[1] == cname and s[2] == name]

def per_round_ratio(cname, name, column):
    by = {(s[0], s[2]): s[column] for s in samples if s[1] == cname}
    return [by[(r, name)] / by[(r, "aot")] for r in range(runs)]

stats = {}
for name in runnable:
    st = stats[name] = {}
    for cname in commands:
        wall, cpu, rss = series(cname, name, 3), series(cname, name, 4), series(cname, name, 5)
        st[cname] = dict(med=pct(wall, .5), p90=pct(wall, .9), cpu=pct(cpu, .5), rss=pct(rss, .5),
                         ratio=pct(per_round_ratio(cname, name, 3), .5), cpu_ratio=pct(per_round_ratio(cname, name, 4), .5))

# --- the section -------------------------------------------------------------------------------------------------
def mb(n):
    return f"{n / 1e6:.1f} MB"

def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

source = open(os.path.join(results, "source.txt"), encoding="utf-8").read().strip()
cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
mem_gib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1048576
sdk = sh("dotnet --version")
runtime = sh(f"{dotnet} --list-runtimes | awk '$1 == \"Microsoft.NETCore.App\" {{ print $2 }}' | tail -n1")
aot = builds["aot"]
L = []
line = L.append

def para(text):  # prose wrapped at 118 columns, like the rest of docs/benchmarks.md
    line(textwrap.fill(text, width=118, break_long_words=False, break_on_hyphens=False))
line(HEADING)
line("")
line("Generated by `bench/azure-task.sh` (not by `bench/run.sh`); do not edit by hand. Reproduce with:")
line("")
line("```")
line("bash bench/azure-task.sh")
line("```")
line("")
line("| | |")
line("|---|---|")
line(f"| date | {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC} |")
line(f"| machine | {os.cpu_count()} cores (nproc {sh('nproc')}), {cpu_model}, {mem_gib:.0f} GiB, Linux {os.uname().release} |")
line(f"| load average (1, 5, 15 min) | before {load_before}, after {' '.join(load_after)} (the machine was shared with other builds) |")
line(f"| sources | {source} |")
line(f"| toolchain | .NET SDK {sdk}; the portable build runs on the installed Microsoft.NETCore.App {runtime} |")
line("| builds | `dotnet publish src/StudioToken.Cli -c Release …` as below, run in that snapshot, each with `--artifacts-path` and `-o` of its own under `bench/results/azure-task/` |")
line(f"| what ships | the publish directory without `.pdb`/`.dbg` files, as `azure-task/build-vsix.sh` stages it (the portable build's two launcher scripts, about 1 KB, are not counted) |")
line(f"| zipped | the same files compressed with {zip_tool} (a `.vsix` is a zip), one archive per build |")
line("")
line("### Builds")
line("")
line("| build | command | result |")
line("|---|---|---|")
for b in builds.values():
    result = "built" if b["status"] == "ok" else f"**failed**: `{b['error'] or 'see bench/results/azure-task/logs'}`"
    if b["warnings"]:
        result += f", {b['warnings']} warning(s) (see `bench/results/azure-task/logs/publish-{b['name']}.log`)"
    elif b["status"] == "ok":
        result += ", no warnings"
    if b.get("pack"):
        result += f"; runtime from `{b['pack']}`"
    line(f"| {b['label']} | `{b['command']}` | {result} |")
line("")
para("The trimmed build is analysed with the project's own trimming settings: Octokit is kept whole "
     "(`TrimmerRootAssembly`), and the one-line per-assembly summaries IL2104/IL3053 (Newtonsoft.Json's "
     "reflection-based serializer, which the program never calls) are suppressed, as for the NativeAOT build; any "
     "other trimming warning would fail the build (`TreatWarningsAsErrors`). It is measured below for size and start-up "
     "only; its GitHub code path (Octokit's reflection) has no end-to-end test as a trimmed JIT build.")
line("")
line("### linux-x64, side by side")
line("")
para(f"{warmup} warm-up rounds, then {runs} rounds; every round runs each build once per command, in a rotating order "
     "(A B C D, then B C D A, …), so a change in the machine's load hits all builds alike. Wall time is from just before "
     "the process is spawned to just after it is reaped (python3 `posix_spawn` + `wait4`, no shell), in ms; CPU time "
     "(user + system) and peak RSS (`ru_maxrss`, what `/usr/bin/time -v` reports) are the child's own `rusage` from "
     "`wait4`. Every run is checked: exit code 0, `--version` prints the same version for every build, `get` prints "
     "exactly the token file. `get` reads a token directory written once by `studio-token fetch` from the OpenIddict "
     "test server (client `basic-client`).")
line("")
line("| build | files | bytes | zipped | `--version` median | p90 | `get` median | p90 | `get` CPU median | `get` peak RSS |")
line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in ("aot", "portable", "sc", "sc-trimmed"):
    b = builds.get(name)
    if not b:
        continue
    if b["status"] != "ok":
        line(f"| {b['label']} | did not build | | | | | | | | |")
        continue
    v, g = stats[name]["version"], stats[name]["get"]
    line(f"| {b['label']} | {b['files']} | {b['bytes']:,} ({mb(b['bytes'])}) | {b['zipped']:,} ({mb(b['zipped'])}) | "
         f"{v['med']:.1f} | {v['p90']:.1f} | {g['med']:.1f} | {g['p90']:.1f} | {g['cpu']:.1f} | {g['rss']:.1f} MiB |")
line("")
para("Relative to NativeAOT, same run (sizes: ratio of bytes; times: median over rounds of the per-round ratio):")
line("")
line("| build | bytes | zipped | `--version` wall | `get` wall | `get` CPU | `get` peak RSS |")
line("|---|---:|---:|---:|---:|---:|---:|")
for name in runnable:
    b, v, g = builds[name], stats[name]["version"], stats[name]["get"]
    line(f"| {b['label']} | {b['bytes'] / aot['bytes']:.2f}× | {b['zipped'] / aot['zipped']:.2f}× | {v['ratio']:.1f}× | "
         f"{g['ratio']:.1f}× | {g['cpu_ratio']:.1f}× | {g['rss'] / stats['aot']['get']['rss']:.1f}× |")
line("")

# --- other RIDs (size only) and what a .vsix would carry ----------------------------------------------------------
others = [b for n, b in builds.items() if n.startswith("sc-") and n != "sc-trimmed"]
if others:
    line("### Self-contained for other agents (size only; they cannot run here)")
    line("")
    line("| RID | files | bytes | zipped |")
    line("|---|---:|---:|---:|")
    for b in others:
        rid = b["name"][3:]
        if b["status"] == "ok":
            line(f"| {rid} | {b['files']} | {b['bytes']:,} ({mb(b['bytes'])}) | {b['zipped']:,} ({mb(b['zipped'])}) |")
        else:
            line(f"| {rid} | did not build: `{b['error']}` | | |")
    line("")

port = builds["portable"]
sc_ok = [b for n, b in builds.items() if b["status"] == "ok" and (n == "sc" or (n.startswith("sc-") and n != "sc-trimmed"))]
line("### The program's share of the .vsix, by choice")
line("")
para("Sums of the per-build zipped sizes above (zip compresses file by file, so this is within a few KB of one archive "
     "holding them all).")
line("")
line("| choice | builds in the package | zipped |")
line("|---|---|---:|")
chosen = aot["zipped"] + port["zipped"]
line(f"| **chosen**: NativeAOT for linux-x64, portable for the rest | 2 | **{mb(chosen)}** |")
line(f"| portable only (every agent needs .NET 10) | 1 | {mb(port['zipped'])} |")
if sc_ok:
    rids = ", ".join(("linux-x64" if b["name"] == "sc" else b["name"][3:]) for b in sc_ok)
    total = sum(b["zipped"] for b in sc_ok)
    line(f"| self-contained per RID, measured: {rids} | {len(sc_ok)} | {mb(total)} |")
    mean = total / len(sc_ok)
    line(f"| self-contained per RID, if the task served six (linux, windows, macOS × x64, arm64), at the measured mean of {mb(mean)} | 6 | ≈ {mb(6 * mean)} |")
if builds.get("sc-trimmed", {}).get("status") == "ok":
    t = builds["sc-trimmed"]
    line(f"| self-contained trimmed single file per RID, six RIDs, at the linux-x64 size | 6 | ≈ {mb(6 * t['zipped'])} |")
line("")

# --- what it means -------------------------------------------------------------------------------------------------
a, p = stats["aot"], stats["portable"]
line("### What the numbers mean for the choice")
line("")
starts = 5  # e.g. the task's main and post-job steps and three `get`s in a job
paragraphs = [
    f"**linux-x64: NativeAOT.** It starts fastest by far (`get` {a['get']['med']:.1f} ms median; the portable build "
    f"takes {p['get']['ratio']:.1f}× as long in the same rounds) and needs the least memory ({a['get']['rss']:.1f} MiB "
    f"peak, portable {p['get']['rss']:.1f} MiB), and linux-x64 is what Microsoft-hosted `ubuntu-*` agents run. It "
    f"costs {mb(aot['zipped'])} of the package (zipped), {aot['zipped'] / port['zipped']:.1f}× the portable build "
    f"and {aot['zipped'] / chosen:.0%} of the chosen pair.",
    f"**Every other agent: portable.** One {mb(port['zipped'])} (zipped) build serves windows, macOS and linux-arm64 "
    f"agents alike, at {p['get']['med']:.0f} ms median per `get` ({p['version']['med']:.0f} ms for `--version`), "
    f"about {p['get']['med'] - a['get']['med']:.0f} ms more than NativeAOT per start, spent starting the .NET host and "
    f"JIT-compiling (`get` CPU {p['get']['cpu']:.0f} ms vs {a['get']['cpu']:.0f} ms): a job that starts the program "
    f"{starts} times pays about {starts * (p['get']['med'] - a['get']['med']) / 1000:.1f} s for it. It needs .NET 10 or "
    f"later on the agent (the task says so when it cannot start it). These portable figures are measured on Linux and "
    f"are only a proxy for Windows and macOS, where process creation, file access (on Windows, for example, real-time "
    f"virus scanning of each DLL loaded) and the CPU differ; what carries over is the ratio to a native start, which "
    f"is dominated by the same JIT work on every OS.",
]
if "sc" in stats:
    s = stats["sc"]
    text = (
        f" **Self-contained** is still a JIT start ({s['get']['med']:.0f} ms `get`, {s['get']['ratio']:.1f}× "
        f"NativeAOT, {s['get']['med'] / p['get']['med']:.2f}× the portable build: the same code, compiled by its own "
        f"copy of the runtime) and costs {mb(builds['sc']['zipped'])} zipped per RID, "
        f"{builds['sc']['zipped'] / port['zipped']:.0f}× the portable build"
    )
    if "sc-trimmed" in stats:
        t = stats["sc-trimmed"]
        text += (
            f"; trimmed to a single file it is {mb(builds['sc-trimmed']['zipped'])} zipped, close to NativeAOT, but "
            f"it starts slowest of all ({t['get']['med']:.0f} ms `get`): trimming rewrites the framework's "
            f"assemblies without their precompiled ReadyToRun code, so the framework is JIT-compiled too "
            f"(`-p:PublishReadyToRun=true` would put it back at the cost of size; not measured)"
        )
    text += (
        ". Shipping self-contained builds instead of the portable one would multiply that size by the number of "
        "RIDs served (see the table above) and make every agent download all of them, for no NativeAOT-like start."
    )
    paragraphs.append(text.strip())
win = builds.get("sc-win-x64")
if win:
    if win["status"] == "ok":
        paragraphs.append(
            f"**win-x64 self-contained does build here:** `{win['command']}` takes its runtime from "
            f"`{win.get('pack') or 'the win-x64 runtime pack'}`, which restores from the NuGet feed, and publishes "
            f"{mb(win['bytes'])} ({mb(win['zipped'])} zipped). NativeAOT for Windows or macOS is another matter: it "
            f"needs that OS's linker, so it cannot be built on this Linux machine."
        )
    else:
        paragraphs.append(
            f"**win-x64 self-contained does not build here:** `{win['command']}` fails with `{win['error']}`, so "
            f"the Windows figures cannot be measured on this machine; NativeAOT for Windows or macOS would need that "
            f"OS's linker anyway."
        )
for paragraph in paragraphs:
    para(paragraph)
    line("")
section = "\n".join(L).rstrip("\n") + "\n"

# --- replace the section (from its heading to the next "## " heading or the end) or append it ----------------------
doc = open(output, encoding="utf-8").read() if os.path.exists(output) else ""
lines = doc.splitlines(keepends=True)
start = next((i for i, l in enumerate(lines) if l.rstrip("\n") == HEADING), None)
if start is None:
    new = doc.rstrip("\n") + ("\n\n" if doc.strip() else "") + section
else:
    end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    new = "".join(lines[:start]) + section + ("\n" + tail if tail else "")
os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
with open(output, "w", encoding="utf-8") as f:
    f.write(new)
for name in runnable:
    v, g = stats[name]["version"], stats[name]["get"]
    print(f"[azure-task.sh] {name:11} {builds[name]['bytes']:>11,} B  zipped {builds[name]['zipped']:>11,} B  "
          f"--version {v['med']:7.1f}/{v['p90']:7.1f} ms  get {g['med']:7.1f}/{g['p90']:7.1f} ms  "
          f"cpu {g['cpu']:6.1f} ms  rss {g['rss']:5.1f} MiB", file=sys.stderr)
PY
log "wrote the section to $output (raw samples in $results/samples.csv, logs in $results/logs)"
log "done in $((SECONDS - started)) s"
