import { axiosAuthRefresh, axiosAuthRefreshNoDedupe } from './axios-recipe.ts';
import { badgateway } from './badgateway.ts';
import type { ClientName, Contender } from './contender.ts';
import { bareAxios, bareFetch, bareGot, bareKy } from './floors.ts';
import { handWrittenFetch } from './hand-written-fetch.ts';
import { tokenwiseAxios, tokenwiseFetch, tokenwiseGot, tokenwiseKy } from './tokenwise.ts';

export type { ClientName, Contender, ContenderKind, Session, Target } from './contender.ts';
export { references } from './references.ts';

/**
 * Every contender, grouped by client, the floor first: the order of the tables.
 *
 * @example
 * ```ts
 * for (const contender of contenders) console.log(contender.name);
 * ```
 */
export const contenders: readonly Contender[] = [
  bareFetch,
  tokenwiseFetch,
  badgateway,
  bareAxios,
  tokenwiseAxios,
  axiosAuthRefresh,
  axiosAuthRefreshNoDedupe,
  bareGot,
  tokenwiseGot,
  bareKy,
  tokenwiseKy,
];

/**
 * The floor (bare client with a static header) of `client`.
 *
 * @example
 * ```ts
 * floorOf('axios').name; // 'axios (static header)'
 * ```
 */
export function floorOf(client: ClientName): Contender {
  const floor = contenders.find((c) => c.client === client && c.kind === 'floor');
  if (floor === undefined) throw new Error(`no floor for ${client}`);
  return floor;
}

/**
 * The contenders of scenario 9, the yardstick (the least a hand-written wrapper does) first.
 *
 * @example
 * ```ts
 * const [yardstick, ...others] = fanOutContenders;
 * ```
 */
export const fanOutContenders = [handWrittenFetch, tokenwiseFetch, badgateway] as const;

/**
 * The kind of the contender named `name`, or undefined for a name no contender has.
 *
 * @example
 * ```ts
 * kindOf('tokenwise fetch'); // 'tokenwise'
 * ```
 */
export function kindOf(name: string): Contender['kind'] | undefined {
  return contenders.find((c) => c.name === name)?.kind;
}

/**
 * The client of the contender named `name` (fetch for a name no contender has).
 *
 * @example
 * ```ts
 * clientOf('tokenwise got'); // 'got'
 * ```
 */
export function clientOf(name: string): ClientName {
  return contenders.find((c) => c.name === name)?.client ?? 'fetch';
}
