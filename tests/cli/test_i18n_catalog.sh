#!/usr/bin/env bash
# Every text desk shows has its Chinese (issue 16): each msgid the sources
# mark (desk.pot, extracted at build) is translated in the zh_CN catalog,
# none left fuzzy, and the catalogs are where desk looks for them, so that
# LANG=zh_CN.UTF-8 shows the Chinese and LANG=C the English.
source "$(dirname "$0")/lib.sh" "$@"
po=$bin/../po
loc=$bin/../share/locale
[ -s "$po/desk.pot" ] || fail "no $po/desk.pot"
# msgcmp counts an untranslated or fuzzy entry as missing.
msgcmp "$po/zh_CN.po" "$po/desk.pot" 2>"$tmp/missing" ||
  fail "texts without Chinese: $(grep -c 'not found' "$tmp/missing") of them: $(head -c 3000 "$tmp/missing")"
[ -z "$(msgattrib --only-fuzzy --no-obsolete "$po/zh_CN.po")" ] ||
  fail "fuzzy translations in zh_CN.po"
for l in zh_CN en; do
  [ -s "$loc/$l/LC_MESSAGES/desk.mo" ] || fail "no $l catalog under $loc"
done
locale -a | grep -qix zh_CN.utf8 || fail "no zh_CN.UTF-8 locale (scripts/deps makes it)"
expect_rc 0 env LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$desk" --help
has '命令'
hasnt 'Commands:'
expect_rc 0 env LANG=C LC_ALL= LANGUAGE= "$desk" --help
has 'Commands:'
hasnt '命令'
echo ok
