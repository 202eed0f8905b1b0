/**
 * OpenTelemetry traces. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test passes an
 * exporter): then nothing of the SDK is even loaded, and every helper here is a plain call.
 *
 * On, a request's trace is: Next.js's own request span (Next emits it once a tracer provider is
 * registered) → the tRPC procedure (server/trpc.ts) → database transactions and statements
 * (server/database-tracing.ts, which the app's database client calls) and payment gateway calls
 * (server/payments/provider.ts); a job is a trace of its own (server/worker.ts). Every span
 * of a request carries its id as `driftwood.request_id`, Next.js's included (see RequestIdPropagator).
 */
import {
  context,
  createContextKey,
  type TextMapGetter,
  type TextMapPropagator,
  ROOT_CONTEXT,
  type Attributes,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context as OtelContext,
} from "@opentelemetry/api";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { env } from "./env";
import { currentRequestId } from "./logger";
import { isRequestId, REQUEST_ID_HEADER } from "./request-id";

export const REQUEST_ID_ATTRIBUTE = "driftwood.request_id";

const tracer = trace.getTracer("driftwood");

interface TracingState {
  shutdown: () => Promise<void>;
}

// On globalThis: Next.js may load this module more than once per process, the provider is one.
const globalForTracing = globalThis as unknown as { driftwoodTracing?: TracingState };

/** Whether spans are being recorded in this process (checked before doing any work for one). */
export function tracingEnabled(): boolean {
  return globalForTracing.driftwoodTracing !== undefined;
}

export interface TracingOptions {
  /** `service.name` of the spans, unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  /** Where spans go. Unset: OTLP over HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, or nowhere (off). */
  exporter?: SpanExporter;
  /** Export each span as it ends (tests) instead of in batches. */
  immediate?: boolean;
}

/**
 * Registers the tracer provider, the context manager and the propagators (W3C trace context, and
 * the request id: see RequestIdPropagator), once per process.
 * Returns whether tracing is on.
 */
export async function startTracing(options: TracingOptions): Promise<boolean> {
  if (tracingEnabled()) return true;
  if (!options.exporter && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;

  const [
    { propagation },
    sdk,
    { AsyncLocalStorageContextManager },
    { CompositePropagator, W3CTraceContextPropagator },
    { resourceFromAttributes, envDetector, detectResources },
  ] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = options.exporter ?? new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter();
  const ratio = env.OTEL_TRACES_SAMPLER_ARG ?? 1;
  const provider = new sdk.TracerProvider({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name given here.
    resource: resourceFromAttributes({ "service.name": options.serviceName }).merge(detectResources({ detectors: [envDetector] })),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [
      new RequestIdStamp(),
      // A second between exports (not the SDK's five): at most that much is lost when the process is stopped.
      options.immediate ? new sdk.SimpleSpanProcessor({ exporter }) : new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: 1_000 }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new RequestIdPropagator()] }));
  trace.setGlobalTracerProvider(provider);
  globalForTracing.driftwoodTracing = {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  return true;
}

/** Sends what is still buffered and turns tracing off (at shutdown, and between tests). */
export async function stopTracing(): Promise<void> {
  const state = globalForTracing.driftwoodTracing;
  globalForTracing.driftwoodTracing = undefined;
  await state?.shutdown();
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** The parent, when not the active span (a batch run for several callers). */
  parent?: OtelContext;
}

/**
 * Runs `fn` inside a new active span, ended when it returns or settles; a throw or rejection marks
 * the span as failed and is passed on. With tracing off, just runs `fn`.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T): T {
  if (!tracingEnabled()) return fn(undefined);
  const parent = options.parent ?? context.active();
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    parent,
    (span) => {
      let result: T;
      try {
        result = fn(span);
      } catch (error) {
        failSpan(span, error);
        span.end();
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => {
            span.end();
            return value;
          },
          (error: unknown) => {
            failSpan(span, error);
            span.end();
            throw error;
          },
        ) as T;
      }
      span.end();
      return result;
    },
  );
}

/** Starts a span that the caller ends (a statement whose completion arrives by callback). */
export function startSpan(name: string, options: SpanOptions): Span {
  return tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    options.parent ?? context.active(),
  );
}

export function failSpan(span: Span, error: unknown) {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** The active span's context, to link to or to parent a span started later elsewhere. */
export function activeContext(): OtelContext | undefined {
  return tracingEnabled() ? context.active() : undefined;
}

/** A link to the span active in `parent`, if there is one. */
export function linkTo(parent: OtelContext | undefined): Link[] {
  const spanContext = parent ? trace.getSpanContext(parent) : undefined;
  return spanContext ? [{ context: spanContext }] : [];
}

export { ROOT_CONTEXT, SpanKind };
export type { OtelContext };

const REQUEST_ID_KEY = createContextKey("driftwood.request_id");

/**
 * Reads the request id from an incoming request's headers into the context Next.js starts the
 * request's span in (Next.js extracts every request's context through the global propagator), so
 * that span and everything under it can be given the id. Sends nothing on.
 */
class RequestIdPropagator implements TextMapPropagator {
  inject(): void {}

  extract(parent: OtelContext, carrier: unknown, getter: TextMapGetter): OtelContext {
    const value = getter.get(carrier, REQUEST_ID_HEADER);
    const requestId = Array.isArray(value) ? value[0] : value;
    return isRequestId(requestId) ? parent.setValue(REQUEST_ID_KEY, requestId) : parent;
  }

  fields(): string[] {
    return [REQUEST_ID_HEADER];
  }
}

/**
 * Puts the request id on every span started within a request: from the context the request's
 * spans descend from (see RequestIdPropagator), else from the request scope of the logs (a
 * procedure a page calls on the server, a test).
 */
class RequestIdStamp implements SpanProcessor {
  onStart(span: Span, parent: OtelContext): void {
    const requestId = (parent.getValue(REQUEST_ID_KEY) as string | undefined) ?? currentRequestId();
    if (requestId) span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
