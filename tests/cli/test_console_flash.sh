#!/usr/bin/env bash
# test_console_flash.sh BIN_DIR CERT_DIR - a new breach flashes its line
# (issue 16, H2: "rings the bell and flashes the line") for 6 s and then
# stays still: a work order dispatched with nobody on site (D3's 20
# minutes, 3 s here) turns into an alert; the alert's row on the desk's
# board is drawn in two looks by turns (read with capture-pane -e, the
# terminal's attributes) during the flash, in one after it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

# looks SESSION PATTERN SECONDS: how many different ways the row matching
# PATTERN was drawn (its escape sequences only: the countdown moves),
# sampled every 0.1 s; a capture without the row does not count.
looks() {
  local n=$(( $3 * 10 )) row
  for _ in $(seq "$n"); do
    row=$(tm capture-pane -p -e -t "$1" | grep -E -- "$2" | head -1)
    [ -z "$row" ] || printf '%s\n' "$row" | grep -o $'\e\[[0-9;]*m' | tr -d '\n'
    [ -z "$row" ] || echo
    sleep 0.1
  done | sort -u | wc -l
}

start_deskd --clock repair.no_engineer=3s --clock repair.no_engineer.warn=0 \
  --clock repair.no_engineer.escalate=1h --clock repair.no_engineer.repeat=1h
add_users clerk:clerk1
login_desk clerk1
board clerk1 desk1
wait_screen 10 desk1 '^online'

as clerk1 "$desk" repair new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --kind repair --text "厨房水管爆裂" --visit-at +1h >/dev/null
as clerk1 "$desk" repair dispatch 1 >/dev/null
# The selection (reverse) on another row than the alert's: a later item.
as clerk1 "$desk" complaint new --unit 3-2-1202 --name "赵女士" --phone 13700000000 \
  --category noise --text "夜间施工" >/dev/null
wait_screen 3 desk1 'reply owed +C2 +complaint:1 '
keys desk1 j j j
# The breach: its alert row flashes, in two looks by turns.
wait_screen 10 desk1 ' alert +D3 +repair:1 '
start=$(date +%s%N)
n=$(looks desk1 ' alert .*D3 .*repair:1 ' 2)
[ "$n" -ge 2 ] || fail "the new breach's line does not flash ($n look): $(tm capture-pane -p -e -t desk1)"
# After 6 s it is still (one look), though the countdown runs on.
left=$(( 7 - ($(date +%s%N) - start) / 1000000000 ))
if [ "$left" -gt 0 ]; then sleep "$left"; fi
n=$(looks desk1 ' alert .*D3 .*repair:1 ' 2)
[ "$n" -eq 1 ] || fail "the line still flashes after 6 s ($n looks)"
keys desk1 q
