#!/usr/bin/env bash
# test_shift_change.sh BIN_DIR CERT_DIR - a shift change as the desks live it
# (A6, B2-B6, H2): deskd runs 4 s before the next boundary (--now-offset);
# the boundary passes, every desk's watch shows shift.changed with who goes
# off and who comes on; the outgoing person cannot sign with important work
# open (B6) until the supervisor overrides with a reason; items are counted,
# a difference explained (B2); the incoming person signs second (B5), and
# signing twice or before the outgoing side is refused.
set -euo pipefail
bin=$1 certs=$2
tmp=$(mktemp -d /tmp/deskd-cli-XXXXXX)
pid='' wpid=''
cleanup() {
  if [ -n "$wpid" ]; then kill "$wpid" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/deskd.log" ] && tail -20 "$tmp/deskd.log" >&2; exit 1; }
expect_rc() { # expect_rc CODE command...
  local want=$1; shift
  set +e; "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want: $(cat "$tmp/err" "$tmp/out")"
}
wait_for() { # wait_for SECONDS PATTERN in the watch
  local n=$(( $1 * 20 ))
  for _ in $(seq "$n"); do grep -q "$2" "$tmp/watch" && return 0; sleep 0.05; done
  fail "the watch showed no $2 within $1 s: $(cat "$tmp/watch" "$tmp/watch.err")"
}
# as USER desk ARGS...: each person at their own desk.
as() { local u=$1; shift
  DESK_USER=$u DESK_PASSWORD=$u-pass-1 XDG_CONFIG_HOME=$tmp/cfg-$u "$@"; }

# The default shifts' boundaries in Asia/Shanghai are multiples of 8 h UTC.
eight=$((8 * 3600 * 1000))
now=$(date +%s%3N)
boundary=$(( (now / eight + 1) * eight ))
offset=$(( boundary - now - 4000 ))

DESKD_ADMIN_PASSWORD=admin-pass-1 "$bin/deskd" init --data "$tmp/data" --admin admin \
  --pbkdf2-iterations 1000 >/dev/null
"$bin/deskd" --data "$tmp/data" --listen 127.0.0.1:0 --ready-file "$tmp/ready" \
  --cert "$certs/server.pem" --key "$certs/server-key.pem" --pbkdf2-iterations 1000 \
  --now-offset "${offset}ms" --handover-items computer:1,keys:2 \
  2>"$tmp/deskd.log" &
pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
[ -s "$tmp/ready" ] || fail "deskd did not start"

DESK_SERVER=$(cat "$tmp/ready")
export DESK_SERVER DESK_CA=$certs/ca.pem
unset DESK_USER DESK_PASSWORD
desk=$bin/desk
export XDG_CONFIG_HOME=$tmp/cfg-admin
echo admin-pass-1 > "$tmp/pw"
expect_rc 0 "$desk" login --user admin --password-file "$tmp/pw"
for u in mo eve nite sue; do
  role=clerk; [ $u = sue ] && role=supervisor
  echo $u-pass-1 > "$tmp/pw"
  expect_rc 0 "$desk" user add $u --role $role --password-file "$tmp/pw"
done

# A published schedule for the months around the boundary (A6).
for at in $((boundary - eight)) $boundary; do
  month=$(TZ=Asia/Shanghai date -d "@$((at / 1000))" +%Y-%m)
  days=$(TZ=Asia/Shanghai date -d "$month-01 +1 month -1 day" +%d)
  for d in $(seq -w 1 "$days"); do
    printf '%s-%s,morning,front,mo\n%s-%s,evening,front,eve\n%s-%s,night,front,nite\n' \
      "$month" "$d" "$month" "$d" "$month" "$d"
  done > "$tmp/$month.csv"
  expect_rc 0 as sue "$desk" schedule import "$tmp/$month.csv" --month "$month"
  expect_rc 0 as sue "$desk" schedule publish --month "$month"
done
# Open work before the boundary is listed in the handover (B3).
expect_rc 0 as mo "$desk" complaint new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --category repair --text "楼上漏水" --demand "尽快维修"

# Not through `as`: a backgrounded function is a subshell, and $! would be
# the subshell, leaving the watcher running after the test.
DESK_USER=sue DESK_PASSWORD=sue-pass-1 XDG_CONFIG_HOME=$tmp/cfg-sue \
  "$desk" watch --json --type shift. --since 0 >"$tmp/watch" 2>"$tmp/watch.err" &
wpid=$!
wait_for 10 '"type":"shift.changed"'
line=$(grep '"type":"shift.changed"' "$tmp/watch")
out=$(printf '%s' "$line" | sed -n 's/.*"off":"\([a-z]*\)".*/\1/p')
in=$(printf '%s' "$line" | sed -n 's/.*"on":"\([a-z]*\)".*/\1/p')
[ -n "$out" ] && [ -n "$in" ] && [ "$out" != "$in" ] || fail "who goes off, who comes on: $line"

expect_rc 0 as "$in" "$desk" handover show
grep -q "outgoing *$out" "$tmp/out" || fail "show: $(cat "$tmp/out")"
grep -q "complaint:1" "$tmp/out" || fail "no open complaint pending: $(cat "$tmp/out")"
grep -q "keys ?/2" "$tmp/out" || fail "keys not listed: $(cat "$tmp/out")"

# B5: the incoming side is not first; nobody signs another's side.
expect_rc 1 as "$in" "$desk" handover sign
grep -q "outgoing person signs first" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 4 as "$in" "$desk" handover sign out
# B6: important work open blocks the outgoing signature.
expect_rc 0 as "$out" "$desk" handover pending add "3-2-1201 回访未完成" --important
expect_rc 1 as "$out" "$desk" handover sign
grep -q "B6" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 4 as "$out" "$desk" handover override --reason "我说可以"
expect_rc 0 as sue "$desk" handover override --reason "回访交给晚班"
# B2, B4: counts, a difference explained, an anomaly.
expect_rc 1 as "$in" "$desk" handover item keys --count 1
expect_rc 0 as "$in" "$desk" handover item keys --count 1 --note "一把借给工程部"
expect_rc 0 as "$in" "$desk" handover item computer --count 1
expect_rc 0 as "$in" "$desk" handover anomaly --text "大堂灯坏一盏"
expect_rc 0 as "$out" "$desk" handover pending done 2 --note "已交代晚班"
expect_rc 0 as "$out" "$desk" handover sign
expect_rc 1 as "$out" "$desk" handover sign
grep -q "already signed" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 0 as "$in" "$desk" handover sign
expect_rc 0 as "$in" "$desk" handover show --id 1
for want in "closed" "signed out *$out" "signed in *$in" "override (B6) *sue: 回访交给晚班" \
  "keys 1/2  一把借给工程部" "大堂灯坏一盏"; do
  grep -q "$want" "$tmp/out" || fail "show: no '$want' in $(cat "$tmp/out")"
done
echo "ok"
