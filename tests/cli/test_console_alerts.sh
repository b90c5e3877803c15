#!/usr/bin/env bash
# test_console_alerts.sh BIN_DIR CERT_DIR - deadlines on the board (issue
# 16, H2): a repair dispatched with nobody on site (D3's 20 minutes, 4 s
# here) turns into an alert that rings the board's bell and shows in its
# feed; escalated, it rings the supervisor's board, which the clerk's
# breach did not.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

start_deskd --clock repair.no_engineer=4s --clock repair.no_engineer.warn=0 \
  --clock repair.no_engineer.escalate=3s --clock repair.no_engineer.repeat=1h
add_users clerk:clerk1 supervisor:lead1
login_desk clerk1
login_desk lead1
board clerk1 desk1
board lead1 lead
# Every bell a board rings, by its session's name.
tm set-hook -g alert-bell "run-shell 'echo #{session_name} >> $tmp/bells'"
wait_screen 10 desk1 '^online'
wait_screen 10 lead '^online'

as clerk1 "$desk" repair new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --kind repair --text "厨房水管爆裂" --visit-at +1h >/dev/null
as clerk1 "$desk" repair dispatch 1 >/dev/null
wait_screen 3 desk1 'dispatched +repair:1 '
[ ! -s "$tmp/bells" ] || fail "a bell before any breach: $(cat "$tmp/bells")"

# 4 s: the breach, on the desk's board, heard.
wait_screen 10 desk1 'ALERT +repair:1 '
for _ in $(seq 60); do grep -qx desk1 "$tmp/bells" 2>/dev/null && break; sleep 0.05; done
grep -qx desk1 "$tmp/bells" 2>/dev/null || fail "the desk's board did not ring at the breach"
# 3 s later, nobody took it: escalated, the supervisor's board rings.
wait_screen 10 lead 'ESCALATED +repair:1 '
for _ in $(seq 60); do grep -qx lead "$tmp/bells" 2>/dev/null && break; sleep 0.05; done
grep -qx lead "$tmp/bells" 2>/dev/null || fail "the supervisor's board did not ring at the escalation"
# Each board rang once: the desk's for its breach, the supervisor's for
# the escalation to it, not for the clerk's breach before.
sleep 0.5
[ "$(sort "$tmp/bells" | tr '\n' ' ')" = "desk1 lead " ] ||
  fail "bells rung: $(tr '\n' ' ' < "$tmp/bells"), wanted desk1 once and lead once"
