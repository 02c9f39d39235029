/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_remote_if: tells httpd on which interface a client's link-local IPv6
 * address lives.
 *
 * In ovs-nat64 every tenant reaches the service host over its own
 * interface, and all tenants may use the very same address
 * (fe80::c0a8:a, i.e. 192.168.0.10 translated).  The only thing that tells
 * them apart is the scope id (interface index) of the peer's socket
 * address.  This module exposes it as
 *
 *   REMOTE_IF      the interface name of the client's scope id ("em1"), or
 *                  "" when the client address has no scope (IPv4, global
 *                  IPv6, loopback).
 *   REMOTE_TENANT  the tenant name mapped to REMOTE_IF by "RemoteIfTenant
 *                  IFNAME TENANT", or "" when there is no mapping.
 *
 * in three places:
 *
 *   - the request environment (post_read_request, run first), for
 *     %{ENV:REMOTE_IF} in mod_rewrite, CGI, SSI, %{REMOTE_IF}e in
 *     LogFormat, mod_setenvif and mod_headers' %{REMOTE_IF}e;
 *   - ap_expr variables (expr_lookup hook): <If "%{REMOTE_IF} == 'em1'">,
 *     Require expr, SSLRequire, mod_rewrite's "expr" conditions;
 *   - the core's ssl_var_lookup hook (httpd >= 2.4.47): %{SSL:REMOTE_IF}
 *     in mod_rewrite, %{REMOTE_IF}s in mod_headers, r:ssl_var_lookup() in
 *     mod_lua.  These work with and without mod_ssl.
 *
 * Both variables are always set, to "" when empty, never left unset:
 * mod_rewrite's %{ENV:X} falls back to the httpd process environment for an
 * unset X, so a stray REMOTE_IF in the daemon's environment could otherwise
 * pose as a tenant interface.
 *
 * The address used is the connection's peer (c->client_addr), never
 * r->useragent_addr: mod_remoteip may replace the latter with a value from
 * a request header, and a header must not choose the tenant.
 */

#include <string.h>
#include <ctype.h>
#include <net/if.h>
#include <netinet/in.h>

#include "apr_hash.h"
#include "apr_strings.h"
#include "apr_version.h"

#include "ap_config.h"
#include "ap_expr.h"
#include "ap_mmn.h"
#include "httpd.h"
#include "http_config.h"
#include "http_connection.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

/* httpd 2.4.47 moved the SSL variable lookup into the core, as a hook any
 * module can answer. */
#if AP_MODULE_MAGIC_AT_LEAST(20120211, 104)
#include "http_ssl.h"
#define REMOTE_IF_HAVE_SSL_VAR_HOOK 1
#else
#define REMOTE_IF_HAVE_SSL_VAR_HOOK 0
#endif

module AP_MODULE_DECLARE_DATA remote_if_module;

#define REMOTE_IF_VAR "REMOTE_IF"
#define REMOTE_TENANT_VAR "REMOTE_TENANT"

/* Per-server configuration: RemoteIfTenant mappings.  A hash, not an
 * apr_table, because interface names are case-sensitive ("em0" and "EM0"
 * are two interfaces) and apr_table keys are not. */
struct remote_if_server_config {
    apr_hash_t *tenants;        /* interface name -> tenant name */
};

/* Per-connection cache: the peer's interface never changes during a
 * connection, and resolving it costs a system call. */
struct remote_if_conn_config {
    const char *ifname;         /* "" if the peer address has no scope */
};

static void *
create_server_config(apr_pool_t *p, server_rec *s)
{
    struct remote_if_server_config *conf = apr_pcalloc(p, sizeof *conf);

    (void) s;
    conf->tenants = apr_hash_make(p);
    return conf;
}

/* A virtual host sees the main server's mappings, its own ones win. */
static void *
merge_server_config(apr_pool_t *p, void *base_, void *add_)
{
    const struct remote_if_server_config *base = base_;
    const struct remote_if_server_config *add = add_;
    struct remote_if_server_config *conf = apr_pcalloc(p, sizeof *conf);

    conf->tenants = apr_hash_overlay(p, add->tenants, base->tenants);
    return conf;
}

/* Returns the interface name for the zone (scope id) of 'sa', allocated
 * from 'p', or "" if 'sa' carries no zone or the index has no name (any
 * more). */
