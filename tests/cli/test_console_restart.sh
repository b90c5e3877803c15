#!/usr/bin/env bash
# test_console_restart.sh BIN_DIR CERT_DIR - the board survives deskd
# going away (issue 16): killed mid-session, the board says since when it
# is offline; deskd back, it reconnects by itself with the saved session,
# catches up from the log by seq what other desks recorded meanwhile, and
# shows every complaint once: none twice, none missing.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

new_complaint() {
  as clerk2 "$desk" complaint new --unit "3-2-120$1" --name "王女士" --phone 13800000000 \
    --category noise --text "第${1}件投诉" --demand "处理" >/dev/null
}
# each_once N...: the board shows each complaint's intake line exactly once.
each_once() {
  local n c
  for n in "$@"; do
    c=$(screen b | grep -c "new complaint  complaint:$n ") || true
    [ "$c" -eq 1 ] || fail "complaint:$n shown $c times: $(screen b)"
  done
}

start_deskd
add_users clerk:clerk1 clerk:clerk2
login_desk clerk1
board clerk1 b
wait_screen 10 b '^online'
new_complaint 1
new_complaint 2
wait_screen 3 b 'complaint:2 '

# deskd dies: the banner, with the time it went.
kill -9 "$pid"; wait "$pid" 2>/dev/null || true; pid=''
# The office's clock, in the zone the header names.
zone=$(screen b | sed -n 's/.*time zone \([^ ]*\).*/\1/p' | head -1)
[ -n "$zone" ] || fail "no time zone in the header: $(screen b)"
since=$(TZ=$zone date +%H:%M)
wait_screen 10 b "^OFFLINE since ($since|$(TZ=$zone date +%H:%M)), reconnecting"
# Long enough that the board's back-off has grown: what follows is
# recorded before it tries again, and must come from the log.
sleep 4
start_deskd
new_complaint 3
new_complaint 4
wait_screen 20 b '^online'
wait_screen 5 b 'complaint:4 '
wait_gone 3 b 'OFFLINE'
# Live again after the catch-up.
new_complaint 5
wait_screen 3 b 'complaint:5 '
each_once 1 2 3 4 5

# Offline twice: the time is that of the second going, and still nothing
# twice.
stop_deskd
wait_screen 10 b '^OFFLINE since'
start_deskd
wait_screen 20 b '^online'
new_complaint 6
wait_screen 3 b 'complaint:6 '
each_once 1 2 3 4 5 6
keys b q
for _ in $(seq 100); do [ -s "$tmp/b.rc" ] && break; sleep 0.05; done
[ "$(cat "$tmp/b.rc" 2>/dev/null)" = 0 ] || fail "the board did not quit with 0"
