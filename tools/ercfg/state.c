// SPDX-License-Identifier: GPL-2.0
/*
 * The state apply, dump and monitor work on: the kernel's circuits, read
 * with one circuit-get dump, and the configuration FILE, read and checked
 * as a whole. Both become struct request, the same as a command line, and
 * print_request() writes a request back in the words of the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "commands.h"
#include "errmsg.h"
#include "nl.h"
#include "parse.h"
#include "prefix.h"
#include "state.h"

#define DUMP_TRIES	5

/* Kernel state */

static int kstate_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kstate *ks = data;
	struct kcircuit *c;
	struct er_reply r;

	if (reply_parse(nlh, &r) || !r.has_circuit) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	c = realloc(ks->c, (ks->n + 1) * sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ks->c = c;
	c = &ks->c[ks->n++];
	memset(c, 0, sizeof(*c));
	c->c = r.circuit;
	kcircuit_names(c);
	return MNL_CB_OK;
}

int kstate_read(struct nl *nl, struct kstate *ks)
{
	int i, ret;

	for (i = 0; i < DUMP_TRIES; i++) {
		memset(ks, 0, sizeof(*ks));
		ret = nl_talk(nl, nl_msg(nl, ERDEV_CMD_CIRCUIT_GET, NLM_F_DUMP),
			      kstate_cb, ks);
		if (!ret)
			return 0;
		kstate_free(ks);
		if (ret != NL_DUMP_INTR)
			return -1;
	}
	errmsg("circuits changed during every dump, try again");
	return -1;
}

void kstate_free(struct kstate *ks)
{
	free(ks->c);
	memset(ks, 0, sizeof(*ks));
}

struct kcircuit *kstate_find(const struct kstate *ks, const char *name)
{
	unsigned int i;

	for (i = 0; i < ks->n; i++) {
		if (!strcmp(ks->c[i].c.name, name))
			return &ks->c[i];
	}
	return NULL;
}

static void ifname(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "?");
}

void kcircuit_names(struct kcircuit *kc)
{
	ifname(kc->c.primary_ifindex, kc->primary);
	if (has(kc->c.has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX))
		ifname(kc->c.secondary_ifindex, kc->secondary);
}

void kcircuit_request(const struct kcircuit *kc, struct request *req)
{
	const struct er_circuit *c = &kc->c;

	memset(req, 0, sizeof(*req));
	req->cmd = CMD_CIRCUIT_ADD;
	req->name = c->name;
	req->have = BIT(OPT_ENCAP) | BIT(OPT_TPID) | BIT(OPT_PRIMARY) |
		    BIT(OPT_SKU) | BIT(OPT_BILLING);
	req->encap = c->encap;
	req->tpid = c->tpid;
	req->primary = kc->primary;
	req->primary_ifindex = c->primary_ifindex;
	req->sku = c->sku;
	req->billing = c->billing;
	if (has(c->has, ERDEV_A_CIRCUIT_STAG)) {
		req->have |= BIT(OPT_STAG);
		req->stag = c->stag;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX)) {
		req->have |= BIT(OPT_SECONDARY);
		req->secondary = kc->secondary;
		req->secondary_ifindex = c->secondary_ifindex;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH)) {
		req->have |= BIT(OPT_BANDWIDTH);
		req->bandwidth = c->bandwidth;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_SERVICE_KEY)) {
		req->have |= BIT(OPT_SERVICE_KEY);
		memcpy(req->service_key, c->service_key, UUID_LEN);
	}
}

void kpeering_request(const struct kcircuit *kc, const struct er_peering *p,
		      struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->cmd = CMD_PEERING_ADD;
	req->name = kc->c.name;
	req->peering = p->type;
	req->have = BIT(OPT_CTAG);
	req->ctag = p->ctag;
	/* dscp only when it is not the default, as a FILE would say it. */
	if (has(p->has, ERDEV_A_PEERING_DSCP) &&
	    p->dscp != dscp_default(p->type)) {
		req->have |= BIT(OPT_DSCP);
		req->dscp = p->dscp;
	}
	memcpy(req->subnet, p->subnet, sizeof(req->subnet));
	if (p->subnet[SN_IPV4_PRIMARY].family ||
	    p->subnet[SN_IPV4_SECONDARY].family)
		req->have |= BIT(OPT_IPV4);
	if (p->subnet[SN_IPV6_PRIMARY].family ||
	    p->subnet[SN_IPV6_SECONDARY].family)
		req->have |= BIT(OPT_IPV6);
}

