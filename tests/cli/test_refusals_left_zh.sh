#!/usr/bin/env bash
# test_refusals_left_zh.sh BIN_DIR CERT_DIR - the refusals and reports
# that stayed English at a Chinese desk (issue 16): a record's kind named
# in a refusal, a schedule's problems, an import's provenance and its
# rejected rows, a survey's refusals and the dates of a range, and a
# complaint's category by its Chinese name.  Under LANG=C the English is
# what it always was.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue
expect_rc 0 as sue "$desk" unit add 3-2-1201 --status occupied

zh() { LANG=zh_CN.UTF-8 LC_ALL='' LANGUAGE='' "$@"; }
en() { LANG=C LC_ALL='' LANGUAGE='' "$@"; }

# A record's kind is said as the desk calls it ("record" context: a repair
# is a work order, 工单, not the kind of work 维修).
expect_rc 1 zh as wang "$desk" complaint valid 9
has '没有 投诉 9'
hasnt 'complaint'
expect_rc 1 zh as wang "$desk" repair show 9
has '没有 工单 9'
hasnt 'repair'
expect_rc 1 en as wang "$desk" complaint valid 9
has 'no complaint 9 (NOT_FOUND)'
expect_rc 1 en as wang "$desk" repair show 9
has 'no repair 9 (NOT_FOUND)'
echo ok
