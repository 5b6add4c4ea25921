// SPDX-License-Identifier: GPL-2.0
/*
 * Every command of ercfg, in one table (commands[]), as wg's subcommands[]:
 * a new command is one entry here, and its lines in ercfg.8's COMMANDS.
 *
 * A command runs in three steps, whatever it is (main() in ercfg.c): the
 * global options (cmdline.c) and -n's network namespace, entered for every
 * command before its words are read (DEV names are looked up there); the
 * command's words, read and checked by its parse(), which opens nothing
 * (parse.c for the requests: circuit, peering, show, stats; apply.c for
 * apply); then its run(), given the erdev generic netlink socket if the
 * entry says CMDF_NL (apply opens it itself, after reading FILE, and
 * apply --check never does).
 */
#include <stdio.h>
#include <string.h>

#include "apply.h"
#include "cmdline.h"
#include "commands.h"
#include "config.h"
#include "errmsg.h"
#include "nl.h"
#include "parse.h"
#include "show.h"

#define OPTS_CIRCUIT_ADD (BIT(OPT_ENCAP) | BIT(OPT_TPID) | BIT(OPT_STAG) | \
			  BIT(OPT_PRIMARY) | BIT(OPT_SECONDARY) | \
			  BIT(OPT_BANDWIDTH) | BIT(OPT_SKU) | BIT(OPT_BILLING) | \
			  BIT(OPT_SERVICE_KEY))
#define OPTS_CIRCUIT_SET (BIT(OPT_BANDWIDTH) | BIT(OPT_SKU) | BIT(OPT_BILLING))
#define OPTS_PEERING_ADD (BIT(OPT_CTAG) | BIT(OPT_IPV4) | BIT(OPT_IPV6) | \
			  BIT(OPT_DSCP))
#define OPTS_PEERING_SET BIT(OPT_DSCP)
#define OPTS_STATS	 BIT(OPT_WATCH)

/* The parsers and runners of the table. */

static int parse_req(const struct command *c, int argc, char **argv,
		     int used, struct cmdline *cl)
{
	return parse_request(c, argc, argv, used, &cl->req);
}

static int parse_apply_words(const struct command *c, int argc, char **argv,
			     int used, struct cmdline *cl)
{
	(void)c;
	(void)used;
	return parse_apply(argc, argv, &cl->apply);
}

/* A command of no words of its own (-j and -p are taken already). */
static int parse_none(const struct command *c, int argc, char **argv,
		      int used, struct cmdline *cl)
{
	(void)c;
	(void)cl;
	if (argc > used) {
		errmsg("unknown word \"%s\"", shown(argv[used]));
		return -1;
	}
	return 0;
}

static int run_change(struct nl *nl, const struct cmdline *cl)
{
	return do_config(nl, &cl->req);
}

static int run_show(struct nl *nl, const struct cmdline *cl)
{
	return do_show(nl, &cl->req);
}

static int run_apply_file(struct nl *nl, const struct cmdline *cl)
{
	(void)nl;
	return run_apply(&cl->apply);
}

static int run_dump(struct nl *nl, const struct cmdline *cl)
{
	(void)cl;
	return do_dump(nl);
}

static int run_monitor(struct nl *nl, const struct cmdline *cl)
{
	return do_monitor(nl, cl->req.json);
}

/*
 * The usage lines must match the COMMANDS section of ercfg.8 (test-cli.sh
 * compares them), and --help prints them in this order.
 */