/* Printing */

static const char *name_or_num(const char *name, uint32_t val, char *buf,
			       size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", val);
	return buf;
}

/* "ipv4 P/30,S/30": the pair as one value, the form dump can read back. */
static void print_subnets(FILE *f, const char *word,
			  const struct subnet sn[2])
{
	char buf[PREFIX_BUFSIZ];
	const char *sep = "";
	int i;

	fprintf(f, " %s ", word);
	for (i = 0; i < 2; i++) {
		if (!sn[i].family)
			continue;
		fprintf(f, "%s%s", sep, format_subnet(&sn[i], buf));
		sep = ",";
	}
}

static void print_circuit_options(FILE *f, const struct request *req)
{
	char buf[UUID_BUFSIZ > RATE_BUFSIZ ? UUID_BUFSIZ : RATE_BUFSIZ];

	if (req_has(req, OPT_ENCAP))
		fprintf(f, " encap %s", name_or_num(encap_name(req->encap),
						    req->encap, buf,
						    sizeof(buf)));
	if (req_has(req, OPT_TPID))
		fprintf(f, " tpid 0x%04x", req->tpid);
	if (req_has(req, OPT_STAG))
		fprintf(f, " stag %u", req->stag);
	if (req_has(req, OPT_PRIMARY))
		fprintf(f, " primary %s", req->primary);
	if (req_has(req, OPT_SECONDARY))
		fprintf(f, " secondary %s", req->secondary);
	if (req_has(req, OPT_BANDWIDTH))
		fprintf(f, " bandwidth %s", format_rate(req->bandwidth, buf));
	if (req_has(req, OPT_SKU))
		fprintf(f, " sku %s", name_or_num(sku_name(req->sku), req->sku,
						  buf, sizeof(buf)));
	if (req_has(req, OPT_BILLING))
		fprintf(f, " billing %s",
			name_or_num(billing_name(req->billing), req->billing,
				    buf, sizeof(buf)));
	if (req_has(req, OPT_SERVICE_KEY))
		fprintf(f, " service-key %s",
			format_uuid(req->service_key, buf));
}

static void print_dscp(FILE *f, const struct request *req)
{
	char buf[16];

	if (req_has(req, OPT_DSCP))
		fprintf(f, " dscp %s", name_or_num(dscp_name(req->dscp),
						   req->dscp, buf, sizeof(buf)));
}

void print_request(FILE *f, const struct request *req, bool file_form)
{
	static const char *const verbs[] = {
		[CMD_CIRCUIT_ADD] = "add", [CMD_CIRCUIT_SET] = "set",
		[CMD_CIRCUIT_DEL] = "del", [CMD_PEERING_ADD] = "add",
		[CMD_PEERING_DEL] = "del", [CMD_PEERING_SET] = "set",
	};
	bool peering = req->cmd == CMD_PEERING_ADD ||
		       req->cmd == CMD_PEERING_DEL ||
		       req->cmd == CMD_PEERING_SET;
	char buf[16];

	fputs(peering ? "peering" : "circuit", f);
	if (!file_form)
		fprintf(f, " %s", verbs[req->cmd]);
	fprintf(f, " %s", req->name);
	if (peering)
		fprintf(f, " %s", name_or_num(peering_name(req->peering),
					      req->peering, buf, sizeof(buf)));
	switch (req->cmd) {
	case CMD_CIRCUIT_ADD:
	case CMD_CIRCUIT_SET:
		print_circuit_options(f, req);
		break;
	case CMD_PEERING_ADD:
		if (req_has(req, OPT_CTAG))
			fprintf(f, " ctag %u", req->ctag);
		if (req_has(req, OPT_IPV4))
			print_subnets(f, "ipv4", &req->subnet[SN_IPV4_PRIMARY]);
		if (req_has(req, OPT_IPV6))
			print_subnets(f, "ipv6", &req->subnet[SN_IPV6_PRIMARY]);
		print_dscp(f, req);
		break;
	case CMD_PEERING_SET:
		print_dscp(f, req);
		break;
	default:
		break;
	}
}

