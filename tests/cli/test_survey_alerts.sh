#!/usr/bin/env bash
# test_survey_alerts.sh BIN_DIR CERT_DIR - what reminds the supervisor of
# surveys (issue 15: F2, F3), deskd's clock moved on by restarts with
# --now-offset: no campaign opened before the next June 1 or December 1,
# even while deskd was down over it, raises F2 once (not again at the next
# restart); one opened moves the reminder on a half year, so its due date
# passes silently; at its window's end (15 working days) fewer than half
# of the hand-outs back raises F3.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

# The next 1 June or 1 December, local, and how far ahead of it to run.
ym=$(TZ=Asia/Shanghai date +%Y-%m)
y=${ym%-*} m=$((10#${ym#*-}))
if [ "$m" -ge 6 ] && [ "$m" -le 11 ]; then due="$y-12-01"
elif [ "$m" -eq 12 ]; then due="$((y + 1))-06-01"
else due="$y-06-01"; fi
after=$(( $(TZ=Asia/Shanghai date -d "$due" +%s) - $(date +%s) + 86400 ))
f2_alerts() { # the survey reminder's open F2 alerts the supervisor sees
  # (not the ledger's F2 line, ledger:M, judged at each month's end)
  as sue "$desk" alerts --open --limit 1000 | grep -c " F2 *survey:" || true; }

start_deskd
add_users clerk:wang supervisor:sue
for u in 1-1-101 1-1-102 1-1-103; do
  expect_rc 0 as wang "$desk" unit add "$u" --status occupied
done
expect_rc 0 as sue "$desk" alerts --open
hasnt " F2  *survey:"
stop_deskd

# Down over the due date, no campaign: F2 at once on the way back, once.
start_deskd --now-offset "${after}s"
for _ in $(seq 100); do [ "$(f2_alerts)" -ge 1 ] && break; sleep 0.05; done
expect_rc 0 as sue "$desk" alerts --open
has "survey:0"
has "no survey campaign was opened"
stop_deskd
start_deskd --now-offset "${after}s"
[ "$(f2_alerts)" -eq 1 ] || fail "F2 raised again at a restart: $(as sue "$desk" alerts --open)"

# A campaign opened (late) answers this half: the next due date is
# watched, and passes silently with it.
expect_rc 0 as sue "$desk" survey open --title "满意度调查" --questions "整体满意度"
s=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" survey handout "$s" --unit 1-1-101
expect_rc 0 as wang "$desk" survey handout "$s" --unit 1-1-102
expect_rc 0 as wang "$desk" survey handout "$s" --unit 1-1-103
expect_rc 0 as wang "$desk" survey return "$s" --unit 1-1-101 --scores 4
stop_deskd

# 30 days on: the window (15 working days) has closed with 1 of 3 back.
start_deskd --now-offset "$((after + 30 * 86400))s"
for _ in $(seq 100); do as sue "$desk" alerts --open | grep -q " F3 " && break; sleep 0.05; done
expect_rc 0 as sue "$desk" alerts --open
has "survey:$s"
has "fewer than half of the survey"
[ "$(f2_alerts)" -eq 0 ] || fail "F2 still open after a campaign: $(cat "$tmp/out")"
stop_deskd

# Half a year on, past the next due date the campaign answered: no F2.
start_deskd --now-offset "$((after + 185 * 86400))s"
sleep 0.5
[ "$(f2_alerts)" -eq 0 ] || fail "F2 with a campaign opened: $(as sue "$desk" alerts --open)"
stop_deskd
deskd_verify
