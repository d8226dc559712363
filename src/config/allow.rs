//! Lists of IP addresses and networks (`metrics_allow`): who may reach an operations endpoint.

use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

/// Addresses and CIDR networks, IPv4 and IPv6. An empty list allows nobody.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IpAllowList(Vec<IpNet>);

impl IpAllowList {
    /// Parses each entry: an address (`127.0.0.1`, `::1`) or a network (`10.0.0.0/8`).
    /// Returns the first entry that is neither, with the reason.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, String> {
        entries
            .iter()
            .map(|e| parse_entry(e.as_ref()))
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether `addr` is in one of the networks. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`,
    /// what a dual-stack `[::]` listener reports for IPv4 clients) count as their IPv4 form.
    pub fn allows(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.0.iter().any(|net| net.contains(&addr))
    }
}

fn parse_entry(entry: &str) -> Result<IpNet, String> {
    let text = entry.trim();
    let parsed = if text.contains('/') {
        text.parse::<IpNet>().map(|n| n.trunc()).ok()
    } else {
        text.parse::<IpAddr>().map(IpNet::from).ok()
    };
    parsed.ok_or_else(|| format!("{entry:?} is not an IP address or a network like 10.0.0.0/8"))
}

impl fmt::Debug for IpAllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(ToString::to_string))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn addresses_and_networks_of_both_families_match() {
        let list =
            IpAllowList::parse(&["127.0.0.1", "::1", "10.1.0.0/16", "fd00::/8"]).expect("valid");
        for yes in [
            "127.0.0.1",
            "::1",
            "10.1.200.3",
            "fd12::5",
            "::ffff:127.0.0.1",
        ] {
            assert!(list.allows(ip(yes)), "{yes}");
        }
        for no in ["127.0.0.2", "10.2.0.1", "fe80::1", "192.168.1.1", "::2"] {
            assert!(!list.allows(ip(no)), "{no}");
        }
    }

    #[test]
    fn a_network_written_with_host_bits_means_the_whole_network() {
        let list = IpAllowList::parse(&["192.168.3.7/24"]).expect("valid");
        assert!(list.allows(ip("192.168.3.200")));
    }

    #[test]
    fn an_empty_list_allows_nobody() {
        assert!(!IpAllowList::default().allows(ip("127.0.0.1")));
    }

    #[test]
    fn a_malformed_entry_is_named() {
        for bad in ["localhost", "10.0.0.0/33", "1.2.3", ""] {
            let err = IpAllowList::parse(&["::1", bad]).expect_err(bad);
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }
}