/* The configuration FILE */

/*
 * Bounds on FILE, so that any input (/dev/zero, /dev/urandom, a log file
 * given by mistake) is refused at once and in bounded memory.
 *
 * Size: a file of 2,000 circuits, each with a secondary NIC, bandwidth,
 * sku, billing and service key, and both peerings with IPv4 and IPv6
 * link subnets, in ercfg dump's form with NIC names of 15 bytes and the
 * longest addresses, is about 1 MB (1,035,563 bytes); 4 MiB leaves room
 * for four times that and for comments. Reading stops at the limit + 1st
 * byte: at most CONF_MAX_SIZE + 1 bytes are read and held.
 *
 * Line: the longest line ercfg dump writes is under 200 bytes (188 in that
 * file); 4096 leaves room for any comment, and keeps split_words() small.
 *
 * Bytes: a configuration file is text. NUL and the other control
 * characters are refused, except tab, newline, vertical tab, form feed
 * and carriage return (blanks to split_words(), so a CRLF file reads as
 * it looks); so is DEL. Bytes 0x80..0xff (UTF-8 in comments) are taken.
 */
#define CONF_MAX_SIZE		(4u << 20)
#define CONF_MAX_SIZE_TEXT	"4 MiB"
#define CONF_MAX_LINE		4096
#define READ_CHUNK		65536

static bool text_byte(unsigned char c)
{
	return (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' ||
	       c == '\v' || c == '\f' || c == '\r';
}

/* Where a scan of FILE is: its line and the bytes of that line so far. */
struct text_pos {
	unsigned int line;		/* 1-based */
	size_t col;			/* bytes before this one on the line */
};

/* Bytes [0, @len) of FILE, @pos where they start. Prints the error. */
static int check_text(const char *buf, size_t len, struct text_pos *pos)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (c == '\n') {
			pos->line++;
			pos->col = 0;
			continue;
		}
		errmsg_line = pos->line;
		errmsg_col = pos->col + 1;	/* at most CONF_MAX_LINE + 1 */
		if (!text_byte(c)) {
			errmsg("not a text file (byte \\x%02x at column %zu)",
			       c, pos->col + 1);
			return -1;
		}
		if (++pos->col > CONF_MAX_LINE) {
			errmsg("line longer than %u bytes", CONF_MAX_LINE);
			return -1;
		}
	}
	return 0;
}

/* The next message is about no file, line or column. */
static void errmsg_forget(void)
{
	errmsg_file = NULL;
	errmsg_line = 0;
	errmsg_col = 0;
}

/* FILE @name is over CONF_MAX_SIZE: a message about all of it. */
static void errmsg_too_large(const char *name)
{
	errmsg_line = 0;
	errmsg_col = 0;
	errmsg("%s: larger than %s, not applied", name, CONF_MAX_SIZE_TEXT);
}

/*
 * All of FILE ("-": standard input, called @name in messages), checked by
 * check_text() as it comes, into *@text with a NUL after it.
 */
static int read_all(const char *file, const char *name, char **text)
{
	int fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) :
		 STDIN_FILENO;
	struct text_pos pos = { .line = 1 };
	size_t len = 0, size = 0;
	char *buf = NULL, *p;
	ssize_t got;
	int ret = -1;

	if (fd < 0) {
		errmsg("cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	errmsg_file = name;
	for (;;) {
		size_t want;

		/* Room for CONF_MAX_SIZE + 1 bytes and the NUL, no more. */
		if (size - len < 2 && size < CONF_MAX_SIZE + 2) {
			size = size ? size * 2 : READ_CHUNK;
			if (size > CONF_MAX_SIZE + 2)
				size = CONF_MAX_SIZE + 2;
			p = realloc(buf, size);
			if (!p) {
				errmsg_line = 0;
				errmsg("out of memory");
				goto out;
			}
			buf = p;
		}
		want = size - 1 - len;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		got = read(fd, buf + len, want);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			errmsg_line = 0;
			errmsg("cannot read %s: %s", name, strerror(errno));
			goto out;
		}
		if (!got)
			break;
		if (check_text(buf + len, got, &pos))
			goto out;
		len += got;
		if (len > CONF_MAX_SIZE) {
			errmsg_too_large(name);
			goto out;
		}
	}
	buf[len] = '\0';
	*text = buf;
	buf = NULL;
	ret = 0;
out:
	errmsg_forget();
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return ret;
}

