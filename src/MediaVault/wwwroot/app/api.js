// The API client. Tokens live in this module's memory only (never localStorage or cookies):
// closing or reloading the tab signs out, and no other script on the origin can read them later.

const session = { email: null, userId: null, displayName: null, accessToken: null, refreshToken: null }
const listeners = new Set()

export class ApiError extends Error {
  constructor(message, status, problem) {
    super(message)
    this.status = status
    this.problem = problem
  }
}

export const me = () => ({ email: session.email, userId: session.userId, displayName: session.displayName })
export const signedIn = () => session.accessToken !== null
export const onSessionChange = (listener) => listeners.add(listener)
const changed = () => listeners.forEach((listener) => listener(me()))

export async function signIn(email, password) {
  let tokens
  try {
    tokens = await request('/auth/login', { method: 'POST', json: { email, password }, anonymous: true })
  } catch (e) {
    if (e.status === 401) throw new ApiError('That e-mail address and password do not match an account.', 401, e.problem)
    throw e
  }
  Object.assign(session, { email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })
  await loadProfile()
}

export async function register(email, password) {
  await request('/auth/register', { method: 'POST', json: { email, password }, anonymous: true })
}

/** Ends the session on the server too (every refresh token of the user), then here. */
export async function logOut() {
  try {
    if (session.accessToken) await fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${session.accessToken}` }, cache: 'no-store' })
  } catch { /* unreachable: the tokens still go from this page */ }
  signOut()
}

export function signOut() {
  Object.assign(session, { email: null, userId: null, displayName: null, accessToken: null, refreshToken: null })
  changed()
}

/** Reads the caller's profile for the header ("signed in as") and for ownership checks. */
export async function loadProfile() {
  try {
    const profile = await request('/profile')
    session.userId = profile.userId ?? null
    session.displayName = profile.displayName ?? null
  } catch (e) {
    if (e.status === 401) throw e
    // Without profiles the header falls back on the e-mail address.
  }
  changed()
}

export function setDisplayName(name) {
  session.displayName = name
  changed()
}

/** Calls the API; answers the JSON body, or throws an ApiError whose message is fit to show. */
export async function request(path, { method = 'GET', json, body, anonymous = false, retried = false } = {}) {
  const headers = {}
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(json)
  }
  if (!anonymous && session.accessToken) headers.Authorization = `Bearer ${session.accessToken}`
  let response
  try {
    response = await fetch(path, { method, headers, body, cache: 'no-store' })
  } catch {
    throw new ApiError('MediaVault could not be reached. Check your connection and try again.', 0, null)
  }
  if (response.status === 401 && !anonymous && !retried && await refresh())
    return request(path, { method, json, body: json === undefined ? body : undefined, anonymous, retried: true })
  if (response.status === 401 && !anonymous) {
    signOut()
    throw new ApiError('Your session has ended. Please sign in again.', 401, null)
  }
  if (!response.ok) throw await problemOf(response)
  const type = response.headers.get('Content-Type') ?? ''
  return response.status === 204 || !type.includes('json') ? null : response.json()
}

/** A new access token from the refresh token (access tokens live 15 minutes). A refresh token works once,
 * so requests that fail together share one refresh. */
let refreshing = null
function refresh() {
  refreshing ??= refreshOnce().finally(() => { refreshing = null })
  return refreshing
}

async function refreshOnce() {
  if (!session.refreshToken) return false
  try {
    const response = await fetch('/auth/refresh', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }), cache: 'no-store',
    })
    if (!response.ok) return false
    const tokens = await response.json()
    Object.assign(session, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })
    return true
  } catch {
    return false
  }
}

/** An RFC 9457 problem answer, told in plain words: the server's own detail or field messages first. */
export async function problemOf(response) {
  let problem = null
  try { problem = await response.json() } catch { /* not JSON: the status speaks */ }
  return new ApiError(plainWords(response.status, problem), response.status, problem)
}

// What the fields of the API are called on the pages; other keys (Identity's codes) get no prefix.
const fieldNames = { name: 'Name', description: 'Description', price: 'Price', imageIds: 'Images', displayName: 'Display name', pictureKey: 'Picture', file: 'File' }

function plainWords(status, problem) {
  const messages = Object.entries(problem?.errors ?? {}).flatMap(([key, list]) =>
    [list].flat().filter(Boolean).map((message) => (fieldNames[key] ? `${fieldNames[key]}: ${message}` : message)))
  if (messages.length > 0) return messages.join(' ')
  if (problem?.detail) return problem.detail
  const known = {
    403: 'Only the owner of this can change it.',
    404: 'That could not be found; it may have been deleted.',
    413: 'The file is too large.',
    415: 'That type of file is not allowed.',
    429: 'Too many requests at once. Wait a moment and try again.',
    503: 'MediaVault cannot reach its storage or database right now. Try again in a moment.',
  }
  return known[status] ?? (problem?.title ? `${problem.title} (error ${status}).` : `MediaVault answered with error ${status}.`)
}
