#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 13 item 4): initdb + pg_ctl in a temporary directory, listening
# on loopback only, on a free port, trust authentication for the local user "postgres". Nothing outside the temporary
# directory is touched; the cluster is deleted by `stop`.
#
#   .ci/postgres.sh start [--no-install]   prints two lines: the cluster's directory, then an Npgsql connection string
#   .ci/postgres.sh stop DIR               stops the cluster started in DIR and deletes DIR
#
# `start` installs Debian's postgresql package when no server binaries are found (unless --no-install), and exits
# non-zero, saying why on stderr, when no server can be started. As root, the server runs as the postgres user
# (PostgreSQL refuses to run as root); otherwise as the current user.
set -euo pipefail

find_bin() {
  # The highest major version installed (Debian keeps one bin directory per major under /usr/lib/postgresql).
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then printf '%s\n' "$d"; fi
  done | sort -V | tail -n 1
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local install=1
  [ "${1:-}" = "--no-install" ] && install=0
  local bin
  bin=$(find_bin)
  if [ -z "$bin" ] && [ "$install" -eq 1 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "postgres.sh: no PostgreSQL server found; installing Debian's postgresql package" >&2
      # The package's own cluster (pg_createcluster) is not used: the tests get a private one below.
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || true
      bin=$(find_bin)
    else
      echo "postgres.sh: no PostgreSQL server found and cannot install one (not root or no apt-get)" >&2
    fi
  fi

  if [ -z "$bin" ]; then
    echo "postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi

  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "postgres.sh: running as root but there is no postgres user to run the server as" >&2
    exit 1
  fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pq-postgres.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"

  if ! as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  fi

  # A free port: random candidates, skipping ports something already listens on; pg_ctl's own failure (a port taken
  # between the check and the start) moves on to the next candidate.
  local attempt port
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    port_in_use "$port" && continue
    if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c shared_buffers=64MB" start >/dev/null 2>&1; then
      echo "$dir"
      # Timeout=60: a connection on a loaded 2-core machine (forking a backend) can take longer than Npgsql's 15 s
      # default; CI failed once on exactly that, never on a wrong answer.
      echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Timeout=60"
      return 0
    fi
  done

  echo "postgres.sh: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  rm -rf "$dir"
  exit 1
}

stop() {
  local dir="${1:?usage: postgres.sh stop DIR}"
  local bin
  bin=$(find_bin)
  if [ -n "$bin" ] && [ -d "$dir/data" ]; then
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi

  case "$dir" in
    */pq-postgres.*) rm -rf "$dir" ;;
    *) echo "postgres.sh: not deleting '$dir' (not a directory this script made)" >&2 ;;
  esac
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start [--no-install] | stop DIR" >&2; exit 2 ;;
esac
