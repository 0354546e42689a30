/**
 * `node:diagnostics_channel` and `util.debuglog`, where the runtime has them (Node, Deno, Bun,
 * workerd with `nodejs_compat`), reached through `process.getBuiltinModule` so that core imports
 * nothing: on a runtime without them (workerd without `nodejs_compat`, a browser) there are no
 * channels and no debug log, and everything else works the same.
 *
 * @module
 */

/**
 * The part of a diagnostics channel that core uses.
 *
 * @example
 * ```ts
 * const channel: Channel | undefined = diagnosticsChannel('tokenwise:token.obtained');
 * ```
 */
export interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/**
 * The part of a tracing channel that core uses (see `tracingChannel` in Node's docs).
 *
 * @example
 * ```ts
 * const trace: TracingChannel | undefined = tokenRequestTracing();
 * ```
 */
export interface TracingChannel {
  /** `undefined` on Bun and workerd: ask the five channels then. */
  readonly hasSubscribers?: boolean | undefined;
  readonly start: Channel;
  readonly end: Channel;
  readonly asyncStart: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;
}

interface DiagnosticsChannelModule {
  channel(name: string): Channel;
  tracingChannel?: ((name: string) => TracingChannel) | undefined;
}

interface UtilModule {
  debuglog?: ((section: string) => { (message: string): void; enabled?: boolean }) | undefined;
}

interface ProcessWithBuiltins {
  getBuiltinModule?: ((name: string) => unknown) | undefined;
}

/** A Node built-in module, or `undefined` where the runtime has none (or refuses it). */
function builtin<T>(name: string): T | undefined {
  try {
    const process = (globalThis as { process?: ProcessWithBuiltins }).process;
    return (process?.getBuiltinModule?.(name) as T | null | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

let channels: Map<string, Channel> | null | undefined;
let loaded: DiagnosticsChannelModule | undefined;

/**
 * The diagnostics channel named `name`, or `undefined` where the runtime has none. The module is
 * looked up on first use (never at import), and each channel made once.
 *
 * @example
 * ```ts
 * const channel = diagnosticsChannel('tokenwise:token.cache_hit');
 * if (channel?.hasSubscribers) channel.publish(event);
 * ```
 */
export function diagnosticsChannel(name: string): Channel | undefined {
  if (channels === undefined) {
    loaded = builtin<DiagnosticsChannelModule>('node:diagnostics_channel');
    channels = typeof loaded?.channel === 'function' ? new Map() : null;
  }
  if (channels === null || loaded === undefined) return undefined;
  let channel = channels.get(name);
  if (channel === undefined) {
    channel = loaded.channel(name);
    channels.set(name, channel);
  }
  return channel;
}

let tracing: TracingChannel | null | undefined;

/**
 * The tracing channel `tokenwise:token_request` (its channels are
 * `tracing:tokenwise:token_request:start`, `:end`, `:asyncStart`, `:asyncEnd`, `:error`), or
 * `undefined` where the runtime has none.
 *
 * @example
 * ```ts
 * const trace = tokenRequestTracing();
 * if (trace !== undefined && isTraced(trace)) trace.start.publish(context);
 * ```
 */
export function tokenRequestTracing(): TracingChannel | undefined {
  if (tracing === undefined) {
    diagnosticsChannel('tokenwise:token.requested');
    const make = loaded?.tracingChannel;
    tracing = typeof make === 'function' ? make.call(loaded, 'tokenwise:token_request') : null;
  }
  return tracing ?? undefined;
}

/**
 * Whether anyone subscribes to a tracing channel (asked channel by channel where it cannot say:
 * Bun, workerd).
 *
 * @example
 * ```ts
 * if (isTraced(trace)) trace.start.publish(context);
 * ```
 */
export function isTraced(trace: TracingChannel): boolean {
  if (typeof trace.hasSubscribers === 'boolean') return trace.hasSubscribers;
  const { start, end, asyncStart, asyncEnd, error } = trace;
  return [start, end, asyncStart, asyncEnd, error].some((channel) => channel.hasSubscribers);
}

let debugLog: ((message: string) => void) | null | undefined;

/**
 * Node's debug log for the section `tokenwise` when `NODE_DEBUG` names it (`NODE_DEBUG=tokenwise`),
 * else `undefined`. Decided once, on first use.
 *
 * @example
 * ```ts
 * tokenwiseDebugLog()?.(`token.obtained ${JSON.stringify(event)}`);
 * ```
 */
export function tokenwiseDebugLog(): ((message: string) => void) | undefined {
  if (debugLog === undefined) {
    const log = builtin<UtilModule>('node:util')?.debuglog?.('tokenwise');
    debugLog = log !== undefined && log.enabled === true ? log : null;
  }
  return debugLog ?? undefined;
}
