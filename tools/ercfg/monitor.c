// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg monitor: one line (or one JSON object, -j) per notification of the
 * erdev family's "monitor" group, until interrupted.
 *
 *   circuit add NAME ...        circuit-add-ntf, in circuit add's words
 *   circuit set NAME ...        circuit-change-ntf: bandwidth, sku, billing
 *   circuit del NAME            circuit-del-ntf (its peerings go with it)
 *   peering add NAME TYPE ...   peering-add-ntf
 *   peering del NAME TYPE       peering-del-ntf
 *   link IFNAME STATE           link-change-ntf: operational state, as
 *                               ip link names it (up, down, lowerlayerdown)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "apply.h"
#include "errmsg.h"
#include "json.h"
#include "nl.h"
#include "show.h"
#include "state.h"

#define MONITOR_BUFSIZ	65536

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The id of multicast group @group of the family (CTRL_CMD_GETFAMILY). */
struct grp_ctx {
	const char *group;
	uint32_t id;
};

static int grp_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr, *grp, *a;
	struct grp_ctx *ctx = data;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
			continue;
		mnl_attr_for_each_nested(grp, attr) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(a, grp) {
				if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
				    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
					name = mnl_attr_get_str(a);
				if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				    !mnl_attr_validate(a, MNL_TYPE_U32))
					id = mnl_attr_get_u32(a);
			}
			if (name && !strcmp(name, ctx->group))
				ctx->id = id;
		}
	}
	return MNL_CB_OK;
}

static int join_group(struct nl *nl, const char *group)
{
	struct grp_ctx ctx = { .group = group };
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = nl_route_msg(nl, GENL_ID_CTRL, 0, (void **)&genl, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ERDEV_FAMILY_NAME);
	if (nl_talk(nl, nlh, grp_cb, &ctx))
		return -1;
	if (!ctx.id) {
		errmsg("the erdev family has no \"%s\" group", group);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &ctx.id,
				  sizeof(ctx.id)) < 0) {
		errmsg("cannot join the \"%s\" group: %s", group,
		       strerror(errno));
		return -1;
	}
	return 0;
}

/* Events as text */

static void text_circuit(uint8_t cmd, const struct kcircuit *kc)
{
	struct request req;

	kcircuit_request(kc, &req);
	if (cmd == ERDEV_CMD_CIRCUIT_CHANGE_NTF) {
		req.cmd = CMD_CIRCUIT_SET;
		req.have &= BIT(OPT_SKU) | BIT(OPT_BILLING) |
			    BIT(OPT_BANDWIDTH);
	} else if (cmd == ERDEV_CMD_CIRCUIT_DEL_NTF) {
		req.cmd = CMD_CIRCUIT_DEL;
	}
	print_request(stdout, &req, false);
}

static void text_peering(uint8_t cmd, const struct kcircuit *kc,
			 const struct er_peering *p)
{
	struct request req;
	unsigned int r;

	if (cmd != ERDEV_CMD_LINK_CHANGE_NTF) {
		kpeering_request(kc, p, &req);
		if (cmd == ERDEV_CMD_PEERING_DEL_NTF) {
			req.cmd = CMD_PEERING_DEL;
		} else if (cmd == ERDEV_CMD_PEERING_CHANGE_NTF) {
			/* What peering-set can change, default or not. */
			req.cmd = CMD_PEERING_SET;
			req.have = has(p->has, ERDEV_A_PEERING_DSCP) ?
				   BIT(OPT_DSCP) : 0;
			req.dscp = p->dscp;
		}
		print_request(stdout, &req, false);
		return;
	}
	for (r = 0; r < ER_LINKS; r++) {
		const struct er_link *l = &p->link[r];
		const char *state = operstate_name(l->operstate);

		if (!l->present)
			continue;
		printf("link %s ", l->ifname[0] ? l->ifname : "?");
		if (state)
			fputs(state, stdout);
		else
			printf("%u", l->operstate);
		break;
	}
}

/* Events as JSON */

static const char *const event_names[] = {
	[ERDEV_CMD_CIRCUIT_ADD_NTF]	= "circuit-add",
	[ERDEV_CMD_CIRCUIT_CHANGE_NTF]	= "circuit-change",
	[ERDEV_CMD_CIRCUIT_DEL_NTF]	= "circuit-del",
	[ERDEV_CMD_PEERING_ADD_NTF]	= "peering-add",
	[ERDEV_CMD_PEERING_DEL_NTF]	= "peering-del",
	[ERDEV_CMD_LINK_CHANGE_NTF]	= "link-change",
	[ERDEV_CMD_PEERING_CHANGE_NTF]	= "peering-change",
};

