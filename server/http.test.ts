import { describe, expect, it } from "vitest";
import { addressKey, clientIp, PEER_HEADER } from "./http";

const request = (peer: string | undefined, forwarded?: string) =>
  new Headers({ ...(peer ? { [PEER_HEADER]: peer } : {}), ...(forwarded ? { "x-forwarded-for": forwarded } : {}) });

describe("client address", () => {
  it("is the connection's address when no proxy is trusted, whatever the client forwards", () => {
    expect(clientIp(request("198.51.100.9", "1.2.3.4"), 0)).toBe("198.51.100.9");
    expect(clientIp(request("198.51.100.9", "1.2.3.4, 5.6.7.8"), 0)).toBe("198.51.100.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" }), 0)).toBe("local");
  });

  it("takes the entry as many hops left of the connection as there are trusted proxies", () => {
    // One proxy (10.0.0.2) that appended what it saw; the client forged the first entry.
    expect(clientIp(request("10.0.0.2", "1.2.3.4, 203.0.113.5"), 1)).toBe("203.0.113.5");
    // Two proxies: CDN then load balancer.
    expect(clientIp(request("10.0.0.3", "1.2.3.4, 203.0.113.5, 10.0.0.2"), 2)).toBe("203.0.113.5");
    // Fewer entries than hops (reached without the proxies): the leftmost there is.
    expect(clientIp(request("10.0.0.2"), 1)).toBe("10.0.0.2");
  });

  it("counts IPv4-mapped addresses as IPv4 and IPv6 addresses by their /64", () => {
    expect(clientIp(request("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("::/64");
  });
});