static const struct command commands[] = {
	{ "circuit", "add", CMDF_REQUEST | CMDF_NL,
	  CMD_CIRCUIT_ADD, ARG_NAME, OPTS_CIRCUIT_ADD, parse_req, run_change,
"ercfg circuit add NAME [encap qinq|dot1q] [tpid 0x8100|0x88a8] [stag ID]\n"
"                  primary DEV [secondary DEV] [bandwidth RATE]\n"
"                  [sku local|standard|premium] [billing metered|unlimited]\n"
"                  [service-key UUID]\n" },
	{ "circuit", "set", CMDF_REQUEST | CMDF_NL,
	  CMD_CIRCUIT_SET, ARG_NAME, OPTS_CIRCUIT_SET, parse_req, run_change,
"ercfg circuit set NAME [bandwidth RATE] [sku ...] [billing ...]\n" },
	{ "circuit", "del", CMDF_REQUEST | CMDF_NL,
	  CMD_CIRCUIT_DEL, ARG_NAME, 0, parse_req, run_change,
"ercfg circuit del NAME\n" },
	{ "peering", "add", CMDF_REQUEST | CMDF_NL,
	  CMD_PEERING_ADD, ARG_NAME | ARG_TYPE, OPTS_PEERING_ADD, parse_req,
	  run_change,
"ercfg peering add NAME private|microsoft ctag ID\n"
"                  [ipv4 PREFIX/29 | ipv4 PRIMARY/30,SECONDARY/30]\n"
"                  [ipv6 PREFIX/125 | ipv6 PRIMARY/126,SECONDARY/126]\n"
"                  [dscp conform|keep]\n" },
	{ "peering", "set", CMDF_REQUEST | CMDF_NL,
	  CMD_PEERING_SET, ARG_NAME | ARG_TYPE, OPTS_PEERING_SET, parse_req,
	  run_change,
"ercfg peering set NAME private|microsoft [dscp conform|keep]\n" },
	{ "peering", "del", CMDF_REQUEST | CMDF_NL,
	  CMD_PEERING_DEL, ARG_NAME | ARG_TYPE, 0, parse_req, run_change,
"ercfg peering del NAME private|microsoft\n" },
	{ "show", NULL, CMDF_REQUEST | CMDF_NL,
	  CMD_SHOW, ARG_NAME_OPT, 0, parse_req, run_show,
"ercfg show [NAME]          circuits, peerings, interfaces, addresses, ARP/ND\n" },
	{ "stats", NULL, CMDF_REQUEST | CMDF_NL,
	  CMD_STATS, ARG_NAME_OPT, OPTS_STATS, parse_req, run_show,
"ercfg stats [NAME]         counters per interface and per port\n"
"ercfg stats [NAME] --watch N  the same every N seconds, with bit rates\n"
"ercfg -j|-p show|stats ...  the same as JSON (-p: indented)\n" },
	/* apply opens the socket itself: after FILE is read, not for --check. */
	{ "apply", NULL, 0,
	  0, 0, 0, parse_apply_words, run_apply_file,
"ercfg apply [--dry-run] [--allow-empty] FILE|-  circuits as FILE says\n"
"ercfg apply --check FILE|-  check FILE alone: no module, no NICs needed\n" },
	{ "dump", NULL, CMDF_NL,
	  0, 0, 0, parse_none, run_dump,
"ercfg dump                 the circuits and peerings in apply's FILE format\n" },
	{ "monitor", NULL, CMDF_NL,
	  0, 0, 0, parse_none, run_monitor,
"ercfg monitor [-j]         circuit, peering and interface events, as they come\n" },
};

/* After the commands: the global options (cmdline.c) and the words. */
static const char usage_tail[] =
"ercfg -n NETNS COMMAND ...  the command in network namespace NETNS (ip netns)\n"
"ercfg -V|--version         version\n"
"ercfg -h|--help|help       this help\n"
"\n"
"NETNS a name of \"ip netns list\", its file in /var/run/netns\n"
"NAME  circuit name: 1 to 12 of A-Z a-z 0-9 _ -, starting with a letter\n"
"ID    VLAN ID, 1 to 4094\n"
"DEV   network device, e.g. eth0\n"
"RATE  whole Mbit/s in tc units: 50mbit, 1gbit, 100gbit\n"
"UUID  service key, e.g. 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"
"PREFIX  link subnets as assigned: a /29 is two /30, the first for the primary\n"
"        link; the customer gets the first address (.1, ::1), Microsoft .2, ::2\n"
"FILE  one \"circuit NAME ...\" or \"peering NAME ...\" per line, with the words\n"
"      of circuit add and peering add; # starts a comment\n";

void print_usage(FILE *f)
{
	unsigned int i;

	fputs("Usage:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fputs(commands[i].usage, f);
	fputs(usage_tail, f);
}

const struct command *find_command(int argc, char **argv, int *used)
{
	bool object_known = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->object, argv[0]))
			continue;
		if (!c->verb) {
			*used = 1;
			return c;
		}
		object_known = true;
		if (argc > 1 && !strcmp(c->verb, argv[1])) {
			*used = 2;
			return c;
		}
	}
	if (object_known && argc > 1)
		errmsg("unknown command \"%s %s\"", shown(argv[0]),
		       shown(argv[1]));
	else
		errmsg("unknown command \"%s\"", shown(argv[0]));
	return NULL;
}

int parse_command(int argc, char **argv, struct request *req)
{
	const struct command *c;
	int used;

	parse_word = 0;
	c = find_command(argc, argv, &used);
	if (!c)
		return -1;
	if (!(c->flags & CMDF_REQUEST)) {
		errmsg("unknown command \"%s\"", shown(argv[0]));
		return -1;
	}
	return parse_request(c, argc, argv, used, req);
}

int run_command(const struct cmdline *cl)
{
	const struct command *c = cl->command;
	struct nl nl;
	int ret;

	if (!(c->flags & CMDF_NL))
		return c->run(NULL, cl);
	if (nl_open(&nl))
		return -1;
	ret = c->run(&nl, cl);
	nl_close(&nl);
	return ret;
}
