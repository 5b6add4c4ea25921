// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg: configure erdev ExpressRoute circuits.
 *
 * main(): the global options (cmdline.c), -n's network namespace, then
 * the command, found in commands.c's table, read and run. See ercfg.8 for
 * the user's view.
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

#include "cmdline.h"
#include "commands.h"
#include "errmsg.h"
#include "parse.h"

#ifndef ERCFG_VERSION
#define ERCFG_VERSION "unknown"
#endif

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
		print_usage(stdout);
		return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
	case CL_VERSION:
		printf("ercfg %s\n", ERCFG_VERSION);
		return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
	case CL_USAGE:
		print_usage(stderr);
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
	if (run_command(&cl))
		return errmsg_status;
	return flush_stdout() ? ERCFG_FAILED : ERCFG_OK;
}
