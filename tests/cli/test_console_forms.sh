#!/usr/bin/env bash
# test_console_forms.sh BIN_DIR CERT_DIR - the board's forms (issue 16): a
# new work order typed at the board, its unit looked up in the owner
# archive as it is typed (the archive's units that start so, or none),
# recorded by the same `desk repair new` the command line runs, and then
# on the board; a new complaint with a category that does not exist is
# refused with deskd's message and nothing recorded, the form kept with
# what was typed.  The selection stays
# on its item when a sooner one comes in above it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:clerk1 supervisor:lead1
for u in 3-2-1201 3-2-1202 3-2-1301 5-1-0101; do
  as lead1 "$desk" unit add "$u" >/dev/null
done
login_desk clerk1
board clerk1 b
wait_screen 10 b '^online'

# w: the form; the unit is looked up as it is typed.
keys b w
wait_screen 3 b '^Unit:'
wait_screen 3 b "archive's units that start so"
keys b 3-2-1
wait_screen 3 b '^archive:  3-2-1201  3-2-1202  3-2-1301$'
keys b 2
wait_screen 3 b '^archive:  3-2-1201  3-2-1202$'
keys b 9
wait_screen 3 b '^no unit 3-2-129... in the archive'
keys b BSpace 0 1 Enter
wait_screen 3 b '^Owner:'
keys b '王女士' Enter
keys b 13800000000 Enter
keys b repair Enter
wait_screen 3 b '^What is to be done:'
keys b '卫生间漏水' Enter
wait_screen 3 b '^Visit at'
keys b +1h Enter
wait_screen 5 b '^done: 1$'
wait_screen 3 b 'new work order +repair:1 +3-2-1201 王女士 \[repair\] 卫生间漏水'
as clerk1 "$desk" repair show 1 >"$tmp/out"
grep -q '卫生间漏水' "$tmp/out" || fail "the order was not recorded: $(cat "$tmp/out")"

# n: a complaint of a category deskd does not know: refused, nothing kept.
keys b n
wait_screen 3 b '^Unit:'
keys b 5-1-0101 Enter
keys b '李先生' Enter
keys b 13900000000 Enter
wait_screen 3 b '^Category'
keys b nosuchthing Enter
keys b '电梯停运' Enter
wait_screen 3 b '^What they ask for'
keys b Enter
wait_screen 5 b '^not done: .*nosuchthing'
expect_rc 0 as clerk1 "$desk" complaint list
hasnt '电梯停运'
# The form stays, with what was typed, for another go; Esc leaves it.
screen b | grep -q '^What happened: 电梯停运$' &&
  screen b | grep -q '^Unit: 5-1-0101$' ||
  fail "the refused form lost what was typed: $(screen b)"
keys b Escape
wait_screen 3 b '^cancelled'
# The selection stays on the item chosen when the list moves under it: a
# sooner deadline (D3's 20 minutes before C2's 2 hours) comes in above.
c1=$(as clerk1 "$desk" complaint new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --category noise --text "楼上装修噪音" --demand "停工")
c2=$(as clerk1 "$desk" complaint new --unit 3-2-1202 --name "赵女士" --phone 13700000000 \
  --category noise --text "夜间施工" --demand "停工")
wait_screen 3 b "reply owed +C2 +complaint:$c2 "
keys b j
as clerk1 "$desk" repair dispatch 1 >/dev/null
wait_screen 3 b '^[0-9]+:[0-9]{2} +no engineer yet +D3 +repair:1 '
keys b Enter
wait_screen 3 b "^complaint:$c2 +\[r\] reply"
keys b Escape
screen b | grep -q "complaint:$c1" || fail "complaint $c1 is not on the board"
# Esc leaves a form with nothing sent.
keys b n
wait_screen 3 b '^Unit:'
keys b Escape
wait_screen 3 b '^cancelled'
keys b q
