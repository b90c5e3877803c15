#!/usr/bin/env bash
# test_equipment_fail_refused.sh BIN_DIR CERT_DIR - G4, G3: a failed test
# at the register always opens its hazard; a result the hazard cannot
# hold (longer than a description's 256 bytes) refuses the step, saying
# why, with nothing stored: not an item marked failed with no hazard.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang

expect_rc 0 as wang "$desk" equipment add --code PUMP-1 --type pump \
  --location B1
# 100 characters of Chinese are 300 bytes.
long=$(printf '水泵无法启动压力不足%.0s' $(seq 10))
expect_rc 1 as wang "$desk" equipment fail 1 --result "$long"
has "the hazard it opens is refused: description: 300 bytes, the limit is 256"
expect_rc 0 as wang "$desk" equipment show 1 --json
has '"revision":1,'
hasnt '水泵无法启动'
expect_rc 0 as wang "$desk" register hazard list --json
hasnt '"description"'

expect_rc 0 as wang "$desk" equipment fail 1 --result 水泵无法启动
expect_rc 0 as wang "$desk" register hazard list --json
has '"description":"水泵无法启动".*"origin":"fire-equipment:1"'

stop_deskd
deskd_verify
