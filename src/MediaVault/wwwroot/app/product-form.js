// New product and Edit product: the fields, the uploader, and (when editing) the ordered image list.
import * as api from './api.js'
import { h, field, errorBox, heading, picture } from './dom.js'
import { createUploader } from './uploader.js'
import { go, say } from './nav.js'

const MAX_IMAGES = 10

export async function newProductView(page, { onLeave }) {
  const fields = productFields()
  const slot = h('div')
  const error = errorBox()
  const { submit, gate, actions } = submitRow('Create product')
  const form = h('form', { novalidate: true }, fields.el, h('h2', {}, 'Images'),
    h('p', { class: 'hint' }, `Up to ${MAX_IMAGES}, shown on the product in this order. Leaving this page discards the images uploaded here.`),
    slot, error.el, actions)
  page.append(heading('New product'), form)

  let uploader = null
  let busy = false
  const update = () => uploader && gateSubmit(submit, gate, uploader.state(), busy)
  uploader = await createUploader(slot, { label: 'Product images', maxFiles: MAX_IMAGES, onChange: update })
  onLeave(() => uploader.destroy())
  update()

  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    error.clear()
    if (submit.disabled) return
    busy = true
    update()
    try {
      const body = { ...readFields(fields), imageIds: uploader.images().map((i) => i.id) }
      const product = await api.request('/products', { method: 'POST', json: body })
      uploader.keep()
      say(`Product “${product.name}” created.`)
      go(`#/products/${product.id}`)
    } catch (err) {
      error.show(err)
    } finally {
      busy = false
      update()
    }
  })
}

export async function editProductView(page, { params: [id], signal, onLeave }) {
  const product = await api.request(`/products/${id}`)
  if (signal.aborted) return
  if (product.ownerId !== api.me().userId) {
    page.append(heading('Edit product'), h('p', { class: 'error', role: 'alert' }, 'Only the person who created this product can change it.'))
    return
  }
  const fields = productFields(product)
  // The product's images in order: those it had, then new uploads as each one is registered.
  let order = product.images.map((image) => ({ image, uploaded: false }))
  const list = h('ol', { class: 'edit-images', 'aria-label': 'Images of this product, in order' })
  const listNote = h('p', { class: 'hint', role: 'status' })
  const slot = h('div')
  const error = errorBox()
  const { submit, gate, actions } = submitRow('Save changes')
  const form = h('form', { novalidate: true }, fields.el,
    h('h2', {}, 'Images'), list, listNote, h('h3', {}, 'Add images'), slot, error.el, actions)
  page.append(heading(`Edit “${product.name}”`), form, deleteSection(product))

  let uploader = null
  let busy = false
  const has = (id) => order.some((e) => e.image.id === id)
  const update = () => {
    if (!uploader) return
    const before = order.map((e) => e.image.id).join()
    const uploaded = uploader.images() // in the Dashboard's order
    order = order.filter((e) => !e.uploaded || uploaded.some((i) => i.id === e.image.id))
    // A new upload goes where the Dashboard shows it among the other new ones (they finish in any order).
    uploaded.forEach((image, k) => {
      if (has(image.id)) return
      const next = uploaded.slice(k + 1).find((later) => has(later.id))
      order.splice(next ? order.findIndex((e) => e.image.id === next.id) : order.length, 0, { image, uploaded: true })
    })
    if (order.map((e) => e.image.id).join() !== before) renderList()
    gateSubmit(submit, gate, uploader.state(), busy)
  }

  function renderList(focus) {
    // Whatever button had the keyboard focus keeps it across the redraw (an upload may finish meanwhile).
    const active = list.contains(document.activeElement) ? document.activeElement.dataset : null
    list.replaceChildren(...order.map((entry, i) => {
      const name = entry.image.filename
      const id = entry.image.id
      return h('li', {},
        picture(entry.image.url, ''),
        h('span', { class: 'image-name' }, `${i + 1}. ${name}`),
        h('span', { class: 'actions' },
          button('Move up', `Move ${name} up`, i === 0, () => move(i, -1, 'up'), id, 'up'),
          button('Move down', `Move ${name} down`, i === order.length - 1, () => move(i, 1, 'down'), id, 'down'),
          button('Remove', `Remove ${name} from the product`, false, () => removeAt(i), id, 'remove')))
    }))
    if (order.length === 0) list.append(h('li', { class: 'hint' }, 'No images. Add some below.'))
    uploader?.setMaxFiles(MAX_IMAGES - order.filter((e) => !e.uploaded).length)
    if (focus) focus()
    else if (active?.image) list.querySelector(`[data-image="${active.image}"][data-action="${active.action}"]:not([disabled])`)?.focus()
  }

  function move(i, by, direction) {
    const j = i + by
    ;[order[i], order[j]] = [order[j], order[i]]
    listNote.textContent = `${order[j].image.filename} is now number ${j + 1}.`
    // Keyboard focus follows the image that moved (or its other button once it reaches an end).
    renderList(() => {
      const buttons = list.children[j].querySelectorAll('button')
      const same = buttons[direction === 'up' ? 0 : 1]
      ;(same.disabled ? buttons[direction === 'up' ? 1 : 0] : same).focus()
    })
  }

  function removeAt(i) {
    const [entry] = order.splice(i, 1)
    if (entry.uploaded) uploader.remove(entry.image.id) // never saved on the product: deleted now
    listNote.textContent = entry.uploaded ? `${entry.image.filename} removed.` : `${entry.image.filename} will be deleted when you save.`
    renderList(() => (list.children[Math.min(i, order.length - 1)]?.querySelector('button:not([disabled])') ?? list).focus())
  }

  list.tabIndex = -1
  renderList()
  uploader = await createUploader(slot, { label: 'New images', maxFiles: MAX_IMAGES - order.length, onChange: update })
  onLeave(() => uploader.destroy())
  update()

  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    error.clear()
    if (submit.disabled) return
    busy = true
    update()
    try {
      const body = { ...readFields(fields), imageIds: order.map((entry) => entry.image.id) }
      await api.request(`/products/${id}`, { method: 'PATCH', json: body })
      uploader.keep()
      say('Changes saved.')
      go(`#/products/${id}`)
    } catch (err) {
      error.show(err)
    } finally {
      busy = false
      update()
    }
  })
}

