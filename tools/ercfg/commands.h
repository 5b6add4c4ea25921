/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commands.c: every command of ercfg in one table, as wg's subcommands[]:
 * its words, how the words after them are read, whether it runs on the
 * erdev socket, how it runs, and its lines of the usage. A new command is
 * one entry there (and its lines in ercfg.8's COMMANDS).
 */
#ifndef _ERCFG_COMMANDS_H
#define _ERCFG_COMMANDS_H

#include <stdio.h>

#include "model.h"

struct cmdline;
struct nl;

/* command.args: the positional words of a request command. */
#define ARG_NAME	BIT(0)	/* circuit name, required */
#define ARG_NAME_OPT	BIT(1)	/* circuit name, optional */
#define ARG_TYPE	BIT(2)	/* peering type, required */

/* command.flags */
#define CMDF_REQUEST	BIT(0)	/* its words are a struct request (parse.c) */
#define CMDF_NL		BIT(1)	/* runs on the erdev socket, opened for it */

struct command {
	const char *object;		/* the first word */
	const char *verb;		/* the second; NULL: a one-word command */
	unsigned int flags;		/* CMDF_* */
	/* CMDF_REQUEST: what parse_request() makes of the words */
	enum ercfg_cmd cmd;		/* request.cmd */
	unsigned int args;		/* ARG_* */
	unsigned int opts;		/* BIT(enum ercfg_opt): option words */
	/*
	 * The words after the command's (argv[@used] on) into @cl, checked,
	 * with nothing opened: 0, or -1 after saying why.
	 */
	int (*parse)(const struct command *c, int argc, char **argv, int used,
		     struct cmdline *cl);
	/* @nl: the erdev socket (CMDF_NL), else NULL. 0, or -1, said why. */
	int (*run)(struct nl *nl, const struct cmdline *cl);
	const char *usage;		/* its lines of the usage text */
};

/*
 * The command that the words of @argv (@argc > 0) name, *@used of them;
 * NULL after saying "unknown command".
 */
const struct command *find_command(int argc, char **argv, int *used);

/*
 * A request's words, the command's first (circuit, peering, show, stats):
 * a line of apply's FILE, a test's command line. 0, or -1 after saying why.
 */
int parse_command(int argc, char **argv, struct request *req);

/* The command that parse_cmdline_command() read. 0, or -1 after saying why. */
int run_command(const struct cmdline *cl);

/* The usage text: every command's lines, then the global options. */
void print_usage(FILE *f);

#endif /* _ERCFG_COMMANDS_H */
