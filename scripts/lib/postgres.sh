# Sourced by scripts/with-postgres and scripts/stack: a throwaway PostgreSQL cluster in a
# temporary folder, on a free loopback port. initdb refuses to run as root, so as root the
# cluster runs as the postgres user. The settings go into postgresql.conf, so a plain
# `pg_ctl -D "$PG_DATA" start` (or stop) works on it later, as the stack test does.
#
#   pg_cluster_start   sets PG_DIR, PG_DATA, PG_PORT, PG_AS_OWNER and DATABASE_URL
#   pg_cluster_stop    stops the cluster and removes its folder

pg_find_binaries() {
  if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
    local pgbin
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$pgbin" ]; then PATH="$pgbin:$PATH"; fi
  fi
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null
}

pg_cluster_start() {
  pg_find_binaries || { echo "initdb/pg_ctl not found" >&2; return 3; }
  PG_AS_OWNER=()
  if [ "$(id -u)" = 0 ]; then PG_AS_OWNER=(runuser -u postgres --); fi
  PG_DIR=$(mktemp -d /tmp/loket-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  PG_DATA="$PG_DIR/data"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${PG_AS_OWNER[@]}" initdb -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${PG_AS_OWNER[@]}" tee -a "$PG_DATA/postgresql.conf" >/dev/null <<CONF
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
listen_addresses = '127.0.0.1'
fsync = off
full_page_writes = off
max_connections = 200
CONF
  "${PG_AS_OWNER[@]}" pg_ctl -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  "${PG_AS_OWNER[@]}" createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres loket
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/loket"
}

pg_cluster_stop() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_AS_OWNER[@]}" pg_ctl -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
