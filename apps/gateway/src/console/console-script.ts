/**
 * The console's only script, served from /admin/assets/console.js (the CSP allows scripts from
 * the gateway only): copy buttons and confirmation prompts. Pages work without it, apart from
 * the copy buttons.
 */
export const CONSOLE_SCRIPT = `'use strict';
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy-target]');
  if (!button) return;

  const source = document.getElementById(button.getAttribute('data-copy-target'));
  const text = source ? source.textContent.trim() : '';
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand('copy');
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
});

document.addEventListener('submit', (event) => {
  const message = event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
});
`;
