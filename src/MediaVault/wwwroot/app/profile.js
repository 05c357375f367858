// The profile page (display name, a picture previewed as soon as it is uploaded, Save) and the
// community page with everyone's pictures.
import * as api from './api.js'
import { h, field, errorBox, heading, picture } from './dom.js'

const PICTURE_TYPES = 'image/jpeg,image/png,image/gif,image/webp'

export async function profileView(page, { signal }) {
  const profile = await api.request('/profile')
  if (signal.aborted) return
  const name = h('input', { type: 'text', name: 'displayName', maxlength: '100', autocomplete: 'nickname', value: profile.displayName ?? '' })
  const preview = h('div', { class: 'avatar-preview' })
  const file = h('input', { type: 'file', name: 'picture', accept: PICTURE_TYPES })
  const clear = h('button', { type: 'button', class: 'secondary' }, 'Remove picture')
  const save = h('button', { type: 'submit' }, 'Save profile')
  const status = h('p', { class: 'hint', role: 'status' })
  const error = errorBox()
  // undefined: keep the saved picture; null: clear it; a key: the new picture, uploaded but not saved yet.
  let pictureKey
  let uploading = false

  function show(url) {
    preview.replaceChildren(url ? picture(url, 'Your picture', 'avatar big') : h('div', { class: 'avatar big no-image', 'aria-hidden': 'true' }, initial(name.value)))
    clear.hidden = !url
  }
  show(profile.pictureUrl)

  file.addEventListener('change', async () => {
    const chosen = file.files[0]
    if (!chosen) return
    error.clear()
    uploading = true
    save.disabled = true
    status.textContent = `Uploading ${chosen.name}…`
    try {
      const form = new FormData()
      form.append('file', chosen)
      const uploaded = await api.request('/profile/picture', { method: 'POST', body: form })
      pictureKey = uploaded.key
      show(uploaded.url)
      status.textContent = 'This is a preview. Press Save profile to keep it.'
    } catch (e) {
      status.textContent = ''
      error.show(`The picture was not uploaded: ${e.message}`)
    } finally {
      uploading = false
      save.disabled = false
      file.value = ''
    }
  })
  clear.addEventListener('click', () => {
    pictureKey = null
    show(null)
    status.textContent = 'The picture will be removed when you press Save profile.'
  })

  const form = h('form', { class: 'narrow', novalidate: true },
    field('Display name', name, 'How others see you on the community page (up to 100 characters).'),
    h('h2', {}, 'Picture'), preview,
    field('Choose a picture', file, 'JPEG, PNG, GIF or WebP, up to 5 MB. You see it here at once; it is kept when you save.'),
    clear, error.el, h('div', { class: 'form-actions' }, save), status)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    if (uploading) return
    error.clear()
    save.disabled = true
    try {
      const body = { displayName: name.value.trim() || null }
      if (pictureKey !== undefined) body.pictureKey = pictureKey
      const saved = await api.request('/profile', { method: 'PUT', json: body })
      pictureKey = undefined
      api.setDisplayName(saved.displayName)
      status.textContent = 'Profile saved.'
    } catch (err) {
      error.show(err)
    } finally {
      save.disabled = false
    }
  })
  page.append(heading('Your profile'), form)
}

export async function communityView(page, { signal }) {
  const list = h('ul', { class: 'people', 'aria-label': 'Members' })
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more members')
  page.append(heading('Community'), h('p', {}, 'Everyone who uses this MediaVault.'), list, more)
  let cursor = null
  async function load() {
    more.disabled = true
    const query = new URLSearchParams({ limit: '50' })
    if (cursor) query.set('cursor', cursor)
    const result = await api.request(`/community?${query}`)
    if (signal.aborted) return
    const mine = api.me().userId
    list.append(...result.items.map((person) => {
      const shown = person.displayName || 'A member without a name yet'
      return h('li', { class: 'person' },
        person.pictureUrl ? picture(person.pictureUrl, `Picture of ${shown}`, 'avatar')
          : h('div', { class: 'avatar no-image', 'aria-hidden': 'true' }, initial(person.displayName)),
        h('span', {}, shown, person.userId === mine ? ' (you)' : ''))
    }))
    cursor = result.nextCursor
    more.hidden = !cursor
    more.disabled = false
  }
  more.addEventListener('click', () => load().catch((e) => more.replaceWith(h('p', { class: 'error', role: 'alert' }, e.message))))
  await load()
}

function initial(name) {
  return (name ?? '').trim().charAt(0).toUpperCase() || '?'
}