/*
 * @len bytes already in memory, taken as read_all() takes FILE @name: the
 * same checks in the same order, so the same first error.
 */
static int take_text(const char *name, const char *buf, size_t len,
		     char **text)
{
	struct text_pos pos = { .line = 1 };
	size_t seen = len > CONF_MAX_SIZE ? CONF_MAX_SIZE + 1 : len;
	int ret = -1;

	errmsg_file = name;
	if (check_text(buf, seen, &pos))
		goto out;
	if (len > CONF_MAX_SIZE) {
		errmsg_too_large(name);
		goto out;
	}
	*text = malloc(len + 1);
	if (!*text) {
		errmsg_line = 0;
		errmsg("out of memory");
		goto out;
	}
	memcpy(*text, buf, len);
	(*text)[len] = '\0';
	ret = 0;
out:
	errmsg_forget();
	return ret;
}

/* Split @line in place into words; "#" starts a comment. */
static int split_words(char *line, char ***words)
{
	char *hash = strchr(line, '#');
	char **w = NULL, **nw, *p = line, *save = NULL;
	int n = 0;

	if (hash)
		*hash = '\0';
	for (p = strtok_r(line, " \t\r\v\f", &save); p;
	     p = strtok_r(NULL, " \t\r\v\f", &save)) {
		/* Room for "add" and the terminating NULL. */
		nw = realloc(w, (n + 3) * sizeof(*w));
		if (!nw) {
			free(w);
			errmsg("out of memory");
			return -1;
		}
		w = nw;
		w[n++] = p;
	}
	*words = w;
	return n;
}

/* One non-empty line: "circuit NAME ..." is "circuit add NAME ...". */
static int parse_line(char **w, int n, struct request *req)
{
	static char add[] = "add";

	if (strcmp(w[0], "circuit") && strcmp(w[0], "peering")) {
		errmsg("unknown word \"%s\" (circuit|peering)", shown(w[0]));
		return -1;
	}
	memmove(&w[2], &w[1], (n - 1) * sizeof(*w));
	w[1] = add;
	w[n + 1] = NULL;
	memset(req, 0, sizeof(*req));
	return parse_command(n + 1, w, req);
}

/*
 * The column of word @i of parse_line()'s argv (@argv, @argc words, on
 * @line): "add" (1) is the line's first word; -1, as parse_word, is the
 * end of the line (where a missing word would go).
 */
static uint16_t word_col(const char *line, char **argv, int argc, int i)
{
	const char *p;

	if (i < 0 || i >= argc) {
		p = argv[argc == 2 ? 0 : argc - 1];	/* 1: "add" */
		p += strlen(p);
	} else {
		p = argv[i == 1 ? 0 : i];
	}
	return p - line + 1;
}

/* The line parse_line() is on, for the column of parse_word. */
static struct {
	const char *line;
	char **argv;
	int argc;
} parse_at;

static unsigned int parse_col(void)
{
	return word_col(parse_at.line, parse_at.argv, parse_at.argc,
			parse_word);
}

static int conf_add(struct conf *conf, unsigned int line, const char *text,
		    char **argv, int argc, const struct request *req)
{
	struct conf_line *l = realloc(conf->l, (conf->n + 1) * sizeof(*l));
	unsigned int o;

	if (!l) {
		errmsg("out of memory");
		return -1;
	}
	conf->l = l;
	l = &conf->l[conf->n++];
	memset(l, 0, sizeof(*l));
	l->line = line;
	l->req = *req;
	if (req->name_word)
		l->name_col = word_col(text, argv, argc, req->name_word);
	for (o = 0; o < OPT_COUNT; o++) {
		if (req->opt_word[o])
			l->opt_col[o] = word_col(text, argv, argc,
						 req->opt_word[o]);
	}
	return 0;
}

/* A circuit line with an error: its peerings are not reported again. */
static int conf_broken(struct conf *conf, char **w, int n)
{
	const char **b;

	if (n < 3 || strcmp(w[0], "circuit") || !valid_circuit_name(w[2]))
		return 0;
	b = realloc(conf->broken, (conf->nbroken + 1) * sizeof(*b));
	if (!b) {
		errmsg("out of memory");
		return -1;
	}
	conf->broken = b;
	conf->broken[conf->nbroken++] = w[2];
	return 0;
}

