// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg's command line before the command runs: global options, -j and -p
 * wherever they are, the name of the network namespace, and the words of
 * the command itself, read by its entry's parse() in commands.c's table.
 * Nothing here opens a socket or a file; a command's words may look a DEV
 * name up (if_nametoindex()).
 */
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "commands.h"
#include "errmsg.h"
#include "json.h"
#include "parse.h"

#ifndef NETNS_RUN_DIR
#define NETNS_RUN_DIR "/var/run/netns"	/* as iproute2's ip netns */
#endif

/* -j and -p: JSON output, -p indented as well. False for another word. */
static bool output_option(const char *word, struct request *req)
{
	if (!strcmp(word, "-j")) {
		req->json = true;
		return true;
	}
	if (!strcmp(word, "-p")) {
		req->json = true;
		json_pretty = true;
		return true;
	}
	return false;
}

/*
 * -j and -p may follow the command too ("ercfg show c1 -j"): take them out
 * of its words, argv[0] being the command. No other word of a command is
 * either (names start with a letter; apply's standard input is "-").
 * The new argc.
 */
static int take_output_options(int argc, char **argv, struct request *req)
{
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		if (!output_option(argv[i], req))
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int parse_global(int argc, char **argv, struct cmdline *cl)
{
	int i;

	memset(cl, 0, sizeof(*cl));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help"))
			return CL_HELP;
		if (!strcmp(opt, "-V") || !strcmp(opt, "--version"))
			return CL_VERSION;
		if (output_option(opt, &cl->req))
			continue;
		if (!strcmp(opt, "-n") || !strcmp(opt, "--netns")) {
			if (++i == argc) {
				errmsg("option \"%s\" needs a network namespace name",
				       opt);
				return -1;
			}
			cl->netns = argv[i];
			continue;
		}
		errmsg("unknown option \"%s\"", shown(opt));
		return -1;
	}
	if (i == argc)
		return CL_USAGE;
	if (!strcmp(argv[i], "help"))
		return CL_HELP;
	cl->argv = argv + i;
	cl->argc = take_output_options(argc - i, cl->argv, &cl->req);
	return CL_COMMAND;
}

int netns_path(const char *name, char path[PATH_MAX])
{
	int n;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		errmsg("invalid network namespace name \"%s\" (no /, as ip netns names)",
		       shown(name));
		return -1;
	}
	n = snprintf(path, PATH_MAX, "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || n >= PATH_MAX) {
		errmsg("network namespace name \"%s\" is too long", shown(name));
		return -1;
	}
	return 0;
}

int parse_cmdline_command(struct cmdline *cl)
{
	int used;

	parse_word = 0;
	cl->command = find_command(cl->argc, cl->argv, &used);
	if (!cl->command)
		return -1;
	return cl->command->parse(cl->command, cl->argc, cl->argv, used, cl);
}
