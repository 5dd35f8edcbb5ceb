// This file holds the SSRF rules: which addresses a crawl may connect to
// (the dial guard) and when a target's own private address is allowed.

package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
)

// ErrPrivateAddress is the error of a connection to a private, loopback or
// link-local address that the crawl is not allowed to make.
var ErrPrivateAddress = errors.New("blocked: private, loopback or link-local address (use --allow-private)")

// dialGuard decides at dial time, on the resolved address, whether a
// connection may be made.
type dialGuard struct {
	allowPrivate bool
	// allowAddrs are "ip:port" addresses allowed even when private
	// (tests); read only.
	allowAddrs map[string]bool
}

func (g *dialGuard) control(network, address string, _ syscall.RawConn) error {
	if g.allowPrivate || g.allowAddrs[address] {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if ip == nil || isPrivate(ip) {
		return fmt.Errorf("%s: %w", address, ErrPrivateAddress)
	}
	return nil
}

// isPrivate reports whether ip is loopback, private (RFC 1918, RFC 4193),
// link-local, unspecified, CGNAT (RFC 6598) or otherwise not a public
// unicast address.
func isPrivate(ip net.IP) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	if v4 := ip.To4(); v4 != nil {
		return v4[0] == 0 || v4[0] == 100 && v4[1]&0xC0 == 64 || v4[0] >= 240 || v4[0] == 192 && v4[1] == 0 && v4[2] == 0
	}
	// IPv4-mapped and NAT64 forms of private IPv4 addresses.
	if len(ip) == net.IPv6len && ip[0] == 0x00 && ip[1] == 0x64 && ip[2] == 0xff && ip[3] == 0x9b {
		return isPrivate(net.IP(ip[12:16]))
	}
	return false
}

// privateTarget reports whether the user's own target host is private
// (an IP literal, localhost, or a name that resolves only to private
// addresses), in which case connecting to it needs no --allow-private.
func privateTarget(ctx context.Context, host string) bool {
	if ip := net.ParseIP(host); ip != nil {
		return isPrivate(ip)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if !isPrivate(a.IP) {
			return false
		}
	}
	return true
}
