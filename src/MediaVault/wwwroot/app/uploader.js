// The image uploader of the product pages. Uppy's Dashboard (inline) picks the files and shows a
// thumbnail and the progress of each; every picked file starts uploading at once, three at a time,
// straight to storage with a pre-signed PUT (AwsS3 in signRequest mode: MediaVault signs one PUT,
// never an S3 multipart upload); then it is registered (POST /images) and becomes an image.
// A failure is told in plain words, with a Retry for that file alone, in the list under the Dashboard.
import * as api from './api.js'
import { h } from './dom.js'

const TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp']
const MAX_BYTES = 5 * 1024 * 1024 // the "images" collection's limit
let bundle // Uppy (600 kB), loaded by the first page that uploads
let count = 0

/**
 * Mounts an uploader in `parent`. `onChange()` is called whenever a file is added, finishes, fails or
 * is removed; `state()` then tells whether everything is uploaded and `images()` lists the registered
 * images in the order the Dashboard shows them.
 */
export async function createUploader(parent, { label, maxFiles, onChange = () => {} }) {
  bundle ??= import('/lib/uppy/uppy.min.mjs')
  const { Uppy, Dashboard, AwsS3 } = await bundle
  const target = h('div', { class: 'dashboard' })
  const status = h('p', { class: 'upload-status', role: 'status' })
  const problems = h('ul', { class: 'upload-problems', 'aria-label': 'Uploads that need attention', hidden: true })
  const section = h('section', { class: 'uploader', 'aria-label': label }, target, status, problems)
  parent.append(section)

  const presigned = new Map() // Uppy file id -> presign answer of its latest attempt
  const registered = new Map() // Uppy file id -> image
  const rejected = [] // files the restrictions turned away, told once
  let kept = false // once the images belong to a product, leaving the page must not delete them

  const uppy = new Uppy({
    id: `uploader-${++count}`,
    autoProceed: true,
    restrictions: { allowedFileTypes: TYPES, maxFileSize: MAX_BYTES, maxNumberOfFiles: maxFiles },
    locale: { strings: {
      dropPasteFiles: 'Drop images here or %{browseFiles}',
      browseFiles: 'choose images',
      removeFile: 'Remove %{file}',
      youCanOnlyUploadX: { 0: 'A product has at most 10 images: you can add %{smart_count} more', 1: 'A product has at most 10 images: you can add %{smart_count} more' },
    } },
  })
  uppy.use(Dashboard, {
    inline: true, target, width: '100%', height: window.innerWidth < 600 ? 420 : 520, // two rows of thumbnails
    proudlyDisplayPoweredByUppy: false, showRemoveButtonAfterComplete: true, showLinkToFileUploadResult: false,
    hidePauseResumeButton: true, singleFileFullScreen: false, doneButtonHandler: null,
    note: 'JPEG, PNG, GIF or WebP, up to 5 MB each.',
  })
  uppy.use(AwsS3, {
    shouldUseMultipart: false,
    limit: 3,
    // signRequest is told only the key: the key is the file's id, so it knows which file to presign.
    generateObjectKey: (file) => file.id,
    signRequest: async ({ method, key }) => {
      const file = uppy.getFile(key)
      if (method !== 'PUT' || !file) throw plain('This upload cannot be signed. Remove the file and add it again.')
      let p
      try {
        p = await api.request('/images/presign-upload', { method: 'POST', json: { filename: file.name, filetype: file.type, size: file.size } })
      } catch (e) {
        throw plain(`MediaVault did not accept this file: ${e.message}`)
      }
      // Uppy's PUT sends one header, Content-Type = the file's type: that must be all that was signed.
      const extra = Object.entries(p.headers).filter(([k, v]) => !(k.toLowerCase() === 'content-type' && v === file.type))
      if (p.method !== 'PUT' || extra.length > 0) throw plain('Storage asked for an upload this page cannot send.')
      presigned.set(file.id, p)
      return { url: p.url }
    },
  })
  // Each file is registered as soon as its bytes are in storage; Uppy's post-processing step waits
  // for those registrations, so Uppy counts a file as done only once it is an image.
  const registering = new Map() // Uppy file id -> its registration under way
  uppy.on('upload-success', (file) => {
    if (file) registering.set(file.id, register(file.id))
    changed()
  })
  uppy.addPostProcessor((fileIDs) => Promise.all(fileIDs.map(async (id) => {
    const pending = registering.get(id)
    if (!pending) return
    const file = uppy.getFile(id)
    if (file && !registered.has(id)) uppy.emit('postprocess-progress', file, { mode: 'indeterminate', message: 'Saving…' })
    await pending
    registering.delete(id)
  })))

  async function register(id) {
    const p = presigned.get(id)
    if (!p) return
    try {
      const image = await api.request('/images', { method: 'POST', json: { uploadId: p.uploadId } })
      presigned.delete(id)
      if (!uppy.getFile(id)) return void deleteImage(image) // removed while it was being saved
      registered.set(id, image)
      uppy.emit('postprocess-complete', uppy.getFile(id)) // the Dashboard shows it done now, not when the whole batch is
    } catch (e) {
      if (uppy.getFile(id)) uppy.emit('upload-error', uppy.getFile(id), plain(`The upload arrived but MediaVault refused it: ${e.message}`))
    }
    changed()
  }

  const deleteImage = (image) => api.request(`/images/${image.id}`, { method: 'DELETE' }).catch(() => {})

  uppy.on('upload-error', (file, error, response) => {
    if (!file || !uppy.getFile(file.id)) return
    uppy.setFileState(file.id, { error: explain(error, response) }) // what the Dashboard's "?" says too
    changed()
  })
  uppy.on('file-removed', (file) => {
    const image = registered.get(file.id)
    registered.delete(file.id)
    presigned.delete(file.id)
    if (image && !kept) deleteImage(image)
    changed()
  })
  uppy.on('restriction-failed', (file, error) => {
    rejected.push(`${file?.name ?? 'A file'} was not added: ${error.message}`)
    changed()
  })
  for (const name of ['files-added', 'upload-retry', 'complete']) uppy.on(name, () => changed())
  // For tests and tools: each progress report of each file, as a DOM event on the uploader.
  uppy.on('upload-progress', (file, progress) => {
    if (!file) return
    section.dispatchEvent(new CustomEvent('mv-upload-progress', { bubbles: true,
      detail: { name: file.name, bytesUploaded: progress.bytesUploaded, bytesTotal: progress.bytesTotal } }))
  })

  function state() {
    const files = uppy.getFiles()
    const failed = files.filter((f) => f.error)
    const done = files.filter((f) => !f.error && registered.has(f.id))
    return { total: files.length, done: done.length, failed: failed.length, pending: files.length - done.length - failed.length }
  }

  function changed() {
    const s = state()
    status.textContent = s.total === 0 ? 'No images chosen yet.'
      : s.pending > 0 ? `Uploading: ${s.done} of ${s.total} ${s.total === 1 ? 'image' : 'images'} done.`
      : s.failed > 0 ? `${s.failed} of ${s.total} ${s.total === 1 ? 'image' : 'images'} failed: retry or remove ${s.failed === 1 ? 'it' : 'them'}.`
      : `All ${s.total} ${s.total === 1 ? 'image' : 'images'} uploaded.`
    const items = uppy.getFiles().filter((f) => f.error).map((f) => h('li', {},
      h('strong', {}, f.name), ': ', f.error, ' ',
      h('span', { class: 'actions' },
        // Remove is the Dashboard's own button on the file ("Remove NAME").
        h('button', { type: 'button', 'aria-label': `Retry ${f.name}`, onclick: () => uppy.retryUpload(f.id).catch(() => {}) }, 'Retry'))))
    items.push(...rejected.splice(0).map((message) => h('li', {}, message)))
    problems.replaceChildren(...items)
    problems.hidden = items.length === 0
    onChange()
  }
  changed()

  return {
    state,
    /** The registered images, in the order the Dashboard shows the files. */
    images: () => uppy.getFiles().map((f) => registered.get(f.id)).filter(Boolean),
    /** Takes a registered image out of the uploader (and deletes it, unless the product already has it). */
    remove(imageId) {
      const entry = [...registered].find(([, image]) => image.id === imageId)
      if (entry) uppy.removeFile(entry[0])
    },
    setMaxFiles(n) { uppy.setOptions({ restrictions: { ...uppy.opts.restrictions, maxNumberOfFiles: Math.max(n, 0) } }) },
    /** The images now belong to a product: keep them when the page goes. */
    keep() { kept = true },
    /** Stops uploads; unless kept, deletes what was registered (a draft the user walked away from). */
    async destroy() {
      const leftovers = kept ? [] : [...registered.values()]
      registered.clear()
      uppy.cancelAll()
      uppy.destroy()
      await Promise.all(leftovers.map(deleteImage))
    },
  }
}

/** An error whose message is already in plain words (ours), not one of Uppy's or the network's. */
function plain(message) {
  return Object.assign(new Error(message), { plain: true })
}

function explain(error, response) {
  if (error?.plain) return error.message
  const status = error?.status ?? response?.status
  if (error?.name === 'S3NetworkError' || !status)
    return 'The upload to storage did not go through: the connection failed or was interrupted. Press Retry to send it again.'
  if (status === 403) return 'Storage refused the upload (its upload link may have expired). Press Retry to get a new link.'
  return `Storage refused the upload (error ${status}). Press Retry to try again.`
}
