//! Who sent a request: the address rate limits are kept per.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request};

/// The client's address: the socket's peer, or with `trust_forwarded_for` the address the
/// proxy in front appended last to `X-Forwarded-For`. IPv6 clients are keyed by their /64,
/// which one household or machine usually has whole. Unknown peers share one key.
pub fn client_key(request: &Request, trust_forwarded_for: bool) -> IpAddr {
    let forwarded = trust_forwarded_for
        .then(|| forwarded_for(request))
        .flatten();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let ip = forwarded
        .or(peer)
        .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// The last well-formed address in the `X-Forwarded-For` headers.
fn forwarded_for(request: &Request) -> Option<IpAddr> {
    request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, forwarded: Option<&str>) -> Request {
        let mut builder = Request::builder();
        if let Some(forwarded) = forwarded {
            builder = builder.header("x-forwarded-for", forwarded);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        request
    }

    #[test]
    fn peer_address_unless_the_proxy_is_trusted() {
        let r = request("10.0.0.1:5000", Some("203.0.113.9, 198.51.100.7"));
        assert_eq!(client_key(&r, false).to_string(), "10.0.0.1");
        assert_eq!(client_key(&r, true).to_string(), "198.51.100.7");
        let r = request("10.0.0.1:5000", Some("garbage"));
        assert_eq!(client_key(&r, true).to_string(), "10.0.0.1");
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a = request("[2001:db8:1:2:aaaa::1]:80", None);
        let b = request("[2001:db8:1:2:bbbb::2]:80", None);
        assert_eq!(client_key(&a, false), client_key(&b, false));
        let mapped = request("[::ffff:192.0.2.1]:80", None);
        assert_eq!(client_key(&mapped, false).to_string(), "192.0.2.1");
    }
}
