#!/usr/bin/env bash
# test_console_people.sh BIN_DIR CERT_DIR - the board names people as the
# user directory says now (issue 16: "shown everywhere a person is
# named"): a colleague added during the shift is named on the feed by the
# name people know her by, not her login; renamed, her lines say the new
# name, and the desk's own header its user's new name.  (The directory was
# read once when the board opened: she showed as her login.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
# shellcheck source=console_lib.sh
source "$(dirname "$0")/console_lib.sh"

start_deskd
add_users clerk:clerk1
login_desk clerk1
board clerk1 b
wait_screen 10 b '^online'
screen b | head -1 | grep -q ' clerk1 ' || fail "the header does not name the desk's user: $(screen b)"

# Added after the board opened, she records a complaint: named 王芳.
admin() { XDG_CONFIG_HOME=$tmp/cfg-admin expect_rc 0 "$desk" "$@"; }
admin user add wang --name 王芳 --role clerk --password-file "$(pwfile wang)"
as wang "$desk" complaint new --unit 3-2-1201 --name "王女士" --phone 13800000000 \
  --category noise --text "楼上装修噪音" >/dev/null
wait_screen 3 b ' 王芳 +new complaint +complaint:1 '
screen b | grep -q ' wang  *new complaint' && fail "shown by her login: $(screen b)"

# Renamed: her line says the new name; the desk's user, in the header.
admin user set-name wang 王小芳
wait_screen 3 b ' 王小芳 +new complaint +complaint:1 '
admin user set-name clerk1 李静
wait_screen 3 b '^[^ ]+  post [^ ]+  李静  '
keys b q
