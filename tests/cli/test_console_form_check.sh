#!/usr/bin/env bash
# test_console_form_check.sh BIN_DIR CERT_DIR - the board's forms check
# each field as it is left, and say why on the field's own line (issue 16,
# "forms ... with the unit looked up in the archive as it is typed"): a
# unit not in the archive, a required field left empty, a name too long
# for deskd, a phone that is not a phone; Enter stays on a field that will
# not do; sent with a bad field (left with Down), the form stays with
# what was typed and nothing is recorded; mended, it is sent.  Under zh_CN
# the reasons are Chinese.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:clerk1 clerk:clerk2 supervisor:lead1
for u in 3-2-1201 3-2-1202 5-1-0101; do
  as lead1 "$desk" unit add "$u" >/dev/null
done
login_desk clerk1
login_desk clerk2
board clerk1 en
board clerk2 zh zh_CN.UTF-8
wait_screen 10 en '^online'
wait_screen 10 zh '^在线'

keys en n
wait_screen 3 en '^== new complaint =='
# A unit the archive does not have: said on its line, and Enter stays.
keys en 3-2-1299 Enter
wait_screen 3 en '^Unit: 3-2-1299  \[no unit 3-2-1299 in the archive\]$'
keys en BSpace BSpace 0 1 Enter
wait_screen 3 en '^Unit: 3-2-1201$'
# Required, left empty; too long for deskd (64 bytes: 22 characters of
# Chinese are 66).
keys en Enter
wait_screen 3 en '^Complainant: +\[must be filled in\]$'
keys en '一二三四五六七八九十一二三四五六七八九十一二' Enter
wait_screen 3 en '^Complainant: .*\[too long: at most 64 letters or 21 Chinese characters\]$'
keys en C-u '李先生' Enter
wait_screen 3 en '^Complainant: 李先生$'
# Not a phone: said, and left anyway (Down); the rest typed.
keys en 12ab Enter
wait_screen 3 en '^Phone: 12ab  \[not a phone number: 5 to 15 digits \(\+, spaces and dashes allowed\)\]$'
keys en Down noise Enter '电梯停运' Enter
wait_screen 3 en '^What they ask for'
# Sent with the bad phone: the form stays, on the phone, nothing recorded.
keys en Enter
sleep 0.3
wait_screen 3 en '^Phone: 12ab  \[not a phone'
screen en | grep -q '^What happened: 电梯停运$' || fail "the form lost what was typed: $(screen b)"
expect_rc 0 as clerk1 "$desk" complaint list
hasnt '电梯停运'
# Mended where the cursor is, sent.
keys en C-u 13900000000 Enter Enter Enter Enter
wait_screen 5 en '^done: 1$'
expect_rc 0 as clerk1 "$desk" complaint show 1
has '电梯停运'

# zh_CN: the work order's form, its reasons in Chinese.
keys zh w
wait_screen 3 zh '^单元：'
keys zh Enter
wait_screen 3 zh '^单元： +\[必填\]$'
keys zh 3-2-1299 Enter
wait_screen 3 zh '^单元：3-2-1299  \[单元 3-2-1299 不在档案中\]$'
keys zh C-u 5-1-0101 Enter '赵女士' Enter 电话13 Enter
wait_screen 3 zh '^电话：电话13  \[不是电话号码'
keys zh Escape
wait_screen 3 zh '^已取消'
keys en q
keys zh q
