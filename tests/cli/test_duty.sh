#!/usr/bin/env bash
# test_duty.sh BIN_DIR CERT_DIR - a month of duty through the desk CLI
# (A1, A3, A8, B1, B3, B7, B9): deskd's clock is moved (--now-offset) to
# 2031-03-15 10:00 in Asia/Shanghai, inside wang's morning shift of a
# published March.  A clerk's swap, accepted by the other clerk and approved
# by the supervisor, publishes a new schedule version; a leave for a past
# shift is refused; nobody approves their own request; a 5-hour stand-in is
# refused (A8: at most 4 hours).  The duty log: an entry, the day signed by
# the supervisor once only and only after the day (B7), the director's spot
# check (B9).  wang clocks in and out (once), and the attendance report
# shows the row.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

# 2031-03-15 10:00 in Shanghai is 02:00 UTC.
target=$(( $(date -u -d '2031-03-15 02:00:00' +%s) * 1000 ))
offset=$(( target - $(date +%s%3N) ))

start_deskd --now-offset "${offset}ms"
add_users clerk:wang clerk:li clerk:zhao supervisor:sue director:dan

# March 2031, published: wang mornings, li evenings, zhao nights, but the
# supervisor sue takes the night of the 25th.
for d in $(seq -w 1 31); do
  night=zhao; [ "$d" = 25 ] && night=sue
  printf '2031-03-%s,morning,front,wang\n2031-03-%s,evening,front,li\n2031-03-%s,night,front,%s\n' \
    "$d" "$d" "$d" "$night"
done > "$tmp/mar.csv"
expect_rc 0 as sue "$desk" schedule import "$tmp/mar.csv" --month 2031-03
expect_rc 0 as sue "$desk" schedule publish --month 2031-03
grep -q "version 1 (published)" "$tmp/out" || fail "publish: $(cat "$tmp/out")"

# A3: wang swaps the morning of the 20th for li's evening of the 21st.
expect_rc 0 as wang "$desk" request swap --with li --date 2031-03-20 --shift morning \
  --their-date 2031-03-21 --their-shift evening --reason "家里有事"
swap=$(cat "$tmp/out")
[[ "$swap" =~ ^[0-9]+$ ]] || fail "swap: no request id: $swap"
expect_rc 0 as wang "$desk" request show "$swap"
grep -q "swap, pending" "$tmp/out" || fail "show: $(cat "$tmp/out")"
# Nobody approves a request of their own, not even a supervisor (A3).
expect_rc 0 as sue "$desk" request leave --date 2031-03-25 --shift night --reason "体检"
own=$(cat "$tmp/out")
expect_rc 4 as sue "$desk" request approve "$own"
grep -q "nobody approves or rejects their own request" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 4 as li "$desk" request approve "$swap"
# A3: li's evening is given away too: li accepts before sue decides.
expect_rc 1 as sue "$desk" request approve "$swap"
grep -q "the swap waits for li to accept it" "$tmp/err" || fail "approve unaccepted: $(cat "$tmp/err")"
expect_rc 4 as zhao "$desk" request accept "$swap"
expect_rc 0 as li "$desk" request accept "$swap"
grep -q "^accepted" "$tmp/out" || fail "accept: $(cat "$tmp/out")"
expect_rc 0 as sue "$desk" request approve "$swap"
grep -q "swap, approved" "$tmp/out" && grep -Eq "^published +2$" "$tmp/out" ||
  fail "approve: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" schedule history --month 2031-03
grep -q "version 1 (superseded)" "$tmp/out" && grep -q "version 2 (published)" "$tmp/out" ||
  fail "history: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" schedule show --month 2031-03 --mine
grep -Eq "2031-03-21 +evening .* wang$" "$tmp/out" || fail "--mine after swap: $(cat "$tmp/out")"
grep -q "2031-03-20 *morning" "$tmp/out" && fail "wang still on 03-20 morning"
# Without --month a read is of the server's current month (2031-03).
expect_rc 0 as wang "$desk" schedule show --mine
grep -Eq "^2031-03 version 2" "$tmp/out" && grep -Eq "2031-03-21 +evening .* wang$" "$tmp/out" ||
  fail "show --mine, no month: $(cat "$tmp/out")"
# A3: a leave for a shift that is over is refused.
expect_rc 1 as wang "$desk" request leave --date 2031-03-14 --shift morning --reason "补假" --cover li
grep -q "the morning shift of 2031-03-14 is over" "$tmp/err" || fail "past leave: $(cat "$tmp/err")"
# A8: a stand-in lasts at most 4 hours.
expect_rc 1 as li "$desk" request standin --for wang --from "2031-03-16 08:00" \
  --to "2031-03-16 13:00" --reason "替班"
