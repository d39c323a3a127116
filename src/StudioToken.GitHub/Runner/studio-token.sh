#!/bin/sh
# studio-token (host reader), written by the studio-token GitHub Action into its token directory and put on PATH:
# `studio-token get` for later steps on the runner host, in POSIX sh so it needs nothing from the host but sh, sed,
# date and cat. Same contract as the CLI's get: --token-dir (else the directory of $STUDIO_TOKEN_FILE),
# --min-valid DURATION, --wait DURATION (default 60s with --min-valid); exit 1 usage, 4 no valid token.
set -u

die() { code=$1; shift; printf 'studio-token: error: %s\n' "$*" >&2; exit "$code"; }

# Durations as the CLI writes them: 45, 90s, 10m, 2h, 1h30m, 1d.
to_seconds() {
  rest=$1 total=0
  case $rest in '' | *[!0-9smhd]* | [smhd]*) return 1 ;; esac
  while [ -n "$rest" ]; do
    number=${rest%%[!0-9]*}
    [ -n "$number" ] || return 1
    rest=${rest#"$number"}
    unit=${rest%"${rest#?}"}
    case $unit in
      '') total=$((total + number)) ;;
      s) total=$((total + number)) ;;
      m) total=$((total + number * 60)) ;;
      h) total=$((total + number * 3600)) ;;
      d) total=$((total + number * 86400)) ;;
      *) return 1 ;;
    esac
    rest=${rest#"$unit"}
  done
  echo "$total"
}

[ "${1:-}" = get ] || die 1 "this host reader only knows 'get': studio-token get [--token-dir DIR] [--min-valid 5m] [--wait 60s]"
shift
dir=${STUDIO_TOKEN_DIR:-}
if [ -z "$dir" ] && [ -n "${STUDIO_TOKEN_FILE:-}" ]; then dir=$(dirname "$STUDIO_TOKEN_FILE"); fi
min=0 wait=
while [ $# -gt 0 ]; do
  case $1 in
    --token-dir) [ $# -ge 2 ] || die 1 "--token-dir needs a directory"; dir=$2; shift 2 ;;
    --token-dir=*) dir=${1#*=}; shift ;;
    --min-valid | --wait)
      [ $# -ge 2 ] || die 1 "$1 needs a duration, e.g. 5m"
      value=$(to_seconds "$2") || die 1 "$1: '$2' is not a duration; write e.g. 30s, 10m or 1h"
      if [ "$1" = --min-valid ]; then min=$value; else wait=$value; fi
      shift 2 ;;
    *) die 1 "unknown option '$1'; use --token-dir, --min-valid or --wait" ;;
  esac
done
[ -n "$dir" ] || die 1 "--token-dir: no token directory; pass --token-dir DIR or set STUDIO_TOKEN_FILE"
if [ -z "$wait" ]; then if [ "$min" -gt 0 ]; then wait=60; else wait=0; fi; fi

deadline=$(($(date +%s) + wait))
while :; do
  problem="no token in $dir yet; did the studio-token step run?"
  # token.json before token: the writer replaces them in the other order, so the expiry read is never too late.
  if [ -r "$dir/token.json" ]; then
    expires=$(sed -n 's/^ *"expires_at_unix": *\([0-9][0-9]*\).*/\1/p' "$dir/token.json")
    token=$(cat "$dir/token" 2>/dev/null)
    left=$((${expires:-0} - $(date +%s)))
    if [ -n "$token" ] && [ -n "$expires" ] && [ "$left" -gt "$min" ]; then
      if [ "${GITHUB_ACTIONS:-}" = true ]; then printf '::add-mask::%s\n' "$token" >&2; fi
      case ${TF_BUILD:-} in [Tt]rue) printf '##vso[task.setsecret]%s\n' "$token" >&2 ;; esac
      printf '%s' "$token"
      if [ -t 1 ]; then echo; fi
      exit 0
    fi
    last=$(sed -n 's/^ *"last_error": *"\(.*\)",\{0,1\}$/\1/p' "$dir/token.json")
    problem="the token in $dir has ${left}s of life left, not more than the ${min}s asked for${last:+; the refresher's last error: $last}"
  elif [ ! -d "$dir" ]; then
    problem="no token directory at $dir; did the studio-token step run?"
  fi
  [ "$(date +%s)" -lt "$deadline" ] || die 4 "$problem"
  sleep 1
done
