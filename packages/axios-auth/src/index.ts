/**
 * @tokenwise/axios-auth: axios interceptors that attach tokenwise access tokens and answer a 401
 * with one re-send carrying a fresh token. Importing it also adds `skipAuth` to axios's
 * `AxiosRequestConfig`.
 *
 * @packageDocumentation
 */

export { type AxiosAuthOptions, axiosAuth } from './axios-auth.ts';
