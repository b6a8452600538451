# Varnish in front of Broadsheet (Varnish 7 + xkey from Debian's varnish-modules).
#
# - Pages Broadsheet marks `Cache-Control: public` are kept for their s-maxage and purged by
#   surrogate key: the app sends `PURGE /` with the keys in an `xkey-purge` header after each
#   change (BROADSHEET_EDGE_PURGERS). A purged page is kept as a stale copy (a soft purge) for
#   when the app fails. Anything else (a page that sets a cookie, a form, a signed-in editor's
#   page) is never kept.
# - Readers' cookies never reach a cached page; signed-in editors and readers pinned to the
#   primary database pass straight to the app.
# - While the app is up, a purged or expired page is fetched again and its readers wait for that
#   one fetch (Varnish's request collapsing): nobody is handed the page from before a change,
#   nor from before the time of the scheduled story it was kept for (X-Broadsheet-Until).
# - When the app is down (health probe) or answers an error, the stale copy is served for up to
#   a day (stale-if-error) instead.
#
# `broadsheet varnish` fills in the @...@ values and runs varnishd with this file.
vcl 4.1;

import std;
import xkey;

backend origin {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # Down after 3 of 5 probes fail: a busy app answering slowly is not a stopped one.
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        .initial = 3;
    }
}

acl purgers {
    @PURGERS@
}

sub vcl_recv {
    if (req.restarts == 0) {
        unset req.http.X-Broadsheet-Stale;  # set below only, by vcl_deliver
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from here"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header"));
        }
        set req.http.n-gone = xkey.softpurge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    # A Host the site does not serve is refused before anything is looked up or kept.
    set req.http.host = std.tolower(req.http.host);
    if (req.http.host !~ "@HOSTS@") {
        return (synth(400, "Unknown host"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # One cache entry per page: tracking parameters dropped, the others sorted.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[^=&]*|mc_[^=&]*|_ga|_gl|pk_[^=&]*|mtm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|twclid|ref_src)(=[^&]*)?(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    # /publish/ itself (the form's page) is the same for everyone; what lies under it is not.
    if (req.url ~ "^/(admin|accounts|preview|publish/.|healthz|comments/(post|held|state|unsubscribe))") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|bs_read_primary|bs_nocache[^=]*)=") {
        return (pass);
    }
    unset req.http.Cookie;
    # Stale copies only while the app is down or has just failed this request (vcl_deliver).
    if (std.healthy(req.backend_hint) && !req.http.X-Broadsheet-Stale) {
        set req.grace = 0s;
    } else {
        set req.grace = 24h;  # (a restart keeps what the first pass set)
    }
    return (hash);
}

sub vcl_backend_response {
    # An error from the app for a page that may be kept: dropped, so that the stale copy stays
    # and is served (vcl_synth); on the retry, when there was none, the app's own error page goes
    # out, not kept. A passed request (a form, an editor) gets the app's answer at once.
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch || (!bereq.uncacheable && !bereq.http.X-Broadsheet-Stale)) {
            return (abandon);
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    # Until the next scheduled story appears, to the moment (s-maxage counts whole seconds).
    if (beresp.http.X-Broadsheet-Until) {
        set beresp.ttl = std.time(beresp.http.X-Broadsheet-Until, now + beresp.ttl) - now;
        if (beresp.ttl < 0s) {
            set beresp.ttl = 0s;
        }
    }
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch || (!bereq.uncacheable && !bereq.http.X-Broadsheet-Stale)) {
        return (abandon);
    }
}

sub vcl_synth {
    # The app failed this page (vcl_backend_*): once more, taking a stale copy if one is kept.
    if (resp.status == 503 && req.restarts == 0 && (req.method == "GET" || req.method == "HEAD")) {
        set req.http.X-Broadsheet-Stale = "1";
        return (restart);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.X-Broadsheet-Until;
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
}
