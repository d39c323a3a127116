# Sourced by the benchmark scripts: the OpenIddict test server as a background process on a port the kernel picks.
#   start_test_server DLL OUT ERR   sets server_pid and token_url (the line "listening URL" it prints); exits on failure
#   stop_server                     TERM, up to 5 s, then KILL; safe to call twice

server_pid=
token_url=

start_test_server() {
  local dll=$1 out=$2 err=$3
  dotnet "$dll" --port 0 --lifetime 3600 >"$out" 2>"$err" &
  server_pid=$!
  token_url=
  for _ in $(seq 300); do
    token_url=$(awk '$1 == "listening" { print $2; exit }' "$out")
    [[ -n $token_url ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "test server exited:" >&2; cat "$err" >&2; exit 1; }
    sleep 0.1
  done
  echo "test server did not report its URL within 30 s" >&2
  exit 1
}

stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
