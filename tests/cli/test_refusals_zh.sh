#!/usr/bin/env bash
# test_refusals_zh.sh BIN_DIR CERT_DIR - the server's refusals said in the
# desk's language (issue 16, PROTOCOL.md 6.1): under zh_CN.UTF-8 a unit not
# in the archive, a category not on the list, a permission denied and a
# field too long are said in Chinese with their arguments (the unit, the
# near match, the list, what a clerk may not do, the sizes), and so is the
# library's own "cannot connect"; under
# LANG=C the English is what it always was.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang supervisor:sue
expect_rc 0 as sue "$desk" unit add 3-2-1201 --status occupied

zh() { LANG=zh_CN.UTF-8 LC_ALL='' LANGUAGE='' "$@"; }
en() { LANG=C LC_ALL='' LANGUAGE='' "$@"; }
new_complaint() { "$desk" complaint new --unit "$1" --name "王女士" \
  --phone 13800000000 --category noise --text "楼上装修噪音"; }

expect_rc 1 zh as wang new_complaint 3-2-1210
has '单元 3-2-1210 不在档案中（相近：3-2-1201）'
hasnt 'in the archive'
expect_rc 1 en as wang new_complaint 3-2-1210
has "unit: no unit '3-2-1210' in the archive (near: 3-2-1201) (NOT_FOUND)"
expect_rc 1 zh as wang new_complaint 9-9-9999
has '单元 9-9-9999 不在档案中（见 desk unit list）'

# A refusal with a list after it: the list is its last argument.
expect_rc 1 zh as wang "$desk" complaint new --unit 3-2-1201 --name "王女士" \
  --phone 13800000000 --category bogus --text "楼上装修噪音"
has "category：'bogus' 不在类别表中；是不是 噪音（noise）？类别表： noise 噪音,"

# The argument that is a text of the catalog is said in Chinese too.
expect_rc 4 zh as wang "$desk" user add wangfang --role clerk \
  --password-file "$(pwfile wangfang)"
has '客服员 无权管理用户'
hasnt 'may not'
expect_rc 4 en as wang "$desk" user add wangfang --role clerk \
  --password-file "$(pwfile wangfang)"
has 'a clerk may not manage users (PERMISSION_DENIED)'

long=1234567890123456789012345678901234567890
expect_rc 1 zh as wang new_complaint $long
has '单元：40 字节，上限为 32'
expect_rc 1 en as wang new_complaint $long
has 'unit: 40 bytes, the limit is 32'

# The client library's own errors.
expect_rc 3 zh "$desk" --server 127.0.0.1:1 complaint list
has '无法连接到 127.0.0.1:1'
expect_rc 3 en "$desk" --server 127.0.0.1:1 complaint list
has 'cannot connect to 127.0.0.1:1'
echo ok