grep -q "a stand-in lasts at most 4 hours (A8)" "$tmp/err" || fail "standin: $(cat "$tmp/err")"

# B3, B7: the duty log, signed once by the team lead.
expect_rc 0 as wang "$desk" log add "大堂灯坏一盏，已报工程部"
expect_rc 0 as wang "$desk" log show
grep -Eq "2031-03-15 10:00 +morning +wang +大堂灯坏一盏" "$tmp/out" || fail "log show: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" log add --day 2031-03-14 "补记: 14日巡查正常"
expect_rc 4 as wang "$desk" log sign --day 2031-03-14
# Today's evening and night shifts are still to come (B7).
expect_rc 1 as sue "$desk" log sign --day 2031-03-15
grep -q "is not over: sign it after its last shift ends at 2031-03-16 00:00" "$tmp/err" ||
  fail "sign today: $(cat "$tmp/err")"
expect_rc 0 as sue "$desk" log sign --day 2031-03-14
grep -q "sue at 2031-03-15 10:00, 1 entry" "$tmp/out" || fail "sign: $(cat "$tmp/out")"
expect_rc 1 as sue "$desk" log sign --day 2031-03-14
grep -q "already signed by sue (B7)" "$tmp/err" || fail "sign twice: $(cat "$tmp/err")"
expect_rc 1 as sue "$desk" log sign --day 2031-03-16
grep -q "has not begun" "$tmp/err" || fail "sign tomorrow: $(cat "$tmp/err")"
# B9: the director draws the spot check of a month that is over, once.
expect_rc 4 as sue "$desk" spotcheck draw --month 2031-03
expect_rc 1 as dan "$desk" spotcheck draw --month 2031-03
grep -q "2031-03 is not over: draw its spot check after its last shift ends at 2031-04-01 00:00" "$tmp/err" ||
  fail "draw early: $(cat "$tmp/err")"
for d in 03 11 17 26; do
  expect_rc 0 as wang "$desk" log add --day "2031-02-$d" "补记: 巡查正常"
done
expect_rc 0 as dan "$desk" spotcheck draw --month 2031-02
grep -q "spot check 2031-02: 1 of 4 days drawn" "$tmp/out" || fail "draw: $(cat "$tmp/out")"
expect_rc 1 as dan "$desk" spotcheck draw --month 2031-02
expect_rc 0 as dan "$desk" spotcheck report --month 2031-02
grep -Eq "^drawn +2031-02-(03|11|17|26)" "$tmp/out" || fail "report: $(cat "$tmp/out")"

# A1, B1: wang's morning shift (08:00-16:00) is under way.
expect_rc 0 as wang "$desk" clock in --note "地铁晚点"
grep -q "arrival *120 min late" "$tmp/out" || fail "clock in: $(cat "$tmp/out")"
expect_rc 1 as li "$desk" clock in
expect_rc 0 as wang "$desk" clock out
grep -Eq "^out +2031-03-15 10:00" "$tmp/out" || fail "clock out: $(cat "$tmp/out")"
expect_rc 1 as wang "$desk" clock out
grep -q "not clocked in" "$tmp/err" || fail "clock out twice: $(cat "$tmp/err")"
expect_rc 0 as sue "$desk" attendance report --month 2031-03 --csv
head -1 "$tmp/out" | grep -q "^user,scheduled,worked,late,late_min,absent" || fail "csv: $(cat "$tmp/out")"
grep -q "^wang,31,1,1,120,14,0,1,0,0$" "$tmp/out" || fail "csv: no wang row: $(cat "$tmp/out")"
grep -q "^li,31,0,0,0,14,0,1,0,0$" "$tmp/out" || fail "csv: no li row: $(cat "$tmp/out")"
# A1: the month is submitted once its shifts up to the 24th are over.
expect_rc 1 as sue "$desk" attendance submit --month 2031-03
grep -q "from 2031-03-25 00:00 (A1)" "$tmp/err" || fail "submit early: $(cat "$tmp/err")"
# A desk sees its own row only (lateness and leave are personal).
expect_rc 0 as wang "$desk" attendance report --month 2031-03 --csv
grep -q "^wang,31,1,1,120,14,0,1,0,0$" "$tmp/out" || fail "own row: $(cat "$tmp/out")"
! grep -q "^li," "$tmp/out" || fail "a clerk read li's row: $(cat "$tmp/out")"

stop_deskd
deskd_verify
echo "1 passed, 0 failed"
