// The product gallery (cards with each product's first image) and a product's own page.
import * as api from './api.js'
import { h, heading, picture, formatPrice } from './dom.js'

export async function galleryView(page, { signal }) {
  const list = h('ul', { class: 'cards', 'aria-label': 'Products' })
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more products')
  const empty = h('p', { hidden: true }, 'No products yet. ', h('a', { href: '#/products/new' }, 'Create the first one'), '.')
  page.append(
    h('div', { class: 'title-row' }, heading('Products'), h('a', { class: 'button', href: '#/products/new' }, 'New product')),
    empty, list, more)

  let cursor = null
  async function load() {
    more.disabled = true
    const query = new URLSearchParams({ limit: '20' })
    if (cursor) query.set('cursor', cursor)
    const result = await api.request(`/products?${query}`)
    if (signal.aborted) return
    list.append(...result.items.map(card))
    cursor = result.nextCursor
    more.hidden = !cursor
    more.disabled = false
    empty.hidden = list.children.length > 0
  }
  more.addEventListener('click', () => load().catch((e) => more.replaceWith(h('p', { class: 'error', role: 'alert' }, e.message))))
  await load()
}

function card(product) {
  const first = product.images[0]
  const count = product.images.length
  return h('li', { class: 'card' },
    h('a', { href: `#/products/${product.id}` },
      first ? picture(first.url, '', 'card-image') : h('div', { class: 'card-image no-image', 'aria-hidden': 'true' }, 'No image'),
      h('h2', {}, product.name),
      h('p', { class: 'meta' },
        product.price != null ? h('span', { class: 'price' }, formatPrice(product.price)) : null,
        h('span', {}, count === 1 ? '1 image' : `${count} images`))))
}

export async function productView(page, { params: [id], signal }) {
  const product = await api.request(`/products/${id}`)
  if (signal.aborted) return
  const n = product.images.length
  const mine = product.ownerId != null && product.ownerId === api.me().userId
  page.append(
    h('div', { class: 'title-row' }, heading(product.name),
      mine ? h('a', { class: 'button', href: `#/products/${id}/edit` }, 'Edit product') : null),
    product.price != null ? h('p', { class: 'price big' }, formatPrice(product.price)) : null,
    product.description ? h('p', { class: 'description' }, product.description) : null,
    n === 0 ? h('p', {}, 'This product has no images.') : h('ol', { class: 'images', 'aria-label': 'Images' },
      product.images.map((image, i) => h('li', {},
        h('figure', {}, picture(image.url, `${product.name}, image ${i + 1} of ${n}`),
          h('figcaption', {}, image.filename))))),
    h('p', {}, h('a', { href: '#/' }, 'Back to the gallery')))
}
