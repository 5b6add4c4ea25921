/* SPDX-License-Identifier: GPL-2.0 */
/*
 * errmsg.c: ercfg's one way of saying what went wrong, and the exit
 * status that goes with it.
 */
#ifndef _ERCFG_ERRMSG_H
#define _ERCFG_ERRMSG_H

#include <stdbool.h>

extern const char *errmsg_file;		/* errmsg() says "FILE:LINE: " */
extern unsigned int errmsg_line;	/* when both are set */
extern unsigned int errmsg_col;		/* and errmsg_compiler... */
extern bool errmsg_compiler;		/* ..."FILE:LINE:COL: ", no "ercfg: " */
extern unsigned int (*errmsg_col_fn)(void); /* the column if errmsg_col 0 */
/* If set, takes the messages about a line instead of stderr (a copy). */
extern void (*errmsg_sink)(unsigned int line, unsigned int col,
			   const char *text);
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The exit statuses (ercfg(8), EXIT STATUS), so that a script can tell a
 * mistake of its own from a refusal and from a router without the module.
 */
enum ercfg_status {
	ERCFG_OK = 0,
	ERCFG_FAILED = 1,	/* the kernel refused; a netlink or system error */
	ERCFG_USAGE = 2,	/* bad command line or FILE: nothing was asked */
	ERCFG_NO_MODULE = 3,	/* no "erdev" generic netlink family */
};
extern enum ercfg_status errmsg_status;	/* a failure's exit status */

#endif /* _ERCFG_ERRMSG_H */
