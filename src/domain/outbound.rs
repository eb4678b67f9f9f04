//! Where Gatehouse's own outgoing requests (webhook deliveries) may connect. An admin types a
//! URL; its host could be, or could later resolve to, something inside the operator's network:
//! a loopback service, a private range, a cloud's metadata endpoint. Every address a delivery
//! would connect to is checked here, at each attempt and for the address actually connected to,
//! unless the operator allowed its network (`GATEHOUSE_WEBHOOK_ALLOWED_NETWORKS`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unspecified,
    Loopback,
    Private,
    /// Carrier-grade NAT (100.64.0.0/10).
    Shared,
    LinkLocal,
    /// A cloud's instance metadata service (169.254.169.254, fd00:ec2::254, …).
    Metadata,
    Multicast,
    /// Documentation, benchmarking, broadcast, IETF-reserved and future-use ranges.
    Reserved,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::Loopback => "loopback",
            Self::Private => "private",
            Self::Shared => "shared",
            Self::LinkLocal => "link-local",
            Self::Metadata => "metadata",
            Self::Multicast => "multicast",
            Self::Reserved => "reserved",
        }
    }
}

/// The networks the operator allows despite the rules (e.g. `127.0.0.1/32` for a receiver on
/// the same machine, as the tests do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedNetworks(Vec<IpNet>);

impl AllowedNetworks {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }
}

/// Whether a delivery may connect to `address`.
pub fn check(address: IpAddr, allowed: &AllowedNetworks) -> Result<(), Refusal> {
    if allowed.contains(address) {
        return Ok(());
    }
    match refusal_of(address) {
        Some(refusal) => Err(refusal),
        None => Ok(()),
    }
}

fn refusal_of(address: IpAddr) -> Option<Refusal> {
    match address {
        IpAddr::V4(v4) => refusal_of_v4(v4),
        IpAddr::V6(v6) => refusal_of_v6(v6),
    }
}

fn in_v4(address: Ipv4Addr, network: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(address) & mask == u32::from(Ipv4Addr::from(network)) & mask
}

fn refusal_of_v4(address: Ipv4Addr) -> Option<Refusal> {
    const METADATA: [Ipv4Addr; 2] = [
        Ipv4Addr::new(169, 254, 169, 254),
        // Alibaba Cloud's.
        Ipv4Addr::new(100, 100, 100, 200),
    ];
    let ranges: [([u8; 4], u32, Refusal); 16] = [
        ([0, 0, 0, 0], 8, Refusal::Unspecified),
        ([10, 0, 0, 0], 8, Refusal::Private),
        ([100, 64, 0, 0], 10, Refusal::Shared),
        ([127, 0, 0, 0], 8, Refusal::Loopback),
        ([169, 254, 0, 0], 16, Refusal::LinkLocal),
        ([172, 16, 0, 0], 12, Refusal::Private),
        ([192, 0, 0, 0], 24, Refusal::Reserved),
        ([192, 0, 2, 0], 24, Refusal::Reserved),
        ([192, 88, 99, 0], 24, Refusal::Reserved),
        ([192, 168, 0, 0], 16, Refusal::Private),
        ([198, 18, 0, 0], 15, Refusal::Reserved),
        ([198, 51, 100, 0], 24, Refusal::Reserved),
        ([203, 0, 113, 0], 24, Refusal::Reserved),
        ([224, 0, 0, 0], 4, Refusal::Multicast),
        ([240, 0, 0, 0], 4, Refusal::Reserved),
        ([255, 255, 255, 255], 32, Refusal::Reserved),
    ];
    if METADATA.contains(&address) {
        return Some(Refusal::Metadata);
    }
    ranges
        .iter()
        .find(|(network, prefix, _)| in_v4(address, *network, *prefix))
        .map(|(_, _, refusal)| *refusal)
}

