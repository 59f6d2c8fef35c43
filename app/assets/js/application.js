// Progressive enhancement only: every page works without this file.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// A PDF pack can take a few seconds to make: say so when one is asked for, since the
// browser shows nothing until the file arrives.
document.querySelectorAll('[data-app-pack-download]').forEach((link) => {
  link.addEventListener('click', () => {
    const status = document.getElementById('pack-download-status')
    if (status) {
      status.textContent = 'Making your PDF. It will download in a few seconds.'
    }
  })
})
