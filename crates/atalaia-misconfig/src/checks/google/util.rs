//! Helpers the Google Cloud checks share.

pub(crate) use crate::checks::Cause;
pub(crate) use crate::cloud::is_public_cidr;
pub(crate) use crate::terraform::{TfBlock, TfBody, TfResource, V};

/// The resources of one type.
pub(crate) fn of<'a>(
    res: &'a [&'a TfResource],
    ty: &'a str,
) -> impl Iterator<Item = &'a TfResource> + 'a {
    res.iter().copied().filter(move |r| r.rtype == ty)
}

/// Fail unless `name` is true (or unknown): on the attribute when set, else on `range`.
pub(crate) fn require_true(
    body: &TfBody,
    name: &str,
    range: (usize, usize),
    message: &str,
    out: &mut Vec<Cause>,
) {
    match body.attr(name) {
        Some(a) if a.v.is_true() || a.v.has_unknown() => {}
        Some(a) => out.push(Cause::new(message, Some(a.lines))),
        None => out.push(Cause::new(message, Some(range))),
    }
}

/// A PostgreSQL instance (by `database_version`).
pub(crate) fn is_postgres(r: &TfResource) -> bool {
    r.body
        .attr("database_version")
        .and_then(|v| v.v.text())
        .is_some_and(|v| v.starts_with("POSTGRES"))
}

/// A PostgreSQL flag check: fail unless the flag is set to `want`.
pub(crate) fn pg_flag(r: &TfResource, flag: &str, want: &str, message: &str, out: &mut Vec<Cause>) {
    let flags = r
        .body
        .block("settings")
        .into_iter()
        .flat_map(|s| s.body.blocks("database_flags"));
    for f in flags {
        if f.body.attr("name").and_then(|n| n.v.text()).as_deref() != Some(flag) {
            continue;
        }
        match f.body.attr("value") {
            Some(v) if v.v.has_unknown() || v.v.text().as_deref() == Some(want) => {}
            Some(v) => out.push(Cause::new(message, Some(v.lines))),
            None => out.push(Cause::new(message, Some(f.lines))),
        }
        return;
    }
    out.push(Cause::new(message, Some(r.lines)));
}

/// A proxy-only subnetwork (flow logs do not apply).
pub(crate) fn is_proxy_subnet(r: &TfResource) -> bool {
    r.body
        .attr("purpose")
        .and_then(|p| p.v.text())
        .is_some_and(|p| p == "REGIONAL_MANAGED_PROXY" || p == "INTERNAL_HTTPS_LOAD_BALANCER")
}

/// An ingress firewall rule with `allow` blocks.
pub(crate) fn is_ingress_allow(r: &TfResource) -> bool {
    let ingress = r
        .body
        .attr("direction")
        .and_then(|d| d.v.text())
        .is_none_or(|d| d == "INGRESS");
    let enforced = !r.body.attr("disabled").is_some_and(|d| d.v.is_true());
    ingress && enforced && r.body.block("allow").is_some()
}

/// The port ranges of an `allow` block (every port when none are listed).
pub(crate) fn port_ranges(allow: &TfBlock) -> Vec<(i64, i64)> {
    let Some(ports) = allow.body.attr("ports") else {
        return vec![(0, 65535)];
    };
    let V::List(l) = &ports.v else {
        return Vec::new();
    };
    l.iter()
        .filter_map(V::text)
        .filter_map(|p| {
            let (s, e) = p.split_once('-').unwrap_or((&p, &p));
            Some((s.trim().parse().ok()?, e.trim().parse().ok()?))
        })
        .collect()
}

/// Whether a firewall rule's `allow` blocks take in a TCP port.
pub(crate) fn allows_port(r: &TfResource, port: i64) -> bool {
    r.body.blocks("allow").any(|a| {
        let proto = a.body.attr("protocol").and_then(|p| p.v.text());
        matches!(proto.as_deref(), Some("tcp" | "all" | "6"))
            && port_ranges(a).iter().any(|(s, e)| *s <= port && port <= *e)
    })
}
