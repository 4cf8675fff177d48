import { createHash } from 'node:crypto';

/** The console's whole stylesheet, inlined in every page; the CSP allows exactly this text by its hash. */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5d6778; --line: #d9dee7; --accent: #0b5cad; --ok: #1f7a3d; --bad: #b3261e; --warn: #8a5a00; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: center; gap: 1.5rem; padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; }
header nav { display: flex; gap: 1rem; flex: 1; }
header nav a { color: var(--muted); text-decoration: none; }
header nav a.active { color: var(--ink); font-weight: 600; }
main { max-width: 1200px; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .75rem; }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
section.card > h2:first-child { margin-top: 0; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
td.details { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .8rem; word-break: break-word; }
a { color: var(--accent); }
form.inline { display: inline; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input[type=text], input[type=password], input[type=email], input[type=datetime-local], select { width: 100%; max-width: 32rem; padding: .45rem .55rem; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .25rem 1rem; align-items: end; }
.filters label { margin-top: .25rem; }
button, .button { display: inline-block; padding: .45rem .9rem; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1rem; }
.hint { color: var(--muted); font-size: .85rem; margin: .25rem 0 0; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; border: 1px solid currentColor; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .muted { color: var(--muted); }
.notice { padding: .75rem 1rem; border-radius: 6px; margin-bottom: 1rem; border: 1px solid; background: #fff; }
.notice.ok { border-color: var(--ok); } .notice.bad { border-color: var(--bad); } .notice.warn { border-color: var(--warn); }
.secret { display: flex; gap: .5rem; align-items: center; margin: .35rem 0; }
.secret code { flex: 1; padding: .45rem .55rem; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.timeline td:first-child { white-space: nowrap; }
.login { max-width: 26rem; margin: 4rem auto; }
`;

export const CONSOLE_CSS_HASH = `'sha256-${createHash('sha256').update(CONSOLE_CSS).digest('base64')}'`;
