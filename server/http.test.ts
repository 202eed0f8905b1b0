import { describe, expect, it } from "vitest";
import { clientIp } from "./http";

describe("client address", () => {
  it("takes the address the nearest proxy saw, not what the client claims", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.9" }))).toBe("198.51.100.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "198.51.100.9" }))).toBe("198.51.100.9");
  });

  it("falls back to x-real-ip, then to a fixed key", () => {
    expect(clientIp(new Headers({ "x-real-ip": "203.0.113.5" }))).toBe("203.0.113.5");
    expect(clientIp(new Headers())).toBe("local");
  });
});
