#!/usr/bin/env bash
# test_password_flags.sh BIN_DIR CERT_DIR - a script's login and the password
# it sets are two flags (issue 12): with DESK_USER/DESK_PASSWORD set,
# `desk user add NAME --password-file F` takes F as the new user's password
# (it used to log in with F and fail AUTH_FAILED); `--new-password-file`
# says so outright, and `--login-password-file` gives the login instead of
# DESK_PASSWORD.  Likewise `desk passwd`.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
start_deskd
echo bob-pass-123 > "$tmp/bob.pw"
echo carol-pass-123 > "$tmp/carol.pw"
echo dave-pass-123 > "$tmp/dave.pw"
echo admin-pass-1 > "$tmp/admin.pw"
echo bob-new-pass-1 > "$tmp/bob-new.pw"
echo bob-newer-pass > "$tmp/bob-newer.pw"

# The script logs in from the environment; the file is bob's password.
DESK_USER=admin DESK_PASSWORD=admin-pass-1 \
  expect_rc 0 "$desk" user add bob --role clerk --password-file "$tmp/bob.pw"
has "user bob added"
expect_rc 0 "$desk" login --user bob --password-file "$tmp/bob.pw"
# The explicit flag, wherever it stands.
DESK_USER=admin DESK_PASSWORD=admin-pass-1 \
  expect_rc 0 "$desk" user add carol --new-password-file "$tmp/carol.pw" --role clerk
expect_rc 0 "$desk" login --user carol --password-file "$tmp/carol.pw"
# The login from a file of its own, the new password from another.
DESK_USER=admin expect_rc 0 "$desk" --login-password-file "$tmp/admin.pw" \
  user add dave --role clerk --new-password-file "$tmp/dave.pw"
expect_rc 0 "$desk" login --user dave --password-file "$tmp/dave.pw"
# A command that sets no password logs in with --password-file, as before.
DESK_USER=admin expect_rc 0 "$desk" user list --password-file "$tmp/admin.pw"
has dave
# DESK_USER set and no login password anywhere: said, not guessed.
DESK_USER=admin expect_rc 4 "$desk" user add erin --role clerk \
  --new-password-file "$tmp/dave.pw"
has "DESK_PASSWORD or --login-password-file"

# desk passwd: the new password from the flag, the login from DESK_PASSWORD.
DESK_USER=bob DESK_PASSWORD=bob-pass-123 DESK_OLD_PASSWORD=bob-pass-123 \
  expect_rc 0 "$desk" passwd --password-file "$tmp/bob-new.pw"
expect_rc 0 "$desk" login --user bob --password-file "$tmp/bob-new.pw"
DESK_USER=bob DESK_PASSWORD=bob-new-pass-1 DESK_OLD_PASSWORD=bob-new-pass-1 \
  expect_rc 0 "$desk" passwd --new-password-file "$tmp/bob-newer.pw"
expect_rc 0 "$desk" login --user bob --password-file "$tmp/bob-newer.pw"
# The usage says which is which.
expect_rc 0 "$desk" user add --help
has "--new-password-file"
expect_rc 0 "$desk" passwd --help
has "--new-password-file"
echo "ok"
