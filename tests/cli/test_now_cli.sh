#!/usr/bin/env bash
# test_now_cli.sh BIN_DIR CERT_DIR - `desk now` (issue 16) as desks type it: a
# clerk's complaint is on their own list with its 2 h (C2), the unit and
# the masked phone, its long text cut with "…" to the column; another
# clerk's list does not have it; a supervisor sees it with --all-posts; a
# repair with no engineer on site (D3, 2 s here) counts down, then is late
# and becomes an alert on the desk's list, never the director's; a fire
# round due now (G2) is there, the rounds to come not.  In Chinese under
# zh_CN; --json is the server's reply.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd --clock repair.no_engineer=2s --clock repair.no_engineer.warn=0
add_users clerk:wang clerk:zhou supervisor:li director:zhao
long=业主反映楼上装修噪音严重晚上十点以后仍在施工影响休息要求物业立即制止并给出处理结果
expect_rc 0 as wang "$desk" complaint new --unit 3-2-1201 --name 王女士 \
  --phone 13812345678 --text "$long" --category noise

expect_rc 0 as wang "$desk" now
has "complaint:1"
has "reply owed"
has "3-2-1201"
has "138\*\*\*\*5678"
hasnt "13812345678"
grep "complaint:1" "$tmp/out" | grep -Eq "in (1h5[0-9]m|2h00m)" ||
  fail "no 2 h countdown: $(cat "$tmp/out")"
grep "complaint:1" "$tmp/out" | grep -q "…" || fail "the long text is not cut with …"
grep "complaint:1" "$tmp/out" | grep -q "$long" && fail "the long text is not cut"
has "DUE"
has "times in Asia/Shanghai"
# The header says the clerk is on no post (no schedule here).
has "(not on duty)"

# Another desk's list does not carry wang's work; the supervisor's
# board of every post does, their own (on no post) not.
expect_rc 0 as zhou "$desk" now
hasnt "complaint:1"
has "Nothing needs you now."
expect_rc 0 as li "$desk" now --all-posts
has "complaint:1"
expect_rc 0 as li "$desk" now
hasnt "complaint:1"

# In Chinese: the kind, the countdown, the headings.
expect_rc 0 as wang env LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$desk" now
has "待回复"
has "还有"
has "期限"
hasnt "reply owed"

# --json: the reply itself.
expect_rc 0 as wang "$desk" now --json
jq -e '.items[] | select(.record == "complaint:1" and .kind == "complaint.reply"
  and .rule == "C2" and .phone == "138****5678")' "$tmp/out" >/dev/null ||
  fail "--json: $(cat "$tmp/out")"
jq -e '.tz == "Asia/Shanghai" and .role == "clerk" and .user == "wang"' \
  "$tmp/out" >/dev/null || fail "--json header: $(cat "$tmp/out")"

# D3: dispatched, counting down; 2 s later late, and an alert for the desk.
expect_rc 0 as wang "$desk" repair new --unit 5-1-0302 --name 李先生 \
  --phone 13912345678 --kind repair --text 厨房水管爆裂 --visit-at +1h
expect_rc 0 as wang "$desk" repair dispatch 1
expect_rc 0 as wang "$desk" now
grep "repair:1" "$tmp/out" | grep -q "no engineer yet" || fail "no D3 item: $(cat "$tmp/out")"
for _ in $(seq 100); do
  expect_rc 0 as wang "$desk" now
  grep "repair:1" "$tmp/out" | grep -q " alert " && break
  sleep 0.1
done
grep "repair:1" "$tmp/out" | grep "no engineer yet" | grep -q "late " ||
  fail "the D3 item is not late: $(cat "$tmp/out")"
grep "repair:1" "$tmp/out" | grep " alert " | grep " D3 " | grep -q "139\*\*\*\*5678" ||
  fail "no alert item with its rule and masked phone: $(cat "$tmp/out")"
expect_rc 0 as zhao "$desk" now
hasnt "repair:1"

# G2: a fire-safety round due now is on the desk's list, by its window's end.
expect_rc 0 as wang "$desk" checkpoint add --code P-01 --location 变配电室
expect_rc 0 as li "$desk" plan add --title 重点部位巡查 --what round --every 2h \
  --points P-01
expect_rc 0 as wang "$desk" now
grep "task due" "$tmp/out" | grep " G2 " | grep -q "重点部位巡查" ||
  fail "no fire task: $(cat "$tmp/out")"
[ "$(grep -c "重点部位巡查" "$tmp/out")" -eq 1 ] || fail "tasks not yet open listed: $(cat "$tmp/out")"

# Bad input: a clear usage, nothing asked.
expect_rc 2 as wang "$desk" now --bogus
expect_rc 2 as wang "$desk" now extra
stop_deskd
deskd_verify
echo "1 passed, 0 failed"