static const char *
zone_name(const apr_sockaddr_t *sa, apr_pool_t *p)
{
#if APR_VERSION_AT_LEAST(1, 7, 0)
    const char *name;

    if (!sa || apr_sockaddr_zone_get(sa, &name, NULL, p) != APR_SUCCESS) {
        return "";
    }
    return name;
#elif APR_HAVE_IPV6
    char buf[IF_NAMESIZE];

    if (!sa || sa->family != AF_INET6 || !sa->sa.sin6.sin6_scope_id
        || !if_indextoname(sa->sa.sin6.sin6_scope_id, buf)) {
        return "";
    }
    return apr_pstrdup(p, buf);
#else
    (void) sa;
    (void) p;
    return "";
#endif
}

/* REMOTE_IF of connection 'c', computed once per connection. */
static const char *
remote_if_of_conn(conn_rec *c)
{
    struct remote_if_conn_config *cc;

    if (!c) {
        return "";
    }
    cc = ap_get_module_config(c->conn_config, &remote_if_module);
    if (!cc) {
        cc = apr_pcalloc(c->pool, sizeof *cc);
        cc->ifname = zone_name(c->client_addr, c->pool);
        ap_set_module_config(c->conn_config, &remote_if_module, cc);
        ap_log_cerror(APLOG_MARK, APLOG_TRACE1, 0, c,
                      "mod_remote_if: client %s: REMOTE_IF='%s'",
                      c->client_ip, cc->ifname);
    }
    return cc->ifname;
}

/* REMOTE_TENANT for interface 'ifname' in server 's'. */
static const char *
tenant_of(const server_rec *s, const char *ifname)
{
    const struct remote_if_server_config *conf;
    const char *tenant;

    if (!s || !*ifname) {
        return "";
    }
    conf = ap_get_module_config(s->module_config, &remote_if_module);
    tenant = apr_hash_get(conf->tenants, ifname, APR_HASH_KEY_STRING);
    return tenant ? tenant : "";
}

/* Which of our variables a name is, for all lookups. */
enum remote_if_var {
    VAR_REMOTE_IF,
    VAR_REMOTE_TENANT,
};

static const struct remote_if_var_name {
    const char *name;
    enum remote_if_var var;
} var_names[] = {
    { REMOTE_IF_VAR, VAR_REMOTE_IF },
    { REMOTE_TENANT_VAR, VAR_REMOTE_TENANT },
};

/* Returns the entry of var_names[] called 'name' (compared ignoring case if
 * 'nocase'), or NULL. */
static const struct remote_if_var_name *
var_of_name(const char *name, int nocase)
{
    size_t i;

    for (i = 0; i < sizeof var_names / sizeof var_names[0]; i++) {
        if (nocase ? !ap_cstr_casecmp(name, var_names[i].name)
                   : !strcmp(name, var_names[i].name)) {
            return &var_names[i];
        }
    }
    return NULL;
}

/* Value of variable 'var' for connection 'c' in server 's' (the virtual
 * host, for the tenant map).  Never NULL. */
static const char *
var_value(enum remote_if_var var, conn_rec *c, const server_rec *s)
{
    switch (var) {
    case VAR_REMOTE_IF:
        return remote_if_of_conn(c);
    case VAR_REMOTE_TENANT:
        return tenant_of(s, remote_if_of_conn(c));
    }
    return "";
}

/* post_read_request: the request environment.  Runs again for internal
 * redirects (whose environment httpd renames to REDIRECT_*). */
static int
remote_if_post_read_request(request_rec *r)
{
    const char *ifname = remote_if_of_conn(r->connection);

    apr_table_setn(r->subprocess_env, REMOTE_IF_VAR, ifname);
    apr_table_setn(r->subprocess_env, REMOTE_TENANT_VAR,
                   tenant_of(r->server, ifname));
    return DECLINED;
}

/* ap_expr: %{REMOTE_IF} and %{REMOTE_TENANT}.  Evaluated from the
 * connection, not from the environment, so a SetEnv/UnsetEnv in the
 * configuration cannot change what an access check sees. */
static const char *
expr_var(ap_expr_eval_ctx_t *ctx, const void *data)
{
    enum remote_if_var var = *(const enum remote_if_var *) data;
    const server_rec *s = ctx->r ? ctx->r->server : ctx->s;
    conn_rec *c = ctx->c ? ctx->c : ctx->r ? ctx->r->connection : NULL;

    return var_value(var, c, s);
}

static int
remote_if_expr_lookup(ap_expr_lookup_parms *parms)
{
    const struct remote_if_var_name *vn;

    if (parms->type != AP_EXPR_FUNC_VAR) {
        return DECLINED;
    }
    /* ap_expr variable names are case-insensitive (the core's are). */
    vn = var_of_name(parms->name, 1);
    if (!vn) {
        return DECLINED;
    }
    *parms->func = (const void *) expr_var;
    *parms->data = &vn->var;
    return OK;
}

