#!/usr/bin/env bash
# test_console_handover.sh BIN_DIR CERT_DIR - the handover signed from the
# board (issue 16: "the handover at the end of my shift", "sign the
# handover"): deskd runs 15 s before a shift boundary (--now-offset); the
# night clerk's board counts down to the end of the shift (B6), then shows
# the handover to sign (B5); each side signs from their own board (Enter,
# s), the outgoing first, and the handover is closed and off both boards.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

# The default shifts' boundaries in Asia/Shanghai are multiples of 8 h UTC.
eight=$((8 * 3600 * 1000))
now=$(date +%s%3N)
boundary=$(( (now / eight + 1) * eight ))
start_deskd --now-offset "$(( boundary - now - 15000 ))ms"
add_users clerk:mo clerk:eve clerk:nite supervisor:sue
publish_rota_at sue mo eve nite $((boundary - eight)) "$boundary"
# Who goes off at the boundary and who comes on (the shift before it).
shift_of() { TZ=Asia/Shanghai date -d "@$(( $1 / 1000 ))" +%H; }
case $(shift_of "$boundary") in
  08) out=nite in=mo ;; 16) out=mo in=eve ;; *) out=eve in=nite ;;
esac
login_desk "$out"
login_desk "$in"
board "$out" out
board "$in" in
wait_screen 10 out '^online'
wait_screen 10 in '^online'
# Before the boundary: the end of the shift, counting down (B6).
wait_screen 3 out "^0:[01][0-9] +handover +B6( |$)"

# The boundary: the handover to sign, on both boards (B5).
wait_screen 20 out "handover +B5 +handover:1 "
wait_screen 5 in 'handover +B5 +handover:1 '
# The incoming side first: refused (B5), said on the board, nothing signed.
keys in Enter
wait_screen 3 in '^handover:1 +\[s\] sign the handover'
keys in s
wait_screen 5 in '^not done: .*outgoing person signs first'
# The outgoing side, from its board.
keys out Enter
wait_screen 3 out '^handover:1 +\[s\] sign the handover'
keys out s
wait_screen 5 out '^done: '
wait_gone 5 out 'handover +B5 +handover:1 '
# Then the incoming: closed, off its board too.
keys in Enter
wait_screen 3 in '^handover:1 +\[s\] sign the handover'
keys in s
wait_screen 5 in '^done: '
wait_gone 5 in 'handover +B5 +handover:1 '
expect_rc 0 as sue "$desk" handover show --id 1
for want in "closed" "signed out *$out" "signed in *$in"; do
  grep -q "$want" "$tmp/out" || fail "show: no '$want' in $(cat "$tmp/out")"
done
keys out q
keys in q
