#!/usr/bin/env bash
# The README's walk-through at a desk set to Chinese (issue 16): every
# command's output, prompts and refusals are Chinese.  A latin word left in
# what desk printed fails the test unless it is data the test itself typed
# (names, units, categories), a code (rule IDs, ALL-CAPS placeholders such
# as FILE, words with digits), a flag, or one of the few names kept as
# they are (desk, TLS, JSON, ...).
source "$(dirname "$0")/lib.sh" "$@"
export TZ=Asia/Shanghai
start_deskd
add_users clerk:clerk1 supervisor:lead1 director:boss1 engineer:eng1
zh() { (export LANG=zh_CN.UTF-8; unset LC_ALL LC_MESSAGES LANGUAGE; "$@"); }
all=$tmp/all
: > "$all"
# run RC COMMAND...: as expect_rc, in Chinese, keeping what it printed
run() { local rc=$1; shift; expect_rc "$rc" zh "$@"; cat "$tmp/out" "$tmp/err" >> "$all"; }

XDG_CONFIG_HOME=$tmp/cfg-admin run 0 "$desk" user add wangfang --name 王芳 \
  --role clerk --password-file "$(pwfile wangfang)"
XDG_CONFIG_HOME=$tmp/cfg-admin run 0 "$desk" user list
# A login names the role as the desk does (主管), not by its code.
XDG_CONFIG_HOME=$tmp/cfg-lead-login run 0 "$desk" login --user lead1 \
  --password-file "$(pwfile lead1)"
has '（主管）'
XDG_CONFIG_HOME=$tmp/cfg-admin run 2 "$desk" user add 王芳 --role clerk \
  --password-file "$(pwfile wangfang)"
has '--name'
run 0 as wangfang "$desk" complaint new --unit 3-2-1201 --name 王女士 \
  --phone 13800000000 --category noise --text 楼上装修噪音 --demand 限定施工时间
run 0 as wangfang "$desk" complaint list --open
has 王芳
run 0 as wangfang "$desk" complaint show 1
run 0 as wangfang "$desk" complaint valid 1
run 0 as wangfang "$desk" complaint reply 1 --text 已联系装修方 --next-reply-at +2h
# The history's summaries come with their codes (Event.summary_code):
# the server's English ("judged valid") is said in Chinese.
run 0 as wangfang "$desk" complaint history 1
has 'complaint.replied'
has '判定有效'
has '已回复：已联系装修方'
# desk watch and the board say the same summaries.
(export LANG=zh_CN.UTF-8; unset LC_ALL LC_MESSAGES LANGUAGE
 watch_as wangfang --since 0; echo "$wpid" > "$tmp/wpid")
wait_for 5 '已回复：已联系装修方' || fail "watch in Chinese: $(cat "$tmp/watch")"
# complaint.created's summary is data, its category a code the desk names.
grep -q '3-2-1201 王女士 \[噪音\] 楼上装修噪音' "$tmp/watch" ||
  fail "watch names the category by its code: $(cat "$tmp/watch")"
kill "$(cat "$tmp/wpid")"
cat "$tmp/watch" >> "$all"
run 1 as wangfang "$desk" complaint valid 99
run 4 as wangfang "$desk" fee set lock --price 35 --unit 次
run 0 as wangfang "$desk" now
run 0 as lead1 "$desk" alerts --open
run 1 as lead1 "$desk" handover show
run 0 as wangfang "$desk" repair new --unit 3-2-1201 --name 王女士 \
  --phone 13800000000 --kind repair --text 水管漏水
run 0 as wangfang "$desk" repair list
run 0 as wangfang "$desk" repair dispatch 1 --engineer eng1
run 0 as wangfang "$desk" repair arrive 1
run 0 as wangfang "$desk" repair history 1
has '已派工给 eng1'
has 'eng1 已到场'
# A register's summary names its kind as the desk does (a record's word).
run 0 as wangfang "$desk" visitor in --name 张三 --id-type 身份证 \
  --id-number 110101199001011234 --unit 3-2-1201 --purpose 探亲 --consent present
run 0 as wangfang "$desk" visitor history 1
has '访客 1'
for c in complaint repair handover alerts now user visitor key log; do
  run 0 "$desk" "$c" --help
done
run 2 "$desk" complaint new --bogus

# Codes are left out first: the command column of a help, a command line
# to type (desk ...), choices (a|b|c), event types (complaint.created);
# record kinds (complaint, repair), records (user:admin) and subcommands
# are codes too; the
# test's temp dir (random letters) is no word.
allowed=' desk deskd TLS CA JSON CSV PDF UTF Ctrl Tab Enter Esc
  admin Asia Shanghai wangfang lead boss clerk front employee 
  complaint repair new add done '
sed -E -e "s|$tmp||g" -e 's/^  +[a-z][a-z-]* +/  /' -e 's/desk( [a-z][a-z-]*)+//g' \
  -e 's/[A-Za-z_-]+(\|[A-Za-z_-]+)+//g' -e 's/[a-z_]+\.[a-z_.]+//g' \
  -e 's/[a-z_]+:[A-Za-z0-9_-]+//g' \
  "$all" > "$all.prose"
# Whole words only: the office's node (ab6d4b91) is a code, not "ab".
bad=$(grep -oP '(?<![-A-Za-z0-9_])[A-Za-z][a-z]+(?![A-Za-z0-9_])' "$all.prose" |
  sort -u | while read -r w; do
    case "$allowed" in *" $w "*) ;; *) echo "$w" ;; esac
  done)
[ -z "$bad" ] || fail "English left in the Chinese desk: $(echo $bad): $(grep -nwF "$(echo "$bad" | head -1)" "$all.prose" | head -5)"
echo ok
