// Browser-safe: loaded by client components; imports nothing server-only.
/**
 * Maximum matching in a general graph (Edmonds' blossom algorithm, O(V^3)). Swiss pairing falls
 * back to it when its score-ordered search gives up: starting from the pairs that search already
 * chose, it augments to a perfect matching whenever one exists, changing as few pairs as it must.
 */

/**
 * `allowed(a, b)`: whether vertices a and b may be paired. `initial[v]` is v's partner or -1.
 * Returns each vertex's partner (-1 when unmatched) for a maximum matching.
 */
export function maximumMatching(count: number, allowed: (a: number, b: number) => boolean, initial: readonly number[]): number[] {
  const neighbours: number[][] = Array.from({ length: count }, () => []);
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      if (!allowed(a, b)) continue;
      neighbours[a]!.push(b);
      neighbours[b]!.push(a);
    }
  }
  const match = [...initial];
  const parent = new Array<number>(count);
  const base = new Array<number>(count);
  const used = new Array<boolean>(count);
  const blossom = new Array<boolean>(count);

  const lowestCommonAncestor = (first: number, second: number): number => {
    const seen = new Array<boolean>(count).fill(false);
    let a = first;
    let b = second;
    for (;;) {
      a = base[a]!;
      seen[a] = true;
      if (match[a] === -1) break;
      a = parent[match[a]!]!;
    }
    for (;;) {
      b = base[b]!;
      if (seen[b]) return b;
      b = parent[match[b]!]!;
    }
  };

  const markPath = (start: number, stop: number, child: number) => {
    let v = start;
    let next = child;
    while (base[v] !== stop) {
      blossom[base[v]!] = true;
      blossom[base[match[v]!]!] = true;
      parent[v] = next;
      next = match[v]!;
      v = parent[match[v]!]!;
    }
  };

  /** The free vertex at the end of an augmenting path from `root`, or -1. */
  const findPath = (root: number): number => {
    used.fill(false);
    parent.fill(-1);
    for (let i = 0; i < count; i++) base[i] = i;
    used[root] = true;
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      for (const to of neighbours[v]!) {
        if (base[v] === base[to] || match[v] === to) continue;
        if (to === root || (match[to] !== -1 && parent[match[to]!] !== -1)) {
          const current = lowestCommonAncestor(v, to);
          blossom.fill(false);
          markPath(v, current, to);
          markPath(to, current, v);
          for (let i = 0; i < count; i++) {
            if (!blossom[base[i]!]) continue;
            base[i] = current;
            if (!used[i]) {
              used[i] = true;
              queue.push(i);
            }
          }
        } else if (parent[to] === -1) {
          parent[to] = v;
          if (match[to] === -1) return to;
          used[match[to]!] = true;
          queue.push(match[to]!);
        }
      }
    }
    return -1;
  };

  for (let root = 0; root < count; root++) {
    if (match[root] !== -1) continue;
    let v = findPath(root);
    while (v !== -1) {
      const previous = parent[v]!;
      const further = match[previous]!;
      match[v] = previous;
      match[previous] = v;
      v = further;
    }
  }
  return match;
}
