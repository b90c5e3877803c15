# lib.sh BIN_DIR CERT_DIR - what every CLI test shares.  Sourced, not run:
#   source "$(dirname "$0")/lib.sh" "$@"
# (not named test_*.sh, so tests/CMakeLists.txt does not register it).
#
# It sets strict mode, $bin, $certs, $desk and a fresh $tmp, removed with
# every background job the script started (deskd, desk watch) when the
# script exits, passing or failing.  Commands run at the script's own desk,
# $tmp/config, unless run `as` someone.
set -euo pipefail
bin=$1 certs=$2
tmp=$(mktemp -d /tmp/deskd-cli-XXXXXX)
desk=$bin/desk
pid='' wpid=''
export XDG_CONFIG_HOME=$tmp/config
unset DESK_USER DESK_PASSWORD DESK_SERVER
# desk speaks English here whatever the caller's locale (issue 16: a shell
# under zh_CN.UTF-8 would make every grep of English fail); UTF-8, so that
# Chinese names keep their widths.  A test of the Chinese sets LANG itself.
export LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE

cleanup() {
  local j
  for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; [ -f "$tmp/deskd.log" ] && tail -20 "$tmp/deskd.log" >&2; exit 1; }
expect_rc() { # expect_rc CODE command...: its output in $tmp/out and $tmp/err
  local want=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want: $(cat "$tmp/err" "$tmp/out")"
}
# has TEXT / hasnt TEXT: in the last expect_rc's output, or not.
has() { grep -q -- "$1" "$tmp/out" "$tmp/err" || fail "no '$1' in: $(cat "$tmp/out" "$tmp/err")"; }
hasnt() { ! grep -q -- "$1" "$tmp/out" "$tmp/err" || fail "'$1' shown: $(cat "$tmp/out")"; }
# as USER desk ARGS...: each person at their own desk, password USER-pass-1.
as() { local u=$1; shift
  DESK_USER=$u DESK_PASSWORD=$u-pass-1 XDG_CONFIG_HOME=$tmp/cfg-$u "$@"; }
# pwfile USER: writes USER's password (USER-pass-1) to a file, prints its name.
pwfile() { echo "$1-pass-1" > "$tmp/$1.pw"; echo "$tmp/$1.pw"; }
# wait_for SECONDS PATTERN [FILE]: poll FILE (the watch by default) for
# PATTERN, never a fixed sleep.
wait_for() {
  local n=$(( $1 * 20 )) f=${3:-$tmp/watch}
  for _ in $(seq "$n"); do grep -q -- "$2" "$f" 2>/dev/null && return 0; sleep 0.05; done
  fail "$(basename "$f") showed no $2 within $1 s: $(cat "$f" "$f.err" 2>/dev/null)"
}
# watch_as USER ARGS...: USER's `desk watch ARGS` in the background, to
# $tmp/watch and $tmp/watch.err; $wpid is desk itself.  (Not `as ... &`:
# a backgrounded function is a subshell, and $! would be the subshell.)
watch_as() { local u=$1; shift
  DESK_USER=$u DESK_PASSWORD=$u-pass-1 XDG_CONFIG_HOME=$tmp/cfg-$u \
    "$desk" watch "$@" >"$tmp/watch" 2>"$tmp/watch.err" &
  # shellcheck disable=SC2034  # $wpid is for the script
  wpid=$!
}

# start_deskd [DESKD FLAGS...]: deskd on $tmp/data (made on the first call,
# with admin / admin-pass-1, unless the script made it), logging to
# $tmp/deskd.log; $pid, $DESK_SERVER and $DESK_CA once it is ready.  G5's
# fire training before the first shift is off unless FLAGS turn it on (the
# scripts' schedules put people on posts untrained).  The
# first start takes a free port on 127.0.0.1; a restart after stop_deskd
# comes back on the same address, so that a watcher reconnects.
start_deskd() {
  if [ ! -d "$tmp/data" ]; then
    DESKD_ADMIN_PASSWORD=admin-pass-1 "$bin/deskd" init --data "$tmp/data" --admin admin \
      --pbkdf2-iterations 1000 >/dev/null
  fi
  rm -f "$tmp/ready"
  "$bin/deskd" --data "$tmp/data" --listen "${DESK_SERVER:-127.0.0.1:0}" \
    --ready-file "$tmp/ready" --cert "$certs/server.pem" --key "$certs/server-key.pem" \
    --pbkdf2-iterations 1000 --before-first-shift off "$@" 2>>"$tmp/deskd.log" &
  pid=$!
  for _ in $(seq 200); do
    [ -s "$tmp/ready" ] && break
    kill -0 "$pid" 2>/dev/null || { pid=''; fail "deskd exited before it was ready"; }
    sleep 0.05
  done
  [ -s "$tmp/ready" ] || fail "deskd was not ready within 10 s"
  DESK_SERVER=$(cat "$tmp/ready")
  export DESK_SERVER DESK_CA=$certs/ca.pem
}
# stop_deskd: SIGTERM, and wait until it has exited (it must still be running).
stop_deskd() {
  kill "$pid" 2>/dev/null || fail "deskd had already exited"
  wait "$pid" 2>/dev/null || true
  pid=''
}
# deskd_verify: the log is sound (deskd stopped first).
deskd_verify() {
  expect_rc 0 "$bin/deskd" verify --data "$tmp/data"
  grep -q '^ok, ' "$tmp/out" || fail "verify: $(cat "$tmp/out")"
}

# add_users ROLE:NAME...: the admin, at a desk of its own, adds each user
# with password NAME-pass-1.
add_users() {
  local ru
  XDG_CONFIG_HOME=$tmp/cfg-admin expect_rc 0 "$desk" login --user admin \
    --password-file "$(pwfile admin)"
  for ru in "$@"; do
    XDG_CONFIG_HOME=$tmp/cfg-admin expect_rc 0 "$desk" user add "${ru#*:}" \
      --role "${ru%%:*}" --password-file "$(pwfile "${ru#*:}")"
  done
}
# rota_csv MONTH MORNING EVENING NIGHT: the front post's three shifts on
# every day of MONTH (YYYY-MM), one person each, for `schedule import`.
rota_csv() {
  local d
  for d in $(seq -w 1 "$(date -d "$1-01 +1 month -1 day" +%d)"); do
    printf '%s-%s,morning,front,%s\n%s-%s,evening,front,%s\n%s-%s,night,front,%s\n' \
      "$1" "$d" "$2" "$1" "$d" "$3" "$1" "$d" "$4"
  done
}
# publish_rota_at SUP MORNING EVENING NIGHT MS...: SUP imports and publishes
# that rota for the month (in Asia/Shanghai) of each instant MS.
publish_rota_at() {
  local sup=$1 m=$2 e=$3 n=$4 at month
  shift 4
  for at in "$@"; do
    month=$(TZ=Asia/Shanghai date -d "@$((at / 1000))" +%Y-%m)
    rota_csv "$month" "$m" "$e" "$n" > "$tmp/$month.csv"
    expect_rc 0 as "$sup" "$desk" schedule import "$tmp/$month.csv" --month "$month"
    expect_rc 0 as "$sup" "$desk" schedule publish --month "$month"
  done
}
# make_archive_key: a fresh key for --archive-key in $tmp/archive.key, 0600.
make_archive_key() {
  (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$tmp/archive.key")
  chmod 600 "$tmp/archive.key"
}
