/*
 * cli_people.c - the names people know each other by (issue 16): a record
 * says wangfang, the desk shows 王芳; and a complaint's category by the
 * office's name for it, noise as 噪音.  The directory and the categories
 * are each asked for once per process, when first wanted, and kept; a
 * program that runs all shift (desk console) reads the directory again
 * when people change.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static struct cli *people_cli;	/* the command's, once it logged in */
static Deskd__UserDirectoryReply *directory;
static Deskd__Response *directory_resp;
static bool directory_asked;

/* One request for every name; nothing (logins shown) when it fails: an
 * older deskd, or a desk that is not logged in. */
static void
directory_load(struct cli *cli)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDirectory d = DESKD__USER_DIRECTORY__INIT;

	directory_asked = true;
	if (cli->d == NULL)
		return;
	req.body_case = DESKD__REQUEST__BODY_USER_DIRECTORY;
	req.user_directory = &d;
	if (desk_call(cli->d, &req, &directory_resp) != DESK_OK ||
	    directory_resp == NULL)
		return;
	if (directory_resp->status == DESKD__STATUS__OK &&
	    directory_resp->body_case == DESKD__RESPONSE__BODY_USER_DIRECTORY)
		directory = directory_resp->user_directory;
}

void
cli_people_load(struct cli *cli)
{
	if (!directory_asked)
		directory_load(cli);
}

void
cli_people_reload(struct cli *cli)
{
	if (directory_resp != NULL)
		deskd__response__free_unpacked(directory_resp, NULL);
	directory_resp = NULL;
	directory = NULL;
	directory_load(cli);
}

void
cli_people_use(struct cli *cli)
{
	people_cli = cli;
}

const char *
cli_person_name(struct cli *cli, const char *login)
{
	if (cli == NULL)
		cli = people_cli;
	if (login == NULL || *login == '\0' || cli == NULL)
		return login;
	if (!directory_asked)
		directory_load(cli);
	for (size_t i = 0; directory != NULL && i < directory->n_users; i++)
		if (strcmp(directory->users[i]->login, login) == 0)
			return *directory->users[i]->display_name ?
			    directory->users[i]->display_name : login;
	return login;
}

static Deskd__Response *categories_resp;
static bool categories_asked;

/* One request for every category; nothing (codes shown) when it fails. */
static const Deskd__CategoryListReply *
categories_load(struct cli *cli)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__CategoryList l = DESKD__CATEGORY_LIST__INIT;

	categories_asked = true;
	if (cli == NULL || cli->d == NULL)
		return NULL;
	req.body_case = DESKD__REQUEST__BODY_CATEGORY_LIST;
	req.category_list = &l;
	if (desk_call(cli->d, &req, &categories_resp) != DESK_OK ||
	    categories_resp == NULL)
		return NULL;
	return categories_resp->status == DESKD__STATUS__OK &&
	    categories_resp->body_case == DESKD__RESPONSE__BODY_CATEGORIES ?
	    categories_resp->categories : NULL;
}

const char *
cli_category_name(struct cli *cli, const char *code, char *out, size_t len)
{
	static const Deskd__CategoryListReply *list;
	const char *name = "";

	if (code == NULL || *code == '\0')
		return code;
	if (!categories_asked)
		list = categories_load(cli != NULL ? cli : people_cli);
	for (size_t i = 0; list != NULL && i < list->n_categories; i++)
		if (strcmp(list->categories[i]->code, code) == 0)
			name = list->categories[i]->name;
	if (*name == '\0')
		return code;
	/* TRANSLATORS: a complaint's category, its code (noise) and the
	 * office's name for it (噪音): the English shows the code, a Chinese
	 * desk the name ("%2$s%1$.0s"). */
	snprintf(out, len, _("%1$s%2$.0s"), code, name);
	return out;
}

/* complaint.created's summary is all data (PROTOCOL.md 11.1): unit, name,
 * [category], text.  The category is a code; a Chinese desk says the
 * office's name for it, as complaint show does. */
static const char *
complaint_summary(const Deskd__Event *e, char *out, size_t len)
{
	const char *cat = e->complaint->category, *at, *name;
	char bracketed[80], named[128];
	size_t n;

	if (*cat == '\0' || (size_t)snprintf(bracketed, sizeof(bracketed),
	    "[%s]", cat) >= sizeof(bracketed) ||
	    (at = strstr(e->summary, bracketed)) == NULL ||
	    (name = cli_category_name(NULL, cat, named, sizeof(named))) == cat)
		return e->summary;
	n = (size_t)(at - e->summary);
	snprintf(out, len, "%.*s[%s]%s", (int)n, e->summary, name,
	    at + strlen(bracketed));
	return out;
}

const char *
cli_event_summary(const Deskd__Event *e, char *out, size_t len)
{
	const char *args[REFUSAL_MAX_ARGS];
	char message[512];
	size_t n = e->n_summary_args;

	if (*e->summary_code == '\0')
		return e->complaint != NULL ? complaint_summary(e, out, len) :
		    e->summary;
	if (n > REFUSAL_MAX_ARGS)
		return e->summary;
	/* An alert's message made of figures is coded in the alert itself. */
	for (size_t i = 0; i < n; i++)
		args[i] = e->alert != NULL && *e->alert->message_code &&
		    strcmp(e->summary_args[i], e->alert->message) == 0 ?
		    cli_alert_message(e->alert, message, sizeof(message)) :
		    e->summary_args[i];
	if (i18n_coded(e->summary_code, args, (int)n, true, out, len) < 0)
		return e->summary;
	return out;
}
