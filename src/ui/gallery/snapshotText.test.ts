import { describe, expect, it } from 'vitest';
import { normalizeSnapshot, snapshotDifference } from './snapshotText';

describe('normalizeSnapshot', () => {
  it('rounds coordinates to two decimals and leaves the text drawn alone', () => {
    const out = normalizeSnapshot('<svg width="12.5"><path d="M0.12345,-0.0012L10.999,3"/><image href="data:image/png;base64,iVBO12"/><text x="1.005">0.001</text></svg>');
    expect(out).toBe('<svg width="12.5">\n<path d="M0.12,0L11,3"/>\n<image href="data:image/png;base64,iVBO12"/>\n<text x="1">0.001</text>\n</svg>\n');
  });

  it('renames ids in order of appearance, with their references', () => {
    const a = normalizeSnapshot('<svg><linearGradient id="_r_7_"/><rect fill="url(#_r_7_)" style="fill:url(&quot;#_r_7_&quot;)"/><g id="«r12»" aria-labelledby="x «r12»"/></svg>');
    const b = normalizeSnapshot('<svg><linearGradient id="_r_1_"/><rect fill="url(#_r_1_)" style="fill:url(&quot;#_r_1_&quot;)"/><g id="«r3»" aria-labelledby="x «r3»"/></svg>');
    expect(a).toBe(b);
    expect(a).toContain('id="id1"');
    expect(a).toContain('url(#id1)');
    expect(a).toContain('url(&quot;#id1&quot;)');
    expect(a).toContain('aria-labelledby="x id2"');
  });
});

describe('snapshotDifference', () => {
  const snapshot = normalizeSnapshot('<svg><g><circle cx="10" cy="20" r="3"/><text>0.5</text></g></svg>');

  it('is null for equal snapshots', () => {
    expect(snapshotDifference(snapshot, snapshot)).toBeNull();
  });

  it('reports a changed drawing with the first differing line, both ways', () => {
    const altered = snapshot.replace('cx="10"', 'cx="11"');
    const message = snapshotDifference(snapshot, altered);
    expect(message).toBe(
      ['first difference at line 3, column 14 (expected 7 lines, got 7):', '- expected: <circle cx="10" cy="20" r="3"/>', '+ actual:   <circle cx="11" cy="20" r="3"/>'].join('\n'),
    );
  });

  it('reports a snapshot that ends early, and cuts long lines', () => {
    expect(snapshotDifference(snapshot, '<svg>\n')).toMatch(/line 2, column 1 \(expected 7 lines, got 2\)[\s\S]*\+ actual: {3}$/);
    const long = `<image href="data:image/png;base64,${'A'.repeat(500)}"/>`;
    const message = snapshotDifference(long, long.replace(/A"/, 'B"'))!;
    expect(message).toContain('column 535');
    expect(message).toMatch(/\+ actual: {3}…A{40}B"\/> \(538 characters\)$/);
    expect(message.length).toBeLessThan(600);
  });
});