static bool is_broken(const struct conf *conf, const char *name)
{
	unsigned int i;

	for (i = 0; i < conf->nbroken; i++) {
		if (!strcmp(conf->broken[i], name))
			return true;
	}
	return false;
}

/* One error more; whether to go on (apply --check goes on). */
static bool conf_error(struct conf *conf)
{
	conf->errors++;
	errmsg_col = 0;
	return conf->check;
}

static int conf_parse(struct conf *conf)
{
	char *line = conf->text, *next;
	unsigned int lineno = 0;

	for (; line; line = next) {
		struct request req;
		char **w;
		int n, ret = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		errmsg_line = ++lineno;
		n = split_words(line, &w);
		if (n < 0)
			return -1;
		if (n > 0) {
			parse_word = 0;
			parse_at.line = line;
			parse_at.argv = w;
			parse_at.argc = n + 1;
			if (conf->check)	/* only --check prints columns */
				errmsg_col_fn = parse_col;
			ret = parse_line(w, n, &req);
			errmsg_col_fn = NULL;
			if (ret) {
				if (conf_broken(conf, w, n + 1)) {
					free(w);
					return -1;
				}
			} else {
				ret = conf_add(conf, lineno, line, w, n + 1,
					       &req);
				if (ret) {	/* out of memory */
					free(w);
					return -1;
				}
			}
		}
		free(w);
		if (ret && !conf_error(conf))
			return -1;
	}
	return 0;	/* apply --check goes on to conf_check() */
}

/* The model's rules across lines */

static bool is_qinq(const struct request *c)
{
	return !req_has(c, OPT_ENCAP) || c->encap == ERDEV_ENCAP_QINQ;
}

static uint16_t tpid_of(const struct request *c)
{
	return req_has(c, OPT_TPID) ? c->tpid : 0x8100;
}

/*
 * Whether two NICs of circuit lines are the same: by ifindex, or by name
 * where apply --check does not look devices up.
 */
static bool same_nic(uint32_t ia, const char *na, uint32_t ib, const char *nb)
{
	if (ia || ib)
		return ia == ib;
	return na && nb && !strcmp(na, nb);
}

/* The NIC both circuits use, or NULL. */
static const char *shared_nic(const struct request *a, const struct request *b)
{
	uint32_t nics_a[2] = { a->primary_ifindex, a->secondary_ifindex };
	uint32_t nics_b[2] = { b->primary_ifindex, b->secondary_ifindex };
	const char *names_a[2] = { a->primary, a->secondary };
	const char *names_b[2] = { b->primary, b->secondary };
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			if (same_nic(nics_a[i], names_a[i], nics_b[j],
				     names_b[j]))
				return names_a[i];
	return NULL;
}

static const struct conf_line *find_circuit(const struct conf *conf,
					    const char *name)
{
	unsigned int i;

	for (i = 0; i < conf->n; i++) {
		if (conf->l[i].req.cmd == CMD_CIRCUIT_ADD &&
		    !strcmp(conf->l[i].req.name, name))
			return &conf->l[i];
	}
	return NULL;
}

