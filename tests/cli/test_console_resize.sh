#!/usr/bin/env bash
# test_console_resize.sh BIN_DIR CERT_DIR - the terminal resized while the
# board asks something (issue 16: "redraws correctly on resize from 80x24
# up"): the action menu, the reply form and the new-complaint form (its
# unit look-up) are drawn again at 80x24 and at 132x40, the board around
# them, with what was typed; then sent, they are done.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

# size SESSION COLS ROWS: resized, and the board drawn at that size (its
# header is on row 0; the last row is the form's or the menu's).
size() {
  tm resize-window -t "$1" -x "$2" -y "$3"
  for _ in $(seq 100); do
    [ "$(screen "$1" | wc -l)" -eq "$3" ] && screen "$1" | head -1 | grep -q 'post' &&
      return 0
    sleep 0.05
  done
  fail "not drawn at $2x$3: $(screen "$1")"
}

# last_row SESSION PATTERN: poll until the last row shows PATTERN.
last_row() {
  for _ in $(seq 60); do
    screen "$1" | tail -1 | grep -qE -- "$2" && return 0
    sleep 0.05
  done
  fail "the last row of $1 is not '$2': $(screen "$1")"
}

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:clerk1 supervisor:lead1
for u in 3-2-1201 3-2-1202 3-2-1301; do
  as lead1 "$desk" unit add "$u" >/dev/null
done
as clerk1 "$desk" complaint new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --category noise --text "楼上装修噪音" >/dev/null
login_desk clerk1
board clerk1 b
wait_screen 10 b '^online'
wait_screen 5 b 'reply owed +C2 +complaint:1 '

# The menu of the selected item: on the last row at each size.
keys b Enter
wait_screen 3 b '^complaint:1 +\[r\] reply'
size b 80 24
last_row b '^complaint:1 +\[r\] reply'
screen b | grep -q '^online' || fail "no board around the menu at 80x24: $(screen b)"
size b 132 40
last_row b '^complaint:1 +\[r\] reply'

# The reply form, half typed: kept through both sizes, then sent.
keys b r
wait_screen 3 b '^Reply to the complainant:'
keys b '已联系装修方'
size b 80 24
last_row b 'Esc cancel'
wait_screen 3 b '^Reply to the complainant: 已联系装修方$'
screen b | grep -q '^== complaint:1: reply ==' || fail "no form at 80x24: $(screen b)"
size b 132 40
last_row b 'Esc cancel'
wait_screen 3 b '^Reply to the complainant: 已联系装修方$'
keys b '，明天停工' Enter
keys b +2h Enter
wait_screen 5 b '^done: '
as clerk1 "$desk" complaint show 1 >"$tmp/out"
grep -q '已联系装修方，明天停工' "$tmp/out" || fail "the reply was not recorded whole: $(cat "$tmp/out")"

# The new-complaint form: the unit's look-up stays under it at each size.
keys b n
wait_screen 3 b '^Unit:'
keys b 3-2-1
wait_screen 3 b '^archive:  3-2-1201  3-2-1202  3-2-1301$'
size b 80 24
last_row b 'Esc cancel'
wait_screen 3 b '^archive:  3-2-1201  3-2-1202  3-2-1301$'
screen b | grep -q '^Unit: 3-2-1$' || fail "the unit typed is lost at 80x24: $(screen b)"
keys b 2 0 2 Enter
keys b '赵女士' Enter
size b 132 40
last_row b 'Esc cancel'
wait_screen 3 b '^Complainant: 赵女士$'
screen b | grep -q '^Unit: 3-2-1202$' || fail "the unit typed is lost at 132x40: $(screen b)"
keys b 13700000000 Enter noise Enter '夜间施工' Enter Enter
wait_screen 5 b '^done: 2$'
keys b q
for _ in $(seq 100); do [ -s "$tmp/b.rc" ] && break; sleep 0.05; done
[ "$(cat "$tmp/b.rc" 2>/dev/null)" = 0 ] || fail "the board did not quit with 0: $(cat "$tmp/b.rc" 2>/dev/null)"
