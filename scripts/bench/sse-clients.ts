/**
 * A child process of `bench:live` holding many SSE connections to `/api/live`, forked with
 * `--import tsx` and advanced serialization. Every `live` event is stamped with the time its chunk
 * arrived (performance.timeOrigin + performance.now(), comparable across processes) before it is
 * parsed. Commands come from the parent over IPC; the process exits when the parent goes away.
 */
import http from "node:http";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

export type ClientCommand =
  | { type: "connect"; group: string; url: string; count: number; timeoutMs: number; firstClient: number }
  | { type: "clock" }
  | { type: "mark" }
  | { type: "progress"; group: string }
  | { type: "report"; group: string }
  | { type: "close"; group: string };

export type ClientReply =
  | { type: "connected"; group: string; ready: number; failed: number; firstError?: string; readyMs: Float64Array }
  | { type: "clock"; now: number }
  | { type: "marked" }
  | { type: "progress"; group: string; received: number }
  | {
      type: "report";
      group: string;
      /** One entry per received `live` event: the connection (0-based within this process's group), its seq, its arrival. */
      connection: Int32Array;
      seq: Float64Array;
      arrived: Float64Array;
      /** Events whose topic was not the one asked for, or whose data did not parse. */
      malformed: number;
      /** Connections that ended or failed after they were ready. */
      dropped: number;
      chunks: number;
      /** Since the last "mark": CPU time of this process (ms), wall time (ms), event loop utilization and delay. */
      cpuMs: number;
      wallMs: number;
      utilization: number;
      loopDelayP99Ms: number;
      loopDelayMaxMs: number;
    }
  | { type: "closed"; group: string };

interface Connection {
  request: http.ClientRequest;
  ready: boolean;
  ended: boolean;
}

interface Group {
  topic: string;
  connections: Connection[];
  connection: number[];
  seq: number[];
  arrived: number[];
  malformed: number;
  dropped: number;
  chunks: number;
}

const send = (reply: ClientReply) => process.send!(reply);
const now = () => performance.timeOrigin + performance.now();
const groups = new Map<string, Group>();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let mark = { cpu: process.cpuUsage(), wall: performance.now(), elu: performance.eventLoopUtilization() };

function connect(command: Extract<ClientCommand, { type: "connect" }>) {
  const url = new URL(command.url);
  const topic = url.searchParams.get("topics") ?? "";
  const group: Group = { topic, connections: [], connection: [], seq: [], arrived: [], malformed: 0, dropped: 0, chunks: 0 };
  groups.set(command.group, group);
  const readyMs = new Float64Array(command.count).fill(NaN);
  let settled = 0;
  let ready = 0;
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const settle = (index: number, error?: string) => {
    if (!Number.isNaN(readyMs[index]!) || settled === command.count) return;
    readyMs[index] = error ? Infinity : performance.now() - started;
    settled++;
    if (error) {
      failed++;
      firstError ??= error;
    } else ready++;
    if (settled === command.count) {
      clearTimeout(timer);
      send({ type: "connected", group: command.group, ready, failed, firstError, readyMs });
    }
  };
  const timer = setTimeout(() => {
    for (let i = 0; i < command.count; i++) if (Number.isNaN(readyMs[i]!)) settle(i, `no ready event within ${command.timeoutMs} ms`);
  }, command.timeoutMs);

  for (let index = 0; index < command.count; index++) {
    // Each client from a loopback address of its own (all of 127/8 is this machine), as spectators
    // are: the server caps live connections per address.
    const n = command.firstClient + index;
    const localAddress = `127.1.${Math.floor(n / 250)}.${1 + (n % 250)}`;
    const request = http.request(url, {
      agent: false,
      localAddress,
      headers: { accept: "text/event-stream", "accept-encoding": "gzip, deflate, br" },
    });
    const connection: Connection = { request, ready: false, ended: false };
    group.connections.push(connection);
    const lost = (why: string) => {
      if (connection.ended) return;
      connection.ended = true;
      if (connection.ready) group.dropped++;
      else settle(index, why);
    };
    request.on("error", (error) => lost(`error: ${error.message}`));
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        lost(`HTTP ${response.statusCode}`);
        response.resume();
        return;
      }
      if (response.headers["content-encoding"]) {
        lost(`compressed stream (${response.headers["content-encoding"]}): this parser reads plain text only`);
        response.destroy();
        return;
      }
      response.setEncoding("utf8");
      let buffer = "";
      response.on("data", (chunk: string) => {
        const arrived = now();
        group.chunks++;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          let data: string | undefined;
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:"))
              data = data === undefined ? line.slice(5).trimStart() : `${data}\n${line.slice(5).trimStart()}`;
          }
          if (event === "ready") {
            connection.ready = true;
            settle(index);
          } else if (event === "live") {
            try {
              const parsed = JSON.parse(data ?? "") as { topic?: unknown; seq?: unknown };
              if (parsed.topic !== topic || typeof parsed.seq !== "number") throw new Error("unexpected event");
              group.connection.push(index);
              group.seq.push(parsed.seq);
              group.arrived.push(arrived);
            } catch {
              group.malformed++;
            }
          }
        }
      });
      response.on("end", () => lost("stream ended"));
      response.on("error", (error) => lost(`stream error: ${error.message}`));
    });
    request.end();
  }
}

process.on("message", (command: ClientCommand) => {
  switch (command.type) {
    case "connect":
      connect(command);
      break;
    case "clock":
      send({ type: "clock", now: now() });
      break;
    case "mark":
      loopDelay.reset();
      mark = { cpu: process.cpuUsage(), wall: performance.now(), elu: performance.eventLoopUtilization() };
      send({ type: "marked" });
      break;
    case "progress":
      send({ type: "progress", group: command.group, received: groups.get(command.group)?.seq.length ?? 0 });
      break;
    case "report": {
      const group = groups.get(command.group);
      const cpu = process.cpuUsage(mark.cpu);
      send({
        type: "report",
        group: command.group,
        connection: Int32Array.from(group?.connection ?? []),
        seq: Float64Array.from(group?.seq ?? []),
        arrived: Float64Array.from(group?.arrived ?? []),
        malformed: group?.malformed ?? 0,
        dropped: group?.dropped ?? 0,
        chunks: group?.chunks ?? 0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - mark.wall,
        utilization: performance.eventLoopUtilization(mark.elu).utilization,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      break;
    }
    case "close": {
      const group = groups.get(command.group);
      for (const connection of group?.connections ?? []) {
        connection.ended = true;
        connection.request.destroy();
      }
      groups.delete(command.group);
      send({ type: "closed", group: command.group });
      break;
    }
  }
});
process.on("disconnect", () => process.exit(0));
