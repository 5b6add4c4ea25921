// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing: the socket, the "erdev" family id, and one
 * request/answer exchange with extended ACK error reporting.
 *
 * A "do" request carries NLM_F_ACK and ends with the ACK; a dump ends with
 * NLMSG_DONE. Either can carry an error and its extack message.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/erdev.h>

#include "errmsg.h"
#include "names.h"
#include "nl.h"

struct nl_ctx {
	mnl_cb_t cb;
	void *data;
	int error;		/* negative errno the kernel answered */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	char msg[256];		/* its extack message, if any */
};

/* NLMSGERR_ATTR_MSG from the TLVs at @offset of the payload, if any. */
static void get_extack(const struct nlmsghdr *nlh, unsigned int offset,
		       struct nl_ctx *ctx)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, offset) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(ctx->msg, sizeof(ctx->msg), "%s",
			 mnl_attr_get_str(attr));
	}
}

static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	struct nl_ctx *ctx = data;
	unsigned int offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	/* The TLVs follow the echo of our request, unless it was capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += mnl_nlmsg_get_payload_len(&err->msg);
	get_extack(nlh, offset, ctx);

	if (!err->error) {
		/* The ACK of a request that worked; maybe with a warning. */
		if (ctx->msg[0])
			fprintf(stderr, "Warning: %s\n", ctx->msg);
		return MNL_CB_STOP;
	}
	ctx->error = err->error < 0 ? err->error : -err->error;
	return MNL_CB_ERROR;
}

/* The end of a dump: an int, negative if the dump failed, then TLVs. */
static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_ctx *ctx = data;
	int error;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return MNL_CB_STOP;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error >= 0)
		return MNL_CB_STOP;
	get_extack(nlh, sizeof(error), ctx);
	ctx->error = error;
	return MNL_CB_ERROR;
}

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	return ctx->cb ? ctx->cb(nlh, ctx->data) : MNL_CB_OK;
}

/* Whether the messages in @buf include the end of the answer. */
static bool nl_buf_has_end(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_ERROR)
			return true;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return false;
}

/*
 * Send @nlh and read the answer up to its ACK or NLMSG_DONE. 0, or a
 * negative errno: the kernel's (ctx->error set) or a local one.
 */
static int nl_run(struct nl *nl, struct nlmsghdr *nlh, struct nl_ctx *ctx)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR]	= nl_error_cb,
		[NLMSG_DONE]	= nl_done_cb,
	};
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSIZ);
		if (len < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(nl->buf, len, seq, nl->portid, nl_data_cb,
				  ctx, ctl, ARRAY_SIZE(ctl));
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret == MNL_CB_ERROR && !ctx->error && errno == EINTR) {
			/*
			 * libmnl stops at the first message flagged
			 * NLM_F_DUMP_INTR (the dump raced with a change):
			 * read the rest of it, and let the caller retry.
			 */
			ctx->intr = true;
			while (!nl_buf_has_end(nl->buf, len)) {
				len = mnl_socket_recvfrom(nl->sock, nl->buf,
							  NL_BUFSIZ);
				if (len < 0)
					return -errno;
			}
			return 0;
		}
		if (ret == MNL_CB_ERROR) {
			if (ctx->error)
				return ctx->error;
			return errno ? -errno : -EBADMSG;
		}
	}
}

/*
 * One exchange. @cb sees every reply message. On failure prints the reason
 * ("Error: <extack message>" for a refusal) and returns -1; returns
 * NL_DUMP_INTR for a dump that raced with a change, 0 otherwise.
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nl_ctx ctx = { .cb = cb, .data = data };
	int ret;

	ret = nl_run(nl, nlh, &ctx);
	if (!ret)
		return ctx.intr ? NL_DUMP_INTR : 0;
	if (ctx.error)
		fprintf(stderr, "Error: %s\n",
			ctx.msg[0] ? ctx.msg : strerror(-ctx.error));
	else if (ret == -EBADMSG)
		errmsg("malformed answer from the kernel");
	else
		errmsg("netlink: %s", strerror(-ret));
	return -1;
}

/*
 * The same without printing: 0, or a negative errno with the reason in
 * @why (the kernel's message if it gave one).
 */
int nl_ask(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	   char *why, size_t size)
{
	struct nl_ctx ctx = { .cb = cb, .data = data };
	int ret;

	ret = nl_run(nl, nlh, &ctx);
	if (ret && why)
		snprintf(why, size, "%s", ctx.error && ctx.msg[0] ? ctx.msg :
			 ret == -EBADMSG ? "malformed answer from the kernel" :
			 strerror(-ret));
	return ret;
}

/*
 * A request header in the zeroed buffer (libmnl leaves attribute padding
 * as it was), acked unless it is a dump.
 */
static struct nlmsghdr *nl_put_header(struct nl *nl, uint16_t type,
				      uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(nl->buf, 0, NL_BUFSIZ);
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

static struct nlmsghdr *genl_msg(struct nl *nl, uint16_t type, uint8_t cmd,
				 uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_put_header(nl, type, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* An rtnetlink request with its fixed header (zeroed) at *@hdr. */
struct nlmsghdr *nl_route_msg(struct nl *nl, uint16_t type, uint16_t flags,
			      void **hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh = nl_put_header(nl, type, flags);

	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

/* A request of the family, in nl's buffer, to fill with attributes. */
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	return genl_msg(nl, nl->family, cmd, nl->version, flags);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	uint16_t *id = data;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    !mnl_attr_validate(attr, MNL_TYPE_U16))
			*id = mnl_attr_get_u16(attr);
	}
	return MNL_CB_OK;
}

static int resolve_family(struct nl *nl, const char *name)
{
	struct nl_ctx ctx = { .cb = family_cb, .data = &nl->family };
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_msg(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = nl_run(nl, nlh, &ctx);
	if (ret == -ENOENT && ctx.error) {
		errmsg("%s module not loaded (no generic netlink family \"%s\")",
		       name, name);
		errmsg_status = ERCFG_NO_MODULE;
		return -1;
	}
	if (ret) {
		if (ctx.error)
			fprintf(stderr, "Error: %s\n",
				ctx.msg[0] ? ctx.msg : strerror(-ret));
		else
			errmsg("netlink: %s", strerror(-ret));
		return -1;
	}
	if (!nl->family) {
		errmsg("malformed answer from the kernel");
		return -1;
	}
	return 0;
}

/* The socket and the buffer; prints the reason on failure. */
static int nl_socket(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUFSIZ);
	if (!nl->buf) {
		errmsg("out of memory");
		return -1;
	}
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		errmsg("cannot open netlink socket: %s", strerror(errno));
		nl_close(nl);
		return -1;
	}
	/* Error messages, and no echo of our request in them. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return 0;
}

/*
 * Open the socket and find the generic netlink family @name, spoken at
 * @version. Prints the reason on failure.
 */
int nl_open_family(struct nl *nl, const char *name, uint8_t version)
{
	if (nl_socket(nl, NETLINK_GENERIC))
		return -1;
	nl->version = version;
	if (resolve_family(nl, name)) {
		nl_close(nl);
		return -1;
	}
	return 0;
}

/* An rtnetlink socket, for addresses and neighbours. */
int nl_open_route(struct nl *nl)
{
	return nl_socket(nl, NETLINK_ROUTE);
}

int nl_open(struct nl *nl)
{
	return nl_open_family(nl, ERDEV_FAMILY_NAME, ERDEV_FAMILY_VERSION);
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}
