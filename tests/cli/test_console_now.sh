#!/usr/bin/env bash
# test_console_now.sh BIN_DIR CERT_DIR - "needs me now" on the board
# (issue 16): a work order dispatched with nobody on site counts down to
# D3's deadline (20 minutes, 15 s here) and turns into an alert; the desk
# acks it from its board and it is gone from the supervisor's board too;
# "engineer arrived" taken from the board clears the order from both; a
# bad time typed into a form is refused on its line as it is left, and
# nothing done; under zh_CN the columns after a Chinese unit line up with their
# headings by display width.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

# left SESSION KIND-LABEL: the countdown of the item's row, in seconds
# (m:ss; a minus sign is late).
left() {
  screen "$1" | awk -v k="$2" 'index($0, k) && $1 ~ /^-?[0-9]+:[0-9][0-9]$/ {
    s = $1; neg = sub(/^-/, "", s); split(s, p, ":");
    print (neg ? -1 : 1) * (p[1] * 60 + p[2]); exit }'
}
# display_col SESSION TEXT: the display column where TEXT first starts on
# the screen (a CJK character is two columns).
display_col() {
  screen "$1" | python3 -c '
import sys, unicodedata
t = sys.argv[1]
for line in sys.stdin:
    i = line.find(t)
    if i >= 0:
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))
        break' "$2"
}

start_deskd --clock repair.no_engineer=15s --clock repair.no_engineer.warn=0 \
  --clock repair.no_engineer.escalate=1h --clock repair.no_engineer.repeat=1h
add_users clerk:clerk1 supervisor:lead1
login_desk clerk1
login_desk lead1
board clerk1 desk1
board lead1 lead zh_CN.UTF-8 --all-posts
wait_screen 10 desk1 '^online'
wait_screen 10 lead '^在线'
wait_screen 5 desk1 'Nothing needs you now'

as clerk1 "$desk" repair new --unit 东区3栋1201 --name "王女士" --phone 13800000000 \
  --kind repair --text "厨房水管爆裂" --visit-at +1h >/dev/null
as clerk1 "$desk" repair dispatch 1 >/dev/null
# D3's clock on both boards, counting down.
wait_screen 3 desk1 'no engineer yet +D3 +repair:1 +东区3栋1201 厨房水管爆裂  138\*\*\*\*0000'
wait_screen 3 lead '工程未到场 +D3 +repair:1 '
a=$(left desk1 'no engineer yet')
sleep 2.2
b=$(left desk1 'no engineer yet')
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -le 15 ] && [ "$b" -lt "$a" ] ||
  fail "no countdown to the deadline ($a, then $b): $(screen desk1)"

# zh_CN: after the Chinese unit, the title starts under its heading.
[ "$(display_col lead '内容、电话')" = "$(display_col lead '厨房水管爆裂')" ] ||
  fail "the title is not under its heading: $(screen lead)"
[ "$(display_col lead '记录')" = "$(display_col lead 'repair:1')" ] ||
  fail "the record is not under its heading: $(screen lead)"

# The deadline: an alert on both boards, late.
wait_screen 20 desk1 '^-0:[0-9]{2} +alert +D3 +repair:1 '
wait_screen 3 lead '^-0:[0-9]{2} +告警 +D3 +repair:1 '
wait_screen 3 desk1 'ALERT +repair:1 '
screen desk1 | grep -qE '^-[0-9]+:[0-9]{2} +no engineer yet' ||
  fail "the order is not shown late: $(screen desk1)"

# The desk acks it from its board: / picks the alert, Enter, a, a note.
keys desk1 / alert Enter
wait_screen 3 desk1 'Needs me now \(1\) ==  filter: alert'
keys desk1 Enter
wait_screen 3 desk1 '\[a\] ack the alert .*\[e\] engineer arrived'
keys desk1 a
wait_screen 3 desk1 '^Note \(may be empty\):'
keys desk1 '已联系工程部' Enter
wait_screen 5 desk1 'done: alert [0-9]+ taken by clerk1'
# Gone from the supervisor's board as from the desk's; the order stays.
wait_gone 5 lead '告警 +D3 +repair:1 '
wait_gone 5 desk1 'alert +D3 +repair:1 '
screen lead | grep -qE '工程未到场 +D3 +repair:1 ' || fail "the order left the board with its alert: $(screen lead)"

# A form's bad time: the CLI's refusal, nothing done.
keys desk1 / C-u Enter
wait_screen 3 desk1 'Needs me now \(1\) ==$'
keys desk1 Enter
wait_screen 3 desk1 '\[c\] call to the owner'
keys desk1 c
wait_screen 3 desk1 '^What the owner was told:'
keys desk1 '工程师马上到' Enter
wait_screen 3 desk1 '^Engineer expected at'
keys desk1 'soon' Enter
wait_screen 5 desk1 "^Engineer expected at .*: soon  \[not a time: HH:MM or \+30m\]"
keys desk1 Escape
wait_screen 3 desk1 '^cancelled'
as clerk1 "$desk" repair show 1 >"$tmp/out"
grep -q 'owner called' "$tmp/out" && fail "the refused call was recorded: $(cat "$tmp/out")"

# The engineer arrives, recorded from the board: off both boards.
keys desk1 Enter
wait_screen 3 desk1 '\[e\] engineer arrived'
keys desk1 e
wait_screen 3 desk1 '^Engineer \(empty: as dispatched\):'
keys desk1 Enter
wait_screen 5 desk1 'done: '
wait_screen 5 desk1 'Nothing needs you now'
wait_gone 5 lead '工程未到场 +D3 +repair:1'
keys desk1 q
keys lead q
