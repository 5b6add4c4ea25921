/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The whole command line, up to the first socket: the global options, the
 * network namespace's name, then the command's own words. main() enters
 * the namespace between the two steps, since a command's words may name
 * DEV, looked up in it; fuzz/fuzz-cli.c calls the same two steps without
 * it. The commands themselves are commands.c's table.
 */
#ifndef _ERCFG_CMDLINE_H
#define _ERCFG_CMDLINE_H

#include <limits.h>
#include <stdbool.h>

#include "apply.h"
#include "model.h"

struct command;

/* What parse_global() found: what main() is to do. */
enum cmdline_action {
	CL_HELP,			/* -h, --help, help: usage on stdout */
	CL_VERSION,			/* -V, --version */
	CL_USAGE,			/* no command: usage on stderr, status 1 */
	CL_COMMAND,			/* a command: parse_cmdline_command() */
};

struct cmdline {
	const char *netns;		/* -n NETNS; NULL: none */
	int argc;			/* the command and its words */
	char **argv;			/* (argv of main, -j and -p taken out) */
	const struct command *command;	/* commands.c's entry of argv[0] */
	struct apply_args apply;	/* apply's words */
	struct request req;		/* -j, -p; a request command's words */
};

/*
 * The global options of @argv (main's, argv[0] the program), and -j and
 * -p after the command too. An enum cmdline_action, or -1 after saying
 * why. Reorders argv's command words in place.
 */
int parse_global(int argc, char **argv, struct cmdline *cl);

/* /var/run/netns/NAME for -n NAME in @path; 0, or -1 after saying why. */
int netns_path(const char *name, char path[PATH_MAX]);

/*
 * The command (cl->command) and its words, into cl->req or cl->apply as
 * its entry says. 0, or -1 after saying why.
 */
int parse_cmdline_command(struct cmdline *cl);

#endif /* _ERCFG_CMDLINE_H */
