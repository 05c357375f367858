// Sign in and sign up. A new account is signed in at once.
import * as api from './api.js'
import { h, field, errorBox, heading } from './dom.js'
import { signedIn } from './nav.js'

export function signInView(page) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true })
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true })
  const submit = h('button', { type: 'submit' }, 'Sign in')
  const error = errorBox()
  const form = h('form', { class: 'narrow', novalidate: true },
    field('E-mail address', email), field('Password', password), error.el, submit)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    error.clear()
    if (!email.value || !password.value) return error.show('Enter your e-mail address and your password.')
    submit.disabled = true
    try {
      await api.signIn(email.value.trim(), password.value)
      signedIn()
    } catch (err) {
      error.show(err)
      submit.disabled = false
    }
  })
  page.append(heading('Sign in'), form,
    h('p', {}, 'New here? ', h('a', { href: '#/sign-up' }, 'Create an account'), '.'))
}

export function signUpView(page) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true })
  const password = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', required: true })
  const submit = h('button', { type: 'submit' }, 'Create account')
  const error = errorBox()
  const form = h('form', { class: 'narrow', novalidate: true },
    field('E-mail address', email),
    field('Password', password, 'At least 6 characters, with a capital letter, a small letter, a digit and a symbol such as !'),
    error.el, submit)
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    error.clear()
    if (!email.value.includes('@')) return error.show('Enter your e-mail address, like name@example.com.')
    submit.disabled = true
    try {
      await api.register(email.value.trim(), password.value)
      await api.signIn(email.value.trim(), password.value)
      signedIn()
    } catch (err) {
      const taken = err.problem?.errors?.duplicateEmail || err.problem?.errors?.duplicateUserName
      error.show(taken ? 'There is already an account with this e-mail address. Sign in instead.' : err)
      submit.disabled = false
    }
  })
  page.append(heading('Create an account'), form,
    h('p', {}, 'Already have one? ', h('a', { href: '#/sign-in' }, 'Sign in'), '.'))
}
