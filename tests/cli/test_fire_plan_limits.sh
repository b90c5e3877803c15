#!/usr/bin/env bash
# test_fire_plan_limits.sh BIN_DIR CERT_DIR - a plan whose tasks within
# the horizon deskd makes ahead ([fire] horizon, 7d) would be more than
# 20,000 (every 30 s or more often) is refused, saying why, with nothing
# stored: before, every 1s made 20,000 tasks and refilled every second
# (tens of MB a second) until the week was made.  A plan for a role that
# may not record its tasks (an engineer: TaskRecord is a register write)
# is refused too: every task of it would only alert.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue

expect_rc 1 as sue "$desk" plan add --title 值班检查 --what check --every 1s
has "every: '1s' makes more than 20000 tasks in the 168 h deskd makes ahead"
expect_rc 1 as sue "$desk" plan add --title 值班检查 --what check --every 30s
has "every: '30s' makes more than 20000 tasks"
expect_rc 0 as sue "$desk" plan list
hasnt 值班检查
expect_rc 0 as wang "$desk" tasks --limit 1000
hasnt 值班检查

expect_rc 1 as sue "$desk" plan add --title 消防泵启动 --what check \
  --every monthly --role engineer
has "role: an engineer may not record fire-safety tasks"
expect_rc 0 as sue "$desk" plan list
hasnt 消防泵启动

# Every minute is 10,080 tasks for the week: taken, all made at once.
expect_rc 0 as sue "$desk" plan add --title 值班检查 --what check --every 1m
expect_rc 0 as wang "$desk" tasks --due
has 值班检查

stop_deskd
deskd_verify
