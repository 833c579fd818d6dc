#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the state-backend tests.
#
#   .ci/postgres.sh run CMD...   start a cluster, run CMD with OASPEC_TEST_PG_DSN exported, stop it on exit
#   .ci/postgres.sh start        start one and print OASPEC_TEST_PG_DSN=... and OASPEC_TEST_PG_DIR=... lines
#   .ci/postgres.sh halt DIR     stop the server at once (pg_ctl -m immediate), keeping its data
#   .ci/postgres.sh resume DIR   start a halted server again
#   .ci/postgres.sh destroy DIR  stop it and delete its directory
#
# The server refuses to run as root, so as root it runs as the `postgres` user in a directory that user
# owns. It listens on a unix socket in that directory and on 127.0.0.1 at a free port; the socket trusts
# local users, TCP asks for a password (scram-sha-256), so tests can check a wrong password's message.
# It does not flush to the disk (fsync, full_page_writes off), which guards only against a power loss or an
# OS crash that no test makes: a server killed or halted keeps every commit (the WAL is written before a
# commit is answered, into the kernel's cache) and replays it when it starts again.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

ensure_installed() {
  if [ -x "$PG_BIN/initdb" ]; then return; fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "postgres.sh: installing postgresql-15" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15 >&2
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  ensure_installed
  local dir port
  dir=$(mktemp -d "${TMPDIR:-/tmp}/oaspec-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir "$dir/sock"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
  port=$(free_port)
  as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
max_connections = 200
fsync = off
full_page_writes = off
EOF
  as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "OASPEC_TEST_PG_DSN=host=$dir/sock port=$port user=postgres dbname=postgres"
  echo "OASPEC_TEST_PG_DIR=$dir"
}

halt() { as_server_user "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null; }
resume() { as_server_user "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start >/dev/null; }

destroy() {
  case "$1" in */oaspec-pg.*) ;; *) echo "postgres.sh: not a cluster directory: $1" >&2; exit 2;; esac
  as_server_user "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$1"
}

run() {
  local lines
  lines=$(start)
  export OASPEC_TEST_PG_DSN; OASPEC_TEST_PG_DSN=$(sed -n 's/^OASPEC_TEST_PG_DSN=//p' <<<"$lines")
  CLUSTER_DIR=$(sed -n 's/^OASPEC_TEST_PG_DIR=//p' <<<"$lines")  # global: the EXIT trap reads it
  trap 'destroy "$CLUSTER_DIR"' EXIT
  echo "postgres.sh: PostgreSQL 15 at $OASPEC_TEST_PG_DSN" >&2
  "$@"
}

command=${1:-}
shift || true
case "$command" in
  run) run "$@" ;;
  start) start ;;
  halt) halt "$1" ;;
  resume) resume "$1" ;;
  destroy) destroy "$1" ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
