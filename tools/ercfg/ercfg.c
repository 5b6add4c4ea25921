// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg: configure erdev ExpressRoute circuits.
 *
 * Usage and dispatch: cmdline.c reads the command line, and the command
 * runs here. See ercfg.8 for the user's view.
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "cmdline.h"
#include "config.h"
#include "errmsg.h"
#include "model.h"
#include "nl.h"
#include "parse.h"
#include "prefix.h"
#include "show.h"

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
"                  [dscp conform|keep]\n"
"ercfg peering set NAME private|microsoft [dscp conform|keep]\n"
"ercfg peering del NAME private|microsoft\n"
"ercfg show [NAME]          circuits, peerings, interfaces, addresses, ARP/ND\n"
"ercfg stats [NAME]         counters per interface and per port\n"
"ercfg stats [NAME] --watch N  the same every N seconds, with bit rates\n"
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
	int fd;

	/* A name that is not one, or of no namespace, is the caller's. */
	errmsg_status = ERCFG_USAGE;
	if (netns_path(name, path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			errmsg_status = ERCFG_FAILED;
		errmsg("cannot open network namespace \"%s\": %s", shown(name),
		       strerror(errno));
		return -1;
	}
	errmsg_status = ERCFG_FAILED;
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
	struct cmdline cl;

	switch (parse_global(argc, argv, &cl)) {
	case CL_HELP:
		fputs(usage_text, stdout);
		return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
	case CL_VERSION:
		printf("ercfg %s\n", ERCFG_VERSION);
		return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
	case CL_USAGE:
		fputs(usage_text, stderr);
		return ERCFG_USAGE;
	case CL_COMMAND:
		break;
	default:
		return ERCFG_USAGE;
	}
	if (cl.netns && enter_netns(cl.netns))
		return errmsg_status;
	if (parse_cmdline_command(&cl))
		return ERCFG_USAGE;
	if (cl.state ? run_state_command(&cl.sa) : run(&cl.req))
		return errmsg_status;
	return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
}
