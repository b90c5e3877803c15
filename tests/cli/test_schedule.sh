#!/usr/bin/env bash
# test_schedule.sh BIN_DIR CERT_DIR - shift schedules as a supervisor types
# them (A2, A5, A6): a CSV with a BOM and CRLF imports, one with bad rows is
# refused line by line with nothing imported, an incomplete month is not
# published (every problem listed), a complete one is version 1; a change
# publishes version 2 and keeps version 1, superseded; diff, --mine; a
# clerk reads but does not publish.  One post, three default shifts, and a
# short month (2027-02, 28 days) keep the CSV small.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang clerk:li clerk:zhao supervisor:lead1
expect_rc 0 "$desk" login --user lead1 --password-file "$(pwfile lead1)"

# A whole month, Excel-style: BOM, header, CRLF.
{ printf '\xef\xbb\xbfdate,shift,post,user\r\n'
  for d in $(seq -w 1 28); do
    printf '2027-02-%s,morning,front,wang\r\n2027-02-%s,evening,front,li\r\n2027-02-%s,night,front,zhao\r\n' $d $d $d
  done; } > "$tmp/feb.csv"
# Bad rows: unknown user, unknown shift, a duplicate, a bad date.
{ echo 'date,shift,post,user'
  echo '2027-02-01,morning,front,nobody'
  echo '2027-02-01,noon,front,wang'
  echo '2027-02-02,morning,front,wang'
  echo '2027-02-02,morning,front,li'
  echo '2027-02-30,morning,front,wang'; } > "$tmp/bad.csv"
expect_rc 1 "$desk" schedule import "$tmp/bad.csv" --month 2027-02
for want in "line 3: unknown shift 'noon'" "line 5: duplicate row" "line 6: date '2027-02-30'" "nothing imported"; do
  grep -qF "$want" "$tmp/err" || fail "bad import: no '$want' in: $(cat "$tmp/err")"
done
# The unknown user is the server's to find, once the rows parse.
printf '2027-02-01,morning,front,nobody\n' > "$tmp/nobody.csv"
expect_rc 1 "$desk" schedule import "$tmp/nobody.csv" --month 2027-02
grep -qF "line 1: user 'nobody'" "$tmp/err" || fail "unknown user: $(cat "$tmp/err")"

# Incomplete: one row only; every unstaffed slot is a problem.
printf '2027-02-01,morning,front,wang\n' > "$tmp/one.csv"
expect_rc 0 "$desk" schedule import "$tmp/one.csv" --month 2027-02
expect_rc 1 "$desk" schedule publish --month 2027-02
grep -q "83 problems" "$tmp/err" || fail "publish incomplete: $(cat "$tmp/err")"
grep -q "2027-02-28 night front: nobody on duty" "$tmp/err" || fail "not every problem listed"

expect_rc 0 "$desk" schedule import "$tmp/feb.csv" --month 2027-02
grep -q "84 assignments" "$tmp/out" || fail "import: $(cat "$tmp/out")"
expect_rc 0 "$desk" schedule publish --month 2027-02
grep -q "version 1 (published)" "$tmp/out" || fail "publish: $(cat "$tmp/out")"

# A5: a change is version 2; version 1 stays, superseded.
expect_rc 0 "$desk" schedule set 2027-02-14 morning front li
expect_rc 0 "$desk" schedule publish --month 2027-02
grep -q "version 2 (published)" "$tmp/out" || fail "publish 2: $(cat "$tmp/out")"
expect_rc 0 "$desk" schedule history --month 2027-02
grep -q "version 1 (superseded)" "$tmp/out" || fail "history: $(cat "$tmp/out")"
expect_rc 0 "$desk" schedule show --month 2027-02 --version 1
grep -Eq "2027-02-14 +morning 08:00-16:00 +front +wang" "$tmp/out" || fail "v1: $(cat "$tmp/out")"
expect_rc 0 "$desk" schedule diff 1 2 --month 2027-02
grep -q "^li: +1 -0" "$tmp/out" && grep -q "^wang: +0 -1" "$tmp/out" || fail "diff: $(cat "$tmp/out")"
expect_rc 0 "$desk" --json schedule diff 1 2 --month 2027-02

# A clerk reads their own shifts and changes, and may not publish.
expect_rc 0 "$desk" login --user wang --password-file "$(pwfile wang)"
expect_rc 0 "$desk" schedule show --month 2027-02 --mine
[ "$(grep -c ' wang$' "$tmp/out")" -eq 27 ] || fail "--mine: $(cat "$tmp/out")"
grep -q ' li$' "$tmp/out" && fail "--mine shows others"
expect_rc 0 "$desk" schedule diff 1 2 --month 2027-02 --mine
grep -q '^li' "$tmp/out" && fail "diff --mine shows others"
grep -q '^wang: +0 -1' "$tmp/out" || fail "diff --mine: $(cat "$tmp/out")"
expect_rc 4 "$desk" schedule publish --month 2027-02
stop_deskd
deskd_verify
echo ok
