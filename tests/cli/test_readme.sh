#!/usr/bin/env bash
# test_readme.sh BIN_DIR CERT_DIR - the README's commands as a newcomer types
# them, against a real deskd: login (token saved 0600), watch, complaint new,
# list, show, history, and the documented exit codes.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

# The README's `deskd init`; start_deskd then serves that data dir.
DESKD_ADMIN_PASSWORD=admin-pass-1 "$bin/deskd" init --data "$tmp/data" --admin admin \
  --pbkdf2-iterations 1000 >/dev/null
start_deskd

echo admin-pass-1 > "$tmp/admin.pw"
echo clerk-pass-1 > "$tmp/clerk.pw"

# Not logged in yet: exit 4 with advice.
expect_rc 4 "$desk" complaint list
grep -q "desk login" "$tmp/err" || fail "no advice to log in"
# A wrong password: exit 4.
echo wrong-password > "$tmp/wrong.pw"
expect_rc 4 "$desk" login --user admin --password-file "$tmp/wrong.pw"

expect_rc 0 "$desk" login --user admin --password-file "$tmp/admin.pw"
conf=$XDG_CONFIG_HOME/desk/desk.conf
[ "$(stat -c %a "$conf")" = 600 ] || fail "desk.conf is not 0600"
grep -q '^token = [0-9a-f]\{64\}$' "$conf" || fail "no token saved"
expect_rc 0 "$desk" user add clerk1 --role clerk --password-file "$tmp/clerk.pw"
expect_rc 0 "$desk" login --user clerk1 --password-file "$tmp/clerk.pw"
# A clerk doing an admin's job: exit 4 (not permitted).
expect_rc 4 "$desk" user add x --role clerk --password-file "$tmp/clerk.pw"

# A supervisor's screen: watch in JSON lines.
"$desk" watch --json >"$tmp/watch" 2>"$tmp/watch.err" &
for _ in $(seq 100); do grep -q . "$tmp/watch.err" 2>/dev/null && break; sleep 0.05; done

expect_rc 0 "$desk" complaint new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --category noise --text "楼上装修噪音" --demand "限定施工时间"
id=$(cat "$tmp/out")
[ "$id" = 1 ] || fail "complaint new printed '$id', wanted 1"
wait_for 5 '"type":"complaint.created"'
grep -q '楼上装修噪音' "$tmp/watch" || fail "UTF-8 text did not reach the watcher"

expect_rc 0 "$desk" complaint list --open
grep -q '王女士' "$tmp/out" || fail "list --open misses the complaint"
# Columns line up: the TEXT column starts at the same display column in the
# header and in the row, whatever the CJK width.
hdr_col=$(head -1 "$tmp/out" | sed 's/TEXT.*//' | wc -L)
row_col=$(sed -n 2p "$tmp/out" | sed 's/楼上装修噪音.*//' | wc -L)
[ "$hdr_col" = "$row_col" ] || fail "columns do not line up ($hdr_col vs $row_col)"

expect_rc 0 "$desk" complaint show "$id"
grep -q '限定施工时间' "$tmp/out" || fail "show misses the demand"
expect_rc 0 "$desk" complaint show "$id" --json
grep -q '"unit":"3-2-1201"' "$tmp/out" || fail "show --json"

# Steps, a refused transition (exit 1), and history that keeps everything (C9).
expect_rc 1 "$desk" complaint revisit "$id" --result ok --satisfaction 5
grep -q 'after the complaint is resolved' "$tmp/err" || fail "no clear refusal"
expect_rc 0 "$desk" complaint valid "$id"
expect_rc 0 "$desk" complaint reply "$id" --text "已联系装修方" --next-reply-at +2h
expect_rc 0 "$desk" complaint note "$id" --text "更正: 联系人为王先生"
expect_rc 0 "$desk" complaint history "$id"
[ "$(grep -c 'complaint\.' "$tmp/out")" -eq 4 ] || fail "history should have 4 entries"
grep -q 'clerk1' "$tmp/out" || fail "history does not say who"

