#!/usr/bin/env bash
# test_console_director.sh BIN_DIR CERT_DIR - the director's board carries
# the month's compliance ledger in a line (issue 16: "the director's, the
# escalations and the month's ledger line"): how many quotas are met, on
# track, at risk and missed, as `desk ledger` counts them; a clerk's board
# has no such line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

start_deskd
add_users director:dan clerk:wang
login_desk dan
login_desk wang
# What the ledger says now, counted as the board should.
expect_rc 0 as dan "$desk" ledger --json
read -r met track risk missed < <(python3 -c '
import json, sys
lines = json.load(open(sys.argv[1])).get("lines", [])
print(*[sum(1 for l in lines if l.get("status") == s)
        for s in ("met", "on track", "at risk", "missed")])' "$tmp/out")
month=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["month"])' "$tmp/out")
board dan boss C.UTF-8
board wang desk1 zh_CN.UTF-8
wait_screen 10 boss "Ledger $month: $met met, $track on track, $risk at risk, $missed missed"
wait_screen 10 desk1 '在线'
screen desk1 | grep -q '台账' && fail "a clerk's board shows the ledger: $(screen desk1)"
board dan bosszh zh_CN.UTF-8
wait_screen 10 bosszh "台账 $month：达标 $met，进度正常 $track，有风险 $risk，未达标 $missed"
echo ok
