#!/usr/bin/env bash
# test_times_cli.sh BIN_DIR CERT_DIR - issue 12: the desk refuses a time,
# day or month outside the one range (PROTOCOL.md 13.4) before sending,
# saying the range, exit 2, and nothing is stored; the edges are taken.
source "$(dirname "$0")/lib.sh" "$@"

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang supervisor:lead
expect_rc 0 as wang "$desk" complaint new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --category noise --text 楼上装修噪音
expect_rc 0 as wang "$desk" repair new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --kind repair --text 卫生间漏水 --visit-at "2000-01-01 08:00"
complaints=$(as admin "$desk" export --kind complaint | wc -l)
repairs=$(as admin "$desk" export --kind repair | wc -l)

# Times: Asia/Shanghai, so the range is 2000-01-01 08:00 to 2100-01-01 07:59.
for t in "2000-01-01 07:59" "2100-01-01 08:00" "9999-12-31 23:00" "+36500d"; do
  expect_rc 2 as wang "$desk" repair new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
    --kind repair --text 卫生间漏水 --visit-at "$t"
  has "--visit-at '$t' is not a time from 2000-01-01 00:00 to 2099-12-31 23:59 UTC"
  expect_rc 2 as wang "$desk" complaint reply 1 --text 已联系 --next-reply-at "$t"
  has "is not a time from 2000-01-01"
done
expect_rc 0 as wang "$desk" repair new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --kind repair --text 卫生间漏水 --visit-at "2100-01-01 07:59"
[ "$(as admin "$desk" export --kind repair | wc -l)" -eq $((repairs + 1)) ] ||
  fail "a refused repair was stored, or the last minute was not"
# A register's times, through its form's flags.
expect_rc 2 as wang "$desk" parking add --plate 京A12345 --unit 3-2-1201 --type monthly \
  --holder 王芳 --valid-to 2100-01-02
has "--valid-to '2100-01-02' is not a time (YYYY-MM-DD\[ HH:MM\[:SS\]\]) from 2000-01-01"
# Days and months.
expect_rc 2 as admin "$desk" person add --unit 3-2-1201 --name 王芳 --move-in 1999-12-31
has "--move-in '1999-12-31' is not a day (YYYY-MM-DD) from 2000-01-01 to 2099-12-31"
expect_rc 2 as wang "$desk" request leave --date 2100-01-01 --shift morning --reason 家中有事
has "--date '2100-01-01' is not a day (YYYY-MM-DD) from 2000-01-01 to 2099-12-31"
expect_rc 2 as wang "$desk" log show --day 1999-12-31
has "'1999-12-31' is not a day (YYYY-MM-DD) from 2000-01-01"
expect_rc 2 as lead "$desk" log sign --month 2100-01
has "'2100-01' is not a month (YYYY-MM) from 2000-01 to 2099-12"
expect_rc 2 as lead "$desk" schedule show --month 1999-12
has "--month 1999-12: YYYY-MM from 2000-01 to 2099-12"
expect_rc 2 as admin "$desk" export --kind complaint --since 1999-12-31
has "from 2000-01-01 00:00 to 2099-12-31 23:59 UTC"
[ "$(as admin "$desk" export --kind complaint | wc -l)" -eq "$complaints" ] ||
  fail "a refused command stored a complaint"
