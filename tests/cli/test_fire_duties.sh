#!/usr/bin/env bash
# test_fire_duties.sh BIN_DIR CERT_DIR - the recurring fire-safety duties
# (G1, G2, G4) as the desks and their supervisor work them: a supervisor
# plans a patrol round every 2 hours (a clerk may not; bad plans are
# refused); deskd makes its tasks ahead; a clerk walks the round point by
# point, an abnormal point opens a hazard in the same step, a round walked
# too fast is flagged to the supervisor; a task is recorded once and not
# before its window; a round not done in its window is an alert that
# escalates, and done late it says how late; an equipment test refuses
# equipment it does not know; an inspection re-checks every hazard not
# closed (G1); a plan replaced is a new version and its tasks to come go;
# the month's detector rotation (G4); and the log verifies.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd --clock fire.task_due.escalate=1s
add_users clerk:wang clerk:li supervisor:sue
watch_as sue --since 0

expect_rc 0 as wang "$desk" checkpoint add --code P-01 --location 变配电室
expect_rc 0 as wang "$desk" checkpoint add --code P-02 --location 水泵房
expect_rc 0 as wang "$desk" checkpoint add --code P-03 --location 电梯机房

# Plans are the supervisor's; a bad one is refused, nothing stored.
plan() { as sue "$desk" plan add "$@"; }
expect_rc 4 as wang "$desk" plan add --title 巡查 --what round --every 2h \
  --points P-01,P-02
has "may not set the fire-safety plans"
expect_rc 1 plan --title 巡查 --what round --every 0h --points P-01
has "every: '0h'"
expect_rc 1 plan --title 巡查 --what round --every -2h --points P-01
has "every: '-2h'"
expect_rc 1 plan --title 巡查 --what round --every 2h --window 3h --points P-01
has "longer than the duty's interval"
expect_rc 1 plan --title 巡查 --what round --every 2h --points P-01,P-09
has "no check point 'P-09'"
expect_rc 1 plan --title 巡查 --what round --every 2h
has "a round needs its check points"
expect_rc 1 plan --title 消防泵 --what equipment --every monthly \
  --equipment-type bucket
has "'bucket' is not fire equipment"
expect_rc 1 plan --title 演练 --what drill --every "before 2020-01-01"
has "is past"
expect_rc 0 as sue "$desk" plan list
hasnt "巡查"

# G2: the key round every 2 hours, 24 hours a day: 84 tasks for the week.
expect_rc 0 plan --title 重点部位巡查 --what round --every 2h \
  --points P-01,P-02,P-03 --min-walk 10m
round=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" tasks --limit 1000
[ "$(grep -c 重点部位巡查 "$tmp/out")" -eq 84 ] || fail "tasks: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" tasks --due --mine
[ "$(grep -c 重点部位巡查 "$tmp/out")" -eq 1 ] || fail "due: $(cat "$tmp/out")"
t1=$(awk '/重点部位巡查/ { print $1 }' "$tmp/out")
t2=$((t1 + 1))

# Point by point; a point not in the round, or recorded twice, is refused.
expect_rc 0 as wang "$desk" patrol "$t1" P-01
has "1 of 3 points recorded"
expect_rc 1 as wang "$desk" patrol "$t1" P-07
has "'P-07' is not a point of this round"
expect_rc 1 as wang "$desk" patrol "$t1" P-01
has "'P-01' is recorded already"
# An abnormal point opens a hazard in the same step (G3); the scanner's
# lines: CODE, or CODE !what was found.
printf 'P-02 !配电柜门锁损坏\nP-03\n' | as wang "$desk" patrol "$t1" \
  > "$tmp/out" 2>&1 || fail "scanner: $(cat "$tmp/out")"
has "hazard [0-9]* opened"
has "done, walked too fast: flagged (G2)"
hz=$(sed -n 's/^hazard \([0-9]*\) opened.*/\1/p' "$tmp/out")
wait_for 5 "hazard.found"
wait_for 5 "fire-task.done"
expect_rc 0 as wang "$desk" register hazard show "$hz"
has "配电柜门锁损坏"
has "水泵房"
has "fire-task:$t1 P-02"
expect_rc 0 as sue "$desk" alerts --open
has "fire-task:$t1"
has "round walked too fast"
# Recorded once; the next round not before its window.
expect_rc 1 as li "$desk" patrol "$t1" P-01
has "fire-task $t1 is done by wang: it is recorded once"
expect_rc 1 as wang "$desk" patrol "$t2" P-01
has "fire-task $t2 opens at"

