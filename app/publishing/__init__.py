"""Results for young people ("you said, we did"), the capability behind the public results
pages and the staff pages that publish them. No blueprint imports: both blueprints use this.

`findings` (pure: headline findings from an already-suppressed evidence `Pack`),
`wording` (the provider's public wording for actions and replies), `pages` (a page's
content, publishing it as a snapshot, what changed since the last one), `links` (a
service's short link and QR code) and `poster` (the A4 PDF).
"""
