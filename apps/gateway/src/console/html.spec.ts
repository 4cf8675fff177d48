import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes interpolated text', () => {
    const name = `<script>alert("x")</script> & 'quotes'`;

    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
  });

  it('inserts nested html as is and joins arrays', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);

    expect(html`<ul>${items}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('renders nothing for false, null and undefined but renders 0', () => {
    expect(html`[${false}${null}${undefined}${0}]`.value).toBe('[0]');
  });

  it('escapes every special character of HTML', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
