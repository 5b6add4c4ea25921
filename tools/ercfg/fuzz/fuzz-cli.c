// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the bytes are ercfg's command line, its words
 * separated by NUL bytes as in /proc/PID/cmdline (a NUL at the end ends
 * the last word; two in a row make an empty word). They go through the
 * same steps as main() (cmdline.c): the global options and -j/-p, the
 * network namespace's name, then the words of every command of
 * commands.c's table, each read by its entry's parse(). A request command
 * line that passes has its netlink request built in a buffer
 * (config_msg()), as do_config() would before sending it.
 *
 * Left out, as main() does them after parsing: entering the namespace,
 * opening sockets, reading apply's FILE (fuzz-conf.c reads FILEs). DEV
 * names are only checked, as apply --check does, not looked up: the
 * result depends on the input alone, not on the NICs of the machine.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "commands.h"
#include "config.h"
#include "json.h"
#include "nl.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct nl nl;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	nl.buf = malloc(NL_BUFSIZ);
	if (!nl.buf)
		abort();
	parse_no_devices = true;
	return 0;
}

/* "ercfg" and the words of @text (@len bytes, NUL after them), NULL. */
static char **split_words(char *text, size_t len, int *argc)
{
	size_t i, n = 1;
	char **argv;

	for (i = 0; i < len; i++)
		n += !text[i] || i == len - 1;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	argv[0] = "ercfg";
	*argc = 1;
	for (i = 0; i < len; i += strlen(text + i) + 1)
		argv[(*argc)++] = text + i;
	argv[*argc] = NULL;
	return argv;
}

static void parse(int argc, char **argv)
{
	char path[PATH_MAX];
	struct cmdline cl;

	if (parse_global(argc, argv, &cl) != CL_COMMAND)
		return;
	if (cl.netns && netns_path(cl.netns, path))
		return;
	if (parse_cmdline_command(&cl) ||
	    !(cl.command->flags & CMDF_REQUEST))
		return;
	config_msg(&nl, &cl.req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), **argv;
	int argc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	argv = split_words(text, size, &argc);
	if (argv)
		parse(argc, argv);
	/* What one command line may change for the next: reset. */
	json_pretty = false;
	parse_word = -1;
	free(argv);
	free(text);
	return 0;
}
