//! Server-side request forgery guard: no fetch or delivery to private, loopback or link-local
//! addresses unless the configuration allows it (tests and the demo do).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// True for addresses that must not be reached from a public server.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                // 0.0.0.0/8 "this network"
                || a == 0
                // 100.64.0.0/10 carrier-grade NAT
                || (a == 100 && (b & 0xc0) == 64)
                // 198.18.0.0/15 benchmarking
                || (a == 198 && (b & 0xfe) == 18)
                // 240.0.0.0/4 reserved
                || a >= 240
                // 192.0.0.0/24 IETF protocol assignments (DS-Lite, NAT64 discovery…)
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                is_private(IpAddr::V4(std::net::Ipv4Addr::from(
                    (u32::from(hi) << 16) | u32::from(lo),
                )))
            };
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                // 2001:db8::/32 documentation
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (mapped)
                || v6.to_ipv4().is_some_and(|v4| is_private(IpAddr::V4(v4)))
                // 64:ff9b::/96 NAT64: the IPv4 address it translates to
                || (s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] && embedded(s[6], s[7]))
                // 64:ff9b:1::/48 local-use NAT64
                || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
                // 2002::/16 6to4: the IPv4 address of the relay
                || (s[0] == 0x2002 && embedded(s[1], s[2]))
                // 2001::/32 Teredo: a tunnel to an IPv4 client no public peer uses
                || (s[0] == 0x2001 && s[1] == 0)
                // fec0::/10 site-local (deprecated, still routed inside some networks)
                || (s[0] & 0xffc0) == 0xfec0
        }
    }
}

/// A DNS resolver that drops private addresses, so a public name pointing inside the network
/// cannot be used to reach it.
#[derive(Clone)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The HTTP client of the federation: guarded DNS, no automatic redirects (each one is
/// checked by the caller), bounded timeouts, and no proxy from the environment unless
/// `use_system_proxy`: a proxy resolves names itself, around the guarded resolver.
pub fn client(allow_private: bool, use_system_proxy: bool) -> reqwest::Client {
    let builder = reqwest::Client::builder();
    let builder = if use_system_proxy {
        builder
    } else {
        builder.no_proxy()
    };
    builder
        .dns_resolver(Arc::new(GuardedResolver { allow_private }))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("entrepairs/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(4)
        // Below the 5 s keep-alive of common servers (actix, nginx's default is longer): a
        // connection the peer is closing is not reused, which would fail the request.
        .pool_idle_timeout(std::time::Duration::from_secs(3))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().expect("ip")), "{ip}");
        }
        for ip in ["193.51.24.1", "2a01:e0a::1", "8.8.8.8"] {
            assert!(!is_private(ip.parse().expect("ip")), "{ip}");
        }
    }

    fn private(ip: &str) -> bool {
        is_private(ip.parse().expect("ip"))
    }

    #[test]
    fn nat64_reaches_inside_only_when_its_ipv4_is_inside() {
        assert!(private("64:ff9b::a00:1"), "64:ff9b::10.0.0.1");
        assert!(private("64:ff9b::7f00:1"), "64:ff9b::127.0.0.1");
        assert!(!private("64:ff9b::808:808"), "64:ff9b::8.8.8.8");
    }

    #[test]
    fn six_to_four_embeds_its_ipv4() {
        assert!(private("2002:a00:1::1"), "2002:10.0.0.1::");
        assert!(private("2002:a9fe:a9fe::1"), "2002:169.254.169.254::");
        assert!(!private("2002:808:808::1"));
    }

    #[test]
    fn ipv4_compatible_and_mapped_addresses_are_their_ipv4() {
        assert!(private("::10.0.0.1"));
        assert!(private("::127.0.0.1"));
        assert!(private("::ffff:169.254.169.254"));
        assert!(!private("::ffff:8.8.8.8"));
    }

    #[test]
    fn reserved_240_slash_4_is_private() {
        assert!(private("240.0.0.1"));
        assert!(private("255.255.255.254"));
    }

    #[test]
    fn benchmarking_198_18_slash_15_is_private() {
        assert!(private("198.18.0.1"));
        assert!(private("198.19.255.255"));
        assert!(!private("198.20.0.1"));
    }

    #[test]
    fn carrier_grade_nat_100_64_slash_10_is_private_and_its_neighbours_are_not() {
        assert!(private("100.64.0.1"));
        assert!(private("100.127.255.254"));
        assert!(!private("100.63.255.255"));
        assert!(!private("100.128.0.1"));
    }

    #[test]
    fn link_local_is_private_in_both_families() {
        assert!(private("169.254.0.1"));
        assert!(private("169.254.169.254"), "the cloud metadata address");
        assert!(private("fe80::1"));
        assert!(private("febf::1"));
        assert!(private("fec0::1"), "site-local");
    }

    #[test]
    fn unique_local_fc00_slash_7_is_private_in_both_halves() {
        assert!(private("fc00::1"));
        assert!(private("fd12:3456:789a::1"));
        assert!(!private("fb00::1"));
    }

    #[test]
    fn documentation_ranges_are_private() {
        for ip in [
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "2001:db8::1",
            "2001:db8:ffff::1",
        ] {
            assert!(private(ip), "{ip}");
        }
        assert!(!private("2001:db9::1"));
    }

    #[test]
    fn special_purpose_ranges_are_private() {
        for ip in [
            "0.1.2.3",
            "255.255.255.255",
            "192.0.0.8",
            "::",
            "64:ff9b:1::a00:1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        ] {
            assert!(private(ip), "{ip}");
        }
        assert!(!private("192.0.1.1"), "outside 192.0.0.0/24");
    }

    #[test]
    fn mapped_and_compatible_forms_of_every_private_range_are_private() {
        for v4 in [
            "10.0.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
        ] {
            let embedded: std::net::Ipv4Addr = v4.parse().expect("ip");
            assert!(
                is_private(IpAddr::V6(embedded.to_ipv6_mapped())),
                "::ffff:{v4}"
            );
            assert!(
                is_private(IpAddr::V6(embedded.to_ipv6_compatible())),
                "::{v4}"
            );
            let [a, b, c, d] = embedded.octets();
            let nat64 = std::net::Ipv6Addr::new(
                0x64,
                0xff9b,
                0,
                0,
                0,
                0,
                u16::from_be_bytes([a, b]),
                u16::from_be_bytes([c, d]),
            );
            assert!(is_private(IpAddr::V6(nat64)), "64:ff9b::{v4}");
            let six_to_four = std::net::Ipv6Addr::new(
                0x2002,
                u16::from_be_bytes([a, b]),
                u16::from_be_bytes([c, d]),
                0,
                0,
                0,
                0,
                1,
            );
            assert!(is_private(IpAddr::V6(six_to_four)), "2002: of {v4}");
        }
    }

    #[test]
    fn multicast_is_private() {
        assert!(private("224.0.0.1"));
        assert!(private("239.255.255.250"));
        assert!(private("ff02::1"));
        assert!(private("ff05::2"));
    }
}