#if REMOTE_IF_HAVE_SSL_VAR_HOOK
/* %{SSL:REMOTE_IF} (mod_rewrite), %{REMOTE_IF}s (mod_headers): the core
 * asks this hook before mod_ssl.  Names are case-sensitive, as mod_ssl's
 * own variables are. */
static const char *
remote_if_ssl_var_lookup(apr_pool_t *p, server_rec *s, conn_rec *c,
                         request_rec *r, const char *name)
{
    const struct remote_if_var_name *vn = var_of_name(name, 0);

    if (!vn) {
        return NULL;
    }
    if (r) {
        c = r->connection;
        s = r->server;
    }
    return apr_pstrdup(p, var_value(vn->var, c, s));
}
#endif

/* True if 'name' is usable as a Linux interface name. */
static int
valid_ifname(const char *name)
{
    size_t len = strlen(name);
    const char *q;

    if (!len || len >= IF_NAMESIZE || !strcmp(name, ".")
        || !strcmp(name, "..")) {
        return 0;
    }
    for (q = name; *q; q++) {
        if (*q == '/' || *q == ':' || isspace((unsigned char) *q)
            || iscntrl((unsigned char) *q)) {
            return 0;
        }
    }
    return 1;
}

/* Tenant names end up in file paths (DocumentRoot per tenant), so refuse
 * anything that could climb out of a directory or split a path. */
static int
valid_tenant(const char *name)
{
    const char *q;

    if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        return 0;
    }
    for (q = name; *q; q++) {
        if (*q == '/' || *q == '\\' || isspace((unsigned char) *q)
            || iscntrl((unsigned char) *q)) {
            return 0;
        }
    }
    return 1;
}

static const char *
cmd_remote_if_tenant(cmd_parms *cmd, void *dummy, const char *ifname,
                     const char *tenant)
{
    struct remote_if_server_config *conf
        = ap_get_module_config(cmd->server->module_config,
                               &remote_if_module);
    const char *old;

    (void) dummy;
    if (!valid_ifname(ifname)) {
        return apr_psprintf(cmd->pool, "RemoteIfTenant: '%s' is not a valid "
                            "interface name (1 to %d characters, no '/', "
                            "':' or white space)", ifname, IF_NAMESIZE - 1);
    }
    if (!valid_tenant(tenant)) {
        return apr_psprintf(cmd->pool, "RemoteIfTenant: '%s' is not a valid "
                            "tenant name (non-empty, not '.' or '..', no "
                            "'/', '\\' or white space)", tenant);
    }
    old = apr_hash_get(conf->tenants, ifname, APR_HASH_KEY_STRING);
    if (old && strcmp(old, tenant)) {
        return apr_psprintf(cmd->pool, "RemoteIfTenant: interface '%s' is "
                            "already mapped to tenant '%s'", ifname, old);
    }
    apr_hash_set(conf->tenants, apr_pstrdup(cmd->pool, ifname),
                 APR_HASH_KEY_STRING, apr_pstrdup(cmd->pool, tenant));
    return NULL;
}

static const command_rec remote_if_cmds[] = {
    AP_INIT_TAKE2("RemoteIfTenant", cmd_remote_if_tenant, NULL, RSRC_CONF,
                  "an interface name and the tenant name REMOTE_TENANT "
                  "takes for clients on that interface"),
    { NULL, { NULL }, NULL, 0, 0, NULL }
};

static void
remote_if_register_hooks(apr_pool_t *p)
{
    (void) p;
    /* First, so that mod_setenvif, mod_rewrite and everything after
     * post_read_request see REMOTE_IF. */
    ap_hook_post_read_request(remote_if_post_read_request, NULL, NULL,
                              APR_HOOK_REALLY_FIRST);
    ap_hook_expr_lookup(remote_if_expr_lookup, NULL, NULL, APR_HOOK_MIDDLE);
#if REMOTE_IF_HAVE_SSL_VAR_HOOK
    ap_hook_ssl_var_lookup(remote_if_ssl_var_lookup, NULL, NULL,
                           APR_HOOK_MIDDLE);
#endif
}

AP_DECLARE_MODULE(remote_if) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* create per-directory config */
    NULL,                       /* merge per-directory config */
    create_server_config,
    merge_server_config,
    remote_if_cmds,
    remote_if_register_hooks,
#if defined(AP_MODULE_FLAG_NONE)
    AP_MODULE_FLAG_NONE
#endif
};
