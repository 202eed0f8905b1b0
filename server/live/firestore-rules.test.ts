import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DbOrTx } from "@/db/client";
import { readersOf } from "./firestore-publisher";

/**
 * firestore.rules, checked as text: no library evaluates Firestore rules without the Java emulator,
 * which these machines cannot run. Each check pins one condition the live documents rely on, as
 * it is written, so that weakening it fails here. The documents those conditions read are checked
 * against the publisher in firestore-privacy.test.ts.
 */
const rules = readFileSync(path.resolve(__dirname, "../../firestore.rules"), "utf8")
  .split("\n")
  .map((line) => line.replace(/\/\/.*$/, ""))
  .join("\n");

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

/** The body of the block that opens with `opening` (up to its matching brace). */
function block(opening: string): string {
  const start = rules.indexOf(opening);
  expect(start, `firestore.rules has "${opening}"`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = start + opening.length - 1; i < rules.length; i++) {
    if (rules[i] === "{") depth++;
    if (rules[i] === "}" && --depth === 0) return rules.slice(start + opening.length, i);
  }
  throw new Error(`Unbalanced block: ${opening}`);
}

/** What the function returns, whitespace squashed. */
function returns(signature: string): string {
  return squash(
    block(`function ${signature} {`)
      .replace(/^\s*return\s+/, "")
      .replace(/;\s*$/, ""),
  );
}

/** The conditions of `allow <methods>: if …;` in `body` (not in the blocks nested in it), split on top-level `||`. */
function allowed(body: string, methods: string): string[] {
  const own = body.replace(/match [^{]+\{[\s\S]*$/, "");
  const rule = new RegExp(`allow ${methods.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: if ([\\s\\S]*?);`).exec(own);
  expect(rule, `allow ${methods}`).not.toBeNull();
  return squash(rule![1]!).split(" || ");
}

describe("firestore.rules", () => {
  it("makes event, bracket and match topics public only while their document has no `readers`", () => {
    expect(returns("isPublicTopic(topic, data)")).toBe("topic.split(':')[0] in ['event', 'bracket', 'match'] && !('readers' in data)");
    expect(returns("isListedReader(data)")).toBe("signedIn() && request.auth.uid in data.get('readers', [])");
  });

  it("lets a topic's document be read only when absent, public or listing the reader", () => {
    const live = block("match /live/{topic} {");
    expect(allowed(live, "get")).toEqual(["resource == null", "isPublicTopic(topic, resource.data)", "isListedReader(resource.data)"]);
    expect(allowed(live, "list")).toEqual(["false"]);
    expect(allowed(live, "write")).toEqual(["false"]);
  });

  it("lets a topic's catch-up events be read only as its document allows", () => {
    expect(allowed(block("match /events/{seq} {"), "read")).toEqual(["canReadTopic(topic)"]);
    expect(returns("canReadTopic(topic)")).toBe(
      "exists(topicDoc(topic)) && (isPublicTopic(topic, get(topicDoc(topic)).data) || isListedReader(get(topicDoc(topic)).data))",
    );
    expect(returns("topicDoc(topic)")).toBe("/databases/$(database)/documents/live/$(topic)");
  });

  it("lets only signed-in users read presence", () => {
    const presence = block("match /presence/{uid} {");
    expect(allowed(presence, "read")).toEqual(["signedIn()"]);
    expect(returns("signedIn()")).toBe("request.auth != null");
    // No other rule opens get or list.
    expect(presence.match(/allow [^:]*\b(read|get|list)\b/g)).toEqual(["allow read"]);
  });

  it("names as public exactly the topic kinds the server may publish without readers", async () => {
    const kinds = /\[('[a-z]+'(?:, '[a-z]+')*)\]/
      .exec(returns("isPublicTopic(topic, data)"))![1]!
      .split(", ")
      .map((k) => k.slice(1, -1));
    const id = crypto.randomUUID();
    const serverPublic: string[] = [];
    // No database is needed: without the domains' reader providers, only public kinds have no readers.
    for (const kind of ["event", "bracket", "match", "room", "user"]) {
      if ((await readersOf({} as DbOrTx, `${kind}:${id}`)) === undefined) serverPublic.push(kind);
    }
    expect(kinds.sort()).toEqual(serverPublic.sort());
  });
});
