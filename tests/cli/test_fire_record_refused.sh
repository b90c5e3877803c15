#!/usr/bin/env bash
# test_fire_record_refused.sh BIN_DIR CERT_DIR - a TaskRecord refused
# leaves nothing stored: a round's first points are not stamped, and an
# abnormal one opens no hazard, when a later point is unknown, twice in
# the request, when --done is refused for a point with no result, or when
# what was found is longer than a hazard's description holds; the
# refusal says which point and why; then the same round records.  An
# inspection re-checks a hazard once, by either of its names (G1).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue

for p in P-01:变配电室 P-02:水泵房 P-03:电梯机房; do
  expect_rc 0 as wang "$desk" checkpoint add --code "${p%%:*}" \
    --location "${p#*:}"
done
expect_rc 0 as sue "$desk" plan add --title 重点部位巡查 --what round \
  --every 2h --points P-01,P-02,P-03
expect_rc 0 as wang "$desk" tasks --due
t=$(awk '/重点部位巡查/ { print $1 }' "$tmp/out")
[ -n "$t" ] || fail "no task due: $(cat "$tmp/out")"

# Nothing of a refused request is stored: no point stamped, no hazard.
nothing_stored() {
  expect_rc 0 as wang "$desk" checkpoint list --json
  hasnt '"last_check_ms":[1-9]'
  expect_rc 0 as wang "$desk" register hazard list --json
  hasnt '"description"'
  expect_rc 0 as wang "$desk" task show "$t" --json
  has '"state":"open"'
  hasnt '"code":"P-0'
}

expect_rc 1 as wang "$desk" task record "$t" --abnormal P-01=门锁损坏 P-02 P-09
has "'P-09' is not a point of this round"
nothing_stored
expect_rc 1 as wang "$desk" task record "$t" --abnormal P-01=门锁损坏 P-02 P-02
has "'P-02' is recorded already"
nothing_stored
expect_rc 1 as wang "$desk" task record "$t" --abnormal P-01=门锁损坏 P-02 \
  --done
has "is not done: 'P-03' has no result"
nothing_stored
# 100 characters of Chinese are 300 bytes: more than a hazard holds.
long=$(printf '配电柜门锁损坏需更换%.0s' $(seq 10))
expect_rc 1 as wang "$desk" task record "$t" P-01 --abnormal "P-02=$long"
has "'P-02' opens a hazard, refused: description: 300 bytes, the limit is 256"
nothing_stored

# The same round, recorded right, records every point and the hazard.
expect_rc 0 as wang "$desk" task record "$t" --abnormal P-01=门锁损坏 P-02 P-03
has "hazard [0-9]* opened"
has "fire-task $t done"
expect_rc 0 as wang "$desk" register hazard list --json
has '"description":"门锁损坏"'

# G1: hazard:ID and its notice number are one hazard: re-checked once.
hz=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$tmp/out" | head -1)
no=$(sed -n 's/.*"notice_no":"\([^"]*\)".*/\1/p' "$tmp/out" | head -1)
[ -n "$hz" ] && [ -n "$no" ] || fail "hazard: $(cat "$tmp/out")"
expect_rc 0 as sue "$desk" plan add --title 月度检查 --what inspection \
  --every monthly
expect_rc 0 as wang "$desk" tasks --due
it=$(awk '/月度检查/ { print $1 }' "$tmp/out")
expect_rc 1 as wang "$desk" task record "$it" "hazard:$hz" "$no"
has "hazard $hz ($no) is re-checked already in fire-task $it"
expect_rc 0 as wang "$desk" task record "$it" "hazard:$hz"
expect_rc 1 as wang "$desk" task record "$it" "$no"
has "hazard $hz ($no) is re-checked already"
expect_rc 0 as wang "$desk" task record "$it" --done
has "fire-task $it done"

stop_deskd
deskd_verify
