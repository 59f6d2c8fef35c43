// Progressive enhancement only: every page works without this file.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// A table's scroll box is a keyboard stop (so it can be scrolled from the keyboard) only
// while it actually scrolls. Without JavaScript every box keeps its tabindex from the
// template, so a box that scrolls is never out of reach.
function markScrollStop (box) {
  if (box.scrollWidth > box.clientWidth) {
    box.setAttribute('tabindex', '0')
  } else {
    box.removeAttribute('tabindex')
  }
}

const scrollBoxes = document.querySelectorAll('.app-table-scroll')
if ('ResizeObserver' in window) {
  const watcher = new ResizeObserver((entries) => {
    entries.forEach((entry) => markScrollStop(entry.target))
  })
  scrollBoxes.forEach((box) => watcher.observe(box))
} else {
  scrollBoxes.forEach(markScrollStop)
}

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
