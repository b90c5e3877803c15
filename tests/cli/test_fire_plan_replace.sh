#!/usr/bin/env bash
# test_fire_plan_replace.sh BIN_DIR CERT_DIR - a plan replaced while its
# task for the window now is open (or done) keeps that task, and the new
# version takes over at the old plan's next window: never two tasks for
# one window (one of them sure to alert), nor a month's duty done once
# made due again.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue

expect_rc 0 as wang "$desk" checkpoint add --code P-01 --location 变配电室
expect_rc 0 as wang "$desk" checkpoint add --code P-02 --location 水泵房
expect_rc 0 as sue "$desk" plan add --title 重点部位巡查 --what round \
  --every 2h --points P-01,P-02
round=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" tasks --due
t1=$(awk '/重点部位巡查/ { print $1 }' "$tmp/out")
expect_rc 0 as wang "$desk" patrol "$t1" P-01
expect_rc 0 as wang "$desk" task show "$t1" --json
t1_due=$(sed -n 's/.*"due_ms":\([0-9]*\).*/\1/p' "$tmp/out")

# The round half walked stands; the new version's first round is the
# old one's next.
expect_rc 0 as sue "$desk" plan replace "$round" --points P-01
v2=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" tasks --due
[ "$(grep -c 重点部位巡查 "$tmp/out")" -eq 1 ] ||
  fail "two rounds due at once: $(cat "$tmp/out")"
has "^$t1 "
expect_rc 0 as wang "$desk" tasks --limit 1000 --json
first=$(grep "\"plan\":$v2," "$tmp/out" | sed -n 's/.*"opens_ms":\([0-9]*\).*/\1/p' |
  sort -n | head -1)
[ "$first" = "$t1_due" ] || fail "v2 opens at $first, not at $t1_due"
expect_rc 0 as wang "$desk" patrol "$t1" P-02
has "fire-task $t1 done"

# A monthly check done this month is not due again for it when replaced.
expect_rc 0 as sue "$desk" plan add --title 服务大厅闭店检查 --what check \
  --every monthly
monthly=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" tasks --due
m1=$(awk '/服务大厅闭店检查/ { print $1 }' "$tmp/out")
expect_rc 0 as wang "$desk" task record "$m1" --done
expect_rc 0 as sue "$desk" plan replace "$monthly" --window 7d
expect_rc 0 as wang "$desk" tasks --due
hasnt 服务大厅闭店检查

stop_deskd
deskd_verify
