//! Who sent a request: the address rate limits are kept per.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroUsize;

use axum::extract::{ConnectInfo, Request};

/// Where the client's address comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAddress {
    /// The socket's peer.
    Peer,
    /// Behind this many trusted proxies, each appending the address it was reached from to
    /// `X-Forwarded-For`: the client is that many entries from the right.
    Forwarded {
        /// How many proxies append an entry.
        hops: NonZeroUsize,
    },
}

impl ClientAddress {
    /// `Forwarded` with `hops` when `trust_forwarded_for`, else `Peer`.
    pub fn new(trust_forwarded_for: bool, hops: u32) -> Self {
        let hops = usize::try_from(hops)
            .ok()
            .and_then(NonZeroUsize::new)
            .unwrap_or(NonZeroUsize::MIN);
        if trust_forwarded_for {
            Self::Forwarded { hops }
        } else {
            Self::Peer
        }
    }
}

/// The client's key: its address, from the socket's peer or, behind trusted proxies, from
/// `X-Forwarded-For` (falling back to the peer when the proxies' entry is missing or is not an
/// address, never to an entry the client could have written). IPv6 clients are keyed by their
/// /64, which one household or machine usually has whole. Unknown peers share one key.
pub fn client_key(request: &Request, source: ClientAddress) -> IpAddr {
    let forwarded = match source {
        ClientAddress::Peer => None,
        ClientAddress::Forwarded { hops } => forwarded_for(request, hops),
    };
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

/// The address in the `hops`-th `X-Forwarded-For` entry from the right, if that entry exists
/// and is an address. Several headers count as one list, in order.
fn forwarded_for(request: &Request, hops: NonZeroUsize) -> Option<IpAddr> {
    let mut entries: Vec<&str> = Vec::new();
    for value in request.headers().get_all("x-forwarded-for") {
        // A header that is not text cannot be split into entries: nothing in it can be trusted
        // to be the proxies'.
        entries.extend(value.to_str().ok()?.split(','));
    }
    let entry = entries.iter().rev().nth(hops.get() - 1)?;
    parse_entry(entry)
}

/// An `X-Forwarded-For` entry as an address: `ip`, `ip:port`, `[v6]` or `[v6]:port`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')?
                .strip_suffix(']')?
                .parse::<Ipv6Addr>()
                .ok()
                .map(IpAddr::V6)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, forwarded: &[&str]) -> Request {
        let mut builder = Request::builder();
        for value in forwarded {
            builder = builder.header("x-forwarded-for", *value);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        request
    }

    fn behind(hops: u32) -> ClientAddress {
        ClientAddress::new(true, hops)
    }

    fn key(peer: &str, forwarded: &[&str], source: ClientAddress) -> String {
        client_key(&request(peer, forwarded), source).to_string()
    }

    #[test]
    fn peer_address_unless_the_proxy_is_trusted() {
        let chain = ["203.0.113.9, 198.51.100.7"];
        assert_eq!(
            key("10.0.0.1:5000", &chain, ClientAddress::Peer),
            "10.0.0.1"
        );
        assert_eq!(key("10.0.0.1:5000", &chain, behind(1)), "198.51.100.7");
        assert_eq!(ClientAddress::new(false, 3), ClientAddress::Peer);
    }

    #[test]
    fn each_entry_form_is_read() {
        for (entry, client) in [
            ("198.51.100.7", "198.51.100.7"),
            (" 198.51.100.7 ", "198.51.100.7"),
            ("198.51.100.7:4711", "198.51.100.7"),
            ("2001:db8:1:2::7", "2001:db8:1:2::"),
            ("[2001:db8:1:2::7]:4711", "2001:db8:1:2::"),
            ("[2001:db8:1:2::7]", "2001:db8:1:2::"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
        ] {
            let header = format!("203.0.113.9, {entry}");
            assert_eq!(
                key("10.0.0.1:5000", &[&header], behind(1)),
                client,
                "{entry}"
            );
        }
    }

    #[test]
    fn an_entry_that_is_not_an_address_means_the_peer_never_another_entry() {
        for entry in [
            "unknown",
            "garbage",
            "",
            "_hidden",
            "198.51.100.7:port",
            "[::1",
            "1.2.3",
        ] {
            let header = format!("203.0.113.9, {entry}");
            assert_eq!(
                key("10.0.0.1:5000", &[&header], behind(1)),
                "10.0.0.1",
                "{entry:?}"
            );
        }
    }

    #[test]
    fn the_client_is_the_nth_entry_from_the_right() {
        let chain = ["192.0.2.66, 203.0.113.9", "198.51.100.7"];
        assert_eq!(key("10.0.0.1:5000", &chain, behind(1)), "198.51.100.7");
        assert_eq!(key("10.0.0.1:5000", &chain, behind(2)), "203.0.113.9");
        assert_eq!(key("10.0.0.1:5000", &chain, behind(3)), "192.0.2.66");
        // Fewer entries than proxies: the chain is not what the proxies would write.
        assert_eq!(key("10.0.0.1:5000", &chain, behind(4)), "10.0.0.1");
        assert_eq!(key("10.0.0.1:5000", &[], behind(1)), "10.0.0.1");
        // The second proxy's entry does not parse: the client's own (first) entry is not used.
        let spoofed = ["192.0.2.66, unknown, 198.51.100.7"];
        assert_eq!(key("10.0.0.1:5000", &spoofed, behind(2)), "10.0.0.1");
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a = key("[2001:db8:1:2:aaaa::1]:80", &[], ClientAddress::Peer);
        let b = key("[2001:db8:1:2:bbbb::2]:80", &[], ClientAddress::Peer);
        assert_eq!(a, b);
        let mapped = key("[::ffff:192.0.2.1]:80", &[], ClientAddress::Peer);
        assert_eq!(mapped, "192.0.2.1");
    }
}
