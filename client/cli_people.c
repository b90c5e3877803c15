/*
 * cli_people.c - the names people know each other by (issue 16): a record
 * says wangfang, the desk shows 王芳; and a complaint's category by the
 * office's name for it, noise as 噪音.  The directory and the categories
 * are each asked for once per process, when first wanted (the categories
 * only by a desk that names them), and kept; a
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

/* A list asked for once: its reply when the server gave it, else NULL
 * (an older deskd, or a desk that is not logged in); *resp is kept. */
static Deskd__Response *
ask_once(struct cli *cli, Deskd__Request *req, Deskd__Response **resp,
    Deskd__Response__BodyCase body)
{
	if (cli == NULL || cli->d == NULL ||
	    desk_call(cli->d, req, resp) != DESK_OK || *resp == NULL)
		return NULL;
	return (*resp)->status == DESKD__STATUS__OK &&
	    (*resp)->body_case == body ? *resp : NULL;
}

/* One request for every name; nothing (logins shown) when it fails. */
static void
directory_load(struct cli *cli)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDirectory d = DESKD__USER_DIRECTORY__INIT;
	Deskd__Response *r;

	directory_asked = true;
	req.body_case = DESKD__REQUEST__BODY_USER_DIRECTORY;
	req.user_directory = &d;
	if ((r = ask_once(cli, &req, &directory_resp,
	    DESKD__RESPONSE__BODY_USER_DIRECTORY)) != NULL)
		directory = r->user_directory;
}

static Deskd__Response *categories_resp;
static const Deskd__CategoryListReply *categories;
static bool categories_asked;

/* Does this desk say a category by the office's name (a Chinese desk), or
 * by its code, which needs no list? */
static bool
categories_named(void)
{
	return strcmp(_("%1$s%2$.0s"), "%1$s%2$.0s") != 0;
}

/* One request for every category; nothing (codes shown) when it fails. */
static void
categories_load(struct cli *cli)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__CategoryList l = DESKD__CATEGORY_LIST__INIT;
	Deskd__Response *r;

	categories_asked = true;
	if (!categories_named())
		return;
	req.body_case = DESKD__REQUEST__BODY_CATEGORY_LIST;
	req.category_list = &l;
	if ((r = ask_once(cli, &req, &categories_resp,
	    DESKD__RESPONSE__BODY_CATEGORIES)) != NULL)
		categories = r->categories;
}

void
cli_people_load(struct cli *cli)
{
	if (!directory_asked)
		directory_load(cli);
	if (!categories_asked)
		categories_load(cli);
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

const char *
cli_category_name(struct cli *cli, const char *code, char *out, size_t len)
{
	const char *name = "";

	if (code == NULL || *code == '\0')
		return code;
	if (!categories_asked)
		categories_load(cli != NULL ? cli : people_cli);
	for (size_t i = 0; categories != NULL && i < categories->n_categories;
	    i++)
		if (strcmp(categories->categories[i]->code, code) == 0)
			name = categories->categories[i]->name;
	if (*name == '\0')
		return code;
	/* TRANSLATORS: a complaint's category, its code (noise) and the
	 * office's name for it (噪音): the English shows the code, a Chinese
	 * desk the name ("%2$s%1$.0s"). */
	snprintf(out, len, _("%1$s%2$.0s"), code, name);
	return out;
}

/*
 * complaint.created's (and .imported's) summary is all data (PROTOCOL.md
 * 11.1): "UNIT NAME [CATEGORY] TEXT".  The category is a code; a Chinese
 * desk says the office's name for it, as complaint show does.  Only there:
 * the same brackets in a reply's text are the text's.
 */
static const char *
complaint_summary(const Deskd__Event *e, char *out, size_t len)
{
	const Deskd__Complaint *c = e->complaint;
	const char *s = e->summary, *name;
	char named[128];
	size_t at = strlen(c->unit) + 1 + strlen(c->complainant) + 1;
	size_t clen = strlen(c->category);

	if ((strcmp(e->type, "complaint.created") != 0 &&
	    strcmp(e->type, "complaint.imported") != 0) || clen == 0 ||
	    strlen(s) < at + clen + 2 || s[at] != '[' ||
	    strncmp(s + at + 1, c->category, clen) != 0 ||
	    s[at + 1 + clen] != ']' ||
	    (name = cli_category_name(NULL, c->category, named,
	    sizeof(named))) == c->category)
		return s;
	snprintf(out, len, "%.*s[%s]%s", (int)at, s, name, s + at + 1 + clen + 1);
	return out;
}

const char *
cli_event_summary(const Deskd__Event *e, char *out, size_t len)
{
	const char *args[REFUSAL_MAX_ARGS];
	char message[512];
	size_t n = e->n_summary_args;

	if (*e->summary_code == '\0')
		return e->complaint != NULL && e->type != NULL ?
		    complaint_summary(e, out, len) : e->summary;
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