/*
 * One object per event: "event", then the object's fields as show -j
 * writes them (show.c's writers), so that show and monitor agree.
 */
static void json_event(uint8_t cmd, const struct er_reply *r,
		       const char *circuit, const struct er_peering *p)
{
	struct printer pr;
	unsigned int i;

	printer_init_event(&pr, stdout);
	json_begin_object(&pr.j, NULL);
	json_string(&pr.j, "event", event_names[cmd]);
	if (r) {
		show_json_circuit(&pr, r);
	} else if (cmd != ERDEV_CMD_LINK_CHANGE_NTF) {
		json_string(&pr.j, "circuit", circuit);
		show_json_peering(&pr, p);
	} else {
		json_string(&pr.j, "circuit", circuit);
		json_string(&pr.j, "type", peering_name(p->type));
		for (i = 0; i < ER_LINKS; i++) {
			if (p->link[i].present) {
				show_json_link(&pr, p, &p->link[i]);
				break;
			}
		}
	}
	json_end_object(&pr.j);
}

/* One notification */

struct monitor {
	bool json;
};

/* The circuit name of a peering message (reply.c does not keep it). */
static int peering_circuit(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	const struct nlattr *attr, *a;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != ERDEV_A_PEERING)
			continue;
		mnl_attr_for_each_nested(a, attr) {
			if (mnl_attr_get_type(a) != ERDEV_A_PEERING_CIRCUIT ||
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				continue;
			snprintf(buf, size, "%s", mnl_attr_get_str(a));
			return 0;
		}
	}
	return -1;
}

static bool is_circuit_event(uint8_t cmd)
{
	return cmd == ERDEV_CMD_CIRCUIT_ADD_NTF ||
	       cmd == ERDEV_CMD_CIRCUIT_CHANGE_NTF ||
	       cmd == ERDEV_CMD_CIRCUIT_DEL_NTF;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct monitor *m = data;
	struct kcircuit kc = { 0 };
	struct er_peering p;
	struct er_reply r;
	uint8_t cmd;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	cmd = genl->cmd;
	if (cmd >= ARRAY_SIZE(event_names) || !event_names[cmd])
		return MNL_CB_OK;	/* not one this version knows */
	if (is_circuit_event(cmd)) {
		if (reply_parse(nlh, &r) || !r.has_circuit)
			goto bad;
		kc.c = r.circuit;
	} else {
		if (reply_parse_peering(nlh, &p) ||
		    peering_circuit(nlh, kc.c.name, sizeof(kc.c.name)))
			goto bad;
	}
	if (!m->json) {
		if (is_circuit_event(cmd)) {
			/* Text only: show_json_circuit() names them itself. */
			kcircuit_names(&kc);
			text_circuit(cmd, &kc);
		} else {
			text_peering(cmd, &kc, &p);
		}
		putchar('\n');
		return MNL_CB_OK;
	}
	json_event(cmd, is_circuit_event(cmd) ? &r : NULL, kc.c.name, &p);
	putchar('\n');
	return MNL_CB_OK;
bad:
	errmsg("malformed notification from the kernel");
	return MNL_CB_OK;
}

int do_monitor(struct nl *nl, bool json)
{
	struct monitor m = { .json = json };
	struct sigaction sa;
	char *buf;
	int ret = -1;

	if (join_group(nl, "monitor"))
		return -1;
	buf = malloc(MONITOR_BUFSIZ);
	if (!buf) {
		errmsg("out of memory");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recv returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Every event as it comes, also into a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (!stop) {
		ssize_t len = mnl_socket_recvfrom(nl->sock, buf,
						  MONITOR_BUFSIZ);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				errmsg("events were lost (receive buffer full)");
				continue;
			}
			errmsg("netlink: %s", strerror(errno));
			goto out;
		}
		mnl_cb_run(buf, len, 0, 0, event_cb, &m);
		if (fflush(stdout) || ferror(stdout)) {
			errmsg("write error: %s", strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	free(buf);
	return ret;
}
