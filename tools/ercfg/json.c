// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output, written by hand. Strings are escaped per RFC 8259; bytes
 * that are not valid UTF-8 (interface names are only bytes to the kernel)
 * become U+FFFD so that the output always parses.
 */
#include <inttypes.h>

#include "json.h"

bool json_pretty;

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->pretty = json_pretty;
	j->comma[0] = false;
}

/* Pretty: a new line, indented four spaces a level as iproute2 does. */
static void json_newline(struct json *j, unsigned int depth)
{
	unsigned int i;

	fputc('\n', j->f);
	for (i = 0; i < depth; i++)
		fputs("    ", j->f);
}

/* Length of the valid UTF-8 sequence at @s, 0 if it is not one. */
static unsigned int utf8_seq_len(const unsigned char *s)
{
	unsigned int i, n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	/* A NUL fails this test, so the loop never reads past the end. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		unsigned int n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_seq_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* Comma and member name before a value. */
static void json_key(struct json *j, const char *key)
{
	if (j->comma[j->depth])
		fputc(',', j->f);
	if (j->pretty && j->depth)
		json_newline(j, j->depth);
	j->comma[j->depth] = true;
	if (key) {
		json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void json_begin(struct json *j, const char *key, char c)
{
	json_key(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->comma[j->depth] = false;
}

static void json_end(struct json *j, char c)
{
	/* An empty container stays "[]" or "{}". */
	if (j->pretty && j->depth && j->comma[j->depth])
		json_newline(j, j->depth - 1);
	fputc(c, j->f);
	if (j->depth)
		j->depth--;
}

void json_begin_object(struct json *j, const char *key)
{
	json_begin(j, key, '{');
}

void json_end_object(struct json *j)
{
	json_end(j, '}');
}

void json_begin_array(struct json *j, const char *key)
{
	json_begin(j, key, '[');
}

void json_end_array(struct json *j)
{
	json_end(j, ']');
}

/* A string, or null for NULL. */
void json_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s)
		json_escape(j->f, s);
	else
		fputs("null", j->f);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	fputs("null", j->f);
}