# G2: a round not done in its window is an alert to the desk, then the
# supervisor; done late, it says how late.
expect_rc 0 plan --title 夜间巡查 --what round --every 1h --window 2s \
  --points P-01
expect_rc 0 as wang "$desk" tasks --due
late=$(awk '/夜间巡查/ { print $1 }' "$tmp/out")
wait_for 10 "alert.raised .*fire-task:$late"
wait_for 10 "alert.escalated .*fire-task:$late"
expect_rc 0 as wang "$desk" patrol "$late" P-01
has "done, late by [0-9]* s"
expect_rc 0 as wang "$desk" task show "$late"
has "late seconds"

# G4: a test of equipment names items of its type in service.
expect_rc 0 as wang "$desk" equipment add --code PUMP-1 --type pump \
  --location B1
expect_rc 0 plan --title 消防泵启动 --what equipment --every monthly \
  --equipment-type pump
expect_rc 0 as wang "$desk" tasks --due
pt=$(awk '/消防泵启动/ { print $1 }' "$tmp/out")
expect_rc 1 as wang "$desk" task record "$pt" PUMP-9
has "no pump 'PUMP-9' in service"
expect_rc 0 as wang "$desk" task record "$pt" --abnormal "PUMP-1=启动后压力不足" \
  --done
has "fire-task $pt done"
has "hazard [0-9]* opened"
expect_rc 0 as wang "$desk" equipment show 1
has "启动后压力不足"
# A failed test at the register opens a hazard too (G3).
expect_rc 0 as wang "$desk" equipment fail 1 --result 水泵无法启动
wait_for 5 "fire-equipment.failed"
expect_rc 0 as wang "$desk" register hazard list --open --json
has '"description":"水泵无法启动".*"origin":"fire-equipment:1"'

# G1: the inspection re-checks every hazard not yet closed.
expect_rc 0 plan --title 月度检查 --what inspection --every monthly
expect_rc 0 as wang "$desk" tasks --due
it=$(awk '/月度检查/ { print $1 }' "$tmp/out")
expect_rc 1 as wang "$desk" task record "$it" --done
has "is not done: '"
expect_rc 0 as wang "$desk" register hazard list --open
for h in $(awk 'NR > 1 { print $1 }' "$tmp/out"); do
  expect_rc 0 as wang "$desk" task record "$it" "hazard:$h"
done
expect_rc 0 as wang "$desk" task record "$it" --done
has "fire-task $it done"

# A plan changed is a new version; the old one stays readable, its tasks
# to come go.
expect_rc 0 as sue "$desk" plan replace "$round" --points P-01,P-02
v2=$(cat "$tmp/out")
expect_rc 0 as sue "$desk" plan show "$round"
has "replaced"
expect_rc 0 as sue "$desk" plan show "$v2"
grep -Eq "^version +2$" "$tmp/out" || fail "v2: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" task show "$t2"
grep -Eq "^fire-task $t2 +void$" "$tmp/out" || fail "t2: $(cat "$tmp/out")"

# An office loads its check points from a spreadsheet: once by ref.
cat > "$tmp/points.csv" <<'CSV'
ref,code,location,kind
cp-1,P-11,2号楼 变配电室,key-location
cp-2,P-12,2号楼 水泵房,key-location
CSV
expect_rc 0 as wang "$desk" import --kind checkpoint "$tmp/points.csv"
has "imported 2, skipped 0 as duplicates, rejected 0"
expect_rc 0 as wang "$desk" import --kind checkpoint "$tmp/points.csv"
has "imported 0, skipped 2 as duplicates, rejected 0"
# Tasks are deskd's: not imported, not added.
expect_rc 1 as wang "$desk" register fire-task add --title x
has "made by deskd"

# G4: 24 detectors a year: 2 a month in rotation, the soonest due first;
# one last tested 13 months ago is overdue, and an alert.
for i in $(seq -w 1 24); do
  expect_rc 0 as wang "$desk" equipment add --code "SD-$i" --type detector \
    --location "${i}F"
done
expect_rc 0 as wang "$desk" equipment add --code SD-99 --type detector \
  --location 25F --tested-before "$(date -d '13 months ago' '+%Y-%m-%d %H:%M')"
expect_rc 0 as wang "$desk" equipment due --type detector
has "3 of 25 items due"
grep -Eq "^SD-99 .*OVERDUE$" "$tmp/out" || fail "due: $(cat "$tmp/out")"
wait_for 10 "alert.raised .*raised fire-equipment:[0-9]* fire equipment has run past its test interval"

stop_deskd
deskd_verify