function deleteSection(product) {
  const start = h('button', { type: 'button', class: 'danger' }, 'Delete product')
  const confirm = h('div', { class: 'confirm', hidden: true },
    h('p', {}, `Delete “${product.name}” and its ${product.images.length} images? This cannot be undone.`))
  const yes = h('button', { type: 'button', class: 'danger' }, 'Yes, delete the product')
  const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel')
  const error = errorBox()
  confirm.append(yes, no)
  start.addEventListener('click', () => { confirm.hidden = false; start.hidden = true; no.focus() })
  no.addEventListener('click', () => { confirm.hidden = true; start.hidden = false; start.focus() })
  yes.addEventListener('click', async () => {
    yes.disabled = true
    error.clear()
    try {
      await api.request(`/products/${product.id}`, { method: 'DELETE' })
      say(`Product “${product.name}” deleted.`)
      go('#/')
    } catch (err) {
      error.show(err)
      yes.disabled = false
    }
  })
  return h('section', { class: 'danger-zone', 'aria-labelledby': 'delete-title' },
    h('h2', { id: 'delete-title' }, 'Delete this product'), start, confirm, error.el)
}

function productFields(product) {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: '200', autocomplete: 'off', value: product?.name ?? '' })
  const description = h('textarea', { name: 'description', rows: '4', maxlength: '4000', value: product?.description ?? '' })
  const price = h('input', { type: 'text', name: 'price', inputmode: 'decimal', autocomplete: 'off', value: product?.price != null ? String(product.price) : '' })
  return { name, description, price,
    el: [field('Name', name), field('Description (optional)', description), field('Price (optional)', price, 'A number such as 12 or 12.50.')] }
}

function readFields({ name, description, price }) {
  const text = price.value.trim().replace(',', '.')
  if (!name.value.trim()) { name.focus(); throw new Error('Give the product a name.') }
  if (text && !/^\d{1,10}(\.\d{1,2})?$/.test(text)) { price.focus(); throw new Error('Write the price as a number such as 12 or 12.50 (at most two decimals).') }
  return { name: name.value.trim(), description: description.value.trim() || null, price: text ? Number(text) : null }
}

function submitRow(text) {
  const gate = h('p', { class: 'hint', id: `gate-${text.replace(/\W/g, '')}` })
  const submit = h('button', { type: 'submit', disabled: true, 'aria-describedby': gate.id }, text)
  return { submit, gate, actions: h('div', { class: 'form-actions' }, submit, gate) }
}

/** Submit waits for every upload to be done: a product must not point at a half-uploaded image. */
function gateSubmit(submit, gate, s, busy) {
  submit.disabled = busy || s.pending > 0 || s.failed > 0
  gate.textContent = busy ? 'Saving…'
    : s.pending > 0 ? `Waiting for ${s.pending} ${s.pending === 1 ? 'upload' : 'uploads'} to finish.`
    : s.failed > 0 ? `Retry or remove the ${s.failed === 1 ? 'image that failed' : `${s.failed} images that failed`} first.`
    : ''
}

function button(text, label, disabled, onclick, image, action) {
  return h('button', { type: 'button', class: 'small secondary', 'aria-label': label, disabled, onclick, 'data-image': image, 'data-action': action }, text)
}
