/*
 * <factual-recall-figure>: one figure of the explorable in a page, as an iframe that sizes itself.
 *
 *   <script src="https://example.org/explorable/factual-recall-embed.js" defer></script>
 *   <factual-recall-figure figure="projection" params="preset=tiny"></factual-recall-figure>
 *
 * figure: training | projection | gating | capacity | multihop | optimizers. params: the explorable's URL
 * settings (n, r, d, m, lr, seed, freeze, autoplay, preset…). The explorable is loaded from where
 * this script comes from (or from the element's `src` attribute). Plain script, no dependencies.
 */
(function () {
  'use strict';
  if (typeof window === 'undefined' || !window.customElements || window.customElements.get('factual-recall-figure')) return;
  const script = document.currentScript;
  const base = script && script.src ? new URL('./', script.src).href : new URL('./', window.location.href).href;

  class FactualRecallFigure extends HTMLElement {
    connectedCallback() {
      if (this._frame) return;
      const figure = this.getAttribute('figure') || 'training';
      const params = (this.getAttribute('params') || '').replace(/^\?/, '');
      const src = new URL(this.getAttribute('src') || base, window.location.href);
      src.search = 'embed=' + encodeURIComponent(figure) + (params ? '&' + params : '');
      const frame = document.createElement('iframe');
      frame.src = src.href;
      frame.title = this.getAttribute('title') || 'How transformers memorize facts: ' + figure;
      frame.loading = 'lazy';
      frame.style.cssText = 'display:block;width:100%;border:0;height:' + (Number(this.getAttribute('height')) || 480) + 'px';
      this._frame = frame;
      this._onMessage = (event) => {
        const data = event.data;
        if (event.source !== frame.contentWindow || !data || data.type !== 'factual-recall:height') return;
        if (typeof data.height === 'number' && data.height > 0) frame.style.height = Math.ceil(data.height) + 'px';
      };
      window.addEventListener('message', this._onMessage);
      this.appendChild(frame);
    }

    disconnectedCallback() {
      if (this._onMessage) window.removeEventListener('message', this._onMessage);
      if (this._frame) this._frame.remove();
      this._frame = null;
      this._onMessage = null;
    }
  }

  window.customElements.define('factual-recall-figure', FactualRecallFigure);
})();
