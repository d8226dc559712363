//! The client addresses a reverse proxy says it forwarded for (`Forwarded`, `X-Forwarded-For`,
//! `X-Real-IP`), read strictly: used to *refuse*, never to trust a client more.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderMap;

use crate::config::IpAllowList;

/// Every address the proxy headers name, in order; `None` when one of them is not an IP
/// address (`unknown`, an obfuscated `_hidden` identifier, garbage), so that the caller
/// can refuse what it cannot check.
pub fn forwarded_for(headers: &HeaderMap) -> Option<Vec<IpAddr>> {
    let mut found = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for item in value.to_str().ok()?.split(',') {
            found.push(parse_node(item)?);
        }
    }
    for value in headers.get_all("x-real-ip") {
        found.push(parse_node(value.to_str().ok()?)?);
    }
    for value in headers.get_all("forwarded") {
        // RFC 7239: `for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`
        for pair in value.to_str().ok()?.split([',', ';']) {
            if let Some((key, node)) = pair.split_once('=')
                && key.trim().eq_ignore_ascii_case("for")
            {
                found.push(parse_node(node)?);
            }
        }
    }
    Some(found)
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the address
/// that proxy forwarded for, walking `X-Forwarded-For` (else `Forwarded`) from the right and
/// skipping further trusted proxies. What is left of the first untrusted hop was written by
/// the client and is never read; an entry that is not an address stops the walk.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &IpAllowList) -> IpAddr {
    let mut chain = forwarded_chain(headers);
    let mut client = peer;
    while trusted.allows(client) {
        match chain.pop() {
            Some(Some(hop)) => client = hop,
            Some(None) | None => break,
        }
    }
    client.to_canonical()
}

/// The hops of `X-Forwarded-For` in order (all its header lines), or of `Forwarded`'s `for=`
/// when there is no `X-Forwarded-For`; `None` for an entry that is not an address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<Option<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .flat_map(|v| match v.to_str() {
            Ok(text) => text.split(',').map(parse_node).collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect();
    if !xff.is_empty() {
        return xff;
    }
    headers
        .get_all("forwarded")
        .flat_map(|v| match v.to_str() {
            Ok(text) => text
                .split(',')
                .filter_map(|element| {
                    element.split(';').find_map(|pair| {
                        let (key, node) = pair.split_once('=')?;
                        key.trim()
                            .eq_ignore_ascii_case("for")
                            .then(|| parse_node(node))
                    })
                })
                .collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `::1`, `"[::1]:80"` or `[::1]` as an address.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = text.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    text.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .and_then(|t| t.parse::<IpAddr>().ok())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn no_proxy_header_means_no_forwarded_address() {
        assert_eq!(forwarded_for(&headers(&[])), Some(vec![]));
    }

    #[test]
    fn every_address_of_every_proxy_header_is_read() {
        let found = forwarded_for(&headers(&[
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
            ("x-forwarded-for", "127.0.0.1:5555"),
            ("x-real-ip", "203.0.113.9"),
            (
                "forwarded",
                "for=192.0.2.60;proto=https;by=203.0.113.43, for=\"[2001:db8::1]:4711\"",
            ),
        ]))
        .expect("all addresses");
        let expected: Vec<IpAddr> = [
            "203.0.113.9",
            "10.0.0.2",
            "127.0.0.1",
            "203.0.113.9",
            "192.0.2.60",
            "2001:db8::1",
        ]
        .iter()
        .map(|s| ip(s))
        .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn an_address_that_cannot_be_checked_gives_no_list() {
        for bad in [
            ("x-forwarded-for", "127.0.0.1, unknown"),
            ("forwarded", "for=_hidden"),
            ("x-real-ip", "localhost"),
        ] {
            assert_eq!(forwarded_for(&headers(&[bad])), None, "{bad:?}");
        }
    }

    fn local_proxy() -> IpAllowList {
        IpAllowList::parse(&["127.0.0.1", "::1"]).expect("valid")
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_address_it_forwarded_for() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &local_proxy()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn what_the_client_wrote_left_of_the_proxy_is_never_read() {
        // nginx appends the real peer to what the client sent.
        let h = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.9")]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &local_proxy()),
            ip("203.0.113.9")
        );
        // A client claiming to be a trusted proxy only moves one hop left of itself.
        let h = headers(&[("x-forwarded-for", "198.51.100.1, 127.0.0.1, 203.0.113.9")]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &local_proxy()),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            client_address(ip("192.0.2.50"), &h, &local_proxy()),
            ip("192.0.2.50")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &IpAllowList::default()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for_and_garbage_stops_the_walk() {
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=https, for=\"[2001:db8::1]:4711\"",
        )]);
        assert_eq!(
            client_address(ip("::1"), &h, &local_proxy()),
            ip("2001:db8::1")
        );
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown")]);
        assert_eq!(
            client_address(ip("127.0.0.1"), &h, &local_proxy()),
            ip("127.0.0.1")
        );
    }
}