fn refusal_of_v6(address: Ipv6Addr) -> Option<Refusal> {
    let segments = address.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // Forms that carry an IPv4 address are judged by it: mapped (::ffff:a.b.c.d), NAT64
    // (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
    if segments[..5] == [0, 0, 0, 0, 0] && segments[5] == 0xffff {
        return refusal_of_v4(embedded_v4(segments[6], segments[7]));
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return refusal_of_v4(embedded_v4(segments[6], segments[7]));
    }
    if segments[0] == 0x2002 {
        return refusal_of_v4(embedded_v4(segments[1], segments[2]));
    }
    if address == Ipv6Addr::UNSPECIFIED {
        return Some(Refusal::Unspecified);
    }
    if address == Ipv6Addr::LOCALHOST {
        return Some(Refusal::Loopback);
    }
    // AWS's IPv6 instance metadata service.
    if address == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Refusal::Metadata);
    }
    let first = segments[0];
    if segments[..6] == [0, 0, 0, 0, 0, 0] {
        // IPv4-compatible (deprecated) and the rest of ::/96.
        return Some(Refusal::Reserved);
    }
    match first {
        0xfe80..=0xfebf => Some(Refusal::LinkLocal),
        // Unique local, and the deprecated site-local.
        0xfc00..=0xfdff | 0xfec0..=0xfeff => Some(Refusal::Private),
        0xff00..=0xffff => Some(Refusal::Multicast),
        // Discard-only (100::/64), IETF protocol assignments (2001::/23), documentation
        // (2001:db8::/32, 3fff::/20).
        0x0100 if segments[1..4] == [0, 0, 0] => Some(Refusal::Reserved),
        0x2001 if segments[1] < 0x0200 || segments[1] == 0x0db8 => Some(Refusal::Reserved),
        0x3fff if segments[1] < 0x1000 => Some(Refusal::Reserved),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(address: &str) -> Option<Refusal> {
        check(address.parse().unwrap(), &AllowedNetworks::default()).err()
    }

    #[test]
    fn each_kind_of_inside_address_is_refused() {
        for (address, refusal) in [
            ("0.0.0.0", Refusal::Unspecified),
            ("::", Refusal::Unspecified),
            ("127.0.0.1", Refusal::Loopback),
            ("127.255.0.9", Refusal::Loopback),
            ("::1", Refusal::Loopback),
            ("10.1.2.3", Refusal::Private),
            ("172.31.255.255", Refusal::Private),
            ("192.168.0.1", Refusal::Private),
            ("fd12:3456::1", Refusal::Private),
            ("100.64.0.1", Refusal::Shared),
            ("169.254.10.1", Refusal::LinkLocal),
            ("fe80::1", Refusal::LinkLocal),
            ("169.254.169.254", Refusal::Metadata),
            ("100.100.100.200", Refusal::Metadata),
            ("fd00:ec2::254", Refusal::Metadata),
            ("224.0.0.1", Refusal::Multicast),
            ("ff02::1", Refusal::Multicast),
            ("192.0.2.10", Refusal::Reserved),
            ("198.18.0.1", Refusal::Reserved),
            ("240.0.0.1", Refusal::Reserved),
            ("255.255.255.255", Refusal::Reserved),
            ("2001:db8::1", Refusal::Reserved),
            ("100::1", Refusal::Reserved),
        ] {
            assert_eq!(refused(address), Some(refusal), "{address}");
        }
    }

    #[test]
    fn ipv4_inside_ipv6_is_judged_by_its_ipv4_address() {
        assert_eq!(refused("::ffff:127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(refused("::ffff:169.254.169.254"), Some(Refusal::Metadata));
        assert_eq!(refused("64:ff9b::10.0.0.1"), Some(Refusal::Private));
        assert_eq!(refused("2002:c0a8:0101::1"), Some(Refusal::Private));
        assert_eq!(refused("::ffff:93.184.216.34"), None);
        assert_eq!(refused("::127.0.0.1"), Some(Refusal::Reserved));
    }

    #[test]
    fn public_addresses_pass() {
        for address in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::6810:85e5",
            "100.128.0.1",
        ] {
            assert_eq!(refused(address), None, "{address}");
        }
    }

    #[test]
    fn the_operator_may_allow_networks() {
        let allowed = AllowedNetworks::new(
            ["127.0.0.1/32", "10.20.0.0/16", "::1/128"]
                .iter()
                .map(|network| network.parse().unwrap())
                .collect(),
        );
        assert_eq!(check("127.0.0.1".parse().unwrap(), &allowed), Ok(()));
        assert_eq!(check("10.20.3.4".parse().unwrap(), &allowed), Ok(()));
        assert_eq!(check("::1".parse().unwrap(), &allowed), Ok(()));
        assert_eq!(
            check("127.0.0.2".parse().unwrap(), &allowed),
            Err(Refusal::Loopback)
        );
        assert_eq!(
            check("127.0.0.1".parse().unwrap(), &AllowedNetworks::default()),
            Err(Refusal::Loopback)
        );
    }
}
