// The shell: hash routes, the header (navigation, "signed in as", sign out) and focus on each new page.
import * as api from './api.js'
import { h, heading } from './dom.js'
import { go, say, takeFlash, remember } from './nav.js'
import { signInView, signUpView } from './auth.js'
import { galleryView, productView } from './gallery.js'
import { newProductView, editProductView } from './product-form.js'
import { profileView, communityView } from './profile.js'

const id = '([0-9a-fA-F-]{36})'
const routes = [
  { pattern: /^#\/sign-in$/, view: signInView, open: true },
  { pattern: /^#\/sign-up$/, view: signUpView, open: true },
  { pattern: /^(#\/?)?$/, view: galleryView },
  { pattern: /^#\/products\/new$/, view: newProductView },
  { pattern: new RegExp(`^#/products/${id}$`), view: productView },
  { pattern: new RegExp(`^#/products/${id}/edit$`), view: editProductView },
  { pattern: /^#\/profile$/, view: profileView },
  { pattern: /^#\/community$/, view: communityView },
]

const main = document.getElementById('main')
const flash = document.getElementById('flash')
let leaving = [] // what the current view wants done when the user moves on (discard drafts, stop uploads)

async function leave() {
  for (const fn of leaving.splice(0)) {
    try { await fn() } catch { /* best effort */ }
  }
}

async function render() {
  await leave()
  const hash = location.hash
  flash.textContent = takeFlash()
  const route = routes.find((r) => r.pattern.test(hash))
  if (!route) {
    main.replaceChildren(heading('Page not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the gallery'), '.'))
    return
  }
  if (!route.open && !api.signedIn()) {
    remember(hash)
    go('#/sign-in')
    return
  }
  const params = route.pattern.exec(hash).slice(1)
  const view = new AbortController()
  leaving.push(() => view.abort())
  // Each view draws into a box of its own: a slow view that finishes after the user moved on
  // draws into a detached box, never over the next page.
  const page = h('div', { class: 'page' })
  main.replaceChildren(page)
  markCurrentLink(hash)
  const onLeave = (fn) => (view.signal.aborted ? fn() : leaving.push(fn))
  try {
    await route.view(page, { params, signal: view.signal, onLeave })
  } catch (e) {
    if (view.signal.aborted) return
    page.append(h('p', { class: 'error', role: 'alert' }, e?.message ?? 'Something went wrong.'))
  }
  if (!view.signal.aborted) (page.querySelector('h1') ?? main).focus()
}

function markCurrentLink(hash) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === (hash || '#/')) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
}

api.onSessionChange((user) => {
  const inside = api.signedIn()
  document.getElementById('nav').hidden = !inside
  document.getElementById('account').hidden = !inside
  document.getElementById('whoami').textContent = user.displayName || user.email || ''
  if (!inside && !routes.find((r) => r.pattern.test(location.hash))?.open) {
    remember(location.hash)
    go('#/sign-in')
  }
})

document.getElementById('sign-out').addEventListener('click', async () => {
  await leave() // while the token still works: a draft's uploads are deleted
  say('You are signed out.')
  await api.logOut()
  remember('#/') // whoever signs in next starts at the gallery
})
// A link to the page already shown (Gallery on the gallery) shows it afresh: hashchange would not fire.
document.addEventListener('click', (e) => {
  const link = e.target.closest?.('a[href^="#/"]')
  if (link && link.getAttribute('href') === (location.hash || '#/') && !e.defaultPrevented) render()
})
// The skip link's own #main would be taken for a route.
document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); main.focus() })
window.addEventListener('hashchange', render)
render()
