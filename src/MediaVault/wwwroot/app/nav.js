// Moving between pages, for views: no view imports the shell (main.js), so there are no import cycles.

let afterSignIn = '#/'
let nextFlash = ''

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'))
  else location.hash = hash
}

/** A short message shown on the next page ("Product deleted."), announced politely. */
export function say(message) {
  nextFlash = message
}

export function takeFlash() {
  const message = nextFlash
  nextFlash = ''
  return message
}

/** The page to come back to once signed in. */
export function remember(hash) {
  afterSignIn = hash || '#/'
}

export function signedIn() {
  go(afterSignIn)
  afterSignIn = '#/'
}
