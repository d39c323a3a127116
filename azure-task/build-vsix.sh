#!/usr/bin/env bash
# Builds the Azure DevOps extension (.vsix): the StudioToken task (task.json, the Node shim, the NativeAOT linux-x64
# binary and the portable framework-dependent build with its launchers) and the "Studio OAuth" service connection type.
#
#   azure-task/build-vsix.sh --native-linux-x64 AOT_PUBLISH_DIR --portable PORTABLE_PUBLISH_DIR --out FILE.vsix
#
# Needs `npm ci` in azure-task/ first (tfx-cli comes from azure-task/node_modules); runs offline.
# Stages into artifacts/azure-task/stage (emptied first; STUDIO_TOKEN_VSIX_STAGE=DIR stages elsewhere) and leaves it
# there for inspection.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

die() { echo "build-vsix: $*" >&2; exit 1; }
usage() { die "usage: azure-task/build-vsix.sh --native-linux-x64 DIR --portable DIR --out FILE.vsix"; }

native='' portable='' out=''
while [ $# -gt 0 ]; do
  case $1 in
    --native-linux-x64) [ $# -ge 2 ] || usage; native=$2; shift 2 ;;
    --portable) [ $# -ge 2 ] || usage; portable=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "build-vsix: unknown argument: $1" >&2; usage ;;
  esac
done
if [ -z "$native" ] || [ -z "$portable" ] || [ -z "$out" ]; then usage; fi
case $out in *.vsix) ;; *) die "--out must name a .vsix file: $out" ;; esac

# Inputs: fail loudly on anything missing rather than ship a task that cannot start.
[ -d "$native" ] || die "--native-linux-x64: no such directory: $native"
[ -f "$native/studio-token" ] || die "--native-linux-x64: $native/studio-token is missing (dotnet publish src/StudioToken.Cli -c Release -r linux-x64 -o DIR)"
if ! head -c 4 "$native/studio-token" | od -An -c | tr -d ' \n' | grep -q '177ELF'; then
  die "--native-linux-x64: $native/studio-token is not an ELF executable"
fi
[ -d "$portable" ] || die "--portable: no such directory: $portable"
for f in studio-token.dll studio-token.runtimeconfig.json studio-token.deps.json; do
  [ -f "$portable/$f" ] || die "--portable: $portable/$f is missing (dotnet publish src/StudioToken.Cli -c Release -p:PublishAot=false -p:UseAppHost=false -p:RollForward=LatestMajor -o DIR)"
done
grep -q '"rollForward": *"LatestMajor"' "$portable/studio-token.runtimeconfig.json" ||
  echo "build-vsix: warning: $portable/studio-token.runtimeconfig.json does not roll forward to the latest major .NET" >&2
for f in "$root/task.json" "$here/vss-extension.json" "$here/overview.md" \
  "$here/StudioToken/run.js" "$here/StudioToken/main.js" "$here/StudioToken/post.js" \
  "$here/launchers/studio-token" "$here/launchers/studio-token.cmd"; do
  [ -f "$f" ] || die "missing $f"
done
tfx="$here/node_modules/.bin/tfx"
[ -x "$tfx" ] || die "$tfx is missing: run 'npm ci' in azure-task/ first"
command -v node >/dev/null || die "node is not on PATH"

# A fresh staging directory under artifacts/.
stage=${STUDIO_TOKEN_VSIX_STAGE:-$root/artifacts/azure-task/stage}
rm -rf "$stage"
mkdir -p "$stage/StudioToken/bin/linux-x64" "$stage/StudioToken/bin/portable"
task="$stage/StudioToken"

# task.json from the repository root, without the editor-only "$schema" key.
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
  const fs = require("fs");
  const task = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  delete task.$schema;
  fs.writeFileSync(process.argv[2], JSON.stringify(task, null, 2) + "\n");
' "$root/task.json" "$task/task.json"
cp "$here/StudioToken/run.js" "$here/StudioToken/main.js" "$here/StudioToken/post.js" "$task/"

# The NativeAOT binary only: no .dbg symbols, no .pdb files.
cp "$native/studio-token" "$task/bin/linux-x64/studio-token"
chmod 755 "$task/bin/linux-x64/studio-token"

# The portable build without .pdb/.dbg files and without an apphost (it would be for the build machine's OS only,
# and its name is the launcher's); then our two launchers.
cp -R "$portable/." "$task/bin/portable/"
find "$task/bin/portable" -type f \( -name '*.pdb' -o -name '*.dbg' \) -delete
for apphost in studio-token studio-token.exe; do
  if [ -e "$task/bin/portable/$apphost" ]; then
    echo "build-vsix: warning: left out the apphost $portable/$apphost (publish with -p:UseAppHost=false)" >&2
    rm -f "$task/bin/portable/$apphost"
  fi
done
cp "$here/launchers/studio-token" "$task/bin/portable/studio-token"
chmod 755 "$task/bin/portable/studio-token"
sed 's/\r*$/\r/' "$here/launchers/studio-token.cmd" > "$task/bin/portable/studio-token.cmd"

# The extension manifest and what it references.
cp "$here/vss-extension.json" "$here/overview.md" "$stage/"

# Package. tfx needs no network for "extension create". It reads saved options (tfx ... --save) from ~/.tfx: give
# it an empty home of its own so that nothing a person saved changes the package.
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
rm -f "$out"
tfx_home="$stage.tfx-home"
rm -rf "$tfx_home" && mkdir -p "$tfx_home"
HOME="$tfx_home" USERPROFILE="$tfx_home" "$tfx" extension create --root "$stage" --manifest-globs vss-extension.json --output-path "$out" \
  --no-prompt --no-color --trace-level info
[ -s "$out" ] || die "tfx did not write $out"
rm -rf "$tfx_home"

# Sizes.
size() { # bytes of a file or a directory's files
  if [ -d "$1" ]; then find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; else stat -c %s "$1"; fi
}
row() { printf '%-34s %12s bytes %8s MB\n' "$1" "$2" "$(awk -v b="$2" 'BEGIN {printf "%.2f", b / 1000000}')"; }
echo
echo "staged in $stage:"
row "StudioToken/ (task total)" "$(size "$task")"
row "  task.json" "$(size "$task/task.json")"
row "  run.js + main.js + post.js" "$(( $(size "$task/run.js") + $(size "$task/main.js") + $(size "$task/post.js") ))"
row "  bin/linux-x64/studio-token" "$(size "$task/bin/linux-x64/studio-token")"
row "  bin/portable/" "$(size "$task/bin/portable")"
row "vss-extension.json + overview.md" "$(( $(size "$stage/vss-extension.json") + $(size "$stage/overview.md") ))"
row "$(basename "$out")" "$(size "$out")"
echo "wrote $out"
