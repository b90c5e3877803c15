/*
 * console_check.c - what a field of the board's forms takes (console.h),
 * checked as the field is left, so that a clerk hears what is wrong on
 * the field's own line while the caller is still on the phone, not after
 * the whole form was typed.  Pure: the archive's units are looked up by
 * console_form.c; deskd checks everything again when the form is sent.
 */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "wire.h"

/* validate.c's limit for a field it does not name. */
#define DESKD_DEFAULT_LIMIT	256

bool
form_check_field(const struct form_field *f, const char *v, char *why,
    size_t len)
{
	size_t max = f->max ? f->max : DESKD_DEFAULT_LIMIT;
	int64_t ms;

	*why = '\0';
	if (*v == '\0') {
		if (!f->optional)
			snprintf(why, len, "%s", _("must be filled in"));
		return f->optional;
	}
	/* deskd's limits are bytes of UTF-8: a Chinese character is 3. */
	if (strlen(v) > max) {
		snprintf(why, len, _("too long: at most %1$zu letters or %2$zu "
		    "Chinese characters"), max, max / 3);
		return false;
	}
	switch (f->check) {
	case CHECK_PHONE:
		if (!wire_phone_ok(v))
			snprintf(why, len, "%s", _("not a phone number: 5 to 15 "
			    "digits (+, spaces and dashes allowed)"));
		break;
	case CHECK_TIME:
		if (cli_parse_time(v, &ms) != 0)
			snprintf(why, len, "%s", _("not a time: HH:MM or "
			    "+30m"));
		break;
	case CHECK_SCORE:
		if (strlen(v) != 1 || *v < '1' || *v > '5')
			snprintf(why, len, "%s", _("a number from 1 to 5"));
		break;
	case CHECK_KIND:
		if (strcmp(v, "repair") != 0 && strcmp(v, "service") != 0 &&
		    strcmp(v, "special") != 0)
			snprintf(why, len, "%s", _("repair, service or special"));
		break;
	case CHECK_TEXT:
	case CHECK_UNIT:
		break;
	}
	return *why == '\0';
}
