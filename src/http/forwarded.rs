//! The client addresses a reverse proxy says it forwarded for (`Forwarded`, `X-Forwarded-For`,
//! `X-Real-IP`), read strictly: used to *refuse*, never to trust a client more.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderMap;

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
}
