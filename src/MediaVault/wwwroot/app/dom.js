// Builds elements from data without innerHTML: names and descriptions typed by users are always text.
// No style attributes either: the Content-Security-Policy allows stylesheets from 'self' only.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value)
    else if (key === 'class') el.className = value
    else if (typeof value === 'boolean' || key === 'value') el[key] = value
    else el.setAttribute(key, value)
  }
  append(el, children)
  return el
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
}

let fieldCount = 0

/** A labelled control: the label's `for` names the control, a hint is announced with it. */
export function field(label, control, hint) {
  control.id ||= `field-${++fieldCount}`
  const parts = [h('label', { for: control.id }, label), control]
  if (hint) {
    const hintEl = h('p', { class: 'hint', id: `${control.id}-hint` }, hint)
    control.setAttribute('aria-describedby', hintEl.id)
    parts.push(hintEl)
  }
  return h('div', { class: 'field' }, parts)
}

/** A paragraph that shows one error in plain words, announced when it changes; empty hides it. */
export function errorBox() {
  const el = h('p', { class: 'error', role: 'alert', hidden: true })
  return {
    el,
    show(error) {
      el.textContent = typeof error === 'string' ? error : (error?.message ?? 'Something went wrong.')
      el.hidden = false
    },
    clear() { el.textContent = ''; el.hidden = true },
  }
}

/** The view's heading, focused on arrival so screen readers announce the new page. */
export function heading(text) {
  document.title = `${text} · MediaVault`
  return h('h1', { tabindex: '-1' }, text)
}

/** An <img> that shows an image of the API (its fresh URL) with a text alternative. */
export function picture(url, alt, cls) {
  return h('img', { src: url, alt, class: cls, decoding: 'async' })
}

export function formatPrice(price) {
  return price == null ? '' : new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(price)
}
