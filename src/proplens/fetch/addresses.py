"""Which addresses a server may fetch from on a user's behalf.

A server that fetches any URL it is given can be made to reach what only it
can reach: itself, the local network, a cloud metadata service. So every
address a host name resolves to must be a public unicast address; loopback,
private, link-local (169.254.169.254 is the usual metadata address), shared
(100.64/10), multicast, reserved and unspecified addresses are refused,
including IPv4 addresses wrapped in IPv6 (``::ffff:127.0.0.1``, 6to4).
"""

from __future__ import annotations

import ipaddress
import socket

from proplens.fetch.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError("dns", f"cannot resolve host {host!r} ({err})") from None
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise FetchError("dns", f"host {host!r} has no address")
    return found


def is_public(address: IPAddress) -> bool:
    """True for a global unicast address that is not an IPv4 one in disguise."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return is_public(inner)
    return address.is_global and not (address.is_multicast or address.is_reserved)


def check_public(host: str, addresses: list[IPAddress]) -> None:
    """Refuse the host if any of its addresses is not public (the client may pick any)."""
    for address in addresses:
        if not is_public(address):
            raise FetchError(
                "refused_address",
                f"refused to fetch from {host!r}: it resolves to {address}, a loopback, "
                "private, link-local or otherwise non-public address (a proplens server "
                "fetches from those only when started with --allow-private-urls)",
            )