# A repair priced from the fee schedule (D2: only management sets prices).
expect_rc 4 "$desk" fee set 换灯泡 --price 35.5 --unit 个
DESK_USER=admin DESK_PASSWORD=admin-pass-1 expect_rc 0 "$desk" fee set 换灯泡 --price 35.5 --unit 个
expect_rc 0 "$desk" repair new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --kind repair --text "卫生间灯不亮" --visit-at +1h --fee 换灯泡 --qty 2
rid=$(cat "$tmp/out")
expect_rc 1 "$desk" repair arrive "$rid"
grep -q 'dispatch it first' "$tmp/err" || fail "no clear refusal: $(cat "$tmp/err")"
expect_rc 0 "$desk" repair dispatch "$rid"
expect_rc 0 "$desk" repair arrive "$rid"
expect_rc 0 "$desk" repair done "$rid"
grep -q 'charged 71.00' "$tmp/out" || fail "default charge is not price x qty"
expect_rc 0 "$desk" repair list --open
grep -q '卫生间灯不亮' "$tmp/out" || fail "repair list --open misses the order"

# passwd: the old password must be right (exit 4), then only the new one works.
echo clerk-pass-2 > "$tmp/clerk2.pw"
DESK_OLD_PASSWORD=wrong-old-pw expect_rc 4 "$desk" passwd --password-file "$tmp/clerk2.pw"
DESK_OLD_PASSWORD=clerk-pass-1 expect_rc 0 "$desk" passwd --password-file "$tmp/clerk2.pw"
expect_rc 4 "$desk" login --user clerk1 --password-file "$tmp/clerk.pw"
expect_rc 0 "$desk" login --user clerk1 --password-file "$tmp/clerk2.pw"

# Usage errors: exit 2; --help on every command: exit 0.
expect_rc 2 "$desk" complaint new --unit 1
expect_rc 2 "$desk" complaint frobnicate
expect_rc 2 "$desk" complaint show notanumber
for c in "login" "logout" "watch" "passwd" "complaint" "complaint new" "complaint list" \
         "complaint show" "complaint history" "complaint assign" "complaint valid" \
         "complaint invalid" "complaint reply" "complaint resolve" "complaint revisit" \
         "complaint escalate" "complaint appeal" "complaint note" "user" "user add" \
         "user list" "user disable" "repair" "repair new" "repair list" "repair show" \
         "repair history" "repair dispatch" "repair arrive" "repair call" "repair done" \
         "repair feedback" "repair revisit" "repair note" "fee" "fee set" "fee list"; do
  # shellcheck disable=SC2086
  expect_rc 0 "$desk" $c --help
  grep -q usage "$tmp/out" || fail "'desk $c --help' prints no usage"
done
expect_rc 0 "$bin/deskd" --help
grep -q frame-timeout "$tmp/out" || fail "deskd --help lists no settings"

# The watcher reconnects by itself after deskd restarts, and misses nothing.
stop_deskd
start_deskd --session-ttl 1s   # on the same address
expect_rc 0 "$desk" complaint note "$id" --text "after restart"
wait_for 10 'after restart'
# Every seq exactly once, in order.
seqs=$(grep -o '"seq":[0-9]*' "$tmp/watch" | cut -d: -f2 | tr '\n' ' ')
[ "$seqs" = "$(grep -o '"seq":[0-9]*' "$tmp/watch" | cut -d: -f2 | sort -n | uniq | tr '\n' ' ')" ] \
  || fail "watch printed events twice or out of order: $seqs"

# Sessions expire (--session-ttl 1s here): the saved token stops working.
expect_rc 0 "$desk" login --user clerk1 --password-file "$tmp/clerk2.pw"
expect_rc 0 "$desk" complaint list
sleep 1.2
expect_rc 4 "$desk" complaint list
grep -q 'session expired' "$tmp/err" || fail "no 'session expired': $(cat "$tmp/err")"

# Server down: exit 3.
stop_deskd
expect_rc 3 "$desk" complaint list
expect_rc 0 "$bin/deskd" verify --data "$tmp/data"
grep -q '^ok, ' "$tmp/out" || fail "verify: $(cat "$tmp/out")"
echo "1 passed, 0 failed"
