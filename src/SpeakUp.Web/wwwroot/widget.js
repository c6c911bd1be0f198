// SpeakUp chat widget: <script src="https://bot.example.org/widget.js" defer></script> on a campaign's site shows a
// floating button that opens the chat in a frame. Optional attributes: data-lang="en", data-start="c_campaign-id".
// The host serves this file with its labels filled in; the site must be listed in Web:AllowedOrigins to frame the chat.
(function () {
  'use strict';
  var LABELS = /*LABELS*/{};
  var DEFAULT_LANGUAGE = /*DEFAULT_LANGUAGE*/"hi";
  var script = document.currentScript;
  if (!script || window.speakupWidget) return;
  window.speakupWidget = true;

  var lang = script.getAttribute('data-lang') || DEFAULT_LANGUAGE;
  if (!LABELS[lang]) lang = DEFAULT_LANGUAGE;
  var labels = LABELS[lang] || {};
  var start = script.getAttribute('data-start');
  var chatUrl = new URL('chat', script.src);
  chatUrl.searchParams.set('embed', '1');
  chatUrl.searchParams.set('lang', lang);
  if (start && /^[A-Za-z0-9_-]{1,64}$/.test(start)) chatUrl.searchParams.set('start', start);

  var svgNs = 'http://www.w3.org/2000/svg';
  function icon(path) {
    var svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '28');
    svg.setAttribute('aria-hidden', 'true');
    var p = document.createElementNS(svgNs, 'path');
    p.setAttribute('fill', 'currentColor');
    p.setAttribute('d', path);
    svg.appendChild(p);
    return svg;
  }
  var chatIcon = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z';
  var closeIcon = 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z';

  // Styles are set through the DOM (not a <style> element), so a strict CSP on the campaign's page does not block them.
  var button = document.createElement('button');
  button.type = 'button';
  var buttonStyle = {
    position: 'fixed', right: '16px', bottom: '16px', width: '58px', height: '58px', padding: '0', border: '0',
    borderRadius: '50%', background: '#0b6e4f', color: '#fff', cursor: 'pointer', zIndex: '2147483000',
    boxShadow: '0 4px 14px rgba(0,0,0,.3)', display: 'flex', alignItems: 'center', justifyContent: 'center'
  };
  for (var k in buttonStyle) button.style[k] = buttonStyle[k];

  var frame = null;
  var open = false;
  function update() {
    button.replaceChildren(icon(open ? closeIcon : chatIcon));
    var label = open ? labels.widget_close : labels.widget_open;
    button.setAttribute('aria-label', label || '');
    button.title = label || '';
    button.setAttribute('aria-expanded', String(open));
  }

  button.addEventListener('click', function () {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = chatUrl.href;
      frame.title = labels.widget_open || 'SpeakUp';
      var frameStyle = {
        position: 'fixed', right: '16px', bottom: '86px', width: 'min(380px, calc(100vw - 32px))',
        height: 'min(640px, calc(100vh - 110px))', border: '0', borderRadius: '16px', background: '#fff',
        boxShadow: '0 10px 30px rgba(0,0,0,.3)', zIndex: '2147483000'
      };
      for (var s in frameStyle) frame.style[s] = frameStyle[s];
      document.body.appendChild(frame);
    }
    open = !open;
    frame.style.display = open ? 'block' : 'none';
    update();
  });

  update();
  if (document.body) document.body.appendChild(button);
  else document.addEventListener('DOMContentLoaded', function () { document.body.appendChild(button); });
})();
