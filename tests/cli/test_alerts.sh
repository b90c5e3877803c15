#!/usr/bin/env bash
# test_alerts.sh BIN_DIR CERT_DIR - the duty supervisor's walk-through of a
# missed D3 deadline (H2), as people type it: a repair dispatched with no
# engineer on site raises an alert to the desk, escalates to the
# supervisor, is listed by `desk alerts --open`, is taken by the desk's
# call to the owner and cleared by the engineer's arrival; acks that make
# no sense are refused.  The 20 minutes are 3 s here, escalation 2 s later.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# The open alerts: does `desk alerts --open` list repair:ID?
lists_open() {
  expect_rc 0 "$desk" alerts --open
  grep -q " repair:$1 " "$tmp/out"
}

start_deskd --clock repair.no_engineer=3s --clock repair.no_engineer.warn=0 \
  --clock repair.no_engineer.escalate=2s --clock repair.no_engineer.repeat=1h
add_users clerk:clerk1 supervisor:lead1
expect_rc 0 "$desk" login --user clerk1 --password-file "$(pwfile clerk1)"

# The supervisor's screen, a desk of its own.  --since 0 so that nothing is
# missed however long the watcher takes to connect (there is no earlier
# alert to replay).
watch_as lead1 --alerts --json --since 0

# The clerk: an order to engineering, nobody arrives (D3).  A second one
# is there to be acknowledged by hand.
for text in "厨房水管爆裂" "卫生间灯不亮"; do
  expect_rc 0 "$desk" repair new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
    --kind repair --text "$text" --visit-at +1h
done
expect_rc 0 "$desk" repair dispatch 1
expect_rc 0 "$desk" repair dispatch 2

# 3 s: raised to the desk (role clerk, rule D3).  The watch shows only alerts.
wait_for 6 '"type":"alert.raised".*"record":"repair:1"'
raised=$(grep '"type":"alert.raised".*"record":"repair:1"' "$tmp/watch")
[ "$(printf '%s\n' "$raised" | wc -l)" -eq 1 ] || fail "raised more than once: $raised"
printf '%s' "$raised" | grep -q '"role":"clerk"' || fail "not raised to the desk: $raised"
printf '%s' "$raised" | grep -q '"rule":"D3"' || fail "not rule D3: $raised"
printf '%s' "$raised" | grep -q '"state":"ALERT_OPEN"' || fail "not open: $raised"
grep -v '"type":"alert\.' "$tmp/watch" && fail "watch --alerts showed other events"
alert1=$(printf '%s' "$raised" | grep -o '"alert":{"id":[0-9]*' | grep -o '[0-9]*$')
[ -n "$alert1" ] || fail "no alert id in: $raised"

# 2 s later, still untaken: up to the supervisor.
wait_for 5 '"type":"alert.escalated".*"record":"repair:1".*"role":"supervisor"'
lists_open 1 || fail "alerts --open does not list repair:1: $(cat "$tmp/out")"
grep ' repair:1 ' "$tmp/out" | grep -q supervisor || fail "the list does not show it is for the supervisor"

# The clerk phones the owner (D3): the call takes the alert.
expect_rc 0 "$desk" repair call 1 --note "已致电业主" --eta +1h
wait_for 3 '"type":"alert.acked".*"record":"repair:1"'
grep '"type":"alert.acked".*"record":"repair:1"' "$tmp/watch" | grep -q '"acked_by":"clerk1"' \
  || fail "acked, but not by clerk1"
grep '"type":"alert.acked".*"record":"repair:1"' "$tmp/watch" | grep -q '已致电业主' \
  || fail "the call's note is not on the ack"
lists_open 1 && fail "alerts --open still lists repair:1 after the call"
lists_open 2 || fail "alerts --open lost repair:2, which nobody took"

# Taking an alert twice: the second is refused, naming who took it.
alert2=$(grep '"type":"alert.raised".*"record":"repair:2"' "$tmp/watch" |
  grep -o '"alert":{"id":[0-9]*' | grep -o '[0-9]*$')
[ -n "$alert2" ] || fail "repair:2 was not raised: $(cat "$tmp/watch")"
expect_rc 0 "$desk" alert ack "$alert2" --note "正在联系工程组"
expect_rc 1 "$desk" alert ack "$alert2"
grep -q "already acknowledged by clerk1" "$tmp/err" || fail "no clear refusal: $(cat "$tmp/err")"
expect_rc 1 "$desk" alert ack "$alert1"
grep -q "already acknowledged by clerk1" "$tmp/err" || fail "no clear refusal: $(cat "$tmp/err")"
expect_rc 1 "$desk" alert ack 999
grep -q "no alert 999" "$tmp/err" || fail "no clear refusal: $(cat "$tmp/err")"
expect_rc 2 "$desk" alert ack notanumber

# The engineer arrives: the alert clears; a cleared alert cannot be taken.
expect_rc 0 "$desk" repair arrive 1
wait_for 3 '"type":"alert.cleared".*"record":"repair:1"'
expect_rc 1 "$desk" alert ack "$alert1"
grep -q "cleared" "$tmp/err" || fail "no clear refusal: $(cat "$tmp/err")"
expect_rc 0 "$desk" alerts
grep -q " repair:1 " "$tmp/out" || fail "desk alerts (all) forgot repair:1"

# Exactly one breach each, and the log is sound.
[ "$(grep -c '"type":"alert.raised".*"record":"repair:1"' "$tmp/watch")" -eq 1 ] \
  || fail "repair:1 raised more than once"
kill "$wpid"; wait "$wpid" 2>/dev/null || true; wpid=''
stop_deskd
deskd_verify
echo "1 passed, 0 failed"