static int check_circuit(const struct conf *conf, unsigned int i)
{
	const struct request *c = &conf->l[i].req;
	unsigned int j;

	const struct conf_line *cl = &conf->l[i];

	/* The kernel: erdev_circuit_lowers(), "primary and secondary ...". */
	if (c->secondary &&
	    same_nic(c->primary_ifindex, c->primary, c->secondary_ifindex,
		     c->secondary)) {
		errmsg_col = cl->opt_col[OPT_SECONDARY];
		errmsg("primary and secondary are the same device \"%s\"",
		       shown(c->primary));
		return -1;
	}
	for (j = 0; j < i; j++) {
		const struct request *o = &conf->l[j].req;
		const char *nic;

		if (o->cmd != CMD_CIRCUIT_ADD)
			continue;
		/* The kernel: erdev_circuit_new(), "circuit NAME already exists". */
		if (!strcmp(o->name, c->name)) {
			errmsg_col = cl->name_col;
			errmsg("circuit \"%s\" is already on line %u", c->name,
			       conf->l[j].line);
			return -1;
		}
		nic = shared_nic(c, o);
		if (!nic)
			continue;
		/* The kernel: erdev_circuit_check_port(), encap, TPID, S-tag. */
		if (is_qinq(c) != is_qinq(o) || tpid_of(c) != tpid_of(o)) {
			errmsg_col = nic == c->primary ?
				     cl->opt_col[OPT_PRIMARY] :
				     cl->opt_col[OPT_SECONDARY];
			errmsg("%s carries circuit \"%s\" (line %u) with encap %s tpid 0x%04x",
			       shown(nic), o->name, conf->l[j].line,
			       is_qinq(o) ? "qinq" : "dot1q", tpid_of(o));
			return -1;
		}
		if (is_qinq(c) && c->stag == o->stag) {
			errmsg_col = cl->opt_col[OPT_STAG];
			errmsg("S-tag %u on %s is taken by circuit \"%s\" (line %u)",
			       c->stag, shown(nic), o->name, conf->l[j].line);
			return -1;
		}
	}
	return 0;
}

/*
 * Whether C-tags of peerings of circuits @a and @b must differ: the
 * kernel's erdev_peering_check_ctag() (erdev/circuit.c).
 */
static bool ctag_scope(const struct conf_line *a, const struct conf_line *b)
{
	if (a == b)
		return true;
	return !is_qinq(&a->req) && !is_qinq(&b->req) &&
	       shared_nic(&a->req, &b->req);
}

/*
 * Whether a link subnet of peering line @pl is one of peering line @ol's,
 * and say so (parse_link_subnets() refuses one peering's primary and
 * secondary the same). Link subnets are all /30 or all /126, so they
 * overlap only when equal: one /29 or /125 on two peerings, or the same
 * /30 in two lists. The kernel: erdev_subnets_check_unique().
 */
static bool subnet_twice(const struct conf_line *pl,
			 const struct conf_line *ol)
{
	char buf[PREFIX_BUFSIZ];
	unsigned int a, b;

	for (a = 0; a < SN_SLOTS; a++) {
		const struct subnet *sa = &pl->req.subnet[a];

		if (!sa->family)
			continue;
		for (b = 0; b < SN_SLOTS; b++) {
			const struct subnet *sb = &ol->req.subnet[b];

			if (sa->family != sb->family ||
			    sa->prefixlen != sb->prefixlen ||
			    memcmp(sa->addr, sb->addr, subnet_addr_len(sa)))
				continue;
			errmsg_col = pl->opt_col[sa->family == AF_INET ?
						 OPT_IPV4 : OPT_IPV6];
			errmsg("%s subnet %s is taken by peering \"%s %s\" (line %u)",
			       sa->family == AF_INET ? "IPv4" : "IPv6",
			       format_subnet(sa, buf), ol->req.name,
			       peering_name(ol->req.peering), ol->line);
			return true;
		}
	}
	return false;
}

/*
 * Against the peerings before it. Each line knows its circuit already:
 * looking it up here for every pair made a file of 1,000 peerings take
 * seconds.
 */
static int check_peering(const struct conf *conf, unsigned int i)
{
	const struct conf_line *pl = &conf->l[i];
	const struct conf_line *cl = &conf->l[pl->circuit];
	unsigned int j;

	for (j = 0; j < i; j++) {
		const struct conf_line *ol = &conf->l[j];

		if (ol->req.cmd != CMD_PEERING_ADD ||
		    ol->circuit == CONF_NO_CIRCUIT)
			continue;
		/* The kernel: erdev_peering_new(), "already has a ... peering". */
		if (ol->circuit == pl->circuit &&
		    ol->req.peering == pl->req.peering) {
			errmsg_col = pl->name_col;
			errmsg("peering \"%s %s\" is already on line %u",
			       pl->req.name, peering_name(pl->req.peering),
			       ol->line);
			return -1;
		}
		if (ol->req.ctag == pl->req.ctag &&
		    ctag_scope(cl, &conf->l[ol->circuit])) {
			errmsg_col = pl->opt_col[OPT_CTAG];
			errmsg("C-tag %u is taken by peering \"%s %s\" (line %u)",
			       pl->req.ctag, ol->req.name,
			       peering_name(ol->req.peering), ol->line);
			return -1;
		}
		if (subnet_twice(pl, ol))
			return -1;
	}
	return 0;
}

