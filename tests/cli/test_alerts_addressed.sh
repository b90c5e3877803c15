#!/usr/bin/env bash
# test_alerts_addressed.sh BIN_DIR CERT_DIR - alerts addressed to the right
# people (issue 16): `desk alerts --mine|--post P|--role R`, filtered by
# the server, with the record's unit and masked phone; `desk watch
# --alerts` shows each role what is addressed to it (a director the
# escalations to directors, not every clerk's alert), --all everything.
# D3's 20 minutes are 1 s here; in the second run, escalated to the
# supervisor 1 s and to the director 2 s after the breach.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
order() { # order USER POST TEXT: a new order, dispatched, by USER at POST
  expect_rc 0 as "$1" "$desk" repair new --unit "$4" --name 李先生 \
    --phone 13912345678 --kind repair --text "$3" --visit-at +1h --post "$2"
  local id; id=$(grep -o '[0-9][0-9]*' "$tmp/out" | head -1)
  expect_rc 0 as "$1" "$desk" repair dispatch "$id"
}
open_alerts() { # open_alerts N: wait until N alerts are open
  for _ in $(seq 100); do
    expect_rc 0 as li "$desk" alerts --open --json
    [ "$(grep -c '"id"' "$tmp/out")" -ge "$1" ] && return 0
    sleep 0.1
  done
  fail "not $1 open alerts: $(cat "$tmp/out")"
}

start_deskd --posts front,garage --clock repair.no_engineer=1s \
  --clock repair.no_engineer.warn=0
add_users clerk:wang clerk:zhou supervisor:li director:zhao
order wang front 厨房水管爆裂 5-1-0302
order zhou garage 车库照明故障 B2-017
open_alerts 2

# --mine: the alerts the clerk holds, with unit and masked phone.
expect_rc 0 as wang "$desk" alerts --mine
has " repair:1 "
hasnt " repair:2 "
grep " repair:1 " "$tmp/out" | grep -q "5-1-0302" || fail "no unit: $(cat "$tmp/out")"
grep " repair:1 " "$tmp/out" | grep -q "139\*\*\*\*5678" || fail "no masked phone: $(cat "$tmp/out")"
hasnt "13912345678"
has "UNIT"
# --post: about work followed up at that post.
expect_rc 0 as li "$desk" alerts --post garage
has " repair:2 "
hasnt " repair:1 "
# --role: addressed to that role now.
expect_rc 0 as li "$desk" alerts --role clerk
has " repair:1 "
has " repair:2 "
expect_rc 0 as li "$desk" alerts --role director
hasnt " repair:"
expect_rc 0 as li "$desk" alerts --mine --role clerk
hasnt " repair:"
expect_rc 0 as wang "$desk" alerts --mine --json
jq -e 'select(.record == "repair:1" and .unit == "5-1-0302" and .phone == "139****5678")' \
  "$tmp/out" >/dev/null || fail "--json: $(cat "$tmp/out")"
# Bad filters are refused, saying why.
expect_rc 1 as li "$desk" alerts --role boss
has "'boss' is not one alerts are addressed to"
expect_rc 1 as li "$desk" alerts --post roof
has "'roof' is not a post"
# In Chinese: headings, state and role.
expect_rc 0 as wang env LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$desk" alerts --mine
has "单元"
has "待处理"
has "前台"

# The second run: escalation to the director.
stop_deskd
start_deskd --posts front,garage --clock repair.no_engineer=1s \
  --clock repair.no_engineer.warn=0 --clock repair.no_engineer.escalate=1s \
  --clock repair.no_engineer.escalate_director=2s
for u in zhao wang; do
  DESK_USER=$u DESK_PASSWORD=$u-pass-1 XDG_CONFIG_HOME=$tmp/cfg-$u \
    "$desk" watch --alerts --json --since 0 >"$tmp/w-$u" 2>"$tmp/w-$u.err" &
done
DESK_USER=zhao DESK_PASSWORD=zhao-pass-1 XDG_CONFIG_HOME=$tmp/cfg-zhao \
  "$desk" watch --alerts --all --json --since 0 >"$tmp/w-all" 2>"$tmp/w-all.err" &
order zhou front 门禁失灵 3-2-1201
wait_for 10 '"type":"alert.escalated".*"record":"repair:3".*"role":"director"' "$tmp/w-zhao"
wait_for 5 '"type":"alert.escalated".*"record":"repair:3".*"role":"director"' "$tmp/w-all"
# The director's stream: the escalation to directors, not the desks'.
grep -q '"record":"repair:1"' "$tmp/w-zhao" && fail "the director was shown a clerk's alert"
grep -q '"type":"alert.raised".*"record":"repair:3"' "$tmp/w-zhao" &&
  fail "the director was shown the breach addressed to the desk"
# --all: everything, the clerks' too.
grep -q '"type":"alert.raised".*"record":"repair:1"' "$tmp/w-all" ||
  fail "--all lost repair:1: $(cat "$tmp/w-all")"
# The clerk: their own (repair:1), not another clerk's (repair:2, 3).
grep -q '"type":"alert.raised".*"record":"repair:1"' "$tmp/w-wang" ||
  fail "wang does not see their own alert: $(cat "$tmp/w-wang" "$tmp/w-wang.err")"
grep -q '"record":"repair:2"' "$tmp/w-wang" && fail "wang was shown zhou's alert"
grep -q '"record":"repair:3"' "$tmp/w-wang" && fail "wang was shown zhou's escalation"
expect_rc 2 "$desk" watch --all
stop_deskd
deskd_verify
echo "1 passed, 0 failed"
