#!/usr/bin/env bash
# test_login_busy.sh BIN_DIR CERT_DIR - `desk login` told TRY_LATER (issue
# 12) waits as told and tries again, then gives up saying why and how often
# it tried.  password_queue = 0 is deskd's lockdown: no password login
# waits to be hashed, so only the fast lane gets in -- here the admin at
# the server's own console -- and every other is refused at once.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd --password-queue 0
add_users clerk:clerk1
expect_rc 1 "$desk" login --user clerk1 --password-file "$(pwfile clerk1)"
has "deskd is busy checking other logins; nothing was checked; try again in"
has "(TRY_LATER); gave up after 3 tries"
# Refused before any check: not a failed login, nothing to log as one.
! grep -q "login failed" "$tmp/deskd.log" || fail "a refused login was logged as failed"
# The admin at the console still gets in, and so desks can be managed.
XDG_CONFIG_HOME=$tmp/cfg-admin2 expect_rc 0 "$desk" login --user admin \
  --password-file "$(pwfile admin)"
echo "test_login_busy: ok"