/* The circuit line of peering line @i, or why not. */
static int link_peering(struct conf *conf, unsigned int i)
{
	const struct conf_line *cl = find_circuit(conf, conf->l[i].req.name);

	conf->l[i].circuit = CONF_NO_CIRCUIT;
	/* The kernel: erdev_nl_circuit() (erdev/netlink.c), "no circuit NAME". */
	if (!cl) {
		/* Its circuit's line has an error already. */
		if (is_broken(conf, conf->l[i].req.name))
			return 1;
		errmsg_col = conf->l[i].name_col;
		errmsg("no circuit \"%s\" in %s", conf->l[i].req.name,
		       conf->file);
		return -1;
	}
	conf->l[i].circuit = cl - conf->l;
	return 0;
}

/* Circuits first, in line order, then peerings: a peering may come first. */
static int conf_check(struct conf *conf)
{
	unsigned int i;
	int ret;

	for (i = 0; i < conf->n; i++) {
		errmsg_line = conf->l[i].line;
		if (conf->l[i].req.cmd == CMD_CIRCUIT_ADD &&
		    check_circuit(conf, i) && !conf_error(conf))
			return -1;
	}
	for (i = 0; i < conf->n; i++) {
		errmsg_line = conf->l[i].line;
		if (conf->l[i].req.cmd != CMD_PEERING_ADD)
			continue;
		ret = link_peering(conf, i);
		if (ret > 0)
			continue;
		if ((ret || check_peering(conf, i)) && !conf_error(conf))
			return -1;
	}
	return conf->errors ? -1 : 0;
}

/*
 * apply --check's messages, held until the whole file is checked and
 * then printed in line and column order (the checks across lines come
 * after each line's own).
 */
struct held_msg {
	unsigned int line, col, seq;
	char *text;
};

static struct {
	struct held_msg *m;
	unsigned int n;
} held;

static void hold_msg(unsigned int line, unsigned int col, const char *text)
{
	struct held_msg *m = realloc(held.m, (held.n + 1) * sizeof(*m));
	char *t = strdup(text);

	if (!m || !t) {
		if (m)
			held.m = m;
		free(t);
		fputs(text, stderr);	/* out of memory: at once */
		return;
	}
	held.m = m;
	held.m[held.n] = (struct held_msg){ line, col, held.n, t };
	held.n++;
}

static int held_cmp(const void *a, const void *b)
{
	const struct held_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void print_held(void)
{
	unsigned int i;

	if (held.n)
		qsort(held.m, held.n, sizeof(*held.m), held_cmp);
	for (i = 0; i < held.n; i++) {
		fputs(held.m[i].text, stderr);
		free(held.m[i].text);
	}
	free(held.m);
	held.m = NULL;
	held.n = 0;
}

static void conf_begin(struct conf *conf, const char *file, bool check)
{
	memset(conf, 0, sizeof(*conf));
	conf->check = check;
	parse_no_devices = check;
	errmsg_compiler = check;
	conf->file = strcmp(file, "-") ? file : "<stdin>";
}

/* After the text is in conf->text (@ret 0): parse and check it. */
static int conf_end(struct conf *conf, int ret)
{
	if (!ret) {
		errmsg_file = conf->file;
		if (conf->check)
			errmsg_sink = hold_msg;
		ret = conf_parse(conf);
		if (!ret)
			ret = conf_check(conf);
		errmsg_sink = NULL;
		print_held();
	}
	errmsg_forget();
	parse_no_devices = false;
	errmsg_compiler = false;
	if (ret)
		conf_free(conf);
	return ret;
}

int conf_read(const char *file, struct conf *conf, bool check)
{
	conf_begin(conf, file, check);
	return conf_end(conf, read_all(file, conf->file, &conf->text));
}

int conf_read_text(const char *name, const char *buf, size_t len,
		   struct conf *conf, bool check)
{
	conf_begin(conf, name, check);
	return conf_end(conf, take_text(conf->file, buf, len, &conf->text));
}

void conf_free(struct conf *conf)
{
	free(conf->broken);
	free(conf->l);
	free(conf->text);
	memset(conf, 0, sizeof(*conf));
}
