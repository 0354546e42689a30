import { TokenwiseError } from '../errors.ts';

/** Redacts one string and clips it to `maxLength` characters (after redaction). */
export type RedactText = (text: string, maxLength?: number) => string;

/** Server text is clipped to these lengths, after redaction; any other string to 16 KiB. */
const maxLengths: Readonly<Record<string, number>> = {
  message: 1_000,
  error: 500,
  errorDescription: 500,
  errorUri: 500,
};
const maxTextLength = 16_384;

/** Error classes whose copies keep their class: no internal slots, nothing on the prototype to read. */
const plainErrorPrototypes: ReadonlySet<unknown> = new Set(
  [
    Error,
    TypeError,
    RangeError,
    SyntaxError,
    ReferenceError,
    EvalError,
    URIError,
    AggregateError,
  ].map((errorClass) => errorClass.prototype),
);

/**
 * A copy of `value` with every string redacted: an error keeps its class when it is a tokenwise
 * or built-in error (a `DOMException` or a runtime's own error becomes an `Error` with the same
 * `name`), its message, stack and own fields, and its `cause` chain, copied the same way. Plain
 * objects and arrays are copied; any other object becomes its `[object Type]` tag, so that no
 * `Response`, socket or request object carries a URL or a header out.
 *
 * @example
 * ```ts
 * const safe = copyRedacted(error, (text) => text.replaceAll(secret, '[redacted]'));
 * ```
 */
export function copyRedacted(value: unknown, redact: RedactText): unknown {
  return copyValue(value, 'message', redact, new Map());
}

function copyValue(
  value: unknown,
  key: string,
  redact: RedactText,
  seen: Map<object, unknown>,
): unknown {
  if (typeof value === 'string') return redact(value, maxLengths[key] ?? maxTextLength);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Error || Object.prototype.toString.call(value) === '[object Error]') {
    return copyError(value as Error, redact, seen);
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(copyValue(item, key, redact, seen));
    return copy;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    return redact(Object.prototype.toString.call(value));
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [name, item] of Object.entries(value))
    copy[name] = copyValue(item, name, redact, seen);
  return copy;
}

function copyError(error: Error, redact: RedactText, seen: Map<object, unknown>): Error {
  const prototype: unknown = Object.getPrototypeOf(error);
  const keepsClass = error instanceof TokenwiseError || plainErrorPrototypes.has(prototype);
  const copy = Reflect.construct(
    Error,
    [],
    keepsClass ? (prototype as { constructor: NewableFunction }).constructor : Error,
  ) as Error;
  seen.set(error, copy);
  const name = String(read(error, 'name') ?? 'Error');
  const message = String(read(error, 'message') ?? '');
  define(copy, 'message', { value: redact(message, maxLengths.message), enumerable: false });
  if (!keepsClass || Object.hasOwn(error, 'name')) {
    define(copy, 'name', {
      value: name,
      enumerable: Object.getOwnPropertyDescriptor(error, 'name')?.enumerable ?? false,
    });
  }
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'stack' || key === 'message' || key === 'name') continue;
    const enumerable = Object.getOwnPropertyDescriptor(error, key)?.enumerable ?? false;
    define(copy, key, { value: copyValue(read(error, key), key, redact, seen), enumerable });
  }
  // A tokenwise error's symbols are its brand and its inspect view: no server text in them.
  if (error instanceof TokenwiseError) {
    for (const symbol of Object.getOwnPropertySymbols(error))
      Object.defineProperty(copy, symbol, Object.getOwnPropertyDescriptor(error, symbol) ?? {});
  }
  define(copy, 'stack', {
    value: copyStack(read(error, 'stack'), message, copy, redact),
    enumerable: false,
  });
  return copy;
}

/** The stack with the (clipped, redacted) message of the copy in place of the original's. */
function copyStack(stack: unknown, message: string, copy: Error, redact: RedactText): string {
  const head = copy.message ? `${copy.name}: ${copy.message}` : copy.name;
  if (typeof stack !== 'string') return head;
  const at = message ? stack.indexOf(message) : -1;
  if (at < 0) return redact(stack, maxTextLength);
  const frames = stack.slice(at + message.length);
  return `${redact(stack.slice(0, at), maxTextLength)}${copy.message}${redact(frames, maxTextLength)}`;
}

/** Reads a property that may be a getter throwing on a foreign object. */
function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function define(
  target: object,
  key: string,
  property: { readonly value: unknown; readonly enumerable: boolean },
): void {
  Object.defineProperty(target, key, { ...property, writable: true, configurable: true });
}
