// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg: configure erdev ExpressRoute circuits.
 *
 * Global options, usage and dispatch. See ercfg.8 for the user's view.
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "ercfg.h"
#include "json.h"
#include "nl.h"
#include "show.h"

#ifndef NETNS_RUN_DIR
#define NETNS_RUN_DIR "/var/run/netns"	/* as iproute2's ip netns */
#endif

#ifndef ERCFG_VERSION
#define ERCFG_VERSION "unknown"
#endif

/*
 * The command lines here must match the COMMANDS section of ercfg.8
 * (test-cli.sh compares them).
 */
static const char usage_text[] =
"Usage:\n"
"ercfg circuit add NAME [encap qinq|dot1q] [tpid 0x8100|0x88a8] [stag ID]\n"
"                  primary DEV [secondary DEV] [bandwidth RATE]\n"
"                  [sku local|standard|premium] [billing metered|unlimited]\n"
"                  [service-key UUID]\n"
"ercfg circuit set NAME [bandwidth RATE] [sku ...] [billing ...]\n"
"ercfg circuit del NAME\n"
"ercfg peering add NAME private|microsoft ctag ID\n"
"                  [ipv4 PREFIX/29 | ipv4 PRIMARY/30,SECONDARY/30]\n"
"                  [ipv6 PREFIX/125 | ipv6 PRIMARY/126,SECONDARY/126]\n"
"ercfg peering del NAME private|microsoft\n"
"ercfg show [NAME]          circuits, peerings, interfaces, addresses, ARP/ND\n"
"ercfg stats [NAME]         counters per interface and per port\n"
"ercfg -j|-p show|stats ...  the same as JSON (-p: indented)\n"
"ercfg apply [--dry-run] [--allow-empty] FILE|-  circuits as FILE says\n"
"ercfg apply --check FILE|-  check FILE alone: no module, no NICs needed\n"
"ercfg dump                 the circuits and peerings in apply's FILE format\n"
"ercfg monitor [-j]         circuit, peering and interface events, as they come\n"
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

/* Where the message is about (apply's FILE:LINE), if anywhere. */
const char *errmsg_file;
unsigned int errmsg_line;
unsigned int errmsg_col;
bool errmsg_compiler;
unsigned int (*errmsg_col_fn)(void);
void (*errmsg_sink)(unsigned int line, unsigned int col, const char *text);

/*
 * @s with its control characters as \xNN: the words from FILE are shown()
 * already, this is for the rest (a file name with a newline in it).
 */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* The message line, prefix and newline included, to @f. */
static void put_message(FILE *f, const char *msg, unsigned int col)
{
	bool where = errmsg_file && errmsg_line;

	if (!errmsg_compiler || !where)
		fputs("ercfg: ", f);
	if (where) {
		put_text(f, errmsg_file);
		if (errmsg_compiler && col)
			fprintf(f, ":%u:%u: ", errmsg_line, col);
		else
			fprintf(f, ":%u: ", errmsg_line);
	}
	put_text(f, msg);
	fputc('\n', f);
}

void errmsg(const char *fmt, ...)
{
	char buf[512], *msg = buf, *line = NULL;
	unsigned int col = errmsg_col;
	size_t len;
	va_list ap;
	FILE *f;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
	} else if ((size_t)n >= sizeof(buf)) {
		msg = malloc(n + 1);
		if (msg) {
			va_start(ap, fmt);
			vsnprintf(msg, n + 1, fmt, ap);
			va_end(ap);
		} else {
			msg = buf;	/* cut */
		}
	}
	if (!col && errmsg_col_fn)
		col = errmsg_col_fn();
	f = errmsg_sink && errmsg_line ? open_memstream(&line, &len) : NULL;
	if (f) {
		put_message(f, msg, col);
		if (fclose(f))
			put_message(stderr, msg, col);
		else
			errmsg_sink(errmsg_line, col, line);
		free(line);
	} else {
		put_message(stderr, msg, col);
	}
	if (msg != buf)
		free(msg);
}

static int run(const struct request *req)
{
	struct nl nl;
	int ret;

	if (nl_open(&nl))
		return -1;
	if (req->cmd == CMD_SHOW || req->cmd == CMD_STATS)
		ret = do_show(&nl, req);
	else
		ret = do_config(&nl, req);
	nl_close(&nl);
	return ret;
}

/* A failed write to stdout (a full disk, a closed pipe) is a failure. */
static int flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		errmsg("write error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

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

/*
 * -n NETNS: join the network namespace that "ip netns add NETNS" made, as
 * "ip -n" does, before any socket is opened: every request, and the
 * interface names and indexes, are then that namespace's. Unlike
 * "ip netns exec" it leaves the mount namespace (and /sys) alone: ercfg
 * reads nothing there. Needs CAP_SYS_ADMIN, as setns() does.
 */
static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, n;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		errmsg("invalid network namespace name \"%s\" (no /, as ip netns names)",
		       shown(name));
		return -1;
	}
	n = snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errmsg("network namespace name \"%s\" is too long", shown(name));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errmsg("cannot open network namespace \"%s\": %s", shown(name),
		       strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		errmsg("cannot enter network namespace \"%s\": %s", shown(name),
		       strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct request req = { 0 };
	const char *netns = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			fputs(usage_text, stdout);
			return flush_stdout() ? 1 : 0;
		}
		if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("ercfg %s\n", ERCFG_VERSION);
			return flush_stdout() ? 1 : 0;
		}
		if (output_option(opt, &req))
			continue;
		if (!strcmp(opt, "-n") || !strcmp(opt, "--netns")) {
			if (++i == argc) {
				errmsg("option \"%s\" needs a network namespace name",
				       opt);
				return 1;
			}
			netns = argv[i];
			continue;
		}
		errmsg("unknown option \"%s\"", shown(opt));
		return 1;
	}
	if (i == argc) {
		fputs(usage_text, stderr);
		return 1;
	}
	if (!strcmp(argv[i], "help")) {
		fputs(usage_text, stdout);
		return flush_stdout() ? 1 : 0;
	}
	argc = i + take_output_options(argc - i, argv + i, &req);
	if (netns && enter_netns(netns))
		return 1;
	if (is_state_command(argv[i])) {
		if (run_state_command(argc - i, argv + i, req.json))
			return 1;
		return flush_stdout() ? 1 : 0;
	}
	if (parse_command(argc - i, argv + i, &req))
		return 1;
	if (run(&req))
		return 1;
	return flush_stdout() ? 1 : 0;
}
