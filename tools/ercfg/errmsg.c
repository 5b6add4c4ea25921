// SPDX-License-Identifier: GPL-2.0
/*
 * errmsg(): ercfg's one way of saying what went wrong, a line on stderr,
 * with FILE:LINE: (and :COLUMN for apply --check) when the message is
 * about a line of apply's FILE. Apart from main() so that the fuzz
 * harnesses (fuzz/) print through the same code as the program.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "errmsg.h"

/* Where the message is about (apply's FILE:LINE), if anywhere. */
enum ercfg_status errmsg_status = ERCFG_FAILED;
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
