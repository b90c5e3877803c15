#!/usr/bin/env bash
# test_console.sh BIN_DIR CERT_DIR - `desk console` in a real terminal
# (tmux) against a real deskd (issue 16): another desk's complaint is on
# the board within 1 s of its commit; the board redraws at 80x24 and
# larger; under zh_CN its columns line up by display width whatever the
# width of the Chinese before them; ? shows the keys; q quits.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

start_deskd
add_users clerk:clerk1 clerk:clerk2 clerk:clerk3
login_desk clerk1
login_desk clerk3
board clerk1 en C.UTF-8
board clerk3 zh zh_CN.UTF-8
wait_screen 10 en 'online'
wait_screen 10 zh '在线'

# Another desk records a complaint: on both boards within 1 s of its commit
# (the reply comes after the commit), 3 s in the sanitizers' slower build.
within=1
case $bin in *asan*) within=3 ;; esac
as clerk2 "$desk" complaint new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --category noise --text "楼上装修噪音" --demand "限定施工时间" >/dev/null
wait_screen "$within" en 'clerk2 +new complaint +complaint:1 '
wait_screen "$within" zh 'clerk2 +新投诉 +complaint:1 '
screen en | grep -q 'last event #[0-9]* [0-9:]* complaint.created' &&
  screen zh | grep -q '最近事件 #[0-9]* [0-9:]* complaint.created' ||
  fail "the header does not name the last event: $(screen en)"

# More steps of other widths in Chinese: every line's record starts in one
# column, counted in display columns (a CJK character takes two).
as clerk2 "$desk" complaint valid 1 >/dev/null
as clerk2 "$desk" complaint reply 1 --text "已联系装修方" --next-reply-at +2h >/dev/null
wait_screen 3 zh '已答复'
cols=$(screen zh | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for line in sys.stdin:
    i = line.find(" complaint:1 ")
    if i >= 0:
        print(width(line[:i]))' | sort -u)
[ "$(printf '%s\n' "$cols" | wc -l)" -eq 1 ] ||
  fail "the record column wanders with the Chinese before it ($cols): $(screen zh)"
[ "$(screen zh | grep -c ' complaint:1 ')" -ge 3 ] || fail "three steps not shown: $(screen zh)"

# Resize: 80x24, then larger; each time the whole board, the keys on the
# last row.
# (Each wait is for what only the new size shows: the board is redrawn.)
tm resize-window -t en -x 80 -y 24
wait_screen 5 en 'new complaint  complaint:1 .*王女士 .*…$'
rows=$(screen en | wc -l)
[ "$rows" -eq 24 ] || fail "24 rows wanted, $rows shown"
screen en | tail -1 | grep -q 'q quit' || fail "no keys on the last row at 80x24: $(screen en)"
screen en | grep -q '^online' || fail "no header at 80x24: $(screen en)"
tm resize-window -t en -x 132 -y 40
wait_screen 5 en 'new complaint  complaint:1 .*楼上装修噪音$'
[ "$(screen en | wc -l)" -eq 40 ] || fail "40 rows wanted"
screen en | tail -1 | grep -q 'q quit' || fail "no keys on the last row at 132x40: $(screen en)"

# ? shows the keys, any key closes them; q quits, exit 0.
keys en '?'
wait_screen 3 en 'Keys of the board'
keys en x
wait_gone 3 en 'Keys of the board'
keys zh '?'
wait_screen 3 zh '看板按键'
keys en q
keys zh q q
for s in en zh; do
  for _ in $(seq 100); do [ -s "$tmp/$s.rc" ] && break; sleep 0.05; done
  [ "$(cat "$tmp/$s.rc" 2>/dev/null)" = 0 ] || fail "board $s did not quit with 0: $(cat "$tmp/$s.rc" 2>/dev/null)"
done

# Without a terminal: refused, pointing to the commands for scripts.
XDG_CONFIG_HOME=$tmp/cfg-clerk1 expect_rc 2 "$desk" console </dev/null
has 'needs a terminal'
